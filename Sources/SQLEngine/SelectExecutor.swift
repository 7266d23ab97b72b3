import PageStore

/// Runs the FROM/WHERE part of a SELECT: nested loops over the join levels, each level read
/// through its access path, filters applied as soon as their tables are bound, LEFT JOIN
/// levels NULL-extended when nothing matched. Calls `emit` per surviving row; `emit`
/// returning false stops the scan (LIMIT).
final class SelectExecutor {
    let ctx: ExecContext
    let levels: [JoinLevel]
    let constantFilters: [Compiled]
    let width: Int
    let sourceWidth: Int
    private var stores: [TableStore?]
    private var materialized: [[[Value]]?]
    /// The execution of `ctx` the stores belong to (a reused plan runs on a new snapshot).
    private var storesExecution = -1
    /// Hash-join levels: their rows by join key, built once per run (nil: not built yet).
    private var hashTables: [HashTable?]
    /// Per first level of an outer join's parenthesised group: whether some combination of
    /// the group's levels matched for the current row before it.
    private var groupMatched: [Bool]
    /// Per level: its values in the row being emitted are the NULL row of an outer join that
    /// matched nothing (a multi-table UPDATE/DELETE skips such rows of its targets).
    private(set) var isNullExtended: [Bool]
    /// Each level's filters as bare closures: iterating `[Compiled]` copied every filter's
    /// type metadata (retains) for every row.
    private let matchEvals: [[Evaluator]]
    private let afterEvals: [[Evaluator]]

    enum HashTable {
        case rows([[GroupKey]: [[Value]]])
        /// The level's rows passed `hashJoinCellLimit`: it runs as nested loops.
        case tooLarge
    }

    /// Values (rows × columns) a hash join may hold in memory before it gives up.
    static let hashJoinCellLimit = 4_000_000

    init(ctx: ExecContext, levels: [JoinLevel], constantFilters: [Compiled], width: Int, sourceWidth: Int) {
        self.ctx = ctx
        self.levels = levels
        self.constantFilters = constantFilters
        self.width = width
        self.sourceWidth = sourceWidth
        self.stores = Array(repeating: nil, count: levels.count)
        self.materialized = Array(repeating: nil, count: levels.count)
        self.hashTables = Array(repeating: nil, count: levels.count)
        self.groupMatched = Array(repeating: false, count: levels.count)
        self.isNullExtended = Array(repeating: false, count: levels.count)
        self.matchEvals = levels.map { $0.matchFilters.map(\.eval) }
        // WHERE conditions on a parenthesised group of an outer join wait for the group's last
        // level: before it, a row of the group has not matched yet (nor failed to)
        var afterEvals = levels.map { $0.afterFilters.map(\.eval) }
        for (i, level) in levels.enumerated() {
            guard let group = level.outerGroup, i != group.upperBound else { continue }
            afterEvals[group.upperBound] += afterEvals[i]
            afterEvals[i] = []
        }
        self.afterEvals = afterEvals
    }

    func run(_ row: Row, _ emit: (Row) throws -> Bool) throws {
        for f in constantFilters where try f.eval(row).truth != true { return }
        if storesExecution != ctx.execution {
            stores = Array(repeating: nil, count: levels.count)
            storesExecution = ctx.execution
        }
        hashTables = Array(repeating: nil, count: levels.count)
        // materialised sources are read once per run
        for i in 0..<levels.count {
            if case .rows(let produce) = levels[i].data { materialized[i] = try produce() }
            if case .table(let t) = levels[i].data, stores[i] == nil { stores[i] = try TableStore(ctx, t) }
        }
        _ = try runLevel(0, row, emit)
    }

