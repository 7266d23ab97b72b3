/// Opening a database whose index keys were made with older collation weights
/// (`Catalog.collationWeights` < `Collation.weightsVersion`): every table with a text column
/// under a changed collation in its primary key or a secondary index is rewritten, as ALTER
/// TABLE rewrites one (new trees, rows reinserted, old trees dropped).
///
/// Atomic per table: one transaction first records the new version and the list of stale
/// tables (`Catalog.staleKeyTables`); then each table is rebuilt in a transaction of its own
/// that also takes it off the list. A crash leaves every table either rebuilt or still listed,
/// and the next open goes on with the list. A table that cannot be rebuilt — two of its values
/// are equal under the new weights and a unique key holds both (1062) — stays listed, keeps
/// its old keys (lookups through them may miss rows) and is named in `Engine.openNotes`; it is
/// tried again at every open.
extension Engine {
    /// Whether an index of `t` stores sort keys that changed since weights version `version`.
    static func hasStaleKeys(_ t: TableSchema, since version: Int) -> Bool {
        t.indexes.contains { index in
            index.columns.contains { i in
                let type = t.columns[i].type
                return type.isText && type.base != .json && type.collation.sortKeysChanged(since: version)
            }
        }
    }

    func upgradeCollationWeights() throws -> [String] {
        var catalog = self.catalog
        let version = catalog.collationWeights ?? 1
        if version < Collation.weightsVersion {
            let stale = catalog.databases.values.flatMap { $0.tables.values }
                .filter { Self.hasStaleKeys($0, since: version) }.map(\.id).sorted()
            try runBootstrapDDL { ctx in
                ctx.catalog.collationWeights = Collation.weightsVersion
                ctx.catalog.staleKeyTables = (ctx.catalog.staleKeyTables ?? []) + stale
            }
            catalog = self.catalog
        }
        var notes: [String] = []
        for id in catalog.staleKeyTables ?? [] {
            guard let t = catalog.databases.values.lazy.compactMap({ $0.tables.values.first { $0.id == id } }).first else {
                try runBootstrapDDL { ctx in ctx.catalog.staleKeyTables?.removeAll { $0 == id } }
                continue
            }
            do {
                try runBootstrapDDL { ctx in
                    var table = t
                    try ctx.rebuild(&table) { _ in }
                    ctx.catalog.databases[t.db]?.tables[t.name] = table
                    ctx.catalog.staleKeyTables?.removeAll { $0 == id }
                }
                notes.append("rebuilt the indexes of \(t.db).\(t.name) for the new collation weights (version \(Collation.weightsVersion))")
            } catch let error as SQLError where error.code == 1062 {
                notes.append("cannot rebuild the indexes of \(t.db).\(t.name) for the new collation weights: \(error.message); "
                             + "its index keys keep the old weights until the duplicates are removed (retried at every open)")
            }
        }
        return notes
    }

    /// Runs `body` as one DDL transaction of an internal root session, committing the catalog.
    private func runBootstrapDDL(_ body: (ExecContext) throws -> Void) throws {
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        try session.withWrite(parameters: [], exclusive: true) { ctx in
            ctx.catalogChanged = true
            try body(ctx)
        }
    }
}
