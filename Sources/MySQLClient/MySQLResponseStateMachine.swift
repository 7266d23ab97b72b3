import MySQLWire

/// Reads the response to one command, packet by packet, as a value-type state machine.
///
///   result     := OK | ERR | column-count coldef{n} [EOF] row* (EOF | OK-as-EOF)
///   response   := result (while SERVER_MORE_RESULTS_EXISTS: result)*
///   prepare-ok := 0x00 header, param-def{p} [EOF], coldef{c} [EOF]
///
/// `[EOF]` is present unless CLIENT_DEPRECATE_EOF was negotiated; the end of rows is
/// then an OK packet with header 0xFE.
struct MySQLResponseStateMachine {
    enum Expectation: Sendable {
        /// COM_PING, COM_INIT_DB, COM_RESET_CONNECTION, COM_SET_OPTION...: OK or ERR.
        case ok
        /// COM_QUERY (text rows) or COM_STMT_EXECUTE (binary rows).
        case results(binaryRows: Bool)
        /// COM_STMT_PREPARE.
        case prepare
    }

    enum Action {
        case needMore
        case done(MySQLResponse)
        /// `closeConnection`: the stream can no longer be followed.
        case fail(MySQLClientError, closeConnection: Bool)
    }

    private enum State {
        case awaitingFirst
        case columns(remaining: Int, definitions: [MySQLColumnDefinition])
        case columnsEOF(MySQLColumns)
        case rows(MySQLColumns, [MySQLRow])
        case prepareParameters(MySQLPrepareOK, remaining: Int)
        case prepareParametersEOF(MySQLPrepareOK)
        case prepareColumns(MySQLPrepareOK, remaining: Int, definitions: [MySQLColumnDefinition])
        case prepareColumnsEOF(MySQLPrepareOK, MySQLColumns)
        case finished
    }

    private let expectation: Expectation
    private let capabilities: MySQLCapabilities
    private var state: State = .awaitingFirst
    private var results: [MySQLResultSet] = []

    init(expectation: Expectation, capabilities: MySQLCapabilities) {
        self.expectation = expectation
        self.capabilities = capabilities
    }

    private var usesEOF: Bool { !capabilities.contains(.deprecateEOF) }

    mutating func receive(_ packet: MySQLPacket) -> Action {
        do {
            return try step(packet.payload)
        } catch let error as MySQLWireError {
            state = .finished
            return .fail(.protocolViolation("\(error)"), closeConnection: true)
        } catch {
            state = .finished
            return .fail(.protocolViolation("\(error)"), closeConnection: true)
        }
    }

    private mutating func step(_ payload: [UInt8]) throws -> Action {
        switch state {
        case .awaitingFirst:
            return try first(payload)
        case .columns(let remaining, var definitions):
            definitions.append(try MySQLColumnDefinition.decode(payload))
            if remaining > 1 {
                state = .columns(remaining: remaining - 1, definitions: definitions)
            } else {
                let columns = MySQLColumns(definitions)
                state = usesEOF ? .columnsEOF(columns) : .rows(columns, [])
            }
            return .needMore
        case .columnsEOF(let columns):
            try expectEOF(payload, after: "column definitions")
            state = .rows(columns, [])
            return .needMore
        case .rows(let columns, var rows):
            if payload.first == MySQLErrorPacket.header {
                state = .finished
                return .fail(MySQLClientError(try MySQLErrorPacket.decode(payload)), closeConnection: false)
            }
            if MySQLEOFPacket.isEndOfData(payload, capabilities: capabilities) {
                var result = MySQLResultSet(columns: columns, rows: rows)
                if usesEOF {
                    let eof = try MySQLEOFPacket.decode(payload)
                    result.warnings = eof.warnings
                    result.status = eof.status
                } else {
                    let ok = try MySQLOKPacket.decode(payload, capabilities: capabilities)
                    result.warnings = ok.warnings
                    result.status = ok.status
                }
                return finishResult(result)
            }
            let values: [MySQLValue]
            if case .results(binaryRows: true) = expectation {
                values = try MySQLBinaryRow.decode(payload, columns: columns.definitions)
            } else {
                values = try MySQLTextValueDecoder.decodeRow(payload, columns: columns.definitions)
            }
            // Avoid a copy of the array on append: take it out of the state first.
            state = .finished
            rows.append(MySQLRow(columns: columns, values: values))
            state = .rows(columns, rows)
            return .needMore
        case .prepareParameters(let ok, let remaining):
            _ = try MySQLColumnDefinition.decode(payload)
            if remaining > 1 {
                state = .prepareParameters(ok, remaining: remaining - 1)
            } else if usesEOF {
                state = .prepareParametersEOF(ok)
            } else {
                return afterPrepareParameters(ok)
            }
            return .needMore
        case .prepareParametersEOF(let ok):
            try expectEOF(payload, after: "parameter definitions")
            return afterPrepareParameters(ok)
        case .prepareColumns(let ok, let remaining, var definitions):
            definitions.append(try MySQLColumnDefinition.decode(payload))
            if remaining > 1 {
                state = .prepareColumns(ok, remaining: remaining - 1, definitions: definitions)
                return .needMore
            }
            let columns = MySQLColumns(definitions)
            if usesEOF {
                state = .prepareColumnsEOF(ok, columns)
                return .needMore
            }
            state = .finished
            return .done(.prepared(ok, columns))
        case .prepareColumnsEOF(let ok, let columns):
            try expectEOF(payload, after: "prepared statement columns")
            state = .finished
            return .done(.prepared(ok, columns))
        case .finished:
            return .fail(.protocolViolation("packet after the end of a response"), closeConnection: true)
        }
    }

