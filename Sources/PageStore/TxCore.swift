// The state shared by read and write transactions: the snapshot, and for the writer its
// private page copies. No uncommitted page ever leaves this object except as a log
// frame at commit (no-steal), so rollback is freeing the copies.

final class TxCore {
    let db: Database
    /// The last commit this transaction sees. Changes only for a speculative writer, by
    /// `rebase()`.
    var snapshot: LSN
    let isWriter: Bool
    /// A writer that does not hold the writer lock (see `Transaction+Speculative.swift`):
    /// its private pages are based on `snapshot`, which may fall behind the newest commit,
    /// and it logs its changes so they can be replayed onto a newer snapshot.
    let isSpeculative: Bool
    /// A speculative writer's changes in order, for `rebase()`.
    var changes: [Change] = []
    /// `changes.count` at each live savepoint (parallel to `savepointMarks`).
    var savepointChangeMarks: [Int] = []
    /// Called before each change of a speculative writer with the tree name and key;
    /// throwing cancels the change. Not called while replaying.
    var beforeChange: ((String, [UInt8]) throws -> Void)?
    var isReplaying = false
    /// A speculative writer's snapshot is registered with the cache (like a reader's)
    /// until it finishes.
    var holdsSnapshot = false
    let pageSize: Int
    struct DirtyPage {
        var buffer: UnsafeMutableRawPointer
        /// The savepoint generation that made this copy.
        var generation: Int
    }
    /// The writer's private page images, by page number.
    var dirty: [UInt32: DirtyPage] = [:]
    /// Savepoints: a page first changed after the newest savepoint gets a fresh copy,
    /// and the image it replaces (nil: the page was clean) goes on the undo log.
    var generation = 0
    var undo: [(page: UInt32, previous: DirtyPage?)] = []
    var savepointMarks: [Int] = []
    /// Identity of each live savepoint, so a released one's handle is refused.
    var savepointIDs: [Int] = []
    var isFinished = false
    /// Set while the transaction must not wait for disk: a page that is not cached throws
    /// `wouldBlock`, and `missedCache` records that it happened (even if a caller swallowed the error).
    @exclusivity(unchecked) var failsOnCacheMiss = false
    @exclusivity(unchecked) var missedCache = false
    /// Bumped by every tree change; cursors re-seek when it moved.
    @exclusivity(unchecked) var mutationCount = 0
    var treeRoots: [String: PageNumber] = [:]
    /// The writer created or dropped a tree: readers' root cache must be reset at commit.
    var changesTreeCatalog = false
    /// The transaction object this state belongs to (Trees keep it alive).
    weak var owner: ReadTransaction?

    init(db: Database, snapshot: LSN, isWriter: Bool, isSpeculative: Bool = false) {
        self.db = db
        self.snapshot = snapshot
        self.isWriter = isWriter
        self.isSpeculative = isSpeculative
        pageSize = db.pageSize
    }

    deinit { discard() }

    func checkActive() throws {
        if isFinished { throw PageStoreError.transactionFinished }
    }

    /// Calls `body` with the page as this transaction sees it. The pointer is valid only
    /// inside `body`.
    @inline(__always)
    func withPage<R>(_ page: PageNumber, _ body: (UnsafeRawPointer) throws -> R) throws -> R {
        if isWriter, let d = dirty[page.rawValue] { return try body(d.buffer) }
        let f = try pin(page)
        defer { db.cache.unpin(f) }
        return try body(db.cache.pointer(f))
    }

    /// Pins the page version of this snapshot (see `failsOnCacheMiss`).
    @inline(__always)
    func pin(_ page: PageNumber) throws -> Int32 {
        if !failsOnCacheMiss { return try db.cache.pin(page, snapshot: snapshot) }
        do {
            return try db.cache.pin(page, snapshot: snapshot, mayLoad: false)
        } catch PageStoreError.wouldBlock {
            missedCache = true
            throw PageStoreError.wouldBlock
        }
    }

