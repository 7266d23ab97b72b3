#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-line writes straight to file descriptors 1 and 2, bypassing stdio buffers:
/// a line written with one `write(2)` of at most PIPE_BUF bytes never interleaves
/// with another process's or thread's line on a pipe.
package enum StandardStreams {
    package static func writeOut(_ line: String) { write(line, to: 1) }
    package static func writeError(_ line: String) { write(line, to: 2) }

    private static func write(_ line: String, to descriptor: Int32) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
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