    private func runLevel(_ i: Int, _ row: Row, _ emit: (Row) throws -> Bool) throws -> Bool {
        if i == levels.count { return try emit(row) }
        let match = matchEvals[i], after = afterEvals[i]
        let width = levels[i].width, offset = levels[i].offset
        var matched = false
        var keepGoing = true
        let group = levels[i].outerGroup
        let groupStart = group?.lowerBound == i, groupEnd = group?.upperBound == i
        if groupStart { groupMatched[i] = false }
        func body() throws -> Bool {
            for f in match where try f(row).truth != true { return true }
            matched = true
            if groupEnd { groupMatched[group!.lowerBound] = true }
            for f in after where try f(row).truth != true { return true }
            if !(try self.runLevel(i + 1, row, emit)) { keepGoing = false; return false }
            return true
        }
        if !levels[i].hashKeys.isEmpty, case .rows(let table) = try hashTable(i, levels[i], row) {
            let hashKeys = levels[i].hashKeys
            var key: [GroupKey] = []
            key.reserveCapacity(hashKeys.count)
            for k in hashKeys {
                let v = try k.outer.eval(row)
                if v.isNull { key = []; break }  // NULL = anything is never true
                key.append(GroupKey(v, k.collation))
            }
            if !key.isEmpty, let rows = table[key] {
                for r in rows {
                    try ctx.checkKilled()
                    for k in 0..<width { row.values[offset + k] = r[k] }
                    if !(try body()) { break }
                }
            }
        } else if case .lateral(let produce) = levels[i].data {
            for r in try produce(row) {
                try ctx.checkKilled()
                for k in 0..<width { row.values[offset + k] = r[k] }
                if !(try body()) { break }
            }
        } else if let rows = materialized[i] {
            for r in rows {
                try ctx.checkKilled()
                for k in 0..<width { row.values[offset + k] = r[k] }
                if !(try body()) { break }
            }
        } else if let store = stores[i] {
            try scanTable(store, levels[i], row, body)
        }
        if !keepGoing { return false }
        if levels[i].isLeft && !(groupStart ? groupMatched[i] : matched) {
            // no match: this level (and the rest of its group) NULL, then the WHERE conditions on them
            let last = group?.upperBound ?? i
            for l in i...last {
                for k in 0..<levels[l].width { row.values[levels[l].offset + k] = .null }
            }
            // (a group's WHERE conditions all sit at its last level, see init)
            for f in afterEvals[last] where try f(row).truth != true { return true }
            for l in i...last { isNullExtended[l] = true }
            defer { for l in i...last { isNullExtended[l] = false } }
            return try runLevel(last + 1, row, emit)
        }
        return true
    }

    /// Builds (once per run) level `i`'s hash table: every row by its join key values.
    private func hashTable(_ i: Int, _ level: JoinLevel, _ row: Row) throws -> HashTable {
        if let built = hashTables[i] { return built }
        var table: [[GroupKey]: [[Value]]] = [:]
        var cells = 0
        func add() throws -> Bool {
            var key: [GroupKey] = []
            key.reserveCapacity(level.hashKeys.count)
            for k in level.hashKeys {
                let v = try k.inner.eval(row)
                if v.isNull { return true }
                key.append(GroupKey(v, k.collation))
            }
            cells += level.width + key.count
            if cells > Self.hashJoinCellLimit { return false }
            table[key, default: []].append(Array(row.values[level.offset..<(level.offset + level.width)]))
            return true
        }
        if let rows = materialized[i] {
            for r in rows {
                try ctx.checkKilled()
                for k in 0..<level.width { row.values[level.offset + k] = r[k] }
                if !(try add()) { break }
            }
        } else if let store = stores[i] {
            try scanTable(store, level, row, add)
        }
        let built: HashTable = cells > Self.hashJoinCellLimit ? .tooLarge : .rows(table)
        hashTables[i] = built
        return built
    }

