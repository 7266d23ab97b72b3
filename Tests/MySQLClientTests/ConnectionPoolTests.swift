import MariaDBTestSupport
import Testing
@testable import MySQLClient

@Suite struct ConnectionPoolTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func boundedAndTimesOutInsteadOfWaitingForever(kind: TestDatabaseKind) async throws {
        let server = try await kind.shared()
        let pool = MySQLConnectionPool(configuration: try MySQLConnectionConfiguration(url: server.url()),
                                       options: .init(maximumConnections: 2, checkoutTimeout: .milliseconds(200)))
        let held1 = try await pool.checkout()
        let held2 = try await pool.checkout()
        do {
            _ = try await pool.withConnection { c in try await c.ping() }
            Issue.record("a third connection was handed out")
        } catch let error as MySQLClientError {
            #expect(error == .poolExhausted(maximumConnections: 2, waited: .milliseconds(200)))
        }
        // A waiter gets the connection returned by another caller.
        async let waiting: Int = pool.withConnection { c in try await c.query("SELECT 5").rows[0].decode(Int.self, at: 0) }
        await pool.checkin(held1)
        #expect(try await waiting == 5)
        await pool.checkin(held2)
        #expect(await pool.statistics.open == 2)
        await pool.shutdown()
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func manyConcurrentCallersShareFewConnections(kind: TestDatabaseKind) async throws {
        let server = try await kind.shared()
        let pool = MySQLConnectionPool(configuration: try MySQLConnectionConfiguration(url: server.url()),
                                       options: .init(maximumConnections: 4, checkoutTimeout: .seconds(30)))
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await pool.withConnection { c in try await c.execute("SELECT ?", [i]).rows[0].decode(Int.self, at: 0) }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(sum == (0..<200).reduce(0, +))
        #expect(await pool.statistics.open <= 4)
        await pool.shutdown()
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func survivesAServerRestart(kind: TestDatabaseKind) async throws {
        let server = try await kind.start()
        defer { server.stop(keepingData: false) }
        let pool = MySQLConnectionPool(configuration: try MySQLConnectionConfiguration(url: server.url()),
                                       options: .init(maximumConnections: 3, checkoutTimeout: .seconds(10),
                                                      healthCheckAfterIdle: .seconds(3600)))
        _ = try await pool.withConnection { c in try await c.ping() }
        try await server.restart()
        // The server closed every pooled connection; checkout notices and reconnects.
        let after = try await pool.withConnection { c in
            (c.session.connectionID, try await c.query("SELECT 1").rows[0].decode(Int.self, at: 0))
        }
        #expect(after.1 == 1)
        server.stop()
        await #expect(throws: MySQLClientError.self) { try await pool.withConnection { c in try await c.ping() } }
        try await server.restart()
        #expect(try await pool.withConnection { c in try await c.query("SELECT 2").rows[0].decode(Int.self, at: 0) } == 2)
        await pool.shutdown()
    }
}
