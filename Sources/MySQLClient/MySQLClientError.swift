import MySQLWire

/// What can go wrong talking to a MySQL server. Server errors keep MySQL's code,
/// SQLSTATE and message exactly as sent (`ERROR 1062 (23000): Duplicate entry ...`).
public enum MySQLClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an ERR packet.
    case server(code: UInt16, sqlState: String, message: String)
    /// The server sent bytes that do not follow the protocol; the connection is closed.
    case protocolViolation(String)
    /// The connection is closed (by the server, the network, a timeout, or `close()`).
    case connectionClosed
    /// Could not open the connection (refused, no such socket, DNS).
    case connectFailed(address: String, reason: String)
    /// An operation did not finish in time; the connection it ran on is closed.
    case timeout(operation: String, limit: Duration)
    /// No pooled connection became free in time.
    case poolExhausted(maximumConnections: Int, waited: Duration)
    /// More callers are waiting for a pooled connection than the pool's queue allows.
    case poolQueueFull(limit: Int)
    /// The pool was shut down.
    case poolClosed
    /// The server asked for an authentication plugin this client does not speak.
    case unsupportedAuthenticationPlugin(String)
    /// TLS was required but the server does not offer it, or the TLS handshake failed.
    case tlsUnavailable(String)
    /// A column value cannot be converted to the requested Swift type.
    case typeMismatch(column: String, expected: String, actual: String)
    /// A column name or index that the result does not have.
    case noSuchColumn(String)
    /// The number of parameters given does not match the statement's placeholders.
    case parameterCountMismatch(expected: Int, given: Int)
    /// A connection URL or option that cannot be used.
    case invalidConfiguration(String)

    /// The MySQL error code of a server error (1062, 1146, ...), else nil.
    public var code: UInt16? {
        if case .server(let code, _, _) = self { return code }
        return nil
    }

    /// The SQLSTATE of a server error ("23000", "42S02", ...), else nil.
    public var sqlState: String? {
        if case .server(_, let state, _) = self { return state }
        return nil
    }

    /// True when the connection this happened on can no longer be used.
    public var closesConnection: Bool {
        switch self {
        case .protocolViolation, .connectionClosed, .connectFailed, .timeout, .tlsUnavailable,
             .unsupportedAuthenticationPlugin:
            true
        default:
            false
        }
    }

    init(_ packet: MySQLErrorPacket) {
        self = .server(code: packet.code, sqlState: packet.sqlState, message: packet.message)
    }

    public var description: String {
        switch self {
        case .server(let code, let state, let message): "ERROR \(code) (\(state)): \(message)"
        case .protocolViolation(let what): "MySQL protocol violation: \(what)"
        case .connectionClosed: "the MySQL connection is closed"
        case .connectFailed(let address, let reason): "cannot connect to MySQL at \(address): \(reason)"
        case .timeout(let operation, let limit): "\(operation) did not finish within \(limit)"
        case .poolExhausted(let maximum, let waited):
            "no database connection became free within \(waited) (pool maximum-connections \(maximum))"
        case .poolQueueFull(let limit): "more than \(limit) requests wait for a database connection (pool maximum-waiters)"
        case .poolClosed: "the connection pool is shut down"
        case .unsupportedAuthenticationPlugin(let name): "the server asks for authentication plugin '\(name)', which this client does not support"
        case .tlsUnavailable(let reason): "TLS: \(reason)"
        case .typeMismatch(let column, let expected, let actual): "column \(column): cannot read \(actual) as \(expected)"
        case .noSuchColumn(let name): "no column \(name) in the result"
        case .parameterCountMismatch(let expected, let given): "the statement has \(expected) parameters, \(given) given"
        case .invalidConfiguration(let what): "invalid MySQL connection settings: \(what)"
        }
    }
}
