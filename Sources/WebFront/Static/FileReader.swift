import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, read-only file descriptor with positioned reads. Reads of big files run on
/// NIO's blocking-I/O thread pool; small files (bounded by the cache limit) are read
/// in one go by whoever fills the cache.
final class FileReader: @unchecked Sendable {
    // Owned exclusively; closed once by `close()` (or deinit), never shared across reads in parallel.
    private var descriptor: Int32

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        descriptor = fd
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    func read(offset: Int, count: Int, allocator: ByteBufferAllocator) throws(FileReadError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: count)
        var total = 0
        while total < count {
            var failure: Int32 = 0
            let result = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - total) { pointer in
                let got = pread(descriptor, pointer.baseAddress, count - total, off_t(offset + total))
                if got < 0 { failure = errno }
                return max(got, 0)
            }
            if failure == EINTR { continue }
            if failure != 0 { throw FileReadError(errno: failure) }
            if result == 0 { break }
            total += result
        }
        return buffer
    }

    /// Reads a whole small file (at most `limit` bytes); nil if it is bigger or unreadable.
    static func readWhole(path: String, expectedSize: Int, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let reader = FileReader(path: path) else { return nil }
        guard let buffer = try? reader.read(offset: 0, count: expectedSize, allocator: allocator),
              buffer.readableBytes == expectedSize else { return nil }
        return buffer
    }

    /// Reads on the thread pool, completing on `eventLoop`.
    func read(offset: Int, count: Int, on eventLoop: any EventLoop, pool: NIOThreadPool) -> EventLoopFuture<ByteBuffer> {
        pool.runIfActive(eventLoop: eventLoop) { [self] in
            try self.read(offset: offset, count: count, allocator: ByteBufferAllocator())
        }
    }
}

/// A read that failed below us.
struct FileReadError: Error {
    var errno: Int32
}

#if canImport(Glibc)
private let systemClose = Glibc.close
#elseif canImport(Musl)
private let systemClose = Musl.close
#elseif canImport(Darwin)
private let systemClose = Darwin.close
#endif
