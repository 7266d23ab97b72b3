import PageStore

/// Transactions: autocommit statements run in their own PageStore transaction; BEGIN (or
/// autocommit=0) keeps one open. Reads before the first write use one snapshot; the first
/// write takes the writer gate (waiting up to innodb_lock_wait_timeout, then 1205) and from
/// then on the transaction reads through its write transaction. Each statement inside an
/// explicit transaction runs under a PageStore savepoint, so a failing statement undoes only itself.
extension Session {
    var isExplicit: Bool { explicitTransaction || !autocommit }

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

    func withWrite<T>(parameters: [Value], _ body: (ExecContext) throws -> T) throws -> T {
        if writeTx == nil { try acquireWriter() }
        let ctx = ExecContext(session: self, catalog: txCatalog!, tx: writeTx!, writeTx: writeTx!, parameters: parameters)
        ctx.catalogVersion = catalogDirty ? nil : txCatalogVersion
        return try runWriteStatement(ctx, body)
    }

    private func runWriteStatement<T>(_ ctx: ExecContext, _ body: (ExecContext) throws -> T) throws -> T {
        let w = writeTx!
        let explicit = isExplicit
        var sp: Savepoint?
        if explicit {
            do { sp = try w.savepoint() } catch { throw storageError(error) }
        }
        let result: T
        do {
            result = try body(ctx)
        } catch {
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

    private func openSnapshot() throws {
        let (catalog, version, tx) = try engine.versionedSnapshot()
        readTx = tx
        readCatalog = catalog
        readCatalogVersion = version
    }

    func acquireWriter() throws {
        let timeout = Int(variables["innodb_lock_wait_timeout"]?.int64Value ?? Int64(engine.options.lockWaitTimeoutSeconds))
        guard engine.gate.acquire(for: connectionID, seconds: timeout, isCancelled: { control.isKilled }) else {
            if control.isKilled { throw SQLError.queryInterrupted }
            throw SQLError.lockWaitTimeout
        }
        do {
            writeTx = try engine.database.beginWrite()
        } catch {
            engine.gate.release()
            throw storageError(error)
        }
        (txCatalog, txCatalogVersion) = engine.shared.withLock { ($0.catalog, $0.catalogVersion) }
        catalogDirty = false
        dirtyCounters = []
        readTx?.end()
        readTx = nil
        readCatalog = nil
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
        // Group commit: the gate is released once the commit is visible, before its
        // fsync, so the next writer's commit can share that fsync.
        var gateHeld = true
        defer { if gateHeld { engine.gate.release() } }
        let pending: PendingCommit
        do {
            for key in dirtyCounters {
                let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, let t = catalog.table(String(parts[0]), String(parts[1])) {
                    try CatalogStore.saveCounters(t, in: w)
                }
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
                if !dirtyCounters.isEmpty {
                    engine.shared.withLock { state in
                        // only counters changed: merge them into the committed catalog
                        for key in dirtyCounters {
                            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
                            guard parts.count == 2, let t = catalog.table(String(parts[0]), String(parts[1])) else { continue }
                            state.catalog.databases[t.db]?.tables[t.name]?.autoIncrement = t.autoIncrement
                            state.catalog.databases[t.db]?.tables[t.name]?.nextRowID = t.nextRowID
                        }
                    }
                }
            }
        } catch {
            w.rollback()
            catalog = Catalog()
            throw storageError(error)
        }
        catalogDirty = false
        dirtyCounters = []
        gateHeld = false
        engine.gate.release()
        do { try pending.waitDurable() } catch { throw storageError(error) }
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
            engine.gate.release()
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
            engine.gate.release()
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
