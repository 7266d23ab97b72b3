import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The access log: one line per request in nginx's `combined` format plus the request
/// time and upstream time in seconds (`-` when nothing was proxied):
///
///     127.0.0.1 - - [26/Nov/2026:15:40:32 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/7.88" 0.001 -
///
/// Lines are buffered per process and written with one `write(2)` each time the buffer
/// passes `flushThreshold` bytes or a second has gone by (nginx's `buffer=` and `flush=`),
/// so the hot path costs a lock and a copy, not a system call.
public final class AccessLog: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer = Mutex<(bytes: [UInt8], lastFlush: Int)>(([], 0))
    /// Bytes buffered before a write.
    public static let flushThreshold = 32 * 1024

    /// Opens `destination` for appending: a path, or `stderr`.
    public init(destination: String) throws(WebFrontError) {
        if destination == "stderr" {
            descriptor = 2
            ownsDescriptor = false
            return
        }
        if let slash = destination.lastIndex(of: "/") {
            let directory = String(destination[..<slash])
            if !directory.isEmpty { Self.makeDirectories(directory) }
        }
        let fd = open(destination, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw .accessLogUnwritable(path: destination, reason: String(cString: strerror(errno)))
        }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        flush()
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// Appends one entry.
    public func record(_ entry: AccessLogEntry) {
        let now = HTTPDate.now()
        let toWrite: [UInt8]? = buffer.withLock { state in
            entry.append(to: &state.bytes)
            guard state.bytes.count >= Self.flushThreshold || now != state.lastFlush else { return nil }
            state.lastFlush = now
            defer { state.bytes.removeAll(keepingCapacity: true) }
            return state.bytes
        }
        if let toWrite { write(toWrite) }
    }

    /// Writes whatever is buffered.
    public func flush() {
        let pending = buffer.withLock { state -> [UInt8] in
            defer { state.bytes.removeAll(keepingCapacity: true) }
            return state.bytes
        }
        if !pending.isEmpty { write(pending) }
    }

    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    private static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            _ = mkdir(current, 0o750)
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
