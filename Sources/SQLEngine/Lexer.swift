/// Splits raw statement bytes into tokens, MySQL 8.0 style.
///
/// - Comments: `# ...`, `-- ` (dash dash space/control), `/* ... */`; `/*!NNNNN ... */` and
///   `/*! ... */` are executed when NNNNN ≤ 80040 (the version we claim), `/*M!...*/` (MariaDB)
///   and `/*+ hints */` are comments.
/// - String literals are bytes: anything that is not a quote or a backslash escape is kept
///   verbatim, so dumps with raw binary inside literals load unchanged.
/// - `NO_BACKSLASH_ESCAPES` turns backslash escapes off; `ANSI_QUOTES` makes "x" an identifier.
struct Lexer {
    let src: [UInt8]
    var pos = 0
    var line = 1
    var noBackslashEscapes = false
    var ansiQuotes = false
    /// Depth of executed /*! ... */ comments we are inside of.
    var conditionalDepth = 0
    static let claimedVersion = 80040

    init(_ src: [UInt8]) { self.src = src }

    mutating func tokenize() throws -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(src.count / 3 + 4)
        while true {
            let t = try next()
            tokens.append(t)
            if t.kind == .end { break }
        }
        return tokens
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        let i = pos + offset
        return i < src.count ? src[i] : 0
    }

    private mutating func skipSpaceAndComments() throws {
        while pos < src.count {
            let c = src[pos]
            if c == 10 { line += 1; pos += 1; continue }
            if isSpace(c) { pos += 1; continue }
            if c == UInt8(ascii: "#") { skipLine(); continue }
            if c == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-") && (pos + 2 >= src.count || isSpace(peek(2)) || peek(2) < 32) {
                skipLine(); continue
            }
            if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                if peek(2) == UInt8(ascii: "!") {
                    // conditional comment
                    var i = pos + 3
                    var version = 0
                    var digits = 0
                    while i < src.count && isDigit(src[i]) && digits < 6 { version = version * 10 + Int(src[i] - 48); i += 1; digits += 1 }
                    if digits == 0 || version <= Lexer.claimedVersion {
                        pos = i
                        conditionalDepth += 1
                        continue
                    }
                }
                try skipBlockComment()
                continue
            }
            if c == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") && conditionalDepth > 0 {
                conditionalDepth -= 1
                pos += 2
                continue
            }
            break
        }
    }

    private mutating func skipLine() {
        while pos < src.count && src[pos] != 10 { pos += 1 }
    }

    private mutating func skipBlockComment() throws {
        let start = pos
        pos += 2
        while pos + 1 < src.count {
            if src[pos] == UInt8(ascii: "*") && src[pos + 1] == UInt8(ascii: "/") { pos += 2; return }
            if src[pos] == 10 { line += 1 }
            pos += 1
        }
        pos = src.count
        throw SQLError.syntax(near: nearText(start), line: line)
    }

    func nearText(_ offset: Int) -> String {
        guard offset < src.count else { return "" }
        let end = min(src.count, offset + 80)
        var slice = Array(src[offset..<end])
        // Do not cut a UTF-8 sequence in half.
        while let last = slice.last, last & 0xC0 == 0x80 || (last >= 0xC0 && end < src.count) {
            slice.removeLast()
            if last >= 0xC0 { break }
        }
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func next() throws -> Token {
        try skipSpaceAndComments()
        guard pos < src.count else { return Token(kind: .end, start: src.count, line: line) }
        let start = pos
        let c = src[pos]

        if isIdentStart(c) {
            // x'..', b'..', n'..', _charset'..'
            if (c == UInt8(ascii: "x") || c == UInt8(ascii: "X")) && peek(1) == UInt8(ascii: "'") {
                pos += 2
                return try hexQuoted(start: start)
            }
            if (c == UInt8(ascii: "b") || c == UInt8(ascii: "B")) && peek(1) == UInt8(ascii: "'") {
                pos += 2
                return try bitsQuoted(start: start)
            }
            if (c == UInt8(ascii: "n") || c == UInt8(ascii: "N")) && peek(1) == UInt8(ascii: "'") {
                pos += 1
                var t = try stringLiteral(quote: UInt8(ascii: "'"), start: start)
                t.kind = .nationalString
                return t
            }
            if c == UInt8(ascii: "0") {
                if peek(1) == UInt8(ascii: "x") && isHexDigit(peek(2)) { return try hexNumber(start: start) }
                if peek(1) == UInt8(ascii: "b") && (peek(2) == 48 || peek(2) == 49) { return bitNumber(start: start) }
            }
            if isDigit(c) {
                // a number, unless digits followed by letters (identifiers may start with digits)
                var i = pos
                while i < src.count && isDigit(src[i]) { i += 1 }
                if i >= src.count || !isIdentPart(src[i]) || src[i] == UInt8(ascii: "e") || src[i] == UInt8(ascii: "E") {
                    if let t = try number(start: start) { return t }
                }
            }
            while pos < src.count && isIdentPart(src[pos]) { pos += 1 }
            let text = String(decoding: src[start..<pos], as: UTF8.self)
            var t = Token(kind: .word, text: text, upper: text.uppercased(), start: start, line: line)
            if text.first == "_" && (peek() == UInt8(ascii: "'") || (peek() == UInt8(ascii: "\"") && !ansiQuotes)
                || (peek() == UInt8(ascii: "0") && (peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "b")))
                || (peek() == UInt8(ascii: "X") && peek(1) == UInt8(ascii: "'")) || (peek() == UInt8(ascii: "x") && peek(1) == UInt8(ascii: "'"))) {
                // introducer: _binary'...', _utf8mb4'...'
                let charset = String(text.dropFirst()).lowercased()
                if Lexer.knownCharsets.contains(charset) {
                    var lit = try next()
                    lit.introducer = charset
                    lit.start = start
                    return lit
                }
            }
            t.start = start
            return t
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) {
            if let t = try number(start: start) { return t }
        }
        switch c {
        case UInt8(ascii: "'"):
            return try stringLiteral(quote: c, start: start)
        case UInt8(ascii: "\""):
            if ansiQuotes { return try quotedIdentifier(quote: c, start: start) }
            return try stringLiteral(quote: c, start: start)
        case UInt8(ascii: "`"):
            return try quotedIdentifier(quote: c, start: start)
        case UInt8(ascii: "@"):
            if peek(1) == UInt8(ascii: "@") {
                pos += 2
                // `@@session.x`: the scope word ends at its dot (names of user variables may hold dots).
                var name = try variableName(allowingDots: false)
                var scope: String? = nil
                let lower = name.lowercased()
                if (lower == "session" || lower == "global" || lower == "local" || lower == "persist") && peek() == UInt8(ascii: ".") {
                    pos += 1
                    scope = lower == "local" ? "session" : lower
                    name = try variableName()
                } else if peek() == UInt8(ascii: ".") && isIdentStart(peek(1)) {
                    // A structured variable (`@@default.key_buffer_size`): one name.
                    pos += 1
                    name += "." + (try variableName())
                }
                var t = Token(kind: .systemVariable, text: name, upper: name.uppercased(), start: start, line: line)
                t.scope = scope
                return t
            }
            pos += 1
            let name = try variableName()
            return Token(kind: .userVariable, text: name, start: start, line: line)
        case UInt8(ascii: "?"):
            pos += 1
            return Token(kind: .parameter, text: "?", start: start, line: line)
        default:
            return try punct(start: start)
        }
    }

    static let knownCharsets: Set<String> = ["binary", "utf8mb4", "utf8", "utf8mb3", "latin1", "ascii", "utf16", "utf32", "ucs2"]

    private mutating func variableName(allowingDots: Bool = true) throws -> String {
        let c = peek()
        if c == UInt8(ascii: "`") || c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            let t = c == UInt8(ascii: "`") ? try quotedIdentifier(quote: c, start: pos) : try stringLiteral(quote: c, start: pos)
            return t.kind == .quotedIdentifier ? t.text : String(decoding: t.bytes, as: UTF8.self)
        }
        let start = pos
        while pos < src.count && (isIdentPart(src[pos]) || src[pos] == UInt8(ascii: ".") || src[pos] == UInt8(ascii: "$")) {
            // a dot ends the name unless followed by an identifier character (user vars allow dots)
            if src[pos] == UInt8(ascii: ".") && (!allowingDots || !(pos + 1 < src.count && isIdentStart(src[pos + 1]))) { break }
            pos += 1
        }
        return String(decoding: src[start..<pos], as: UTF8.self)
    }

    private mutating func punct(start: Int) throws -> Token {
        let c = src[pos]
        let c1 = peek(1), c2 = peek(2)
        var len = 1
        switch c {
        case UInt8(ascii: "<"):
            if c1 == UInt8(ascii: "=") && c2 == UInt8(ascii: ">") { len = 3 }
            else if c1 == UInt8(ascii: "=") || c1 == UInt8(ascii: ">") || c1 == UInt8(ascii: "<") { len = 2 }
        case UInt8(ascii: ">"):
            if c1 == UInt8(ascii: "=") || c1 == UInt8(ascii: ">") { len = 2 }
        case UInt8(ascii: "!"):
            if c1 == UInt8(ascii: "=") { len = 2 }
        case UInt8(ascii: "|"):
            if c1 == UInt8(ascii: "|") { len = 2 }
        case UInt8(ascii: "&"):
            if c1 == UInt8(ascii: "&") { len = 2 }
        case UInt8(ascii: ":"):
            if c1 == UInt8(ascii: "=") { len = 2 }
        case UInt8(ascii: "-"):
            if c1 == UInt8(ascii: ">") { len = c2 == UInt8(ascii: ">") ? 3 : 2 }
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "."),
             UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "="),
             UInt8(ascii: "^"), UInt8(ascii: "~"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            break
        default:
            throw SQLError.syntax(near: nearText(start), line: line)
        }
        pos += len
        return Token(kind: .punct, text: String(decoding: src[start..<pos], as: UTF8.self), start: start, line: line)
    }

    private mutating func number(start: Int) throws -> Token? {
        var i = pos
        var sawDot = false
        var sawExp = false
        while i < src.count && isDigit(src[i]) { i += 1 }
        if i < src.count && src[i] == UInt8(ascii: ".") {
            sawDot = true
            i += 1
            while i < src.count && isDigit(src[i]) { i += 1 }
        }
        if i < src.count && (src[i] == UInt8(ascii: "e") || src[i] == UInt8(ascii: "E")) {
            var j = i + 1
            if j < src.count && (src[j] == UInt8(ascii: "+") || src[j] == UInt8(ascii: "-")) { j += 1 }
            if j < src.count && isDigit(src[j]) {
                while j < src.count && isDigit(src[j]) { j += 1 }
                i = j
                sawExp = true
            } else if !sawDot {
                return nil  // 1e is an identifier
            }
        }
        if i < src.count && isIdentPart(src[i]) && !sawDot && !sawExp { return nil }
        pos = i
        let text = String(decoding: src[start..<pos], as: UTF8.self)
        return Token(kind: sawExp ? .float : (sawDot ? .decimal : .integer), text: text, start: start, line: line)
    }

    private mutating func hexNumber(start: Int) throws -> Token {
        pos += 2
        let s = pos
        while pos < src.count && isHexDigit(src[pos]) { pos += 1 }
        if pos < src.count && isIdentPart(src[pos]) {
            // 0x12g is an identifier
            while pos < src.count && isIdentPart(src[pos]) { pos += 1 }
            let text = String(decoding: src[start..<pos], as: UTF8.self)
            return Token(kind: .word, text: text, upper: text.uppercased(), start: start, line: line)
        }
        return Token(kind: .hex, text: String(decoding: src[start..<pos], as: UTF8.self), bytes: hexBytes(src[s..<pos]), start: start, line: line)
    }

    private mutating func hexQuoted(start: Int) throws -> Token {
        let s = pos
        while pos < src.count && isHexDigit(src[pos]) { pos += 1 }
        let digits = src[s..<pos]
        guard pos < src.count && src[pos] == UInt8(ascii: "'") && digits.count % 2 == 0 else {
            throw SQLError.syntax(near: nearText(start), line: line)
        }
        pos += 1
        return Token(kind: .hex, text: String(decoding: src[start..<pos], as: UTF8.self), bytes: hexBytes(digits), start: start, line: line)
    }

    private func hexBytes(_ digits: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2 + 1)
        var it = digits.makeIterator()
        if digits.count % 2 == 1 { out.append(hexValue(it.next()!)) }
        while let h = it.next(), let l = it.next() { out.append(hexValue(h) << 4 | hexValue(l)) }
        return out
    }

    private mutating func bitNumber(start: Int) -> Token {
        pos += 2
        let s = pos
        while pos < src.count && (src[pos] == 48 || src[pos] == 49) { pos += 1 }
        return Token(kind: .bits, text: String(decoding: src[start..<pos], as: UTF8.self), bytes: bitBytes(src[s..<pos]), start: start, line: line)
    }

    private mutating func bitsQuoted(start: Int) throws -> Token {
        let s = pos
        while pos < src.count && (src[pos] == 48 || src[pos] == 49) { pos += 1 }
        guard pos < src.count && src[pos] == UInt8(ascii: "'") else { throw SQLError.syntax(near: nearText(start), line: line) }
        let digits = src[s..<pos]
        pos += 1
        return Token(kind: .bits, text: String(decoding: src[start..<pos], as: UTF8.self), bytes: bitBytes(digits), start: start, line: line)
    }

    private func bitBytes(_ digits: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var acc: UInt8 = 0
        var n = digits.count % 8
        if n == 0 { n = 8 }
        var count = 0
        for d in digits {
            acc = acc << 1 | (d - 48)
            count += 1
            if count == n { out.append(acc); acc = 0; count = 0; n = 8 }
        }
        return out
    }

    private mutating func stringLiteral(quote: UInt8, start: Int) throws -> Token {
        let startLine = line
        pos += 1
        var bytes: [UInt8] = []
        while true {
            guard pos < src.count else { throw SQLError.syntax(near: nearText(start), line: startLine) }
            let c = src[pos]
            if c == quote {
                if peek(1) == quote { bytes.append(quote); pos += 2; continue }
                pos += 1
                break
            }
            if c == UInt8(ascii: "\\") && !noBackslashEscapes && pos + 1 < src.count {
                let e = src[pos + 1]
                switch e {
                case UInt8(ascii: "0"): bytes.append(0)
                case UInt8(ascii: "'"): bytes.append(39)
                case UInt8(ascii: "\""): bytes.append(34)
                case UInt8(ascii: "b"): bytes.append(8)
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "r"): bytes.append(13)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "Z"): bytes.append(26)
                case UInt8(ascii: "\\"): bytes.append(92)
                case UInt8(ascii: "%"): bytes.append(92); bytes.append(37)   // kept for LIKE
                case UInt8(ascii: "_"): bytes.append(92); bytes.append(95)
                default: bytes.append(e)
                }
                if e == 10 { line += 1 }
                pos += 2
                continue
            }
            if c == 10 { line += 1 }
            bytes.append(c)
            pos += 1
        }
        return Token(kind: .string, bytes: bytes, start: start, line: startLine)
    }

    private mutating func quotedIdentifier(quote: UInt8, start: Int) throws -> Token {
        pos += 1
        var bytes: [UInt8] = []
        while true {
            guard pos < src.count else { throw SQLError.syntax(near: nearText(start), line: line) }
            let c = src[pos]
            if c == quote {
                if peek(1) == quote { bytes.append(quote); pos += 2; continue }
                pos += 1
                break
            }
            if c == 10 { line += 1 }
            bytes.append(c)
            pos += 1
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return Token(kind: .quotedIdentifier, text: text, upper: text.uppercased(), start: start, line: line)
    }
}

@inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 36 || c >= 0x80 || isDigit(c)
}
@inline(__always) func isIdentPart(_ c: UInt8) -> Bool {
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 36 || c >= 0x80 || isDigit(c)
}
@inline(__always) func isHexDigit(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}
@inline(__always) func hexValue(_ c: UInt8) -> UInt8 {
    if isDigit(c) { return c - 48 }
    if c >= 97 { return c - 87 }
    return c - 55
}
