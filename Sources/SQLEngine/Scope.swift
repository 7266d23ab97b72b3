/// Name resolution for one query level: the FROM sources laid side by side in the row,
/// the enclosing query's scope for correlated references, and — after GROUP BY — where the
/// aggregate results sit.
final class Scope {
    struct Source {
        var alias: String
        var db: String
        var table: String
        var columns: [String]
        var types: [ExprType]
        var offset: Int
        /// Columns merged away by USING/NATURAL (not expanded by `*`, not ambiguous).
        var hiddenColumns: Set<Int> = []
        /// Set when the account may read only some of the table's columns.
        var columnGuard: ColumnGuard?
    }

    var sources: [Source] = []
    var width = 0
    let parent: Scope?
    /// Set while compiling expressions evaluated after grouping.
    var aggregator: AggregateCollector?
    /// Select-list aliases visible in HAVING / ORDER BY / GROUP BY.
    var aliases: [(name: String, compiled: Compiled)] = []
    var aliasesVisible = false
    /// Set when a name resolved in an enclosing scope (the query is correlated).
    var usesOuter = false
    /// Sources of this scope read by subqueries compiled inside it (correlation), as bits.
    var innerReferences: UInt64 = 0
    /// Row slots some compiled expression reads (the executor decodes only these columns).
    var referencedSlots = Set<Int>()
    /// Set while compiling the select list and ORDER BY: where window functions go.
    var windows: WindowCollector?

    init(parent: Scope?) { self.parent = parent }

    @discardableResult
    func addSource(alias: String, db: String, table: String, columns: [String], types: [ExprType]) -> Int {
        sources.append(Source(alias: alias, db: db, table: table, columns: columns, types: types, offset: width))
        width += columns.count
        return sources.count - 1
    }

    /// (source index, column index) of `name`, optionally qualified.
    func lookup(table: String?, db: String?, name: String) throws -> (Int, Int)? {
        let lower = name.lowercased()
        var found: (Int, Int)?
        for (si, s) in sources.enumerated() {
            if let table {
                guard s.alias == table || (s.alias.lowercased() == table.lowercased() && false) else { continue }
                if let db, s.db != db { continue }
            }
            for (ci, c) in s.columns.enumerated() where c.lowercased() == lower {
                if table == nil && s.hiddenColumns.contains(ci) { continue }
                if found != nil && table == nil {
                    throw SQLError.ambiguousColumn(name, in: "field list")
                }
                if found == nil { found = (si, ci) }
            }
        }
        return found
    }

    func hasSource(named table: String) -> Bool { sources.contains { $0.alias == table } }
}

/// Aggregates met while compiling post-grouping expressions; each gets a slot after the row.
final class AggregateCollector {
    var specs: [AggregateSpec] = []
    let base: Int

    init(base: Int) { self.base = base }
}

