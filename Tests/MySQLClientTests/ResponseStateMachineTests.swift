import MySQLWire
import Testing
@testable import MySQLClient

@Suite struct ResponseStateMachineTests {
    let column = MySQLColumnDefinition(name: "n", characterSet: 63, columnLength: 20, type: .longlong, flags: [.notNull])
    let textColumn = MySQLColumnDefinition(name: "s", characterSet: 45, columnLength: 200, type: .varString)

    func feed(_ machine: inout MySQLResponseStateMachine, _ payloads: [[UInt8]]) -> MySQLResponseStateMachine.Action? {
        var last: MySQLResponseStateMachine.Action?
        for (i, payload) in payloads.enumerated() {
            last = machine.receive(MySQLPacket(sequenceID: UInt8(i + 1), payload: payload))
            if case .needMore = last! { continue }
            #expect(i == payloads.count - 1, "finished early at packet \(i)")
        }
        return last
    }

    @Test(arguments: [false, true])
    func textResultSetsThenOK(deprecateEOF: Bool) throws {
        let capabilities: MySQLCapabilities = deprecateEOF ? [.protocol41, .deprecateEOF] : [.protocol41]
        var machine = MySQLResponseStateMachine(expectation: .results(binaryRows: false), capabilities: capabilities)
        let more: MySQLServerStatus = [.autocommit, .moreResultsExist]
        let end: [UInt8] = deprecateEOF ? MySQLOKPacket(status: more).encode(capabilities: capabilities, asEOF: true)
            : MySQLEOFPacket(status: more).encode()
        var packets: [[UInt8]] = [MySQLColumnCount.encode(2), column.encode(), textColumn.encode()]
        if !deprecateEOF { packets.append(MySQLEOFPacket(status: .autocommit).encode()) }
        packets += [MySQLTextRow.encode([Array("42".utf8), nil]), MySQLTextRow.encode([Array("-7".utf8), Array("x".utf8)]), end]
        packets.append(MySQLOKPacket(affectedRows: 3, lastInsertID: 9, status: .autocommit).encode(capabilities: capabilities))
        guard case .done(.results(let results)) = feed(&machine, packets) else {
            Issue.record("not done")
            return
        }
        #expect(results.count == 2)
        #expect(results[0].rows.map(\.values) == [[.int(42), .null], [.int(-7), .string(Array("x".utf8))]])
        #expect(results[1].affectedRows == 3)
        #expect(results[1].lastInsertID == 9)
    }

    @Test func errorInTheMiddleOfRows() {
        var machine = MySQLResponseStateMachine(expectation: .results(binaryRows: false), capabilities: [.protocol41, .deprecateEOF])
        let packets = [MySQLColumnCount.encode(1), column.encode(), MySQLTextRow.encode([Array("1".utf8)]),
                       MySQLErrorPacket(code: 1317, sqlState: "70100", message: "Query execution was interrupted").encode()]
        guard case .fail(let error, let close) = feed(&machine, packets) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == 1317)
        #expect(!close)
    }

    @Test func binaryRows() {
        let capabilities: MySQLCapabilities = [.protocol41]
        var machine = MySQLResponseStateMachine(expectation: .results(binaryRows: true), capabilities: capabilities)
        let columns = [column, textColumn]
        let packets = [MySQLColumnCount.encode(2), column.encode(), textColumn.encode(), MySQLEOFPacket(status: []).encode(),
                       MySQLBinaryRow.encode([.int(5), .string([0x61])], columns: columns), MySQLEOFPacket(status: []).encode()]
        guard case .done(.results(let results)) = feed(&machine, packets) else {
            Issue.record("not done")
            return
        }
        #expect(results[0].rows[0].values == [.int(5), .string([0x61])])
    }

    @Test func prepareResponse() {
        var machine = MySQLResponseStateMachine(expectation: .prepare, capabilities: [.protocol41])
        let param = MySQLColumnDefinition(name: "?", characterSet: 63, columnLength: 0, type: .varString)
        let packets = [MySQLPrepareOK(statementID: 3, columnCount: 1, parameterCount: 2).encode(), param.encode(), param.encode(),
                       MySQLEOFPacket(status: []).encode(), column.encode(), MySQLEOFPacket(status: []).encode()]
        guard case .done(.prepared(let ok, let columns)) = feed(&machine, packets) else {
            Issue.record("not done")
            return
        }
        #expect(ok.statementID == 3)
        #expect(columns.names == ["n"])
    }

    @Test(arguments: [[UInt8](), [0x05], [0x02, 0x00], [0xFB, 0x2F]])
    func garbageIsAProtocolViolation(_ payload: [UInt8]) {
        var machine = MySQLResponseStateMachine(expectation: .results(binaryRows: false), capabilities: [.protocol41])
        var action = machine.receive(MySQLPacket(sequenceID: 1, payload: payload))
        if case .needMore = action { action = machine.receive(MySQLPacket(sequenceID: 2, payload: [0x01, 0x02])) }
        guard case .fail(_, closeConnection: true) = action else {
            Issue.record("expected a fatal failure, got \(action)")
            return
        }
    }
}
