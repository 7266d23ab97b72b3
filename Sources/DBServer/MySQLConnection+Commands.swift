import MySQLWire
import SQLEngine

// Commands after login: one call per client packet, on the worker pool or, for
// `handleWithoutBlocking`, the event loop (the threading invariant of MySQLConnection
// holds here too).
extension MySQLConnection {
    /// COM_STMT_EXECUTE of a statement that can finish without blocking
    /// (`Session.executeWithoutBlocking`), for the event loop: its reply, or nil — with
    /// nothing changed — when the packet must go to `handle` on the worker pool.
    func handleWithoutBlocking(_ packet: MySQLPacket) -> Reply? {
        guard case .ready = phase, let session, packet.sequenceID == 0,
              packet.payload.first == MySQLCommand.statementExecute.rawValue,
              let id = try? MySQLStatementExecute.statementID(of: packet.payload), var state = statements[id],
              state.longData.isEmpty,
              let execute = try? MySQLStatementExecute.decode(packet.payload, parameterCount: state.statement.parameterCount,
                                                              previousTypes: state.parameterTypes, longData: [:])
        else { return nil }
        var writer = ResponseWriter(capabilities: capabilities, sequenceID: packet.lastSequenceID &+ 1)
        do {
            guard let result = try session.executeWithoutBlocking(state.statement, parameters: execute.parameters.map(ValueConversion.sql))
            else { return nil }
            write((result, status(of: session), session.warningCount), more: false, binary: true, writer: &writer)
        } catch {
            writer.error(ValueConversion.error(error))
        }
        if let types = execute.parameterTypes {
            state.parameterTypes = types
            statements[id] = state
        }
        context.registry.countQuestion()
        return Reply(bytes: writer.bytes, idleTimeout: idleTimeout(of: session))
    }

    func handleCommand(_ packet: MySQLPacket) -> Reply {
        guard let session else { preconditionFailure("MySQLConnection in phase ready without a session") }
        var writer = ResponseWriter(capabilities: capabilities, sequenceID: packet.lastSequenceID &+ 1)
        guard packet.sequenceID == 0 else {
            writer.error(MySQLErrorPacket(code: 1156, sqlState: "08S01", message: "Got packets out of order"))
            return Reply(bytes: writer.bytes, close: true)
        }
        context.registry.countQuestion()
        let payload = packet.payload
        guard let commandByte = payload.first, let command = MySQLCommand(rawValue: commandByte) else {
            writer.error(MySQLErrorPacket(code: 1047, sqlState: "08S01", message: "Unknown command"))
            return Reply(bytes: writer.bytes, idleTimeout: idleTimeout(of: session))
        }
        var reply = Reply()
        switch command {
        case .query:
            query(MySQLSimpleCommand.argument(of: payload), session: session, writer: &writer, reply: &reply)
        case .initDB:
            do {
                try session.useDatabase(String(decoding: MySQLSimpleCommand.argument(of: payload), as: UTF8.self))
                writer.ok(status: status(of: session))
            } catch {
                writer.error(ValueConversion.error(error))
            }
        case .ping:
            writer.ok(status: status(of: session))
        case .quit:
            close()
            return Reply(close: true)
        case .fieldList:
            fieldList(payload, session: session, writer: &writer)
        case .statistics:
            writer.packet(Array(statistics().utf8))
        case .statementPrepare:
            prepare(MySQLSimpleCommand.argument(of: payload), session: session, writer: &writer)
        case .statementExecute:
            execute(payload, session: session, writer: &writer)
        case .statementSendLongData:
            if let data = try? MySQLStatementSendLongData.decode(payload), var state = statements[data.statementID],
               Int(data.parameterIndex) < state.statement.parameterCount {
                state.longData[Int(data.parameterIndex), default: []].append(contentsOf: data.data)
                statements[data.statementID] = state
            }
            return Reply(idleTimeout: idleTimeout(of: session))  // no reply, even on error
        case .statementClose:
            if let id = try? MySQLStatementIDCommand.decode(payload), let state = statements.removeValue(forKey: id) {
                session.deallocate(state.statement)
            }
            return Reply(idleTimeout: idleTimeout(of: session))  // no reply
        case .statementReset:
            guard let id = try? MySQLStatementIDCommand.decode(payload), statements[id] != nil else {
                writer.error(unknownStatement(payload, in: "mysqld_stmt_reset"))
                break
            }
            statements[id]?.longData = [:]
            writer.ok(status: status(of: session))
        case .setOption:
            do {
                multiStatementsEnabled = try MySQLSetOption.decode(payload) == .multiStatementsOn
                writer.endOfRows(status: status(of: session), warnings: 0)
            } catch {
                writer.error(MySQLErrorPacket(code: 1047, sqlState: "08S01", message: "Unknown command"))
            }
        case .resetConnection:
            do {
                for state in statements.values { session.deallocate(state.statement) }
                statements = [:]
                try session.reset()
                writer.ok(status: status(of: session))
            } catch {
                writer.error(ValueConversion.error(error))
            }
        case .changeUser:
            return changeUser(payload, writer: &writer)
        case .processKill:
            var reader = MySQLPacketReader(payload, offset: 1)
            if let id = try? reader.readUInt32("connection id") {
                kill(id, queryOnly: false, session: session, writer: &writer, reply: &reply)
            } else {
                writer.error(MySQLErrorPacket(code: 1047, sqlState: "08S01", message: "Unknown command"))
            }
        default:
            writer.error(MySQLErrorPacket(code: 1047, sqlState: "08S01", message: "Unknown command"))
        }
        reply.bytes = writer.bytes
        if reply.idleTimeout == nil, !reply.close { reply.idleTimeout = idleTimeout(of: session) }
        return reply
    }

