/// A request path made safe to join to the site root: percent-decoded once, split into
/// segments, and refused when any segment could leave the root or name a hidden file.
///
/// Invariants of an accepted path: every segment is non-empty, is not `.` or `..`,
/// does not start with `.` (except the `.well-known` directory of RFC 8615), and
/// contains no `/`, `\`, NUL or control byte — before *and* after decoding, so
/// `%2e%2e`, `%2f` and `..%5c` are refused, not interpreted. Symlinks are checked
/// separately, against the real path on disk (`SiteDirectory`).
public struct SitePath: Sendable, Hashable, CustomStringConvertible {
    /// The decoded segments, root first; empty for `/`.
    public let segments: [String]
    /// True when the request path ended in `/` (a directory was asked for).
    public let hasTrailingSlash: Bool

    /// Parses the path part of a request target (`/static/a.css`, query already removed
    /// or not); returns nil when it is not a path this server will ever serve from disk.
    public init?(requestTarget: String) {
        var target = Substring(requestTarget)
        if let query = target.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            target = target[..<query]
        }
        guard target.first == "/" else { return nil }
        var segments: [String] = []
        for raw in target.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let decoded = Self.percentDecode(raw), Self.isAcceptable(segment: decoded) else { return nil }
            segments.append(decoded)
        }
        self.segments = segments
        self.hasTrailingSlash = target.utf8.last == UInt8(ascii: "/") && !segments.isEmpty
    }

    /// The relative path below the root: `static/a.css`, or `` for the root.
    public var relativePath: String { segments.joined(separator: "/") }

    public var description: String { "/" + relativePath + (hasTrailingSlash ? "/" : "") }

    /// The last segment's extension in lower case (`css`), or empty.
    public var fileExtension: String {
        guard let last = segments.last, let dot = last.lastIndex(of: ".") else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }

    static func isAcceptable(segment: String) -> Bool {
        guard !segment.isEmpty, segment != ".", segment != ".." else { return false }
        if segment.hasPrefix(".") && segment != ".well-known" { return false }
        for byte in segment.utf8 {
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                return false
            }
        }
        return true
    }

    /// Decodes `%XX` escapes once; a malformed escape or invalid UTF-8 is nil.
    static func percentDecode(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(Substring(bytes)) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high != bytes.endIndex else { return nil }
                let low = bytes.index(after: high)
                guard low != bytes.endIndex, let h = hexValue(bytes[high]), let l = hexValue(bytes[low]) else { return nil }
                output.append(h << 4 | l)
                index = bytes.index(after: low)
            } else {
                output.append(byte)
                index = bytes.index(after: index)
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