    private func scanTable(_ store: TableStore, _ level: JoinLevel, _ row: Row, _ body: () throws -> Bool) throws {
        guard let tree = store.tree else { return }
        let schema = store.schema
        let path = level.access
        let offset = level.offset
        let needed = level.neededColumns
        do {
            if path.isFullScan {
                let c = tree.makeCursor()
                var ok = try path.reverse ? c.last() : c.first()
                while ok {
                    try ctx.checkKilled()
                    try c.withCurrent { _, v in try RowEncoding.decode(v, schema.columns, into: &row.values, at: offset, needed: needed) }
                    if !(try body()) { return }
                    ok = try path.reverse ? c.previous() : c.next()
                }
                return
            }
            let keyColumns = path.index?.columns ?? schema.primaryKey
            let indexTree: Tree? = path.index == nil ? tree : try store.indexTree(path.index!)
            guard let indexTree else { return }
            // each equality prefix (one, or one per IN value), deduplicated and in key order
            var prefixes: [[UInt8]] = []
            if path.equalities.isEmpty {
                prefixes = [[]]
            } else {
                var seen = Set<[UInt8]>()
                outer: for probes in path.equalities {
                    var key: [UInt8] = []
                    for (k, p) in probes.enumerated() {
                        if path.nullProbes.contains(k) {
                            KeyEncoding.append(.null, schema.columns[keyColumns[k]].type, to: &key)
                            continue
                        }
                        let colType = schema.columns[keyColumns[k]].type
                        guard let v = colType.probeValue(try p.eval(row)) else { continue outer }
                        let converted = (try? convertToColumn(v, schema.columns[keyColumns[k]], strict: true, row: 0, warn: nil)) ?? nil
                        guard let cv = converted, compareValues(cv, v, colType.collation) == 0 || colType.isText else { continue outer }
                        KeyEncoding.append(cv, colType, to: &key)
                    }
                    if seen.insert(key).inserted { prefixes.append(key) }
                }
                prefixes.sort { $0.lexicographicallyPrecedes($1) }
            }
            if path.reverse { prefixes.reverse() }
            let rangeColumn = path.equalities.first.map { $0.count } ?? 0
            // A secondary index holding every column the query reads is read alone.
            let covering = level.covering
            for prefix in prefixes {
                var low = prefix
                var high: [UInt8]? = prefix.isEmpty ? nil : KeyEncoding.successor(of: prefix)
                if rangeColumn < keyColumns.count {
                    let col = schema.columns[keyColumns[rangeColumn]]
                    switch path.lower {
                    case .none: low = prefix
                    case .inclusive(let e), .exclusive(let e):
                        guard let v = col.type.boundValue(try e.eval(row), lower: true) else { continue }
                        var k = prefix
                        KeyEncoding.append(clampToColumn(v, col), col.type, to: &k)
                        if case .exclusive = path.lower, isExact(v, col) { k = KeyEncoding.successor(of: k) }
                        low = k
                    }
                    switch path.upper {
                    case .none: break
                    case .inclusive(let e), .exclusive(let e):
                        guard let v = col.type.boundValue(try e.eval(row), lower: false) else { continue }
                        var k = prefix
                        KeyEncoding.append(clampToColumn(v, col), col.type, to: &k)
                        if case .inclusive = path.upper { k = KeyEncoding.successor(of: k) } else if !isExact(v, col) { k = KeyEncoding.successor(of: k) }
                        high = k
                    }
                }
                let c = indexTree.makeCursor()
                // [low, high) in key order, or backwards from high for ORDER BY ... DESC
                var ok: Bool
                if path.reverse {
                    ok = try high.map { try c.seek($0, .less) } ?? c.last()
                } else {
                    ok = try c.seek(low, .greaterOrEqual)
                }
                scan: while ok {
                    try ctx.checkKilled()
                    var pk: [UInt8] = []
                    do {
                        // the key copy ends here, so the cursor can reuse its buffer on the next step
                        let key = c.key
                        if path.reverse {
                            if key.lexicographicallyPrecedes(low) { break scan }
                        } else if let high, !key.lexicographicallyPrecedes(high) { break scan }
                        if let covering {
                            try covering.decode(key, into: &row.values, at: offset)
                        } else if path.index != nil {
                            var pos = 0
                            for ci in keyColumns { pos = skipKeyComponent(key, pos, schema.columns[ci].type) }
                            pk = Array(key[pos...])
                        }
                    }
                    if covering != nil {
                        // the row's columns came from the index entry
                    } else if path.index == nil {
                        try c.withCurrent { _, v in try RowEncoding.decode(v, schema.columns, into: &row.values, at: offset, needed: needed) }
                    } else {
                        let found = try tree.withValue(pk) { p -> Bool in
                            guard let p else { return false }
                            try RowEncoding.decode(p, schema.columns, into: &row.values, at: offset, needed: needed)
                            return true
                        }
                        if !found { ok = try path.reverse ? c.previous() : c.next(); continue }
                    }
                    if !(try body()) { return }
                    ok = try path.reverse ? c.previous() : c.next()
                }
            }
        } catch let e as SQLError { throw e } catch { throw storageError(error) }
    }

    private func clampToColumn(_ v: Value, _ col: ColumnSchema) -> Value {
        if col.type.isInteger {
            let (lo, hi) = col.type.integerRange
            let i = v.int128
            if i < Int128(lo) { return col.type.unsigned ? .uint(UInt64(max(lo, 0))) : .int(lo) }
            if i > Int128(hi) { return col.type.unsigned ? .uint(hi) : .int(Int64(hi)) }
            return col.type.unsigned ? .uint(UInt64(i)) : .int(Int64(i))
        }
        return (try? convertToColumn(v, col, strict: false, row: 0, warn: nil)) ?? v
    }

    private func isExact(_ v: Value, _ col: ColumnSchema) -> Bool {
        guard let c = try? convertToColumn(v, col, strict: true, row: 0, warn: nil) else { return false }
        return compareValues(c, v, col.type.collation) == 0
    }
}