    private func query(_ sql: [UInt8], session: Session, writer: inout ResponseWriter, reply: inout Reply) {
        if let kill = KillStatement(parsing: sql) {
            self.kill(kill.connectionID, queryOnly: kill.queryOnly, session: session, writer: &writer, reply: &reply)
            return
        }
        if let backup = BackupStatement(parsing: sql) {
            do {
                let result = try backup.run(session: session, engine: context.engine)
                write((result, status(of: session), 0), more: false, writer: &writer)
            } catch {
                writer.error(ValueConversion.error(error))
            }
            return
        }
        // Each result is written when the next one arrives, so that all but the last carry
        // SERVER_MORE_RESULTS_EXISTS; status and warnings are taken when a result is made.
        var pending: (result: StatementResult, status: MySQLServerStatus, warnings: UInt16)?
        do {
            try session.execute(sql, multiStatements: multiStatementsEnabled) { result in
                if let previous = pending { write(previous, more: true, writer: &writer) }
                pending = (result, status(of: session), session.warningCount)
            }
            if let last = pending { write(last, more: false, writer: &writer) }
            else { writer.error(MySQLErrorPacket(code: 1065, sqlState: "42000", message: "Query was empty")) }
        } catch {
            if let previous = pending { write(previous, more: true, writer: &writer) }
            writer.error(ValueConversion.error(error))
        }
    }

    private func write(_ item: (result: StatementResult, status: MySQLServerStatus, warnings: UInt16), more: Bool,
                       binary: Bool = false, writer: inout ResponseWriter) {
        var status = item.status
        if more { status.insert(.moreResultsExist) }
        switch item.result {
        case .rows(let columns, let rows):
            writer.resultSet(columns: columns, rows: rows, binary: binary, status: status, warnings: item.warnings)
        case .ok(let affectedRows, let lastInsertID, let info):
            writer.ok(affectedRows: affectedRows, lastInsertID: lastInsertID, status: status, warnings: item.warnings, info: info)
        }
    }

    private func prepare(_ sql: [UInt8], session: Session, writer: inout ResponseWriter) {
        let statement: PreparedStatement
        do {
            statement = try session.prepare(sql)
        } catch {
            writer.error(ValueConversion.error(error))
            return
        }
        statements[statement.id] = StatementState(statement: statement)
        writer.packet(MySQLPrepareOK(statementID: statement.id, columnCount: UInt16(clamping: statement.columns.count),
                                     parameterCount: UInt16(clamping: statement.parameterCount),
                                     warnings: session.warningCount).encode())
        let status = status(of: session)
        if statement.parameterCount > 0 {
            let parameter = MySQLColumnDefinition(name: "?", characterSet: UInt16(MySQLCharacterSet.binary),
                                                  columnLength: 0, type: .varString, flags: [.binary])
            let encoded = parameter.encode()
            for _ in 0..<statement.parameterCount { writer.packet(encoded) }
            writer.endOfMetadata(status: status)
        }
        if !statement.columns.isEmpty {
            for column in statement.columns { writer.packet(ValueConversion.column(column).encode()) }
            writer.endOfMetadata(status: status)
        }
    }

