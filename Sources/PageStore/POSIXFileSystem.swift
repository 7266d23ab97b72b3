import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Real files through pread/pwrite/fdatasync.
public struct POSIXFileSystem: FileSystem {
    public init() {}

    public func open(_ path: String, create: Bool) throws -> any StorageFile {
        let existed = exists(path)
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o644)
        guard fd >= 0 else { throw PageStoreError.io(operation: "open", path: path, errno: errno) }
        // Make a new directory entry durable, or a crash could lose the whole file.
        if create && !existed { syncDirectory(of: path) }
        return POSIXFile(fd: fd, path: path)
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw PageStoreError.io(operation: "rename", path: to, errno: errno) }
        syncDirectory(of: to)
    }

    private func syncDirectory(of path: String) {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dfd = Glibc.open(dir.isEmpty ? "/" : dir, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); Glibc.close(dfd) }
    }
}

final class POSIXFile: StorageFile, @unchecked Sendable {
    // fd is immutable after init; pread/pwrite are thread-safe.
    let fd: Int32
    let path: String
    let isClosed = Atomic<Bool>(false)

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw PageStoreError.io(operation: "read", path: path, errno: errno)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw PageStoreError.io(operation: "write", path: path, errno: errno)
            }
            done += n
        }
    }

    func sync() throws {
        guard fdatasync(fd) == 0 else { throw PageStoreError.io(operation: "fsync", path: path, errno: errno) }
    }

    func size() throws -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PageStoreError.io(operation: "stat", path: path, errno: errno) }
        return Int64(st.st_size)
    }

    func truncate(to size: Int64) throws {
        guard ftruncate(fd, off_t(size)) == 0 else {
            throw PageStoreError.io(operation: "truncate", path: path, errno: errno)
        }
    }

    func lockExclusive() throws {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK { throw PageStoreError.locked(path: path) }
            throw PageStoreError.io(operation: "flock", path: path, errno: errno)
        }
    }

    func unlock() {
        if !isClosed.load(ordering: .acquiring) { _ = flock(fd, LOCK_UN) }
    }

    /// Idempotent: a failed `Database` init and its deinit may both close.
    func close() {
        if !isClosed.exchange(true, ordering: .acquiringAndReleasing) { Glibc.close(fd) }
    }
}
