import CMalloc
import Foundation
import Logging

/// Gives memory that glibc's malloc holds free back to the kernel, now and then.
///
/// Why: malloc keeps freed chunks in its arenas for reuse, and only ever shrinks the top of
/// a heap by itself. After a burst — a bulk load whose write transaction held tens of MiB
/// of private page copies, a big result set, a spike of connections — a process can sit
/// at several times its working set for ever: `onebox db` measured 308 MiB resident after
/// loading the benchmark's 10,000 posts, 107 MiB after one `malloc_trim(0)`. Every
/// `interval` the trimmer reads how much malloc holds free (`mallinfo2`) and, past
/// `threshold`, calls `malloc_trim(0)`, which returns every whole free page of every arena
/// (MADV_DONTNEED). A busy process reuses its free memory before the next check, so the
/// threshold keeps the trim (a walk of the arenas under their locks) off the hot path.
///
/// Settings: `memory.trim-interval` (seconds, 0 turns it off; default 10) and
/// `memory.trim-threshold` (bytes; default 16 MiB), read by every role.
public struct MemoryTrimmer: Sendable {
    public var interval: Duration
    public var threshold: Int

    public init(interval: Duration = .seconds(10), threshold: Int = 16 << 20) {
        self.interval = interval
        self.threshold = threshold
    }

    public init(settings: OneboxSettings) throws(OneboxConfigurationError) {
        self.init(interval: try settings.seconds("memory.trim-interval", default: .seconds(10), in: 0...86_400),
                  threshold: try settings.int("memory.trim-threshold", default: 16 << 20, in: 0...(1 << 40)))
    }

    public var isEnabled: Bool { interval > .zero }

    /// Bytes malloc holds free in its arenas (not counting memory it already gave back).
    public static var freeBytesHeld: Int { Int(mallinfo2().fordblks) }

    /// Trims when malloc holds more than `threshold` bytes free; returns whether it trimmed.
    @discardableResult
    public func trimIfWorthwhile() -> Bool {
        guard Self.freeBytesHeld > threshold else { return false }
        malloc_trim(0)
        return true
    }

    /// Checks every `interval` until the task is cancelled. A trim leaves the free chunks
    /// in malloc's lists (only their pages go back), so the free total it reads stays the
    /// same: it trims again only after that total moved by more than a MiB.
    public func run(logger: Logger) async {
        guard isEnabled else { return }
        var heldAfterLastTrim = -1
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let held = Self.freeBytesHeld
            guard held > threshold, abs(held - heldAfterLastTrim) > 1 << 20 else { continue }
            malloc_trim(0)
            heldAfterLastTrim = Self.freeBytesHeld
            logger.debug("returned free memory to the system", metadata: ["free-held": .stringConvertible(held)])
        }
    }

    /// This process's resident anonymous memory (`RssAnon` of /proc/self/status), bytes;
    /// nil where there is no such file.
    public static var residentAnonymousBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }
}
