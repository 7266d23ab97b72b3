/// The comment form: what was typed, and what is wrong with it, field by field.
struct CommentForm: Sendable, Equatable {
    var author: String
    var body: String
    var csrfToken: String

    static let maximumAuthorLength = 100
    static let maximumBodyLength = 5000

    /// Parses an `application/x-www-form-urlencoded` body. Unknown fields are ignored;
    /// bytes that are not UTF-8 become U+FFFD.
    init(urlEncoded bytes: some Collection<UInt8>) {
        let fields = FormDecoding.decode(bytes)
        author = fields["author"] ?? ""
        body = fields["body"] ?? ""
        csrfToken = fields["csrf_token"] ?? ""
    }

    init(author: String = "", body: String = "", csrfToken: String = "") {
        self.author = author
        self.body = body
        self.csrfToken = csrfToken
    }

    /// Messages for the fields that are invalid, keyed by field name; empty when valid.
    /// Lengths are in characters, as MySQL's VARCHAR(100) counts them.
    var errors: [String: String] {
        var errors: [String: String] = [:]
        let author = trimmedAuthor
        if author.isEmpty {
            errors["author"] = "Please enter your name."
        } else if author.count > Self.maximumAuthorLength {
            errors["author"] = "Your name can be at most \(Self.maximumAuthorLength) characters (it has \(author.count))."
        } else if author.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors["author"] = "Your name cannot contain control characters."
        }
        let body = trimmedBody
        if body.isEmpty {
            errors["body"] = "Please write a comment."
        } else if body.count > Self.maximumBodyLength {
            errors["body"] = "A comment can be at most \(Self.maximumBodyLength) characters (this one has \(body.count))."
        } else if body.unicodeScalars.contains(where: { $0 == "\0" }) {
            errors["body"] = "A comment cannot contain NUL characters."
        }
        return errors
    }

    var trimmedAuthor: String { author.trimmingCharacters(in: " \t\r\n") }
    /// The body with leading/trailing blank space removed and CRLF line ends as LF.
    var trimmedBody: String {
        body.replacingCRLF().trimmingCharacters(in: " \t\r\n")
    }
}

/// `application/x-www-form-urlencoded` decoding (WHATWG URL standard: `+` is a space,
/// `%XX` a byte; malformed escapes are kept literally).
enum FormDecoding {
    static func decode(_ bytes: some Collection<UInt8>) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    static func percentDecode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        let input = Array(bytes)
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), i + 2 < input.count, let high = hex(input[i + 1]), let low = hex(input[i + 2]) {
                output.append(high << 4 | low)
                i += 2
            } else {
                output.append(byte)
            }
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// Trims characters all of whose scalars are in `set` (so "\r\n", one Character, counts).
    func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        let isTrimmed = { (c: Character) in c.unicodeScalars.allSatisfy { scalars.contains($0) } }
        var slice = Substring(self)
        while let first = slice.first, isTrimmed(first) { slice.removeFirst() }
        while let last = slice.last, isTrimmed(last) { slice.removeLast() }
        return String(slice)
    }

    func replacingCRLF() -> String {
        guard contains("\r") else { return self }
        return split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }
}
