/// Post and comment bodies are plain text: paragraphs are separated by blank lines,
/// single line breaks stay line breaks. The template escapes each piece; no markup
/// from the database ever reaches the page unescaped.
///
/// Lines end at LF; CR LF is one break; a lone CR is text. Every page splits every
/// body it shows, so the split works on UTF-8 bytes (an LF byte is always an LF scalar). Trimming spaces and tabs
/// byte-wise is exact unless a non-ASCII scalar touches the trimmed run (a combining
/// mark after a leading space, a prepend mark before a trailing one, which would join
/// it into one Character); such lines take the Character path.
enum PostBody {
    /// The paragraphs of `text`, each a list of lines.
    static func paragraphs(_ text: String) -> [[String]] {
        paragraphs(text, stoppingAfterFirst: false)
    }

    /// The first `limit` characters of the first paragraph, cut at a word, with an ellipsis.
    static func excerpt(_ text: String, limit: Int = 280) -> String {
        let first = paragraphs(text, stoppingAfterFirst: true).first?.joined(separator: " ") ?? ""
        let utf8 = first.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: one byte is one Character (no CR LF inside a line).
            guard utf8.count > limit else { return first }
            var end = utf8.index(utf8.startIndex, offsetBy: limit)
            if let space = utf8[..<end].lastIndex(of: UInt8(ascii: " ")) { end = space }
            return String(Substring(utf8[..<end])) + "…"
        }
        guard first.count > limit else { return first }
        var cut = String(first.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + "…"
    }

    private static func paragraphs(_ text: String, stoppingAfterFirst: Bool) -> [[String]] {
        var paragraphs: [[String]] = []
        var current: [String] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        while lineStart <= utf8.endIndex {
            let newline = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var lineEnd = newline
            // CR LF is one line break.
            if newline != utf8.endIndex, lineEnd > lineStart, utf8[utf8.index(before: lineEnd)] == UInt8(ascii: "\r") {
                lineEnd = utf8.index(before: lineEnd)
            }
            let line = trimmedLine(text, from: lineStart, to: lineEnd)
            if line.isEmpty {
                if !current.isEmpty {
                    paragraphs.append(current)
                    if stoppingAfterFirst { return paragraphs }
                }
                current = []
            } else {
                current.append(line)
            }
            guard newline != utf8.endIndex else { break }
            lineStart = utf8.index(after: newline)
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    /// The line between two UTF-8 positions without leading and trailing spaces and tabs.
    private static func trimmedLine(_ text: String, from start: String.Index, to end: String.Index) -> String {
        let utf8 = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var lower = start
        while lower < end, isBlank(utf8[lower]) { lower = utf8.index(after: lower) }
        var upper = end
        while upper > lower, isBlank(utf8[utf8.index(before: upper)]) { upper = utf8.index(before: upper) }
        guard lower < upper else { return "" }
        let joinsLeading = lower != start && utf8[lower] >= 0x80
        let joinsTrailing = upper != end && utf8[utf8.index(before: upper)] >= 0x80
        if joinsLeading || joinsTrailing {
            return String(Substring(utf8[start..<end])).trimmingCharacters(in: " \t")
        }
        return String(Substring(utf8[lower..<upper]))
    }
}