    private mutating func first(_ payload: [UInt8]) throws -> Action {
        let kind = try MySQLResponseKind.classify(payload, capabilities: capabilities)
        switch (kind, expectation) {
        case (.error, _):
            state = .finished
            return .fail(MySQLClientError(try MySQLErrorPacket.decode(payload)), closeConnection: false)
        case (.ok, .prepare):
            let ok = try MySQLPrepareOK.decode(payload)
            if ok.parameterCount > 0 {
                state = .prepareParameters(ok, remaining: Int(ok.parameterCount))
                return .needMore
            }
            return afterPrepareParameters(ok)
        case (.ok, .ok):
            state = .finished
            return .done(.ok(try MySQLOKPacket.decode(payload, capabilities: capabilities)))
        case (.ok, .results):
            let ok = try MySQLOKPacket.decode(payload, capabilities: capabilities)
            return finishResult(MySQLResultSet(columns: MySQLResultSet.empty, affectedRows: ok.affectedRows,
                                               lastInsertID: ok.lastInsertID, warnings: ok.warnings, status: ok.status))
        case (.resultSet(let count), .results):
            guard count > 0, count <= 4096 else { throw MySQLWireError.malformed(field: "column count", reason: "\(count)") }
            state = .columns(remaining: Int(count), definitions: [])
            return .needMore
        case (.localInfile, _):
            state = .finished
            return .fail(.protocolViolation("LOCAL INFILE requested, which this client never allows"), closeConnection: true)
        default:
            state = .finished
            return .fail(.protocolViolation("unexpected response \(kind) to a command expecting \(expectation)"), closeConnection: true)
        }
    }

    private mutating func afterPrepareParameters(_ ok: MySQLPrepareOK) -> Action {
        if ok.columnCount > 0 {
            state = .prepareColumns(ok, remaining: Int(ok.columnCount), definitions: [])
            return .needMore
        }
        state = .finished
        return .done(.prepared(ok, MySQLResultSet.empty))
    }

    private mutating func finishResult(_ result: MySQLResultSet) -> Action {
        results.append(result)
        if result.status.contains(.moreResultsExist) {
            state = .awaitingFirst
            return .needMore
        }
        state = .finished
        return .done(.results(results))
    }

    private func expectEOF(_ payload: [UInt8], after what: String) throws {
        guard MySQLEOFPacket.isEndOfData(payload, capabilities: []) else {
            throw MySQLWireError.malformed(field: "EOF after \(what)", reason: "another packet came")
        }
    }
}

/// A command's decoded response.
enum MySQLResponse: Sendable {
    case ok(MySQLOKPacket)
    case results([MySQLResultSet])
    case prepared(MySQLPrepareOK, MySQLColumns)
}
