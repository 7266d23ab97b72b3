/// One field of a zone-file entry: its bytes with `${name}` already replaced and
/// `\` escapes still in place (names and strings interpret them differently).
struct ZoneFileToken: Sendable, Equatable {
    var bytes: [UInt8]
    /// Whether the field was written in double quotes.
    var isQuoted: Bool

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
