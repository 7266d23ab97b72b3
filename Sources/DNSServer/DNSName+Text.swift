// Text (presentation) form of domain names, RFC 1035 5.1 and RFC 4343:
// labels separated by '.', a trailing '.' makes a name absolute, '@' is the origin,
// `\X` stands for X itself (so `\.` is a dot inside a label) and `\DDD` for the byte
// with decimal value DDD (000...255). Output escapes what input would misread.

extension DNSName {
    /// Parses a name in text form. A name without a trailing dot, and `@`, are taken
    /// relative to `origin`; without an origin they are errors.
    public init(_ text: String, origin: DNSName? = nil) throws(DNSNameError) {
        self = try DNSName(text: Array(text.utf8), origin: origin)
    }

    /// Parses a name from text bytes (see `init(_:origin:)`).
    init(text: [UInt8], origin: DNSName?) throws(DNSNameError) {
        let display = String(decoding: text, as: UTF8.self)
        guard !text.isEmpty else { throw .empty }
        if text == [UInt8(ascii: "@")] {
            guard let origin else { throw .relativeWithoutOrigin(display) }
            self = origin
            return
        }
        if text == [UInt8(ascii: ".")] {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var isAbsolute = false
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                guard !label.isEmpty else { throw .emptyLabel }
                labels.append(label)
                label = []
                index += 1
                if index == text.count { isAbsolute = true }
                continue
            }
            if byte == UInt8(ascii: "\\") {
                let (value, length) = try Self.unescape(text, at: index, display: display)
                label.append(value)
                index += length
            } else {
                label.append(byte)
                index += 1
            }
            guard label.count <= Self.maxLabelLength else { throw .labelTooLong(label.count) }
        }
        if !label.isEmpty { labels.append(label) }
        var name = try DNSName(labels: labels)
        if !isAbsolute {
            guard let origin else { throw .relativeWithoutOrigin(display) }
            let length = name.wire.count - 1 + origin.wire.count
            guard length <= Self.maxWireLength else { throw .nameTooLong(length) }
            name = DNSName(unchecked: Array(name.wire.dropLast()) + origin.wire)
        }
        self = name
    }

    /// Decodes the escape starting at `text[index]` (a backslash): returns the byte
    /// and how many text bytes the escape used.
    static func unescape(_ text: [UInt8], at index: Int, display: String) throws(DNSNameError) -> (UInt8, Int) {
        guard index + 1 < text.count else { throw .invalidEscape(display) }
        let first = text[index + 1]
        guard isDigit(first) else { return (first, 2) }
        guard index + 3 < text.count, isDigit(text[index + 2]), isDigit(text[index + 3]) else {
            throw .invalidEscape(display)
        }
        let value = Int(first - 48) * 100 + Int(text[index + 2] - 48) * 10 + Int(text[index + 3] - 48)
        guard value <= 255 else { throw .invalidEscape(display) }
        return (UInt8(value), 4)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    /// Appends `byte` as it must appear inside a label or character string in text.
    static func appendEscaped(_ byte: UInt8, to text: inout String, quoting special: Set<UInt8>) {
        if byte < 0x21 || byte > 0x7E {
            let digits = String(byte)
            text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
        } else if special.contains(byte) {
            text += "\\" + String(UnicodeScalar(byte))
        } else {
            text.unicodeScalars.append(UnicodeScalar(byte))
        }
    }

    static let specialInLabel: Set<UInt8> = Set(".\\\"();@$".utf8)
}

extension DNSName: CustomStringConvertible {
    /// The absolute text form, with escapes, e.g. `www.foobar.com.` or `a\.b.example.`.
    public var description: String {
        guard !isRoot else { return "." }
        var text = ""
        for label in labels {
            for byte in label { Self.appendEscaped(byte, to: &text, quoting: Self.specialInLabel) }
            text += "."
        }
        return text
    }
}
