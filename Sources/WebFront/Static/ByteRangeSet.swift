import OneboxCore

/// The `Range: bytes=...` header of RFC 9110 §14.1, resolved against a file's length.
///
/// Parsing is strict and bounded: at most `maximumRanges` ranges (more is treated as
/// abuse and answered with the whole file, as nginx does), no negative or reversed
/// ranges, overlapping ranges are kept as asked. An unparsable header is ignored
/// (200 with the whole body), an unsatisfiable one is `.unsatisfiable` (416).
public enum ByteRangeSet: Sendable, Equatable {
    /// Serve the whole representation (no header, a header we ignore, or too many ranges).
    case whole
    /// Serve these ranges (each `lowerBound..<upperBound`, non-empty, within the length).
    case ranges([Range<Int>])
    /// Nothing asked for overlaps the representation: 416 with `Content-Range: bytes */length`.
    case unsatisfiable

    /// The limit on ranges in one request.
    public static let maximumRanges = 16

    /// Resolves `header` (the raw value) against a representation of `length` bytes.
    public init(header: String?, length: Int) {
        guard let header else { self = .whole; return }
        let trimmed = header.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes=") else { self = .whole; return }
        let specs = trimmed.dropFirst("bytes=".count).split(separator: ",", omittingEmptySubsequences: false)
        guard !specs.isEmpty, specs.count <= Self.maximumRanges else { self = .whole; return }
        var ranges: [Range<Int>] = []
        for spec in specs {
            let spec = String(spec).trimmingWhitespace()
            guard let dash = spec.firstIndex(of: "-") else { self = .whole; return }
            let first = spec[..<dash]
            let last = spec[spec.index(after: dash)...]
            if first.isEmpty {
                // Suffix range: the last N bytes.
                guard let suffix = Self.number(last) else { self = .whole; return }
                if suffix > 0 && length > 0 {
                    ranges.append(max(0, length - suffix)..<length)
                }
            } else {
                guard let start = Self.number(first) else { self = .whole; return }
                var end = length - 1
                if !last.isEmpty {
                    guard let given = Self.number(last), given >= start else { self = .whole; return }
                    end = min(given, length - 1)
                }
                if start < length {
                    ranges.append(start..<(end + 1))
                }
            }
        }
        self = ranges.isEmpty ? .unsatisfiable : .ranges(ranges)
    }

    /// A non-negative decimal of at most 18 digits (no overflow, no sign).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}
