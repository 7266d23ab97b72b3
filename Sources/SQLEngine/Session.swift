import PageStore

/// One connection's state: current database, variables, transaction, prepared statements.
///
/// Not thread-safe: one call at a time, from any thread (hence `@unchecked Sendable`, so a
/// server may hand it to the thread that runs the next command).
public final class Session: @unchecked Sendable {
    let engine: Engine
    let control: SessionControl
    public let connectionID: UInt32
    let user: String
    let host: String

    public internal(set) var currentDatabase: String?
    /// The connection's TLS version (`TLSv1.3`), nil without TLS: SHOW STATUS LIKE 'Ssl_version'.
    public var tlsVersion: String?
    var variables: [String: Value]
    var userVariables: [String: Value] = [:]
    var lastInsertID: UInt64 = 0
    var rowCount: Int64 = -1
    var foundRows: UInt64 = 0
    var warnings: [SQLWarning] = []
    var preparedStatements: [UInt32: PreparedPlan] = [:]
    var namedPrepared: [String: UInt32] = [:]
    var nextStatementID: UInt32 = 1
    var isClosed = false
    /// Internal sessions (bootstrap, account lookups) bypass grants.
    var isBootstrap = false
    var cachedAccountHost: String?
    /// This account's privileges and the `Engine.grantsVersion` they were read at.
    var cachedGrants: (version: Int, grants: AccountPrivileges?)?
    var lastInsertIDSetByFunction = false
    var lastInsertIDCandidate: UInt64 = 0

    // Transaction state (Session+Transaction.swift).
    var explicitTransaction = false
    var readTx: ReadTransaction?
    var readCatalog: Catalog?
    var readCatalogVersion: UInt64?
    var writeTx: WriteTransaction?
    var txCatalog: Catalog?
    var txCatalogVersion: UInt64?
    /// Bumped by every SET and COM_RESET_CONNECTION: cached plans (and the server) may have read a variable (sql_mode, ...).
    public internal(set) var settingsGeneration: UInt64 = 0
    /// Executions that re-used a cached plan (for tests and SHOW STATUS).
    var planCacheHits = 0
    var catalogDirty = false
    var dirtyCounters: Set<String> = []
    var savepoints: [(name: String, savepoint: Savepoint?)] = []
    /// Set while a statement runs through `executeWithoutBlocking` (Session+NonBlocking.swift).
    var isNonBlocking = false
    /// The PageStore transactions that statement read through.
    var nonBlockingTransactions: [ReadTransaction] = []
    /// `sql_mode` as last parsed by `sqlModeHas`.
    var sqlModeCache: (text: [UInt8], modes: Set<String>)?

    init(engine: Engine, connectionID: UInt32, user: String, host: String) {
        self.engine = engine
        self.connectionID = connectionID
        self.user = user
        self.host = host
        self.control = SessionControl(id: connectionID, user: user, host: host)
        self.variables = SystemVariables.sessionDefaults(engine: engine)
    }

    public var inTransaction: Bool { explicitTransaction || writeTx != nil }
    public var autocommit: Bool { variables["autocommit"]?.truth ?? true }
    public var warningCount: UInt16 { UInt16(min(warnings.count, Int(UInt16.max))) }

    /// COM_INIT_DB.
    public func useDatabase(_ name: String) throws {
        guard currentCatalog().databases[name] != nil || name.lowercased() == "information_schema" else {
            throw SQLError.unknownDatabase(name)
        }
        try checkDatabaseAccess(name)
        currentDatabase = name.lowercased() == "information_schema" ? "information_schema" : name
    }

    /// Runs every statement in `sql`, calling `result` once per statement, in order; throws the
    /// error of the first failing statement (earlier results were already delivered).
    public func execute(_ sql: [UInt8], multiStatements: Bool, result: (StatementResult) throws -> Void) throws {
        control.killedQuery.store(false, ordering: .relaxed)
        if control.killedConnection.load(ordering: .relaxed) { throw SQLError.queryInterrupted }
        var parser = try Parser(sql, ansiQuotes: sqlModeHas("ANSI_QUOTES"), noBackslashEscapes: sqlModeHas("NO_BACKSLASH_ESCAPES"),
                                maxDepth: engine.options.maxParserDepth)
        var first = true
        while true {
            guard let (statement, text) = try parser.nextStatement() else {
                if first { throw SQLError.emptyQuery() }
                return
            }
            if !first && !multiStatements {
                throw SQLError.syntax(near: text, line: 1)
            }
            first = false
            control.info.withLock { $0 = (currentDatabase, "Query", "executing", text, currentMicroseconds()) }
            defer { control.info.withLock { $0 = (currentDatabase, "Sleep", "", nil, currentMicroseconds()) } }
            let r = try run(statement, parameters: [], text: text)
            try result(r)
        }
    }

