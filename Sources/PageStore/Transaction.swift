/// A consistent snapshot of the database as of `begin`. Never blocks and is never
/// blocked by the writer. Use from one thread at a time; `end()` it when done (an open
/// reader holds back the checkpoint).
public class ReadTransaction {
    let core: TxCore

    init(core: TxCore) {
        self.core = core
        core.owner = self
    }

    /// The LSN of the last commit this transaction sees.
    public var snapshot: LSN { core.snapshot }

    /// While true, a read that needs a page not in the buffer pool throws
    /// `PageStoreError.wouldBlock` instead of reading the disk: for work on a thread that
    /// must not block (an event loop), which re-runs it elsewhere after that error.
    public var failsOnCacheMiss: Bool {
        get { core.failsOnCacheMiss }
        set { core.failsOnCacheMiss = newValue }
    }

    /// Whether a read threw `wouldBlock` since the last reset (true even when the caller
    /// caught the error): the work's result must then be discarded.
    public var missedCache: Bool {
        get { core.missedCache }
        set { core.missedCache = newValue }
    }

    /// The tree called `name`, or nil.
    public func tree(named name: String) throws -> Tree? {
        try core.checkActive()
        guard let root = try core.lookupTree(name) else { return nil }
        return Tree(owner: self, root: root, name: name)
    }

    /// The names of every tree, in byte order.
    public func treeNames() throws -> [String] {
        try core.checkActive()
        var names: [String] = []
        let cursor = Tree(owner: self, root: try core.catalogRoot(), name: "").makeCursor()
        var ok = try cursor.first()
        while ok {
            names.append(String(decoding: cursor.key, as: UTF8.self))
            ok = try cursor.next()
        }
        return names
    }

    /// Ends the snapshot. Idempotent.
    public func end() {
        guard !core.isFinished else { return }
        core.isFinished = true
        core.db.cache.endSnapshot(core.snapshot)
    }

    deinit {
        if !core.isWriter { end() }
    }
}

/// The one write transaction. Changes are private until `commit()`; `rollback()` (or a
/// throw out of `Database.write`) leaves no trace.
public final class WriteTransaction: ReadTransaction {
    /// Creates an empty tree. Throws `treeExists` when the name is taken.
    @discardableResult
    public func createTree(named name: String) throws -> Tree {
        try core.checkActive()
        if core.isSpeculative { throw PageStoreError.treeChangeInSpeculativeWrite(name) }
        try core.validateTreeName(name)
        if try core.lookupTree(name) != nil { throw PageStoreError.treeExists(name) }
        let (root, page) = try core.allocate(.leaf)
        Node.initialize(page, type: .leaf, pageSize: core.pageSize)
        try catalog().put(Array(name.utf8), Self.encodeRoot(root))
        core.treeRoots[name] = root
        core.changesTreeCatalog = true
        return Tree(owner: self, root: root, name: name)
    }

    /// The tree called `name`, created when missing.
    public func openOrCreateTree(named name: String) throws -> Tree {
        if let t = try tree(named: name) { return t }
        return try createTree(named: name)
    }

    /// Deletes a tree and frees all its pages. Throws `treeNotFound`.
    public func dropTree(named name: String) throws {
        try core.checkActive()
        if core.isSpeculative { throw PageStoreError.treeChangeInSpeculativeWrite(name) }
        guard let root = try core.lookupTree(name) else { throw PageStoreError.treeNotFound(name) }
        try Tree(owner: self, root: root, name: name).freeAll(root)
        _ = try catalog().delete(Array(name.utf8))
        core.treeRoots[name] = nil
        core.changesTreeCatalog = true
        core.mutationCount += 1
    }

    /// Makes the changes durable (per `Options.durability`) and visible. With `.full`,
    /// returns after an fsync covering this commit; concurrent committers share fsyncs.
    public func commit() throws {
        try publishCommit().waitDurable()
    }

    /// The first half of `commit()`: writes the log frames, makes the changes visible to
    /// new snapshots and releases the writer lock, without waiting for the fsync. The
    /// caller must call `waitDurable()` on the result before acknowledging the commit;
    /// meanwhile the next writer may run, and its commit joins the same fsync (group
    /// commit with early lock release: a later commit is durable only if this one is).
    ///
    /// `finishing` runs under the writer lock just before the frames are written, on the
    /// newest state: a speculative writer's last changes that must not be replayed (shared
    /// counters), without `beforeChange`.
    public func publishCommit(finishing: ((WriteTransaction) throws -> Void)? = nil) throws -> PendingCommit {
        try core.checkActive()
        let db = core.db
        if core.isSpeculative && core.changes.isEmpty && core.dirty.isEmpty && finishing == nil {
            rollback()   // changed nothing: nothing to log, no lock to take
            return PendingCommit(db: db, ticket: nil, wantsCheckpoint: false, lsn: nil)
        }
        if core.isSpeculative {
            db.writerLock.acquire()
            do {
                try db.checkUsable()
                if isStale { try core.rebase() }
            } catch {
                rollbackLocked()
                throw error
            }
        }
        let lsn: LSN?
        let ticket: UInt64?
        do {
            if let finishing {
                core.beforeChange = nil
                try finishing(self)
            }
            core.isFinished = true
            lsn = core.dirty.isEmpty ? nil : db.cache.committed.next
            ticket = try core.logCommit()
        } catch {
            rollbackLocked()
            throw error
        }
        core.discard()
        core.releaseSnapshot()
        if db.options.verifyAfterCommit, ticket != nil {
            do { _ = try db.verifyLocked(snapshot: db.cache.committed) } catch {
                db.writerLock.release()
                throw error
            }
        }
        let wantsCheckpoint = db.wal.frameCount >= db.options.autoCheckpointFrames
        db.writerLock.release()
        return PendingCommit(db: db, ticket: ticket, wantsCheckpoint: wantsCheckpoint, lsn: lsn)
    }

