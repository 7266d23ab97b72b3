import Foundation
import Synchronization

/// A log file the supervisor appends a child's output to (`<state-dir>/logs/<name>.log`).
/// `reopen()` closes and opens the path again, so after an operator (or logrotate)
/// renamed the file, new lines go to a fresh file: rotation on SIGUSR1.
public final class LogFile: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>

    public init(path: String) throws(SupervisorError) {
        self.path = path
        descriptor = Mutex(try Self.open(path))
    }

    deinit {
        descriptor.withLock { _ = close($0) }
    }

    /// Appends `bytes` in one write under the lock, so lines from two readers of the
    /// same file (a worker and its replacement) never interleave within a line.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        descriptor.withLock { fd in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    public func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Opens the path again (after rotation). On failure the old descriptor stays.
    public func reopen() throws(SupervisorError) {
        let fresh = try Self.open(path)
        descriptor.withLock { fd in
            _ = close(fd)
            fd = fresh
        }
    }

    private static func open(_ path: String) throws(SupervisorError) -> Int32 {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }
}