    /// COM_STMT_PREPARE: one statement with `?` parameters.
    public func prepare(_ sql: [UInt8]) throws -> PreparedStatement {
        var parser = try Parser(sql, ansiQuotes: sqlModeHas("ANSI_QUOTES"), noBackslashEscapes: sqlModeHas("NO_BACKSLASH_ESCAPES"),
                                maxDepth: engine.options.maxParserDepth)
        guard let (statement, text) = try parser.nextStatement() else { throw SQLError.emptyQuery() }
        if try parser.nextStatement() != nil { throw SQLError.syntax(near: text, line: 1) }
        let id = nextStatementID
        nextStatementID &+= 1
        let columns = (try? describeColumns(statement)) ?? []
        preparedStatements[id] = PreparedPlan(statement: statement, text: text, parameterCount: parser.parameterCount)
        return PreparedStatement(id: id, parameterCount: parser.parameterCount, columns: columns)
    }

    /// COM_STMT_EXECUTE.
    public func execute(_ stmt: PreparedStatement, parameters: [SQLValue]) throws -> StatementResult {
        control.killedQuery.store(false, ordering: .relaxed)
        guard let plan = preparedStatements[stmt.id] else { throw SQLError.unknownStatementHandler(String(stmt.id)) }
        guard parameters.count == plan.parameterCount else {
            throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to mysqld_stmt_execute")
        }
        control.info.withLock { $0 = (currentDatabase, "Execute", "executing", plan.text, currentMicroseconds()) }
        defer { control.info.withLock { $0 = (currentDatabase, "Sleep", "", nil, currentMicroseconds()) } }
        return try run(plan.statement, parameters: parameters.map(Value.init), text: plan.text, preparedID: stmt.id)
    }

    /// COM_STMT_CLOSE.
    public func deallocate(_ stmt: PreparedStatement) {
        preparedStatements[stmt.id] = nil
    }

    /// COM_RESET_CONNECTION: rolls back, drops prepared statements and user variables, resets session variables.
    public func reset() throws {
        rollbackTransaction()
        preparedStatements = [:]
        namedPrepared = [:]
        userVariables = [:]
        variables = SystemVariables.sessionDefaults(engine: engine)
        settingsGeneration &+= 1
        warnings = []
        lastInsertID = 0
    }

    /// The connection is gone: roll back any open transaction.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        rollbackTransaction()
        preparedStatements = [:]  // cached plans hold this session
        _ = UserLocks.shared.releaseAll(engine: engine, owner: connectionID)
        engine.unregister(connectionID)
    }

    /// A session-scope system variable (nil when unknown).
    public func systemVariable(_ name: String) -> SQLValue? {
        guard let v = variables[name.lowercased()] ?? engine.globalVariable(name.lowercased()) else { return nil }
        return v.sqlValue
    }

    func sqlModeHas(_ mode: String) -> Bool {
        guard case .text(let b)? = variables["sql_mode"] else { return false }
        // parsed once per value: several checks run in every statement
        if let cached = sqlModeCache, cached.text == b { return cached.modes.contains(mode) }
        let modes = Set(String(decoding: b, as: UTF8.self).uppercased().split(separator: ",").map(String.init))
        sqlModeCache = (b, modes)
        return modes.contains(mode)
    }

    var isStrict: Bool { sqlModeHas("STRICT_TRANS_TABLES") || sqlModeHas("STRICT_ALL_TABLES") }

    deinit {
        if !isClosed {
            rollbackTransaction()
            _ = UserLocks.shared.releaseAll(engine: engine, owner: connectionID)
            engine.unregister(connectionID)
        }
    }
}

struct PreparedPlan {
    var statement: Statement
    var text: String
    var parameterCount: Int
    /// The compiled SELECT from the last execution, when it may be reused.
    var cached: CachedPlan?
}

struct SQLWarning {
    var level: String
    var code: UInt16
    var message: String
}
