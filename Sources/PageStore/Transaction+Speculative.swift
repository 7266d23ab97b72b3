// Speculative write transactions: writers that run concurrently, each on private page
// copies of its own snapshot, without the writer lock. Each logs its changes (tree, key,
// value) in order. At commit it takes the writer lock; if no commit happened since its
// snapshot its pages are current and commit as they are, otherwise it replays its log onto
// the newest state first (`rebase`) and commits that.
//
// Invariant the caller must keep: replaying is only correct if no key the transaction
// changed (or decided a change on) was changed by a commit after the transaction read it.
// PageStore calls `beforeChange(tree, key)` before each change so the caller can lock the
// key and check that; the SQL layer does it with row locks (Sources/SQLEngine/RowLocks.swift).
// Tree roots must not move under it: creating and dropping trees needs `beginWrite()`.

extension Database {
    /// Starts a write transaction that does not take the writer lock: many may be open at
    /// once. See `WriteTransaction.rebase()` and `publishCommit(finishing:)`.
    public func beginSpeculativeWrite() throws -> WriteTransaction {
        try checkUsable()
        let core = TxCore(db: self, snapshot: cache.beginSnapshot(), isWriter: true, isSpeculative: true)
        core.holdsSnapshot = true
        return WriteTransaction(core: core)
    }
}

extension WriteTransaction {
    /// True for a transaction from `beginSpeculativeWrite()`.
    public var isSpeculative: Bool { core.isSpeculative }

    /// A speculative transaction whose snapshot is older than the newest commit.
    public var isStale: Bool { core.isSpeculative && core.snapshot < core.db.cache.committed }

    /// How many changes a speculative transaction has logged (what a `rebase()` replays).
    public var changeCount: Int { core.changes.count }

    /// Called before each change of a speculative transaction (put, insert, update,
    /// delete — also when the key turns out present or absent) with the tree name and the
    /// key; an error thrown cancels the change and propagates.
    public var beforeChange: ((String, [UInt8]) throws -> Void)? {
        get { core.beforeChange }
        set { core.beforeChange = newValue }
    }

    /// Moves a speculative transaction to the newest committed snapshot and replays its
    /// changes there (savepoints keep their places). Afterwards it reads the newest state
    /// plus its own changes.
    public func rebase() throws {
        try core.checkActive()
        precondition(core.isSpeculative, "rebase of a transaction holding the writer lock")
        try core.rebase()
    }
}

extension TxCore {
    /// One logged change of a speculative writer.
    enum Change {
        case put(tree: String, key: [UInt8], value: [UInt8])
        case delete(tree: String, key: [UInt8])
    }

    func releaseSnapshot() {
        guard holdsSnapshot else { return }
        holdsSnapshot = false
        db.cache.endSnapshot(snapshot)
    }

    /// Drops the private pages, moves to the newest snapshot and replays `changes`,
    /// re-making each savepoint at its place in the log (same handles).
    func rebase() throws {
        let log = changes
        let changeMarks = savepointChangeMarks
        let ids = savepointIDs
        for (_, d) in dirty { d.buffer.deallocate() }
        dirty.removeAll()
        for (_, previous) in undo { previous?.buffer.deallocate() }
        undo.removeAll()
        savepointMarks.removeAll()
        savepointChangeMarks.removeAll()
        savepointIDs.removeAll()
        changes.removeAll()
        treeRoots.removeAll()
        mutationCount += 1
        let newest = db.cache.beginSnapshot()
        releaseSnapshot()
        snapshot = newest
        holdsSnapshot = true
        isReplaying = true
        defer { isReplaying = false }
        var trees: [String: Tree] = [:]
        func tree(_ name: String) throws -> Tree {
            if let t = trees[name] { return t }
            guard let root = try lookupTree(name) else { throw PageStoreError.treeNotFound(name) }
            let t = Tree(owner: owner!, root: root, name: name)
            trees[name] = t
            return t
        }
        var nextMark = 0
        for (i, change) in log.enumerated() {
            while nextMark < changeMarks.count && changeMarks[nextMark] == i {
                replaySavepoint(id: ids[nextMark], changeMark: i)
                nextMark += 1
            }
            switch change {
            case let .put(name, key, value): try tree(name).put(key, value)
            case let .delete(name, key): _ = try tree(name).delete(key)
            }
        }
        while nextMark < changeMarks.count {
            replaySavepoint(id: ids[nextMark], changeMark: changeMarks[nextMark])
            nextMark += 1
        }
        changes = log
    }

    private func replaySavepoint(id: Int, changeMark: Int) {
        savepointMarks.append(undo.count)
        savepointChangeMarks.append(changeMark)
        generation += 1
        savepointIDs.append(id)
    }
}
