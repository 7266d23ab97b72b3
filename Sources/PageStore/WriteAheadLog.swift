#if canImport(Glibc)
import Glibc
#endif

// The write-ahead log (file `<path>-wal`). A commit appends one frame per changed page,
// a full page image; the last frame of a transaction carries the commit flag.
//
// Log header, 32 bytes at offset 0:
//   0  8  magic "OBXWAL01"
//   8  4  format version (1)
//   12 4  page size
//   16 4  salt 1  } new random values at every restart: frames of an older
//   20 4  salt 2  } generation never validate against a newer header
//   24 4  database identity (low 32 bits of the header page's database ID): a log
//         left beside a different data file (a restored backup) is ignored
//   28 4  CRC-32C of bytes 0..<28
//
// Frame i at offset 32 + i * (32 + pageSize):
//   0  4  page number
//   4  4  flags: bit 0 = last frame of a committed transaction
//   8  8  commit LSN of the transaction
//   16 4  salt 1, 20 4 salt 2 (must equal the header's)
//   24 4  chained CRC-32C: of frame header bytes 0..<24 then the page image's first 4
//         bytes (its own CRC), continuing from the previous frame's chained CRC (the
//         header CRC for frame 0); the page image must also pass its own CRC
//   28 4  reserved
//   32 .. page image (itself sealed with its own CRC)
//
// Invariants: a frame is valid only if its salts match and its chained CRC verifies,
// so validity is a prefix property. Recovery uses the valid prefix up to its last
// commit frame. Frames stay until a checkpoint has copied them to the data file and
// fsynced it; only then does `restart` reuse the file from the start.

final class WriteAheadLog: @unchecked Sendable {
    static let headerSize = 32
    static let frameHeaderSize = 32
    static let magic: [UInt8] = Array("OBXWAL01".utf8)

    let file: any StorageFile
    let pageSize: Int
    var frameSize: Int { Self.frameHeaderSize + pageSize }

    // Guarded by the database writer lock.
    private(set) var salt1: UInt32 = 0
    private(set) var salt2: UInt32 = 0
    private var chain: UInt32 = 0
    /// Frames in the current generation (the next frame's index).
    private(set) var frameCount = 0

    // Durability, guarded by `sync`: monotonic counts of frames ever appended / fsynced.
    private let syncLock = ConditionLock()
    private var appendedTotal: UInt64 = 0
    private var syncedTotal: UInt64 = 0
    private var isSyncing = false
    private var syncFailure: PageStoreError?
    private var syncs: UInt64 = 0

    /// The data file's identity, or nil when it could not be read (then any log header
    /// with the right page size is accepted). Set from the verified header page after
    /// recovery, before the first restart writes it. Guarded by the writer lock.
    var databaseID: UInt32?

    init(file: any StorageFile, pageSize: Int, databaseID: UInt32?) {
        self.file = file
        self.pageSize = pageSize
        self.databaseID = databaseID
    }

    /// The chained checksum of a frame: its header bytes 0..<24, then the first 4 bytes
    /// of the page image (the page's own CRC over the rest), continuing from `crc`.
    /// Hashing 28 bytes instead of a whole page halves the CRC work of a commit; the
    /// page CRC is verified separately.
    static func chain(_ frame: UnsafeRawPointer, continuing crc: UInt32) -> UInt32 {
        let c = CRC32C.checksum(UnsafeRawBufferPointer(start: frame, count: 24), continuing: crc)
        return CRC32C.checksum(UnsafeRawBufferPointer(start: frame + frameHeaderSize, count: 4), continuing: c)
    }

    func frameOffset(_ index: Int) -> Int64 { Int64(Self.headerSize) + Int64(index) * Int64(frameSize) }

    struct RecoveredFrame {
        var page: PageNumber
        var lsn: LSN
        var index: Int
    }

