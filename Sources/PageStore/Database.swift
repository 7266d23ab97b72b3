import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A PageStore database: one data file (`path`) and its write-ahead log (`path-wal`).
///
/// Concurrency model: any number of read transactions, each on a snapshot taken at
/// begin, plus one write transaction at a time (the writer lock). Readers never block
/// and are never blocked by the writer. Every method is thread-safe; a transaction
/// object itself must be used by one thread at a time.
public final class Database: Sendable {
    public let path: String
    public let pageSize: Int
    let options: Options
    let dataFile: any StorageFile
    let wal: WriteAheadLog
    let cache: PageCache
    let writerLock = WriterLock()
    let status = UnfairMutex<Status>(Status())
    let flusher: Flusher?
    /// Tree name → root page for readers, so that opening a tree does not search the
    /// catalog tree in every transaction. Valid for snapshots at or after `validFrom`, the
    /// last commit that created or dropped a tree (roots never move while a tree exists).
    let treeRoots = UnfairMutex<TreeRootCache>(TreeRootCache())

    struct TreeRootCache {
        var roots: [String: PageNumber] = [:]
        var validFrom = LSN.zero
    }

    struct Status {
        var isClosed = false
        var poisoned: String?
    }

    /// Opens (creating if needed) the database at `path`, then recovers: committed log
    /// frames are applied, an uncommitted tail is discarded, and the log restarts.
    public static func open(path: String, options: Options = Options()) throws -> Database {
        try options.validate()
        let fs = options.fileSystem
        if !fs.exists(path) { try create(path: path, options: options) }
        let dataFile = try fs.open(path, create: false)
        do { try dataFile.lockExclusive() } catch {
            dataFile.close()
            throw error
        }
        let walFile: any StorageFile
        do { walFile = try fs.open(path + "-wal", create: true) } catch {
            dataFile.close()
            throw error
        }
        do {
            return try Database(path: path, options: options, dataFile: dataFile, walFile: walFile)
        } catch {
            dataFile.unlock()
            dataFile.close()
            walFile.close()
            throw error
        }
    }

    /// Creates a new file atomically: written and fsynced under a temporary name, any
    /// stale log emptied, then renamed into place. A crash leaves no file or a whole one.
    static func create(path: String, options: Options) throws {
        let fs = options.fileSystem
        let temporary = path + "-creating"
        let file = try fs.open(temporary, create: true)
        defer { file.close() }
        try initialize(file, pageSize: options.pageSize)
        if fs.exists(path + "-wal") {
            let wal = try fs.open(path + "-wal", create: false)
            defer { wal.close() }
            try wal.truncate(to: 0)
            try wal.sync()
        }
        try fs.rename(temporary, to: path)
    }

    private init(path: String, options: Options, dataFile: any StorageFile, walFile: any StorageFile) throws {
        self.path = path
        self.options = options
        self.dataFile = dataFile
        // The magic and page size sit in the first sector, which a torn checkpoint
        // write leaves either old or new, both valid. The log header repeats the size.
        let identity = try Self.readIdentity(dataFile)
        var pageSize = identity?.pageSize
        if pageSize == nil { pageSize = WriteAheadLog.pageSize(of: walFile) }
        if pageSize == nil {
            throw PageStoreError.notADatabase(path: path, reason: "bad magic or page size in the header page")
        }
        self.pageSize = pageSize!
        wal = WriteAheadLog(file: walFile, pageSize: self.pageSize, databaseID: identity.map { UInt32(truncatingIfNeeded: $0.id) })
        cache = PageCache(pageSize: self.pageSize, budget: max(options.bufferPoolBytes, 16 * self.pageSize),
                          dataFile: dataFile, wal: wal)
        let recovered = try wal.recover()
        cache.registerRecovered(recovered.frames, committed: recovered.lastLSN)
        // The header's checkpoint LSN keeps LSNs increasing across log restarts.
        let (checkpointLSN, databaseID) = try cache.withPinned(.header, snapshot: LSN(UInt64.max)) { p in
            (LSN(p.u64(HeaderLayout.checkpointLSN)), p.u64(HeaderLayout.databaseID))
        }
        wal.databaseID = UInt32(truncatingIfNeeded: databaseID)
        if checkpointLSN > recovered.lastLSN { cache.setCommitted(checkpointLSN) }
        if case let .relaxed(ms) = options.durability { flusher = Flusher(wal: wal, intervalMilliseconds: ms) } else { flusher = nil }
        // Copy the recovered frames home and start a fresh log generation, so that a
        // discarded tail can never be mistaken for frames of a later generation.
        writerLock.acquire()
        defer { writerLock.release() }
        try checkpointLocked(forceRestart: true)
    }

