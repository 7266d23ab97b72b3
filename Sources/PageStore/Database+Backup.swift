extension Database {
    /// Starts a backup: a read snapshot of the latest commit whose pages can be copied
    /// one batch at a time while readers and the writer carry on. Writers are never
    /// blocked; the open snapshot only holds back checkpoints (the log grows meanwhile).
    /// Call `end()` when done (or let the source go).
    public func beginBackup() throws -> BackupSource {
        try checkUsable()
        return try BackupSource(reader: try beginRead(), pageSize: pageSize)
    }

    /// Starts a backup of the snapshot `reader` sees (an open read transaction): the copy
    /// then holds exactly what `reader` reads, so a caller can read its own check of the
    /// backup in the same snapshot.
    public func beginBackup(sharing reader: ReadTransaction) throws -> BackupSource {
        try checkUsable()
        try reader.core.checkActive()
        let snapshot = cache.joinSnapshot(reader.snapshot)
        return try BackupSource(reader: ReadTransaction(core: TxCore(db: self, snapshot: snapshot, isWriter: false)), pageSize: pageSize)
    }

    /// Writes a consistent copy of the latest snapshot to `path` as a standalone data
    /// file (no log needed), while readers and the writer carry on. The copy is written
    /// under `path-creating`, fsynced and renamed into place, so `path` is never partial.
    /// Every page read is checksum-verified on the way. Returns the number of pages.
    @discardableResult
    public func backup(to path: String) throws -> Int {
        let source = try beginBackup()
        defer { source.end() }
        let fs = options.fileSystem
        let temporary = path + "-creating"
        let file = try fs.open(temporary, create: true)
        defer { file.close() }
        try file.truncate(to: 0)
        let batch = 64
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: batch * pageSize, alignment: 4096)
        defer { buffer.deallocate() }
        var first = 0
        while first < source.pageCount {
            let n = min(batch, source.pageCount - first)
            try source.copyPages(from: first, count: n, into: buffer)
            try file.write(UnsafeRawBufferPointer(start: buffer, count: n * pageSize), at: Int64(first) * Int64(pageSize))
            first += n
        }
        try file.sync()
        if fs.exists(path + "-wal") {
            let wal = try fs.open(path + "-wal", create: false)
            defer { wal.close() }
            try wal.truncate(to: 0)
            try wal.sync()
        }
        try fs.rename(temporary, to: path)
        return source.pageCount
    }
}

/// The pages of one committed snapshot, as a standalone data file would hold them:
/// page `i` of the copy is page `i` of the snapshot, free pages (which may never have
/// been written) are zeros, and the header page carries the snapshot's LSN as its
/// checkpoint LSN and a fresh database ID, so the original's log can never be replayed
/// onto the copy. Every page is checksum-verified as it is read.
///
/// Not thread-safe: one thread copies at a time.
public final class BackupSource {
    let reader: ReadTransaction
    /// Bytes per page.
    public let pageSize: Int
    /// Pages in the snapshot's file (the header's page count at the snapshot).
    public let pageCount: Int
    /// The commit point the copy reflects: every commit up to it, none after.
    public let snapshotLSN: UInt64
    let free: Set<UInt32>

    init(reader: ReadTransaction, pageSize: Int) throws {
        self.reader = reader
        self.pageSize = pageSize
        let core = reader.core
        snapshotLSN = core.snapshot.rawValue
        let (pageCount, freeHead) = try core.withPage(.header) {
            (Int($0.u32(HeaderLayout.pageCount)), PageNumber($0.u32(HeaderLayout.freeListHead)))
        }
        self.pageCount = pageCount
        var free = Set<UInt32>()
        var trunk = freeHead
        while trunk != .none {
            trunk = try core.withPage(trunk) { p in
                let n = min(Int(p.u32(TxCore.trunkCount)), (pageSize - TxCore.trunkEntries) / 4)
                for i in 0..<n { free.insert(p.u32(TxCore.trunkEntries + 4 * i)) }
                return PageNumber(p.u32(TxCore.trunkNext))
            }
            guard free.count <= pageCount else { throw PageStoreError.corruptPage(trunk, reason: "free list loops") }
        }
        self.free = free
    }

    /// Copies pages `first ..< first + count` into `buffer` (`count * pageSize` bytes).
    public func copyPages(from first: Int, count: Int, into buffer: UnsafeMutableRawPointer) throws {
        precondition(first >= 0 && count >= 0 && first + count <= pageCount, "page range outside the snapshot")
        let core = reader.core
        try core.checkActive()
        for i in 0..<count {
            let page = PageNumber(UInt32(first + i))
            let dst = buffer + i * pageSize
            if free.contains(page.rawValue) {
                dst.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
                continue
            }
            try core.withPage(page) { dst.copyMemory(from: $0, byteCount: pageSize) }
            if page == .header {
                dst.setU64(HeaderLayout.checkpointLSN, snapshotLSN)
                dst.setU64(HeaderLayout.databaseID, UInt64.random(in: 1...UInt64.max))
                PageLayout.seal(dst, pageSize: pageSize, number: .header, lsn: LSN(dst.u64(PageLayout.lsn)))
            }
        }
    }

    /// Releases the snapshot (checkpoints may then proceed). Idempotent.
    public func end() { reader.end() }

    deinit { reader.end() }
}
