/// `KILL [CONNECTION | QUERY] <id>` recognised in COM_QUERY text: ending a connection
/// closes a socket, which only the server can do, so the server answers it itself.
struct KillStatement: Equatable {
    var connectionID: UInt32
    var queryOnly: Bool

    init(connectionID: UInt32, queryOnly: Bool) {
        self.connectionID = connectionID
        self.queryOnly = queryOnly
    }

    /// Nil unless the whole text (an optional trailing `;` aside) is one KILL statement.
    init?(parsing sql: [UInt8]) {
        guard sql.count < 64 else { return nil }
        let text = String(decoding: sql, as: UTF8.self).uppercased()
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        if words.last == ";" { words.removeLast() }
        if let last = words.last, last.hasSuffix(";") { words[words.count - 1] = String(last.dropLast()) }
        guard words.first == "KILL", words.count == 2 || words.count == 3 else { return nil }
        var queryOnly = false
        if words.count == 3 {
            switch words[1] {
            case "QUERY": queryOnly = true
            case "CONNECTION": queryOnly = false
            default: return nil
            }
        }
        guard let id = UInt32(words[words.count - 1]) else { return nil }
        connectionID = id
        self.queryOnly = queryOnly
    }
}