    /// Marks the current state; `rollback(to:)` returns to it without ending the
    /// transaction (for undoing a failed statement). Savepoints nest.
    public func savepoint() throws -> Savepoint {
        try core.checkActive()
        let (index, id) = core.makeSavepoint()
        return Savepoint(index: index, id: id)
    }

    /// Undoes every change made since `savepoint`, which stays usable.
    public func rollback(to savepoint: Savepoint) throws {
        try core.checkActive()
        try checkSavepoint(savepoint)
        core.rollback(toSavepoint: savepoint.index)
    }

    /// Forgets `savepoint` (and newer ones), keeping the changes.
    public func release(_ savepoint: Savepoint) throws {
        try core.checkActive()
        try checkSavepoint(savepoint)
        core.release(savepoint: savepoint.index)
    }

    private func checkSavepoint(_ s: Savepoint) throws {
        guard core.isLive(savepoint: s.index, id: s.id) else {
            throw PageStoreError.savepointReleased
        }
    }

    /// Discards every change. Idempotent.
    public func rollback() {
        guard !core.isFinished else { return }
        core.isFinished = true
        core.discard()
        if core.isSpeculative {
            core.releaseSnapshot()
        } else {
            core.db.writerLock.release()
        }
    }

    /// Rollback while holding the writer lock (a failed commit): releases it.
    private func rollbackLocked() {
        core.isFinished = true
        core.discard()
        core.releaseSnapshot()
        core.db.writerLock.release()
    }

    deinit {
        rollback()
    }

    func catalog() throws -> Tree { Tree(owner: self, root: try core.catalogRoot(), name: "") }

    static func encodeRoot(_ root: PageNumber) -> [UInt8] {
        withUnsafeBytes(of: root.rawValue.littleEndian) { Array($0) }
    }
}

/// A commit that is visible but maybe not yet durable (see `publishCommit()`).
public struct PendingCommit: Sendable {
    let db: Database
    let ticket: UInt64?
    let wantsCheckpoint: Bool
    /// The commit's LSN; nil when it changed nothing.
    public let lsn: LSN?

    /// Returns once the commit is durable per `Options.durability` (with `.full`, after
    /// an fsync covering it, shared with concurrent committers). Runs the automatic
    /// checkpoint when the log has grown past its size.
    public func waitDurable() throws {
        guard let ticket else { return }
        if db.options.durability == .full {
            do { try db.wal.waitDurable(ticket) } catch {
                db.poison(error)
                throw error
            }
        } else if let failure = db.wal.failure {
            // The background flusher's fsync failed: nothing since is known durable.
            db.poison(failure)
            throw failure
        }
        if wantsCheckpoint {
            // The commit is durable; a failing checkpoint poisons the database for the
            // next caller but does not un-acknowledge this commit.
            try? db.checkpoint()
        }
    }
}

/// A point inside the write transaction to roll back to.
public struct Savepoint: Sendable {
    let index: Int
    let id: Int
}

extension TxCore {
    func catalogRoot() throws -> PageNumber {
        try withPage(.header) { PageNumber($0.u32(HeaderLayout.catalogRoot)) }
    }

    func lookupTree(_ name: String) throws -> PageNumber? {
        if let root = treeRoots[name] { return root }
        // Readers share the database's cache; the writer sees its own creates and drops.
        let snapshot = self.snapshot
        if !isWriter, let root = db.treeRoots.withLock({ $0.validFrom <= snapshot ? $0.roots[name] : nil }) {
            treeRoots[name] = root
            return root
        }
        let catalog = Tree(owner: owner!, root: try catalogRoot(), name: "")
        guard let value = try catalog.get(Array(name.utf8)) else { return nil }
        guard value.count == 4 else { throw PageStoreError.corruptPage(catalog.root, reason: "catalog entry for \(name) is not a page number") }
        let root = PageNumber(value.withUnsafeBytes { $0.baseAddress!.u32(0) })
        treeRoots[name] = root
        if !isWriter {
            db.treeRoots.withLock { cache in
                if cache.validFrom <= snapshot && cache.roots.count < 100_000 { cache.roots[name] = root }
            }
        }
        return root
    }

    func validateTreeName(_ name: String) throws {
        let n = name.utf8.count
        if n == 0 || n > 255 { throw PageStoreError.invalidTreeName(name) }
    }
}
