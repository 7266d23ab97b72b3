/// Statement dispatch: which statements read, which write, which only touch the session.
extension Session {
    /// `preparedID`: the prepared statement being executed, whose compiled plan may be reused.
    func run(_ statement: Statement, parameters: [Value], text: String, preparedID: UInt32? = nil) throws -> StatementResult {
        let keepWarnings: Bool
        switch statement {
        case .show(.warnings), .show(.errors), .show(.countWarnings), .show(.countErrors): keepWarnings = true
        default: keepWarnings = false
        }
        if !keepWarnings { warnings = [] }
        do {
            let result = try dispatch(statement, parameters: parameters, text: text, preparedID: preparedID)
            switch result {
            case .ok(let affected, _, _): rowCount = Int64(affected)
            case .rows(_, let rows):
                rowCount = -1
                foundRows = UInt64(rows.count)
            }
            return result
        } catch let e as SQLError {
            if !keepWarnings { warnings = [SQLWarning(level: "Error", code: e.code, message: e.message)] }
            throw e
        }
    }

    private func dispatch(_ statement: Statement, parameters: [Value], text: String, preparedID: UInt32?) throws -> StatementResult {
        try checkStatementPrivileges(statement)
        switch statement {
        case .select(let q):
            if q.lockMode != nil && isExplicit {
                // a locking read: lock the rows it reads (on the newest state), then read them
                return try withWrite(parameters: parameters) { ctx in
                    try ctx.lockRowsRead(by: q)
                    return try ctx.runQuery(q)
                }
            }
            if let preparedID { return try withRead(parameters: parameters) { try runPrepared(q, id: preparedID, $0) } }
            return try withRead(parameters: parameters) { try $0.runQuery(q) }
        case .insert(let ast):
            return try withWrite(parameters: parameters) { try $0.runInsert(ast) }
        case .update(let ast):
            return try withWrite(parameters: parameters) { try $0.runUpdate(ast) }
        case .delete(let ast):
            return try withWrite(parameters: parameters) { try $0.runDelete(ast) }
        case .createDatabase, .dropDatabase, .createTable, .dropTable, .truncate, .createIndex, .dropIndex, .alterTable,
             .renameTable, .createView, .dropView, .createUser, .dropUser, .alterUser, .grant, .revoke:
            // DDL commits the open transaction first and runs on its own (MySQL's implicit commit)
            if isExplicit { try commitTransaction() }
            let wasExplicit = explicitTransaction
            explicitTransaction = false
            defer { explicitTransaction = wasExplicit && false }
            let r = try withWrite(parameters: parameters, exclusive: true) { try $0.runDDL(statement) }
            if !autocommit { try commitTransaction() }
            switch statement {
            case .createUser, .dropUser, .alterUser, .grant, .revoke: engine.grantsChanged()  // now committed
            default: break
            }
            return r
        case .use(let name):
            try useDatabase(name)
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .begin:
            try beginTransaction()
            return ok()
        case .commit:
            try commitTransaction()
            return ok()
        case .rollback:
            rollbackTransaction()
            return ok()
        case .savepoint(let name):
            try createSavepoint(name)
            return ok()
        case .rollbackToSavepoint(let name):
            try rollbackToSavepoint(name)
            return ok()
        case .releaseSavepoint(let name):
            try releaseSavepoint(name)
            return ok()
        case .set(let items):
            settingsGeneration &+= 1
            try runSet(items, parameters: parameters)
            return ok()
        case .show(let kind):
            return try withRead(parameters: parameters) { try $0.runShow(kind) }
        case .describe(let table, let column):
            return try withRead(parameters: parameters) { try $0.runShow(.columns(table: table, full: false, like: column.map { .literal(.string(Array($0.utf8), introducer: nil)) }, whereClause: nil)) }
        case .explain(let inner):
            guard case .select(let q) = inner else {
                return .rows(columns: explainColumns(), rows: [])
            }
            return try withRead(parameters: parameters) { ctx in
                let plan = try QueryCompiler(ctx).compile(q, parent: nil)
                return .rows(columns: explainColumns(), rows: plan.explain.enumerated().map { i, e in
                    [.int(1), .string(Array("SIMPLE".utf8)), .string(Array(e.table.utf8)), .null, .string(Array(e.type.utf8)),
                     e.possibleKeys.map { .string(Array($0.utf8)) } ?? .null, e.key.map { .string(Array($0.utf8)) } ?? .null, .null, .null,
                     .int(Int64(e.rows)), .double(100), .string(Array(e.extra.utf8))]
                })
            }
        case .prepare(let name, let source):
            let sql = try withRead(parameters: parameters) { ctx in
                try ExprCompiler(ctx).compile(source, Scope(parent: nil)).eval(Row(width: 0)).textBytes
            }
            let stmt = try prepare(sql)
            if let old = namedPrepared[name.lowercased()] { preparedStatements[old] = nil }
            namedPrepared[name.lowercased()] = stmt.id
            return .ok(affectedRows: 0, lastInsertID: 0, info: "Statement prepared")
        case .execute(let name, let using):
            guard let id = namedPrepared[name.lowercased()], let plan = preparedStatements[id] else {
                throw SQLError.unknownStatementHandler(name)
            }
            let values = using.map { userVariables[$0.lowercased()] ?? .null }
            guard values.count == plan.parameterCount else {
                throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to EXECUTE")
            }
            return try run(plan.statement, parameters: values, text: plan.text, preparedID: id)
        case .deallocate(let name):
            guard let id = namedPrepared.removeValue(forKey: name.lowercased()) else { throw SQLError.unknownStatementHandler(name) }
            preparedStatements[id] = nil
            return ok()
        case .kill(let e, let queryOnly):
            let id = try withRead(parameters: parameters) { ctx in try ExprCompiler(ctx).compile(e, Scope(parent: nil)).eval(Row(width: 0)).int64Value }
            guard engine.kill(connectionID: UInt32(truncatingIfNeeded: id), queryOnly: queryOnly) else {
                throw SQLError(code: 1094, sqlState: "HY000", message: "Unknown thread id: \(id)")
            }
            return ok()
        case .doExprs(let list):
            _ = try withRead(parameters: parameters) { ctx in
                for e in list { _ = try ExprCompiler(ctx).compile(e, Scope(parent: nil)).eval(Row(width: 0)) }
            }
            return ok()
        case .flush:
            engine.grantsChanged()  // FLUSH PRIVILEGES after editing the grant tables directly
            return ok()
        case .lockTables, .unlockTables, .noOp:
            return ok()
        case .analyze(let names), .optimize(let names), .checkTable(let names):
            let op: String
            switch statement {
            case .analyze: op = "analyze"
            case .optimize: op = "optimize"
            default: op = "check"
            }
            return try withRead(parameters: parameters) { ctx in
                var rows: [[SQLValue]] = []
                for n in names {
                    let db = try ctx.resolveDB(n.db)
                    _ = try ctx.table(n.db, n.name)
                    rows.append([.string(Array("\(db).\(n.name)".utf8)), .string(Array(op.utf8)), .string(Array("status".utf8)), .string(Array("OK".utf8))])
                }
                let cols = ["Table", "Op", "Msg_type", "Msg_text"].map { textColumn($0) }
                return .rows(columns: cols, rows: rows)
            }
        case .empty:
            throw SQLError.emptyQuery()
        }
    }

    func ok(_ affected: UInt64 = 0) -> StatementResult { .ok(affectedRows: affected, lastInsertID: 0, info: "") }

    func explainColumns() -> [ColumnDefinition] {
        ["id", "select_type", "table", "partitions", "type", "possible_keys", "key", "key_len", "ref", "rows", "filtered", "Extra"].map { textColumn($0) }
    }
}

func textColumn(_ name: String, length: UInt32 = 256) -> ColumnDefinition {
    ColumnDefinition(name: name, orgName: name, characterSet: 255, columnLength: length * 4, type: .varString, flags: 0, decimals: 0)
}

extension ExecContext {
    func runQuery(_ q: Query) throws -> StatementResult {
        try runPlan(try QueryCompiler(self).compile(q, parent: nil))
    }

    func runPlan(_ plan: QueryPlan) throws -> StatementResult {
        let rows = try plan.run(outer: nil, limit: nil)
        let columns = plan.columns.map { $0.definition }
        let types = plan.columns.map(\.type)
        var out: [[SQLValue]] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            var values: [SQLValue] = []
            values.reserveCapacity(r.count)
            for i in r.indices { values.append(r[i].sqlValue(types[i])) }
            out.append(values)
        }
        return .rows(columns: columns, rows: out)
    }
}
