import Foundation
import MySQLWire
import Testing

/// Malformed, truncated and oversized packets on a raw socket: the client gets an ERR
/// packet where the protocol allows one, the connection is closed where the stream
/// cannot be trusted, and the server keeps serving everyone else.
@Suite(.serialized, .enabled(if: mariadbInstalled)) struct DBHostileInputTests {
    @Test func garbageLoginGetsBadHandshakeAndClose() throws {
        let db = try DBFixture()
        let socket = try DBRawSocket(port: db.port)
        #expect(socket.readPacket() != nil)  // greeting
        socket.sendPacket([0x01, 0x02, 0x03], sequenceID: 1)
        let reply = try #require(socket.readPacket())
        let error = try MySQLErrorPacket.decode(reply.payload)
        #expect(error.code == 1043 && error.sqlState == "08S01")
        #expect(socket.waitForClose())
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
    }

    @Test func oversizedLoginPacketIsRefusedFromItsHeader() throws {
        let db = try DBFixture()
        let socket = try DBRawSocket(port: db.port)
        #expect(socket.readPacket() != nil)
        socket.send([0xFF, 0xFF, 0xFF, 0x01, 0x00])  // announces 16 MiB, sends one byte
        let reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1153)
        #expect(socket.waitForClose())
    }

    @Test func truncatedStreamsAndRandomBytesNeverHurtTheServer() throws {
        // A packet announced longer than what was sent waits for the login deadline.
        let db = try DBFixture(environment: ["ONEBOX_DB_CONNECT_TIMEOUT": "2"])
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let socket = try DBRawSocket(port: db.port)
            _ = socket.readPacket()
            let length = Int.random(in: 1..<300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, bytes.count > 4 { bytes[3] = 1 }  // plausible sequence id
            socket.send(bytes)
            // Whatever the server answers, it must answer or close, never hang: the read
            // returns (a packet, or nil on close) well before the 20 s receive timeout.
            _ = socket.readPacket()
        }
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
    }

    @Test func commandsAfterLoginWithBadArguments() throws {
        let db = try DBFixture(environment: ["ONEBOX_DB_MAX_ALLOWED_PACKET": "65536"])
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)  // caches root's digest
        let socket = try DBRawSocket(port: db.port)
        let ok = try #require(try socket.login(password: DBFixture.rootPassword))
        #expect(ok.payload.first == 0x00, "login failed: \(ok.payload)")

        // EXECUTE of a statement that was never prepared, and a truncated one.
        socket.sendPacket([0x17, 0x63, 0, 0, 0, 0, 1, 0, 0, 0], sequenceID: 0)
        var reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1243)
        socket.sendPacket([0x17, 0x01], sequenceID: 0)
        reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1243)
        // An unknown command byte and an empty packet: ERR 1047, connection stays.
        socket.sendPacket([0xEE], sequenceID: 0)
        reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1047)
        socket.sendPacket([], sequenceID: 0)
        reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1047)
        // COM_STMT_CLOSE and SEND_LONG_DATA of nonsense have no reply; PING still answers.
        socket.sendPacket([0x19], sequenceID: 0)
        socket.sendPacket([0x18, 1, 2], sequenceID: 0)
        socket.sendPacket([0x0E], sequenceID: 0)
        reply = try #require(socket.readPacket())
        #expect(reply.payload.first == 0x00)
        // A command whose sequence id is not 0: out of order, closed.
        socket.sendPacket([0x0E], sequenceID: 5)
        reply = try #require(socket.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1156)
        #expect(socket.waitForClose())

        // Bigger than max_allowed_packet (64 KiB here): 1153 and closed, as MySQL does.
        let big = try DBRawSocket(port: db.port)
        #expect(try big.login(password: DBFixture.rootPassword)?.payload.first == 0x00)
        big.sendPacket([0x03] + Array(repeating: UInt8(ascii: " "), count: 70_000), sequenceID: 0)
        reply = try #require(big.readPacket())
        #expect(try MySQLErrorPacket.decode(reply.payload).code == 1153)
        #expect(big.waitForClose())
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
    }
}
