// Splits RFC 1035 master-file text (5.1) into entries.
//
// Invariants: every loop advances `index`, so the lexer ends on any input; entries
// are separated by newlines outside parentheses; `;` starts a comment to the end of
// the line; `"..."` is one field that may hold blanks and `;` (not a newline);
// `\` keeps the next byte in the field whatever it is; `${name}` (unescaped) is
// replaced by the variable's value, an unknown name is an error.

/// Turns zone-file bytes into entries of fields, tracking line numbers.
struct ZoneFileLexer {
    private let text: [UInt8]
    private let fileName: String
    private let variables: [String: String]
    private var index = 0
    private var line = 1

    init(text: [UInt8], fileName: String, variables: [String: String]) {
        self.text = text
        self.fileName = fileName
        self.variables = variables
    }

    private func error(_ reason: ZoneFileErrorReason, line: Int? = nil) -> ZoneFileError {
        ZoneFileError(file: fileName, line: line ?? self.line, reason: reason)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// The next entry, or nil at the end of the text.
    mutating func nextEntry() throws(ZoneFileError) -> ZoneFileEntry? {
        while index < text.count {
            let startLine = line
            let startsWithBlank = Self.isBlank(text[index])
            var tokens: [ZoneFileToken] = []
            var depth = 0
            scan: while index < text.count {
                let byte = text[index]
                switch byte {
                case _ where Self.isBlank(byte):
                    index += 1
                case UInt8(ascii: ";"):
                    while index < text.count, text[index] != UInt8(ascii: "\n") { index += 1 }
                case UInt8(ascii: "\n"):
                    index += 1
                    line += 1
                    if depth == 0 { break scan }
                case UInt8(ascii: "("):
                    depth += 1
                    index += 1
                case UInt8(ascii: ")"):
                    guard depth > 0 else { throw error(.unbalancedParentheses) }
                    depth -= 1
                    index += 1
                case UInt8(ascii: "\""):
                    index += 1
                    tokens.append(ZoneFileToken(bytes: try readField(quoted: true), isQuoted: true))
                default:
                    tokens.append(ZoneFileToken(bytes: try readField(quoted: false), isQuoted: false))
                }
            }
            if depth > 0 { throw error(.unbalancedParentheses, line: startLine) }
            if !tokens.isEmpty {
                return ZoneFileEntry(line: startLine, startsWithBlank: startsWithBlank, tokens: tokens)
            }
        }
        return nil
    }

    /// Reads one field; for a quoted one `index` is just past the opening quote and
    /// ends just past the closing one.
    private mutating func readField(quoted: Bool) throws(ZoneFileError) -> [UInt8] {
        var field: [UInt8] = []
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\n") {
                if quoted { throw error(.unterminatedString) }
                return field
            }
            if quoted, byte == UInt8(ascii: "\"") {
                index += 1
                return field
            }
            if !quoted, Self.isBlank(byte) || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "(")
                || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\"") {
                return field
            }
            if byte == UInt8(ascii: "\\") {
                field.append(byte)
                index += 1
                if index < text.count, text[index] != UInt8(ascii: "\n") {
                    field.append(text[index])
                    index += 1
                }
                continue
            }
            if byte == UInt8(ascii: "$"), index + 1 < text.count, text[index + 1] == UInt8(ascii: "{") {
                field.append(contentsOf: try readVariable())
                continue
            }
            field.append(byte)
            index += 1
        }
        if quoted { throw error(.unterminatedString) }
        return field
    }

    /// Reads `${name}` at `index` and returns the variable's value.
    private mutating func readVariable() throws(ZoneFileError) -> [UInt8] {
        var end = index + 2
        while end < text.count, text[end] != UInt8(ascii: "}") {
            guard text[end] != UInt8(ascii: "\n") else { throw error(.unterminatedVariable) }
            end += 1
        }
        guard end < text.count else { throw error(.unterminatedVariable) }
        let name = String(decoding: text[(index + 2)..<end], as: UTF8.self)
        guard let value = variables[name] else { throw error(.unknownVariable(name)) }
        index = end + 1
        return Array(value.utf8)
    }
}
