/// Every error the storage engine reports. Corrupt or hostile input is always one of
/// these, never a crash.
public enum PageStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A page read from disk failed its checksum or identity check.
    case corruptPage(PageNumber, reason: String)
    /// The file is not a PageStore data file, or its header is unusable.
    case notADatabase(path: String, reason: String)
    /// A structural invariant failed while walking the file (`Database.verify()`).
    case verificationFailed([String])
    /// A key longer than `limit` bytes (a quarter of a page, less cell overhead).
    case keyTooLarge(size: Int, limit: Int)
    /// A value longer than `limit` bytes.
    case valueTooLarge(size: Int, limit: Int)
    /// The write transaction changed more pages than `Options.maxTransactionPages`.
    case transactionTooLarge(pages: Int, limit: Int)
    /// Every buffer-pool frame is pinned (`Options.bufferPoolBytes` is too small).
    case bufferPoolExhausted(frames: Int)
    case treeNotFound(String)
    case treeExists(String)
    /// A tree name longer than 255 bytes or empty.
    case invalidTreeName(String)
    /// The operation needs a write transaction.
    case readOnlyTransaction
    /// The transaction already committed or rolled back.
    case transactionFinished
    /// A file operation failed; `errno` is the POSIX error number (EIO, ENOSPC, ...).
    case io(operation: String, path: String, errno: Int32)
    /// An earlier log or fsync failure left the in-memory state ahead of the disk; the
    /// database refuses further work until it is closed and reopened (which recovers).
    case poisoned(String)
    case closed
    /// The savepoint was released, or discarded by a rollback to an older savepoint.
    case savepointReleased
    /// Another `Database` (in this or another process) has the file open.
    case locked(path: String)
    case invalidOption(String)
    /// The transaction runs with `failsOnCacheMiss` and needed a page that is not in the
    /// buffer pool: nothing was read from disk; run the work again where it may block.
    case wouldBlock
    /// Creating or dropping a tree needs the writer lock (`beginWrite()`), not a
    /// speculative write transaction.
    case treeChangeInSpeculativeWrite(String)

    public var description: String {
        switch self {
        case let .corruptPage(p, reason): return "corrupt \(p): \(reason)"
        case let .notADatabase(path, reason): return "\(path) is not a PageStore database: \(reason)"
        case let .verificationFailed(problems): return "verification failed: " + problems.prefix(10).joined(separator: "; ")
        case let .keyTooLarge(size, limit): return "key of \(size) bytes exceeds the key size limit of \(limit)"
        case let .valueTooLarge(size, limit): return "value of \(size) bytes exceeds the value size limit of \(limit)"
        case let .transactionTooLarge(pages, limit): return "transaction changed \(pages) pages, over maxTransactionPages = \(limit)"
        case let .bufferPoolExhausted(frames): return "all \(frames) buffer pool frames are pinned (bufferPoolBytes too small)"
        case let .treeNotFound(name): return "no tree named \(name)"
        case let .treeExists(name): return "a tree named \(name) already exists"
        case let .invalidTreeName(name): return "invalid tree name \(name)"
        case .readOnlyTransaction: return "write in a read-only transaction"
        case .transactionFinished: return "transaction already finished"
        case let .io(op, path, e): return "\(op) \(path) failed: errno \(e)"
        case let .poisoned(why): return "database poisoned by an earlier failure: \(why)"
        case .closed: return "database closed"
        case .savepointReleased: return "savepoint already released or discarded by a rollback to an older one"
        case let .locked(path): return "\(path) is locked by another open Database"
        case let .invalidOption(why): return "invalid option: \(why)"
        case .wouldBlock: return "page not cached in a transaction that must not read from disk"
        case let .treeChangeInSpeculativeWrite(name): return "creating or dropping tree \(name) needs beginWrite(), not a speculative write"
        }
    }
}
