import PageStore

/// Transactions: autocommit statements run in their own PageStore transaction; BEGIN (or
/// autocommit=0) keeps one open. Reads before the first write use one snapshot. The first
/// write starts the write transaction: for row changes a speculative PageStore transaction
/// (many run at once, each on its own snapshot) with row locks (RowLocks.swift) and the
/// writer gate held shared; for DDL PageStore's single writer with the gate held exclusively.
/// Each write statement reads the newest committed state plus the transaction's own
/// changes (the transaction is rebased first when other commits came in); when a row lock
/// shows a row changed after the statement read it, the statement is undone and re-run on
/// a newer snapshot. Each write statement runs under a PageStore savepoint, so a failing
/// statement undoes only itself; a deadlock (1213) rolls back the whole transaction, as in MySQL.
extension Session {
    var isExplicit: Bool { explicitTransaction || !autocommit }

    /// How often one statement is re-run because rows it read changed before it locked them.
    static let maxStatementRetries = 1000
    /// A write transaction with more changes than this is not rebased before each statement.
    static let maxRebaseChanges = 512

    func currentCatalog() -> Catalog {
        txCatalog ?? readCatalog ?? engine.catalog
    }

    func withRead<T>(parameters: [Value], _ body: (ExecContext) throws -> T) throws -> T {
        if let w = writeTx, let c = txCatalog {
            let ctx = ExecContext(session: self, catalog: c, tx: w, writeTx: w, parameters: parameters)
            ctx.catalogVersion = catalogDirty ? nil : txCatalogVersion
            return try runWriteStatement(ctx, body)
        }
        if isExplicit {
            if readTx == nil { try openSnapshot() }
            let ctx = ExecContext(session: self, catalog: readCatalog!, tx: readTx!, writeTx: nil, parameters: parameters)
            ctx.catalogVersion = readCatalogVersion
            return try body(ctx)
        }
        let (catalog, version, tx) = try engine.versionedSnapshot()
        defer { tx.end() }
        let ctx = ExecContext(session: self, catalog: catalog, tx: tx, writeTx: nil, parameters: parameters)
        ctx.catalogVersion = version
        return try body(ctx)
    }

    /// `exclusive`: DDL, which runs alone with PageStore's writer lock.
    func withWrite<T>(parameters: [Value], exclusive: Bool = false, _ body: (ExecContext) throws -> T) throws -> T {
        if writeTx == nil {
            try acquireWriter(exclusive: exclusive)
        } else if exclusive && writeTx!.isSpeculative {
            throw SQLError.internalError("DDL inside a row-level write transaction")
        }
        // each write statement reads the newest state (InnoDB's current read); a large
        // transaction skips this (its changed rows are still checked by their locks)
        if writeTx!.isStale && writeTx!.changeCount <= Self.maxRebaseChanges { try rebaseWrite() }
        let ctx = ExecContext(session: self, catalog: txCatalog!, tx: writeTx!, writeTx: writeTx!, parameters: parameters)
        ctx.catalogVersion = catalogDirty ? nil : txCatalogVersion
        return try runWriteStatement(ctx, body)
    }

    private func runWriteStatement<T>(_ ctx: ExecContext, _ body: (ExecContext) throws -> T) throws -> T {
        let w = writeTx!
        let explicit = isExplicit
        let speculative = w.isSpeculative
        let warningCount = warnings.count
        var attempts = 0
        while true {
            var sp: Savepoint?
            if explicit || speculative {
                do { sp = try w.savepoint() } catch { throw storageError(error) }
            }
            let result: T
            do {
                result = try body(ctx)
            } catch let e as SQLError where e == .rowChangedSinceRead && attempts < Self.maxStatementRetries {
                // a row changed after this statement read it: undo the statement, move to
                // the newest snapshot (the row locks stay) and run it again
                attempts += 1
                do {
                    try w.rollback(to: sp!)
                    try w.release(sp!)
                } catch {
                    rollbackTransaction()
                    throw storageError(error)
                }
                try rebaseWrite()
                ctx.prepareRerun(catalog: txCatalog!)
                if warnings.count > warningCount { warnings.removeSubrange(warningCount...) }
                continue
            } catch {
                if let e = error as? SQLError, e.code == 1213 {
                    // a deadlock rolls back the whole transaction, as in InnoDB
                    rollbackTransaction()
                    throw e
                }
                if explicit, let sp {
                    do { try w.rollback(to: sp); try w.release(sp) } catch {
                        rollbackTransaction()
                        throw storageError(error)
                    }
                } else {
                    rollbackTransaction()
                }
                throw error
            }
            txCatalog = ctx.catalog
            if ctx.catalogChanged { catalogDirty = true }
            dirtyCounters.formUnion(ctx.changedCounters)
            if let sp { try? w.release(sp) }
            if !explicit { try commitTransaction() }
            return result
        }
    }

