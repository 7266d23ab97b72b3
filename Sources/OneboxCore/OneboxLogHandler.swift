import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one readable line per message to stderr:
///
///     2026-11-26T15:40:32.120Z info  dns: reloaded zones zones=2 serial=2026112601
///
/// Lines are written whole under a lock, so messages from many threads never interleave.
public struct OneboxLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// Installs the handler for the whole process. Call once, before any logger is made.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in OneboxLogHandler(label: label, level: level) }
    }

    /// Parses a level name as operators write it (`debug`, `info`, `warning`, ...).
    public static func level(named name: String) throws(OneboxConfigurationError) -> Logger.Level {
        let aliases: [String: Logger.Level] = ["warn": .warning, "err": .error, "fatal": .critical]
        let lowered = name.trimmingWhitespace().lowercased()
        guard let level = Logger.Level(rawValue: lowered) ?? aliases[lowered] else {
            throw .invalidValue(key: "log.level", value: name,
                                expected: "one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Self.timestamp()
        line += " "
        line += event.level.rawValue.padding(toLength: 8)
        line += label
        line += ": "
        line += "\(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key]!)"
        }
        line += "\n"
        StandardStreams.writeError(line)
    }

    /// RFC 3339 UTC time with milliseconds, without Foundation's formatter cost.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let fraction = String(milliseconds + 1000).dropFirst()
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
