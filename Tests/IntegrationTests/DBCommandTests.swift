import Foundation
import MySQLWire
import Testing

/// Commands without SQL on a raw socket: statistics, set option, reset connection,
/// change user, the connection limit and the idle timeout.
@Suite(.serialized, .enabled(if: mariadbInstalled)) struct DBCommandTests {
    @Test func statisticsSetOptionResetAndChangeUser() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)  // caches root's digest
        let socket = try DBRawSocket(port: db.port)
        #expect(try socket.login(password: DBFixture.rootPassword)?.payload.first == 0x00)

        socket.sendPacket([MySQLCommand.statistics.rawValue], sequenceID: 0)
        let statistics = String(decoding: try #require(socket.readPacket()).payload, as: UTF8.self)
        #expect(statistics.hasPrefix("Uptime: ") && statistics.contains("  Threads: "), "\(statistics)")

        socket.sendPacket(MySQLSetOption.multiStatementsOff.encode(), sequenceID: 0)
        #expect(try MySQLEOFPacket.decode(try #require(socket.readPacket()).payload).status.contains(.autocommit))

        socket.sendPacket([MySQLCommand.resetConnection.rawValue], sequenceID: 0)
        #expect(socket.readPacket()?.payload.first == 0x00)

        // COM_CHANGE_USER answers the greeting's nonce; the digest is cached, so the fast path.
        let caps: MySQLCapabilities = [.protocol41, .secureConnection, .pluginAuth]
        let change = MySQLChangeUser(username: "root",
                                     authResponse: CachingSHA2Password.scramble(password: Array(DBFixture.rootPassword.utf8),
                                                                                nonce: socket.nonce),
                                     database: nil, characterSet: 45, authPluginName: "caching_sha2_password")
        socket.sendPacket(change.encode(capabilities: caps), sequenceID: 0)
        #expect(socket.readPacket()?.payload == MySQLAuthMoreData.fastAuthSuccess.encode())
        #expect(socket.readPacket()?.payload.first == 0x00)

        let wrong = MySQLChangeUser(username: "root", authResponse: [UInt8](repeating: 1, count: 32), database: nil,
                                    characterSet: 45, authPluginName: "caching_sha2_password")
        socket.sendPacket(wrong.encode(capabilities: caps), sequenceID: 0)
        #expect(try MySQLErrorPacket.decode(try #require(socket.readPacket()).payload).code == 1045)
        #expect(socket.waitForClose())
    }

    @Test func connectionLimit() throws {
        let db = try DBFixture(environment: ["ONEBOX_DB_MAX_CONNECTIONS": "2"])
        let first = try DBRawSocket(port: db.port)
        let second = try DBRawSocket(port: db.port)
        #expect(first.readPacket()?.payload.first == 10)
        #expect(second.readPacket()?.payload.first == 10)
        let third = try DBRawSocket(port: db.port)
        let refusal = try MySQLErrorPacket.decode(try #require(third.readPacket()).payload)
        #expect(refusal.code == 1040 && refusal.message == "Too many connections")
        #expect(third.waitForClose())
    }

    @Test func idleConnectionIsClosedAfterWaitTimeout() throws {
        let db = try DBFixture(environment: ["ONEBOX_DB_WAIT_TIMEOUT": "1"])
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
        let socket = try DBRawSocket(port: db.port)
        #expect(try socket.login(password: DBFixture.rootPassword)?.payload.first == 0x00)
        // No command: the server speaks first, with ERROR 4031, then closes.
        let error = try MySQLErrorPacket.decode(try #require(socket.readPacket()).payload)
        #expect(error.code == 4031)
        #expect(socket.waitForClose())
    }
}
