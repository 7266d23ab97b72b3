/// The file I/O the engine uses, and nothing more: positioned reads and writes, fsync,
/// size and truncate. `POSIXFileSystem` is the real one; `SimulatedFileSystem` keeps
/// files in memory and can crash, drop unsynced writes, tear writes and fail on demand.
public protocol FileSystem: Sendable {
    /// Opens `path`, creating it when `create` is true and it does not exist.
    func open(_ path: String, create: Bool) throws -> any StorageFile
    func exists(_ path: String) -> Bool
    /// Atomically replaces `to` with `from`, durably (the directory is fsynced).
    func rename(_ from: String, to: String) throws
}

/// One open file. Implementations must allow concurrent `read`s and a concurrent
/// `write` to a different range.
public protocol StorageFile: AnyObject, Sendable {
    var path: String { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (short at EOF).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws
    /// Makes every completed write durable.
    func sync() throws
    func size() throws -> Int64
    func truncate(to size: Int64) throws
    /// Takes an exclusive advisory lock (one `Database` per file, across processes too);
    /// throws `PageStoreError.locked` when another holder has it.
    func lockExclusive() throws
    func unlock()
    func close()
}

extension StorageFile {
    /// Reads exactly `buffer.count` bytes or returns false (short file).
    func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Bool {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if n == 0 { return false }
            done += n
        }
        return true
    }
}