    /// The writer's private, modifiable copy of `page`. With `reading: false` the old
    /// contents are not read (the caller overwrites the page).
    func writable(_ page: PageNumber, reading: Bool = true) throws -> UnsafeMutableRawPointer {
        precondition(isWriter, "writable page in a read transaction")
        if let d = dirty[page.rawValue] {
            if d.generation == generation { return d.buffer }
            let copy = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 16)
            copy.copyMemory(from: d.buffer, byteCount: pageSize)
            undo.append((page.rawValue, d))
            dirty[page.rawValue] = DirtyPage(buffer: copy, generation: generation)
            return copy
        }
        try checkLimit()
        let copy = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 16)
        do {
            if reading { try withPage(page) { copy.copyMemory(from: $0, byteCount: pageSize) } }
        } catch {
            copy.deallocate()
            throw error
        }
        if !savepointMarks.isEmpty { undo.append((page.rawValue, nil)) }
        dirty[page.rawValue] = DirtyPage(buffer: copy, generation: generation)
        return copy
    }

    private func checkLimit() throws {
        if dirty.count >= db.options.maxTransactionPages {
            throw PageStoreError.transactionTooLarge(pages: dirty.count + 1, limit: db.options.maxTransactionPages)
        }
    }

    /// A zeroed private page, without reading its old contents.
    private func fresh(_ page: PageNumber) throws -> UnsafeMutableRawPointer {
        let p = try writable(page, reading: false)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
        return p
    }

    // MARK: page allocation — the free list is data, changed through the same private
    // pages as everything else, so it commits and rolls back with the transaction.
    //
    // A free-list trunk page: header, then u32 next trunk at 24, u32 count at 28, and
    // `count` u32 free page numbers from 32.

    static let trunkNext = 24
    static let trunkCount = 28
    static let trunkEntries = 32
    var trunkCapacity: Int { (pageSize - Self.trunkEntries) / 4 }

    /// A new zeroed page of `type` from the free list, or from the end of the file.
    func allocate(_ type: PageType) throws -> (PageNumber, UnsafeMutableRawPointer) {
        let header = try writable(.header)
        let head = header.u32(HeaderLayout.freeListHead)
        let page: PageNumber
        if head != 0 {
            let trunk = try writable(PageNumber(head))
            let n = Int(trunk.u32(Self.trunkCount))
            if n > 0 {
                page = PageNumber(trunk.u32(Self.trunkEntries + 4 * (n - 1)))
                trunk.setU32(Self.trunkCount, UInt32(n - 1))
            } else {
                page = PageNumber(head)
                header.setU32(HeaderLayout.freeListHead, trunk.u32(Self.trunkNext))
            }
            header.setU32(HeaderLayout.freePageCount, header.u32(HeaderLayout.freePageCount) - 1)
        } else {
            let count = header.u32(HeaderLayout.pageCount)
            guard count < UInt32.max else { throw PageStoreError.invalidOption("page numbers exhausted") }
            page = PageNumber(count)
            header.setU32(HeaderLayout.pageCount, count + 1)
        }
        let p = try fresh(page)
        p.setU8(PageLayout.type, type.rawValue)
        return (page, p)
    }

    /// Returns `page` to the free list. Its contents are dead from here on.
    func free(_ page: PageNumber) throws {
        precondition(page != .header, "freeing the header page")
        let header = try writable(.header)
        let head = header.u32(HeaderLayout.freeListHead)
        if head != 0 {
            let trunk = try writable(PageNumber(head))
            let n = Int(trunk.u32(Self.trunkCount))
            if n < trunkCapacity {
                trunk.setU32(Self.trunkEntries + 4 * n, page.rawValue)
                trunk.setU32(Self.trunkCount, UInt32(n + 1))
                header.setU32(HeaderLayout.freePageCount, header.u32(HeaderLayout.freePageCount) + 1)
                forget(page)
                return
            }
        }
        let t = try fresh(page)
        t.setU8(PageLayout.type, PageType.freeTrunk.rawValue)
        t.setU32(Self.trunkNext, head)
        t.setU32(Self.trunkCount, 0)
        header.setU32(HeaderLayout.freeListHead, page.rawValue)
        header.setU32(HeaderLayout.freePageCount, header.u32(HeaderLayout.freePageCount) + 1)
    }

    // MARK: finishing

    /// Drops the private copy of a freed page (its contents are dead).
    private func forget(_ page: PageNumber) {
        guard let d = dirty.removeValue(forKey: page.rawValue) else { return }
        if d.generation < generation && !savepointMarks.isEmpty {
            undo.append((page.rawValue, d))  // still needed by a rollback to a savepoint
        } else {
            d.buffer.deallocate()
        }
    }

    func discard() {
        for (_, d) in dirty { d.buffer.deallocate() }
        dirty.removeAll()
        for (_, previous) in undo { previous?.buffer.deallocate() }
        undo.removeAll()
        savepointMarks.removeAll()
        savepointIDs.removeAll()
        savepointChangeMarks.removeAll()
        changes.removeAll()
        treeRoots.removeAll()
    }

    // MARK: savepoints

    func makeSavepoint() -> (index: Int, id: Int) {
        savepointMarks.append(undo.count)
        savepointChangeMarks.append(changes.count)
        generation += 1
        savepointIDs.append(generation)
        return (savepointMarks.count - 1, generation)
    }

    func isLive(savepoint index: Int, id: Int) -> Bool {
        index < savepointIDs.count && savepointIDs[index] == id
    }

    /// Restores every page to its image at savepoint `index`, which stays active.
    func rollback(toSavepoint index: Int) {
        let mark = savepointMarks[index]
        while undo.count > mark {
            let (page, previous) = undo.removeLast()
            dirty[page]?.buffer.deallocate()
            dirty[page] = previous
        }
        if isSpeculative { changes.removeSubrange(savepointChangeMarks[index]...) }
        savepointMarks.removeSubrange((index + 1)...)
        savepointIDs.removeSubrange((index + 1)...)
        savepointChangeMarks.removeSubrange((index + 1)...)
        generation += 1
        treeRoots.removeAll()
        mutationCount += 1
    }

    /// Forgets savepoint `index` and the newer ones; their changes stay.
    func release(savepoint index: Int) {
        savepointMarks.removeSubrange(index...)
        savepointIDs.removeSubrange(index...)
        savepointChangeMarks.removeSubrange(index...)
        if savepointMarks.isEmpty {
            for (_, previous) in undo { previous?.buffer.deallocate() }
            undo.removeAll()
        }
    }

    /// Writes the private pages to the log as one transaction and publishes them.
    /// Returns the durability ticket. The writer lock is held by the caller.
    func logCommit() throws -> UInt64? {
        guard !dirty.isEmpty else { return nil }
        let lsn = db.cache.committed.next
        let pages = dirty.map { (PageNumber($0.key), $0.value.buffer) }.sorted { $0.0 < $1.0 }
        for (number, image) in pages { PageLayout.seal(image, pageSize: pageSize, number: number, lsn: lsn) }
        let (first, ticket) = try db.wal.append(pages: pages, lsn: lsn)
        if changesTreeCatalog {
            // before the commit is visible: no snapshot that sees it may use older roots
            db.treeRoots.withLock { cache in
                cache.roots.removeAll()
                cache.validFrom = lsn
            }
        }
        db.cache.publish(lsn: lsn, firstFrame: first, pages: pages)
        return ticket
    }
}
