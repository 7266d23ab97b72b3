/// Counters of the buffer pool, the log and commits (`Database.statistics`).
public struct Statistics: Sendable, CustomStringConvertible {
    /// Buffer-pool frames (`bufferPoolBytes / pageSize`).
    public var frames = 0
    /// Page reads served from the pool.
    public var hits: UInt64 = 0
    /// Page reads that went to a file (and were checksum-verified).
    public var misses: UInt64 = 0
    /// Frames reused for another page version.
    public var evictions: UInt64 = 0
    /// The newest committed LSN.
    public var committedLSN = LSN.zero
    /// Frames in the current log generation.
    public var logFrames = 0
    /// Checkpoints that copied at least one page home.
    public var checkpoints: UInt64 = 0
    /// Commits that changed at least one page.
    public var commits: UInt64 = 0
    /// fsyncs of the log: `commits / logSyncs` is how many commits each fsync served.
    public var logSyncs: UInt64 = 0
    /// Read transactions currently open.
    public var activeReaders = 0
    /// hits / (hits + misses); 1 before any read.
    public var hitRate: Double { hits + misses == 0 ? 1 : Double(hits) / Double(hits + misses) }
    public var description: String {
        "frames=\(frames) hits=\(hits) misses=\(misses) evictions=\(evictions) hitRate=\(hitRate) committed=\(committedLSN.rawValue) logFrames=\(logFrames) checkpoints=\(checkpoints) commits=\(commits) logSyncs=\(logSyncs)"
    }
}
