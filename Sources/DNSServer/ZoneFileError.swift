/// A zone that cannot be served: which file, which line (when one is to blame) and
/// what is wrong. Prints as `foobar.com.zone:12: unknown record type 'AAA'`.
public struct ZoneFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name as given to the parser (a zone built in memory uses its origin).
    public var file: String
    /// 1-based line number, nil for whole-zone problems such as a missing SOA.
    public var line: Int?
    /// What is wrong.
    public var reason: ZoneFileErrorReason

    /// An error at `line` of `file`.
    public init(file: String, line: Int?, reason: ZoneFileErrorReason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
