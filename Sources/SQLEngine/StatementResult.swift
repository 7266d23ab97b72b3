/// What one statement produced: a result set or an OK.
public enum StatementResult: Sendable {
    case rows(columns: [ColumnDefinition], rows: [[SQLValue]])
    case ok(affectedRows: UInt64, lastInsertID: UInt64, info: String)
}

/// A statement prepared by `Session.prepare` (COM_STMT_PREPARE).
public struct PreparedStatement: Sendable {
    public let id: UInt32
    public let parameterCount: Int
    /// The result columns when they are known at prepare time (empty for statements without a result set).
    public let columns: [ColumnDefinition]
}

/// A stored account (table `mysql.user`).
public struct Account: Sendable, Equatable {
    public var user: String
    public var host: String
    public var plugin: String
    public var authenticationString: String
    public var locked: Bool
    /// REQUIRE SSL (`mysql.user.ssl_type` = 'ANY').
    public var requiresTLS: Bool

    public init(user: String, host: String, plugin: String, authenticationString: String, locked: Bool, requiresTLS: Bool = false) {
        self.user = user
        self.host = host
        self.plugin = plugin
        self.authenticationString = authenticationString
        self.locked = locked
        self.requiresTLS = requiresTLS
    }
}
