/// How durable a commit is when `write` returns.
public enum Durability: Sendable, Equatable {
    /// The commit's log frames are fsynced before the commit returns (group commit lets
    /// concurrent committers share one fsync). The default.
    case full
    /// The commit's frames are written to the log (so they survive a process crash) and
    /// fsynced by a background flusher about every `flushIntervalMilliseconds`; a power
    /// loss can lose the commits of the last interval, never a part of one. Like
    /// InnoDB's `innodb_flush_log_at_trx_commit=2`.
    case relaxed(flushIntervalMilliseconds: Int)
}

/// Options for `Database.open`. Every limit has a default and names itself in its error.
public struct Options: Sendable {
    /// Page size for a new file: a power of two from 4 KiB to 64 KiB. An existing file
    /// keeps the size it was created with.
    public var pageSize: Int = 16384
    /// Memory budget of the buffer pool. At least 16 pages.
    public var bufferPoolBytes: Int = 64 << 20
    public var durability: Durability = .full
    /// Most pages one write transaction may change (its private copies live in memory
    /// until commit: no uncommitted page ever reaches a file). `transactionTooLarge`.
    public var maxTransactionPages: Int = 16384
    /// Checkpoint when the log holds this many frames after a commit.
    public var autoCheckpointFrames: Int = 2000
    /// Compress overflow values with LZ4 when it saves at least 1/8.
    public var compressOverflowValues: Bool = true
    /// Run `verify()` after every commit (slow: for tests).
    public var verifyAfterCommit: Bool = false
    /// The file layer; tests substitute a fault-injecting one.
    public var fileSystem: any FileSystem = POSIXFileSystem()

    public init() {}

    public init(pageSize: Int = 16384, bufferPoolBytes: Int = 64 << 20, durability: Durability = .full,
                fileSystem: any FileSystem = POSIXFileSystem()) {
        self.pageSize = pageSize
        self.bufferPoolBytes = bufferPoolBytes
        self.durability = durability
        self.fileSystem = fileSystem
    }

    func validate() throws {
        guard pageSize >= 4096, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw PageStoreError.invalidOption("pageSize \(pageSize) must be a power of two in 4096...65536")
        }
        guard bufferPoolBytes >= 16 * pageSize else {
            throw PageStoreError.invalidOption("bufferPoolBytes must hold at least 16 pages")
        }
        guard maxTransactionPages >= 16 else { throw PageStoreError.invalidOption("maxTransactionPages < 16") }
    }
}
