/// One lexical token. `start` is the byte offset in the statement text (for 1064's "near" text).
struct Token {
    enum Kind: Equatable {
        /// Unquoted word: keyword or identifier (`upper` holds the uppercased text).
        case word
        /// `backquoted` identifier (or "double quoted" under ANSI_QUOTES).
        case quotedIdentifier
        /// 'string' or "string"; `introducer` is _binary, _utf8mb4, ... when one preceded it.
        case string
        case nationalString
        case integer
        case decimal
        case float
        /// X'0a1b' / 0x0a1b
        case hex
        /// b'0101' / 0b0101
        case bits
        case userVariable
        /// @@name, @@session.name, @@global.name — `text` holds the name, `scope` the scope.
        case systemVariable
        case parameter
        case punct
        case end
    }

    var kind: Kind
    /// Identifier/word text, operator text, or the variable name.
    var text: String
    /// Uppercased text of a word (empty otherwise).
    var upper: String
    /// Decoded bytes of a string/hex/bit literal.
    var bytes: [UInt8]
    var start: Int
    var line: Int
    var introducer: String?
    var scope: String?

    init(kind: Kind, text: String = "", upper: String = "", bytes: [UInt8] = [], start: Int, line: Int) {
        self.kind = kind
        self.text = text
        self.upper = upper
        self.bytes = bytes
        self.start = start
        self.line = line
    }

    func isWord(_ w: String) -> Bool { kind == .word && upper == w }
    func isPunct(_ p: String) -> Bool { kind == .punct && text == p }
}