    private func execute(_ payload: [UInt8], session: Session, writer: inout ResponseWriter) {
        guard let id = try? MySQLStatementExecute.statementID(of: payload), var state = statements[id] else {
            writer.error(unknownStatement(payload, in: "mysqld_stmt_execute"))
            return
        }
        let execute: MySQLStatementExecute
        do {
            execute = try MySQLStatementExecute.decode(payload, parameterCount: state.statement.parameterCount,
                                                       previousTypes: state.parameterTypes, longData: state.longData)
        } catch {
            writer.error(MySQLErrorPacket(code: 1210, sqlState: "HY000", message: "Incorrect arguments to mysqld_stmt_execute"))
            return
        }
        if let types = execute.parameterTypes { state.parameterTypes = types }
        state.longData = [:]
        statements[id] = state
        do {
            let result = try session.execute(state.statement, parameters: execute.parameters.map(ValueConversion.sql))
            write((result, status(of: session), session.warningCount), more: false, binary: true, writer: &writer)
        } catch {
            writer.error(ValueConversion.error(error))
        }
    }

    private func unknownStatement(_ payload: [UInt8], in command: String) -> MySQLErrorPacket {
        let id = (try? MySQLStatementIDCommand.decode(payload)).map(String.init) ?? "?"
        return MySQLErrorPacket(code: 1243, sqlState: "HY000", message: "Unknown prepared statement handler (\(id)) given to \(command)")
    }

    private func fieldList(_ payload: [UInt8], session: Session, writer: inout ResponseWriter) {
        guard let command = try? MySQLFieldListCommand.decode(payload), !command.table.isEmpty else {
            writer.error(MySQLErrorPacket(code: 1047, sqlState: "08S01", message: "Unknown command"))
            return
        }
        var quoted: [UInt8] = [UInt8(ascii: "`")]
        for byte in command.table {
            quoted.append(byte)
            if byte == UInt8(ascii: "`") { quoted.append(byte) }
        }
        quoted.append(UInt8(ascii: "`"))
        var columns: [ColumnDefinition] = []
        do {
            try session.execute(Array("SELECT * FROM ".utf8) + quoted + Array(" LIMIT 0".utf8), multiStatements: false) { result in
                if case .rows(let c, _) = result { columns = c }
            }
        } catch {
            writer.error(ValueConversion.error(error))
            return
        }
        for column in columns {
            var definition = ValueConversion.column(column)
            definition.defaultValue = []
            writer.packet(definition.encode())
        }
        writer.endOfRows(status: status(of: session), warnings: 0)
    }

    private func statistics() -> String {
        let uptime = max(1, (ContinuousClock.now - context.startTime).components.seconds)
        let questions = context.registry.questions
        let average = Double(questions) / Double(uptime)
        let rounded = (average * 1000).rounded() / 1000
        return "Uptime: \(uptime)  Threads: \(context.registry.count)  Questions: \(questions)  Slow queries: 0  "
            + "Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: \(rounded)"
    }

    private func changeUser(_ payload: [UInt8], writer: inout ResponseWriter) -> Reply {
        guard let change = try? MySQLChangeUser.decode(payload, capabilities: capabilities) else {
            phase = .closed
            writer.error(MySQLErrorPacket(code: 1043, sqlState: "08S01", message: "Bad handshake"))
            return Reply(bytes: writer.bytes, close: true)
        }
        user = change.username
        let clientPlugin = capabilities.contains(.pluginAuth) ? (change.authPluginName.flatMap { $0.isEmpty ? nil : $0 }) : nil
        var exchange = AuthenticationExchange(account: lookUpAccount(user), user: user, clientHost: clientHost,
                                              nonce: nonce, defaultPlugin: decoyPlugin(clientPlugin))
        let action = exchange.begin(clientPlugin: clientPlugin, token: change.authResponse,
                                    canSwitch: capabilities.contains(.pluginAuth), context: authenticationContext)
        return apply(action, exchange: exchange, purpose: .changeUser(database: change.database), writer: &writer)
    }

    private func kill(_ id: UInt32, queryOnly: Bool, session: Session, writer: inout ResponseWriter, reply: inout Reply) {
        guard let entry = context.registry.entry(id) else {
            writer.error(MySQLErrorPacket(code: 1094, sqlState: "HY000", message: "Unknown thread id: \(id)"))
            return
        }
        // Without a privilege system in the server, root may kill anything and others only their own.
        guard entry.user == user || user == "root" else {
            writer.error(MySQLErrorPacket(code: 1095, sqlState: "HY000", message: "You are not owner of thread \(id)"))
            return
        }
        if id == connectionID {
            if queryOnly {
                writer.error(MySQLErrorPacket(code: 1317, sqlState: "70100", message: "Query execution was interrupted"))
                return
            }
            writer.error(MySQLErrorPacket(code: 1317, sqlState: "70100", message: "Query execution was interrupted"))
            close()
            reply.close = true
            return
        }
        _ = context.engine.kill(connectionID: id, queryOnly: queryOnly)
        if !queryOnly { entry.close() }
        writer.ok(status: status(of: session))
    }
}