    /// Reads the log and returns the frames of committed transactions, in log order.
    /// Stops at the first invalid frame; drops a trailing uncommitted transaction.
    /// Read-only: a crash while recovering changes nothing.
    func recover() throws -> (frames: [RecoveredFrame], lastLSN: LSN, sawInvalidTail: Bool) {
        let size = try file.size()
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        let ok = try header.withUnsafeMutableBytes { try file.readFully(into: $0, at: 0) }
        guard ok, let (s1, s2, crc) = header.withUnsafeBytes({ Self.parseHeader($0, pageSize: pageSize) }) else {
            return ([], .zero, size > 0)
        }
        if let id = databaseID, header.withUnsafeBytes({ $0.baseAddress!.u32(24) }) != id {
            return ([], .zero, true)  // another database's log: never replay it here
        }
        salt1 = s1
        salt2 = s2
        var running = crc
        var committed: [RecoveredFrame] = []
        var pending: [RecoveredFrame] = []
        var lastLSN = LSN.zero
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: frameSize, alignment: 16)
        defer { buffer.deallocate() }
        var index = 0
        var committedChain = crc
        var committedCount = 0
        while frameOffset(index) + Int64(frameSize) <= size {
            guard try file.readFully(into: buffer, at: frameOffset(index)) else { break }
            let p = UnsafeRawPointer(buffer.baseAddress!)
            guard p.u32(16) == s1, p.u32(20) == s2 else { break }
            let c = Self.chain(p, continuing: running)
            guard c == p.u32(24) else { break }
            // The chain covers the page's own CRC; the page check covers its bytes.
            guard (try? PageLayout.verify(p + Self.frameHeaderSize, pageSize: pageSize, expected: PageNumber(p.u32(0)))) != nil else { break }
            running = c
            let frame = RecoveredFrame(page: PageNumber(p.u32(0)), lsn: LSN(p.u64(8)), index: index)
            pending.append(frame)
            index += 1
            if p.u32(4) & 1 != 0 {
                committed += pending
                pending.removeAll()
                lastLSN = frame.lsn
                committedChain = running
                committedCount = index
            }
        }
        chain = committedChain
        frameCount = committedCount
        let invalidTail = frameOffset(committedCount) < size
        return (committed, lastLSN, invalidTail)
    }

    static func parseHeader(_ h: UnsafeRawBufferPointer, pageSize: Int) -> (UInt32, UInt32, UInt32)? {
        let p = h.baseAddress!
        guard Array(h[0..<8]) == magic, p.u32(8) == 1, Int(p.u32(12)) == pageSize else { return nil }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(start: p, count: 28))
        guard crc == p.u32(28) else { return nil }
        return (p.u32(16), p.u32(20), crc)
    }

    /// Reads the page size from a log header, if the header is valid.
    static func pageSize(of file: any StorageFile) -> Int? {
        var header = [UInt8](repeating: 0, count: headerSize)
        guard (try? header.withUnsafeMutableBytes({ try file.readFully(into: $0, at: 0) })) == true else { return nil }
        let size = header.withUnsafeBytes { Int($0.baseAddress!.u32(12)) }
        guard size >= 4096, size <= 65536 else { return nil }
        return header.withUnsafeBytes { parseHeader($0, pageSize: size) } == nil ? nil : size
    }

    /// Starts a new generation: new salts, frame 0 next. The caller guarantees every
    /// frame is already in the data file and that file is fsynced. The header is
    /// fsynced before any new frame can follow it.
    func restart(truncatingBeyond limit: Int64 = .max) throws {
        if try file.size() > limit { try file.truncate(to: Int64(Self.headerSize)) }
        var rng = SystemRandomNumberGenerator()
        var s1 = UInt32.random(in: 1...UInt32.max, using: &rng)
        if s1 == salt1 { s1 &+= 1 }
        salt1 = s1
        salt2 = UInt32.random(in: 0...UInt32.max, using: &rng)
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        header.withUnsafeMutableBytes { h in
            let p = h.baseAddress!
            p.copyMemory(from: Self.magic, byteCount: 8)
            p.setU32(8, 1)
            p.setU32(12, UInt32(pageSize))
            p.setU32(16, salt1)
            p.setU32(20, salt2)
            p.setU32(24, databaseID ?? 0)
            p.setU32(28, CRC32C.checksum(UnsafeRawBufferPointer(start: p, count: 28)))
            chain = p.u32(28)
        }
        try header.withUnsafeBytes { try file.write($0, at: 0) }
        try file.sync()
        frameCount = 0
    }

    /// Appends the frames of one transaction (pages already sealed) as one write.
    /// Returns the index of its first frame and the durability ticket to wait for.
    func append(pages: [(PageNumber, UnsafeMutableRawPointer)], lsn: LSN) throws -> (firstIndex: Int, ticket: UInt64) {
        precondition(!pages.isEmpty)
        let total = pages.count * frameSize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 16)
        defer { buffer.deallocate() }
        var running = chain
        for (i, (number, image)) in pages.enumerated() {
            let f = buffer + i * frameSize
            f.setU32(0, number.rawValue)
            f.setU32(4, i == pages.count - 1 ? 1 : 0)
            f.setU64(8, lsn.rawValue)
            f.setU32(16, salt1)
            f.setU32(20, salt2)
            f.setU32(28, 0)
            (f + Self.frameHeaderSize).copyMemory(from: image, byteCount: pageSize)
            running = Self.chain(UnsafeRawPointer(f), continuing: running)
            f.setU32(24, running)
        }
        try file.write(UnsafeRawBufferPointer(start: buffer, count: total), at: frameOffset(frameCount))
        let first = frameCount
        chain = running
        frameCount += pages.count
        let ticket = syncLock.withLock { () -> UInt64 in
            appendedTotal += UInt64(pages.count)
            return appendedTotal
        }
        return (first, ticket)
    }

    /// Reads the page image of frame `index` into `into` and verifies the page.
    func readPage(frame index: Int, page: PageNumber, into: UnsafeMutableRawPointer) throws {
        let ok = try file.readFully(into: UnsafeMutableRawBufferPointer(start: into, count: pageSize),
                                    at: frameOffset(index) + Int64(Self.frameHeaderSize))
        guard ok else { throw PageStoreError.corruptPage(page, reason: "log frame \(index) is beyond the end of the log") }
        try PageLayout.verify(into, pageSize: pageSize, expected: page)
    }

    /// fsyncs of the log so far (commits / syncs = the group-commit factor).
    var syncCount: UInt64 { syncLock.withLock { syncs } }

    /// A failed fsync (from a committer or the relaxed-mode flusher), if any.
    var failure: PageStoreError? { syncLock.withLock { syncFailure } }

    /// The ticket covering everything appended so far.
    var currentTicket: UInt64 { syncLock.withLock { appendedTotal } }
    var needsSync: Bool { syncLock.withLock { syncedTotal < appendedTotal } }

    /// Group commit: returns once an fsync covering `ticket` has completed. One caller
    /// runs the fsync for everything appended so far; the others wait for it.
    func waitDurable(_ ticket: UInt64) throws {
        syncLock.lock()
        while true {
            if let failure = syncFailure { syncLock.unlock(); throw failure }
            if syncedTotal >= ticket { syncLock.unlock(); return }
            if !isSyncing { break }
            syncLock.wait()
        }
        isSyncing = true
        let target = appendedTotal
        syncLock.unlock()
        var failure: PageStoreError?
        do { try file.sync() } catch let e as PageStoreError { failure = e } catch { failure = .poisoned("\(error)") }
        syncLock.lock()
        isSyncing = false
        syncs += 1
        if let failure {
            syncFailure = failure
        } else {
            syncedTotal = max(syncedTotal, target)
        }
        syncLock.broadcast()
        syncLock.unlock()
        if let failure { throw failure }
    }
}
