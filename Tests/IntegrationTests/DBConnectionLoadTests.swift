import Foundation
import MySQLWire
import Testing

/// Many connections without a thread each: 500 logged-in idle connections stay
/// served while 64 others each have a query in flight at the same moment.
@Suite(.serialized, .enabled(if: mariadbInstalled)) struct DBConnectionLoadTests {
    @Test func fiveHundredIdleAndSixtyFourBusy() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)  // caches root's digest
        var idle: [DBRawSocket] = []
        for _ in 0..<500 {
            let socket = try DBRawSocket(port: db.port)
            let reply = try #require(try socket.login(password: DBFixture.rootPassword))
            #expect(reply.payload.first == 0x00)
            idle.append(socket)
        }
        var busy: [DBRawSocket] = []
        for _ in 0..<64 {
            let socket = try DBRawSocket(port: db.port)
            #expect(try socket.login(password: DBFixture.rootPassword)?.payload.first == 0x00)
            busy.append(socket)
        }
        // All 64 queries are sent before any reply is read: they are in flight together.
        for (index, socket) in busy.enumerated() {
            socket.sendPacket(MySQLSimpleCommand.encode(.query, argument: Array("SELECT \(index)".utf8)), sequenceID: 0)
        }
        for (index, socket) in busy.enumerated() {
            let columnCount = try #require(socket.readPacket())
            #expect(columnCount.payload == [1])
            _ = socket.readPacket()                      // column definition
            _ = socket.readPacket()                      // EOF
            let row = try #require(socket.readPacket())
            #expect(try MySQLTextRow.decode(row.payload, columnCount: 1) == [Array(String(index).utf8)])
            _ = socket.readPacket()                      // EOF
        }
        for socket in idle {
            socket.sendPacket([MySQLCommand.ping.rawValue], sequenceID: 0)
            #expect(socket.readPacket()?.payload.first == 0x00)
        }
    }
}
