/// Why bytes received from a peer could not be decoded. Hostile or corrupt input is
/// always one of these, never a trap: the caller answers with an ERR packet (and closes
/// the connection when the stream can no longer be trusted, see `isFatalToStream`).
public enum MySQLWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload ended before the field named here.
    case truncated(field: String)
    /// A field has a value the protocol does not allow.
    case malformed(field: String, reason: String)
    /// A logical packet (all its 16 MiB chunks together) is longer than the limit.
    case packetTooLarge(limit: Int)
    /// A chunk arrived with an unexpected sequence id.
    case outOfOrder(expected: UInt8, received: UInt8)

    /// True when the byte stream itself can no longer be followed, so the connection
    /// must be closed after reporting the error.
    public var isFatalToStream: Bool {
        switch self {
        case .packetTooLarge, .outOfOrder: true
        case .truncated, .malformed: false
        }
    }

    public var description: String {
        switch self {
        case .truncated(let field): "packet truncated before \(field)"
        case .malformed(let field, let reason): "malformed \(field): \(reason)"
        case .packetTooLarge(let limit): "packet larger than the limit of \(limit) bytes"
        case .outOfOrder(let expected, let received): "packet out of order: expected sequence id \(expected), got \(received)"
        }
    }
}
