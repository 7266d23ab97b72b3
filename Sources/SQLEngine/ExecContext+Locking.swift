/// Row locks taken by statements themselves (PageStore's `beforeChange` hook locks every
/// key a write changes): unique values an insert checks, and the rows a locking read returns.
extension ExecContext {
    /// Locks `key` of tree `tree` in a row-level write transaction (no-op otherwise). Throws
    /// `rowChangedSinceRead` when the key changed after this transaction's snapshot.
    func lockRow(tree: String, key: [UInt8]) throws {
        guard writeTx?.isSpeculative == true else { return }
        try session.lockRow(tree: tree, key: key)
    }

    /// SELECT ... FOR UPDATE / LOCK IN SHARE MODE (both take exclusive locks here): locks
    /// the clustered rows of each base table of the query's FROM that the WHERE clause
    /// matches. Tables in subqueries and derived tables are read without locks.
    func lockRowsRead(by q: Query) throws {
        guard writeTx?.isSpeculative == true, case .select(let core) = q.body, !core.from.isEmpty else { return }
        var aliases: [String] = []
        func collect(_ ref: TableRef) {
            switch ref {
            case .table(_, let name, let alias): aliases.append(alias ?? name)
            case .join(let l, let r, _, _, _): collect(l); collect(r)
            case .derived, .jsonTable: break
            }
        }
        core.from.forEach(collect)
        if core.from.count == 1, case .table(let db, let name, let alias) = core.from[0] {
            let table = try self.table(db, name)
            let limit = q.offset == nil ? q.limit : nil
            for (pk, _) in try matchingRows(table, alias: alias, whereClause: core.whereClause, orderBy: limit == nil ? [] : q.orderBy, limit: limit) {
                try lockRow(tree: table.treeName, key: pk)
            }
            return
        }
        guard !aliases.isEmpty else { return }
        let qc = QueryCompiler(self)
        let scope = Scope(parent: nil)
        var locks: [(String, [UInt8])] = []
        try multiTableMatches(core.from, whereClause: core.whereClause, targets: aliases, deleting: false, scope: scope, qc: qc) { k, pk, _, _ in
            let source = scope.sources.first { $0.alias == aliases[k] }
            if let source, let t = catalog.table(source.db, source.table) { locks.append((t.treeName, pk)) }
        }
        for (tree, pk) in locks { try lockRow(tree: tree, key: pk) }
    }
}