    /// Moves the speculative write transaction to the newest snapshot (its changes
    /// replayed there) and picks up the counters other transactions committed since.
    func rebaseWrite() throws {
        guard let w = writeTx else { return }
        do { try w.rebase() } catch {
            rollbackTransaction()
            throw storageError(error)
        }
        engine.rowLocks.moved(owner: connectionID, to: w.snapshot.rawValue)
        guard var catalog = txCatalog else { return }
        let committed = engine.catalog
        for (dbName, db) in committed.databases {
            for (name, t) in db.tables {
                guard let mine = catalog.databases[dbName]?.tables[name] else { continue }
                if t.autoIncrement > mine.autoIncrement { catalog.databases[dbName]!.tables[name]!.autoIncrement = t.autoIncrement }
                if t.nextRowID > mine.nextRowID { catalog.databases[dbName]!.tables[name]!.nextRowID = t.nextRowID }
            }
        }
        txCatalog = catalog
    }

    /// The row-lock hook of a speculative write transaction (PageStore's `beforeChange`).
    func lockRow(tree: String, key: [UInt8]) throws {
        guard let w = writeTx, w.isSpeculative else { return }
        let outcome = try engine.rowLocks.lock(RowLocks.key(tree: tree, key), owner: connectionID, snapshot: w.snapshot.rawValue,
                                               timeoutSeconds: lockWaitTimeout, isCancelled: { control.isKilled })
        if outcome == .stale { throw SQLError.rowChangedSinceRead }
    }

    var lockWaitTimeout: Int {
        Int(variables["innodb_lock_wait_timeout"]?.int64Value ?? Int64(engine.options.lockWaitTimeoutSeconds))
    }

    private func openSnapshot() throws {
        let (catalog, version, tx) = try engine.versionedSnapshot()
        readTx = tx
        readCatalog = catalog
        readCatalogVersion = version
    }

    func acquireWriter(exclusive: Bool = false) throws {
        guard engine.gate.acquire(for: connectionID, exclusive: exclusive, seconds: lockWaitTimeout, isCancelled: { control.isKilled }) else {
            if control.isKilled { throw SQLError.queryInterrupted }
            throw SQLError.lockWaitTimeout
        }
        do {
            if exclusive {
                writeTx = try engine.database.beginWrite()
            } else {
                let database = engine.database
                let w = try engine.rowLocks.register(owner: connectionID) {
                    let w = try database.beginSpeculativeWrite()
                    return (w, w.snapshot.rawValue)
                }
                w.beforeChange = { [unowned self] tree, key in
                    // secondary-index entries end with their row's primary key, whose lock
                    // TableStore always takes first: no lock of their own
                    if tree.hasPrefix("i:") { return }
                    try self.lockRow(tree: tree, key: key)
                }
                writeTx = w
            }
        } catch {
            engine.rowLocks.releaseAll(owner: connectionID, committedAt: nil)
            engine.gate.release(exclusive: exclusive)
            throw storageError(error)
        }
        (txCatalog, txCatalogVersion) = engine.shared.withLock { ($0.catalog, $0.catalogVersion) }
        catalogDirty = false
        dirtyCounters = []
        readTx?.end()
        readTx = nil
        readCatalog = nil
    }

    /// Gives back what the write transaction `w` held: its row locks (stamped with the
    /// commit's LSN when it committed) and the gate.
    private func releaseWriter(_ w: WriteTransaction, committedAt lsn: LSN?) {
        if w.isSpeculative { engine.rowLocks.releaseAll(owner: connectionID, committedAt: lsn?.rawValue) }
        engine.gate.release(exclusive: !w.isSpeculative)
    }

    /// BEGIN / START TRANSACTION: commits any open transaction first (as MySQL does).
    func beginTransaction() throws {
        try commitTransaction()
        explicitTransaction = true
    }