    /// Page size and database ID from the first sector of the header page (read raw,
    /// before the page can be verified), or nil when the magic is not there.
    static func readIdentity(_ file: any StorageFile) throws -> (pageSize: Int, id: UInt64)? {
        var raw = [UInt8](repeating: 0, count: 72)
        guard try raw.withUnsafeMutableBytes({ try file.readFully(into: $0, at: 0) }) else { return nil }
        return raw.withUnsafeBytes { b -> (Int, UInt64)? in
            let p = b.baseAddress!
            guard Array(b[24..<32]) == HeaderLayout.magicBytes, p.u32(HeaderLayout.version) == HeaderLayout.formatVersion else { return nil }
            let size = Int(p.u32(HeaderLayout.pageSize))
            guard size >= 4096, size <= 65536, size & (size - 1) == 0 else { return nil }
            return (size, p.u64(HeaderLayout.databaseID))
        }
    }

    /// Writes a new file: the header page and an empty catalog tree.
    static func initialize(_ file: any StorageFile, pageSize: Int) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 2 * pageSize, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * pageSize)
        let header = buffer
        (header + HeaderLayout.magic).copyMemory(from: HeaderLayout.magicBytes, byteCount: 8)
        header.setU8(PageLayout.type, PageType.header.rawValue)
        header.setU32(HeaderLayout.version, HeaderLayout.formatVersion)
        header.setU32(HeaderLayout.pageSize, UInt32(pageSize))
        header.setU32(HeaderLayout.pageCount, 2)
        header.setU32(HeaderLayout.catalogRoot, 1)
        header.setU64(HeaderLayout.databaseID, UInt64.random(in: 1...UInt64.max))
        PageLayout.seal(header, pageSize: pageSize, number: .header, lsn: .zero)
        let catalog = buffer + pageSize
        Node.initialize(catalog, type: .leaf, pageSize: pageSize)
        PageLayout.seal(catalog, pageSize: pageSize, number: PageNumber(1), lsn: .zero)
        try file.truncate(to: 0)
        try file.write(UnsafeRawBufferPointer(start: buffer, count: 2 * pageSize), at: 0)
        try file.sync()
    }

    // MARK: transactions

    func checkUsable() throws {
        try status.withLock { s in
            if s.isClosed { throw PageStoreError.closed }
            if let why = s.poisoned { throw PageStoreError.poisoned(why) }
        }
    }

    func poison(_ error: any Error) {
        status.withLock { s in if s.poisoned == nil { s.poisoned = "\(error)" } }
    }

    /// Starts a read transaction on the latest committed snapshot. Call `end()` (or let
    /// `read` do it); an open reader holds back checkpoints.
    public func beginRead() throws -> ReadTransaction {
        try checkUsable()
        return ReadTransaction(core: TxCore(db: self, snapshot: cache.beginSnapshot(), isWriter: false))
    }

    /// Starts the write transaction, waiting for the writer lock. Finish with `commit()`
    /// or `rollback()`.
    public func beginWrite() throws -> WriteTransaction {
        try checkUsable()
        writerLock.acquire()
        do { try checkUsable() } catch { writerLock.release(); throw error }
        return WriteTransaction(core: TxCore(db: self, snapshot: cache.committed, isWriter: true))
    }

    /// Runs `body` on a snapshot.
    @discardableResult
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        let tx = try beginRead()
        defer { tx.end() }
        return try body(tx)
    }

    /// Runs `body` in the write transaction: commits when it returns, rolls back when it throws.
    @discardableResult
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        let tx = try beginWrite()
        let result: T
        do { result = try body(tx) } catch {
            tx.rollback()
            throw error
        }
        try tx.commit()
        return result
    }

    /// Copies committed log frames into the data file (up to the oldest reader's
    /// snapshot), fsyncs it, and restarts the log when everything is copied.
    public func checkpoint() throws {
        try checkUsable()
        writerLock.acquire()
        defer { writerLock.release() }
        try checkpointLocked(forceRestart: false)
    }

    func checkpointLocked(forceRestart: Bool) throws {
        do {
            try wal.waitDurable(wal.currentTicket)  // the WAL rule: log before data
            let target = cache.checkpointTarget()
            var plan = cache.backfillPlan(upTo: target)
            if !plan.isEmpty && plan.first!.0 != .header { plan.insert((.header, target), at: 0) }
            if !plan.isEmpty {
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 4096)
                defer { buffer.deallocate() }
                for (page, _) in plan {
                    try cache.withPinned(page, snapshot: target) { buffer.copyMemory(from: $0, byteCount: pageSize) }
                    if page == .header {
                        buffer.setU64(HeaderLayout.checkpointLSN, target.rawValue)
                        PageLayout.seal(buffer, pageSize: pageSize, number: .header, lsn: LSN(buffer.u64(PageLayout.lsn)))
                    }
                    try dataFile.write(UnsafeRawBufferPointer(start: buffer, count: pageSize), at: Int64(page.rawValue) * Int64(pageSize))
                }
                try dataFile.sync()
            }
            cache.finishBackfill(pages: plan, target: target)
            if cache.isFullyBackfilled && (wal.frameCount > 0 || forceRestart) {
                cache.walGate.lockExclusive()
                defer { cache.walGate.unlock() }
                cache.dropLogVersions()
                // Keep the log file's space for reuse unless it grew far past the
                // auto-checkpoint size (a long reader held the checkpoint back).
                try wal.restart(truncatingBeyond: wal.frameOffset(4 * max(options.autoCheckpointFrames, 64)))
            }
        } catch {
            poison(error)
            throw error
        }
    }

    /// Checkpoints and closes the files. Open transactions must be finished first.
    public func close() throws {
        let alreadyClosed = status.withLock { s -> Bool in
            defer { s.isClosed = true }
            return s.isClosed
        }
        if alreadyClosed { return }
        flusher?.stop()
        writerLock.acquire()
        defer { writerLock.release() }
        let poisoned = status.withLock { $0.poisoned }
        var failure: (any Error)?
        if poisoned == nil {
            do { try checkpointLocked(forceRestart: false) } catch { failure = error }
        }
        dataFile.unlock()
        dataFile.close()
        wal.file.close()
        if let failure { throw failure }
    }

    /// Buffer pool and log counters.
    public var statistics: Statistics { cache.statistics }

    deinit {
        flusher?.stop()
        let wasClosed = status.withLock { $0.isClosed }
        if !wasClosed {
            // Not closed: no checkpoint (recovery at the next open replays the log).
            dataFile.unlock()
            dataFile.close()
            wal.file.close()
        }
    }
}

extension PageCache {
    func withPinned<R>(_ page: PageNumber, snapshot: LSN, _ body: (UnsafeRawPointer) throws -> R) throws -> R {
        let f = try pin(page, snapshot: snapshot)
        defer { unpin(f) }
        return try body(pointer(f))
    }
}
