import MySQLWire

/// A statement prepared on one connection (COM_STMT_PREPARE); valid on that connection only.
public struct MySQLPreparedStatement: Sendable {
    public let sql: String
    public let statementID: UInt32
    public let parameterCount: Int
    /// The result columns as the server described them at PREPARE time.
    public let columns: MySQLColumns
}

/// The prepared statements one connection keeps, by SQL text, least recently used
/// evicted first. A named limit (`statementCacheCapacity`) so a caller building SQL
/// strings cannot exhaust the server's max_prepared_stmt_count.
struct MySQLStatementCache: ~Copyable {
    let capacity: Int
    private var entries: [String: (statement: MySQLPreparedStatement, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity >= 0, "statement cache capacity \(capacity)")
        self.capacity = capacity
    }

    mutating func lookup(_ sql: String) -> MySQLPreparedStatement? {
        guard let entry = entries[sql] else { return nil }
        clock += 1
        entries[sql] = (entry.statement, clock)
        return entry.statement
    }

    /// Stores `statement`; returns the statements to close on the server (an evicted
    /// one, or `statement` itself when another caller cached the same SQL first).
    mutating func insert(_ statement: MySQLPreparedStatement) -> [MySQLPreparedStatement] {
        if entries[statement.sql] != nil { return [statement] }
        guard capacity > 0 else { return [statement] }
        var evicted: [MySQLPreparedStatement] = []
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            evicted.append(oldest.value.statement)
        }
        clock += 1
        entries[statement.sql] = (statement, clock)
        return evicted
    }

    mutating func remove(_ sql: String) { entries[sql] = nil }
    mutating func removeAll() { entries.removeAll() }
    var count: Int { entries.count }
}

extension MySQLConnection {
    /// ER_UNKNOWN_STMT_HANDLER: the server forgot the statement (after COM_RESET_CONNECTION
    /// or a server-side limit); the cached entry is stale.
    static let unknownStatementHandler: UInt16 = 1243

    /// Prepares `sql` (COM_STMT_PREPARE). The caller owns the statement: `deallocate` it.
    public func prepare(_ sql: String) async throws(MySQLClientError) -> MySQLPreparedStatement {
        let response = try await send(MySQLSimpleCommand.encode(.statementPrepare, argument: Array(sql.utf8)),
                                      expecting: .prepare, operation: "COM_STMT_PREPARE")
        guard case .prepared(let ok, let columns) = response else { preconditionFailure("PREPARE answered with \(response)") }
        return MySQLPreparedStatement(sql: sql, statementID: ok.statementID, parameterCount: Int(ok.parameterCount),
                                      columns: columns)
    }

    /// COM_STMT_CLOSE (no reply).
    public func deallocate(_ statement: MySQLPreparedStatement) {
        sendWithoutResponse(MySQLStatementIDCommand.encode(.statementClose, statementID: statement.statementID),
                            operation: "COM_STMT_CLOSE")
    }

    /// Executes a prepared statement with typed parameters (binary protocol) and
    /// returns every result (a CALL may return several).
    public func executeAll(_ statement: MySQLPreparedStatement,
                           _ parameters: [any MySQLValueConvertible]) async throws(MySQLClientError) -> [MySQLResultSet] {
        guard parameters.count == statement.parameterCount else {
            throw .parameterCountMismatch(expected: statement.parameterCount, given: parameters.count)
        }
        let values = parameters.map(\.mysqlValue)
        let execute = MySQLStatementExecute(statementID: statement.statementID, parameters: values,
                                            parameterTypes: values.map(\.parameterType))
        let response = try await send(execute.encode(), expecting: .results(binaryRows: true), operation: "COM_STMT_EXECUTE")
        guard case .results(let results) = response else { preconditionFailure("EXECUTE answered with \(response)") }
        return results
    }

    /// Runs `sql` as a binary prepared statement with `parameters` bound to its `?`
    /// placeholders, preparing it once per connection (statement cache), and returns
    /// its first result.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any MySQLValueConvertible] = []) async throws(MySQLClientError) -> MySQLResultSet {
        try await executeAll(sql, parameters)[0]
    }

    /// As `execute(_:_:)`, returning every result.
    public func executeAll(_ sql: String, _ parameters: [any MySQLValueConvertible] = []) async throws(MySQLClientError) -> [MySQLResultSet] {
        for attempt in 0..<2 {
            let (statement, isCached) = try await cachedStatement(sql)
            // Not cached (capacity 0 or a concurrent insert): closed right after this use.
            defer { if !isCached { deallocate(statement) } }
            do {
                return try await executeAll(statement, parameters)
            } catch let error where error.code == Self.unknownStatementHandler && attempt == 0 {
                statements.withLock { $0.remove(sql) }
            }
        }
        preconditionFailure("unreachable: the second attempt returns or throws")
    }

    private func cachedStatement(_ sql: String) async throws(MySQLClientError) -> (MySQLPreparedStatement, isCached: Bool) {
        if let statement = statements.withLock({ $0.lookup(sql) }) { return (statement, true) }
        let statement = try await prepare(sql)
        let toClose = statements.withLock { $0.insert(statement) }
        for stale in toClose where stale.statementID != statement.statementID { deallocate(stale) }
        return (statement, !toClose.contains { $0.statementID == statement.statementID })
    }

    /// Prepared statements cached on this connection.
    public var cachedStatementCount: Int { statements.withLock { $0.count } }
}