    func commitTransaction() throws {
        savepoints = []
        explicitTransaction = false
        readTx?.end()
        readTx = nil
        readCatalog = nil
        guard let w = writeTx, var catalog = txCatalog else { return }
        writeTx = nil
        txCatalog = nil
        // Group commit: the gate and the row locks are released once the commit is visible,
        // before its fsync, so the next writer's commit can share that fsync.
        var held = true
        defer { if held { releaseWriter(w, committedAt: nil) } }
        let pending: PendingCommit
        let counters = dirtyCounters
        do {
            if w.isSpeculative {
                // counters are shared by concurrent transactions: saved as the larger of
                // this transaction's and the committed value, on the newest state
                pending = try w.publishCommit(finishing: counters.isEmpty ? nil : { w in
                    try self.engine.shared.withLock { state in
                        for key in counters {
                            guard var t = Self.counterTable(key, in: catalog) else { continue }
                            if let c = state.catalog.databases[t.db]?.tables[t.name] {
                                t.autoIncrement = max(t.autoIncrement, c.autoIncrement)
                                t.nextRowID = max(t.nextRowID, c.nextRowID)
                                state.catalog.databases[t.db]?.tables[t.name]?.autoIncrement = t.autoIncrement
                                state.catalog.databases[t.db]?.tables[t.name]?.nextRowID = t.nextRowID
                            }
                            try CatalogStore.saveCounters(t, in: w)
                        }
                    }
                })
            } else {
                for key in counters {
                    if let t = Self.counterTable(key, in: catalog) { try CatalogStore.saveCounters(t, in: w) }
                }
                if catalogDirty {
                    try CatalogStore.saveCatalog(catalog, in: w)
                    pending = try engine.shared.withLock { state in
                        let p = try w.publishCommit()
                        state.catalog = catalog
                        state.catalogVersion &+= 1
                        return p
                    }
                } else {
                    pending = try w.publishCommit()
                    if !counters.isEmpty {
                        engine.shared.withLock { state in
                            // only counters changed: merge them into the committed catalog
                            for key in counters {
                                guard let t = Self.counterTable(key, in: catalog) else { continue }
                                state.catalog.databases[t.db]?.tables[t.name]?.autoIncrement = t.autoIncrement
                                state.catalog.databases[t.db]?.tables[t.name]?.nextRowID = t.nextRowID
                            }
                        }
                    }
                }
            }
        } catch {
            w.rollback()
            catalog = Catalog()
            catalogDirty = false
            dirtyCounters = []
            throw storageError(error)
        }
        catalogDirty = false
        dirtyCounters = []
        held = false
        releaseWriter(w, committedAt: pending.lsn)
        do { try pending.waitDurable() } catch { throw storageError(error) }
    }

    /// The table a `dirtyCounters` entry ("db\0table") names.
    private static func counterTable(_ key: String, in catalog: Catalog) -> TableSchema? {
        let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return catalog.table(String(parts[0]), String(parts[1]))
    }

    func rollbackTransaction() {
        savepoints = []
        explicitTransaction = false
        readTx?.end()
        readTx = nil
        readCatalog = nil
        if let w = writeTx {
            w.rollback()
            writeTx = nil
            txCatalog = nil
            catalogDirty = false
            dirtyCounters = []
            releaseWriter(w, committedAt: nil)
        }
    }

    func createSavepoint(_ name: String) throws {
        if !isExplicit { return }
        savepoints.removeAll { $0.name.lowercased() == name.lowercased() }
        if writeTx == nil {
            savepoints.append((name, nil))
        } else {
            do { savepoints.append((name, try writeTx!.savepoint())) } catch { throw storageError(error) }
        }
    }

    func rollbackToSavepoint(_ name: String) throws {
        guard let i = savepoints.lastIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw SQLError.savepointDoesNotExist(name)
        }
        let entry = savepoints[i]
        savepoints.removeSubrange((i + 1)...)
        if let sp = entry.savepoint {
            do { try writeTx?.rollback(to: sp) } catch { throw storageError(error) }
        } else if let w = writeTx {
            // the savepoint predates the first write: give the writer back, keep the transaction
            w.rollback()
            writeTx = nil
            txCatalog = nil
            catalogDirty = false
            dirtyCounters = []
            releaseWriter(w, committedAt: nil)
        }
    }

    func releaseSavepoint(_ name: String) throws {
        guard let i = savepoints.lastIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw SQLError.savepointDoesNotExist(name)
        }
        savepoints.removeSubrange(i...)
    }
}

extension Engine {
    /// The committed catalog and a snapshot that agree with each other.
    func snapshot() throws -> (Catalog, ReadTransaction) {
        let (catalog, _, tx) = try versionedSnapshot()
        return (catalog, tx)
    }

    /// The committed catalog, its version and a snapshot that agree with each other.
    func versionedSnapshot() throws -> (Catalog, UInt64, ReadTransaction) {
        try shared.withLock { state in
            do { return (state.catalog, state.catalogVersion, try database.beginRead()) } catch { throw storageError(error) }
        }
    }
}
