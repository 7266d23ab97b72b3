/// Post and comment bodies are plain text: paragraphs are separated by blank lines,
/// single line breaks stay line breaks. The template escapes each piece; no markup
/// from the database ever reaches the page unescaped.
enum PostBody {
    /// The paragraphs of `text`, each a list of lines.
    static func paragraphs(_ text: String) -> [[String]] {
        var paragraphs: [[String]] = []
        var current: [String] = []
        for line in text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    /// The first `limit` characters of the first paragraph, cut at a word, with an ellipsis.
    static func excerpt(_ text: String, limit: Int = 280) -> String {
        let first = paragraphs(text).first?.joined(separator: " ") ?? ""
        guard first.count > limit else { return first }
        var cut = String(first.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + "…"
    }
}
