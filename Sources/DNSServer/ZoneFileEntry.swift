/// One logical line of a zone file: the fields of a record or directive, which
/// parentheses may spread over several physical lines.
struct ZoneFileEntry: Sendable {
    /// Line the entry starts on (1-based).
    var line: Int
    /// Whether the line starts with a blank, meaning "same owner as before".
    var startsWithBlank: Bool
    var tokens: [ZoneFileToken]
}
