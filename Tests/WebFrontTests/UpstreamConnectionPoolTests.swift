import NIOCore
import NIOEmbedded
import OneboxCore
import Testing
@testable import WebFront

/// The per-loop pool's idle lists on an EmbeddedEventLoop (virtual time): `keepalive`
/// connections stay, the surplus is closed once idle for `surplusIdleTime`, oldest first.
@Suite struct UpstreamConnectionPoolTests {
    static let address = UpstreamAddress(.tcp(host: "127.0.0.1", port: 9))

    static func makeConnections(_ count: Int, loop: EmbeddedEventLoop) throws -> [UpstreamConnection] {
        try (0..<count).map { _ in
            let connection = UpstreamConnection(upstreamIndex: 0, address: address)
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(connection)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
            return connection
        }
    }

    @Test func surplusIdleConnectionsCloseAfterTheirIdleTimeOldestFirst() throws {
        let loop = EmbeddedEventLoop()
        let pool = UpstreamConnectionPool(eventLoop: loop)
        let connections = try Self.makeConnections(5, loop: loop)
        for connection in connections { pool.release(connection, keepalive: 2, surplusIdleTime: .seconds(1)) }
        #expect(pool.idleCount(Self.address) == 5)
        loop.advanceTime(by: .milliseconds(600))
        #expect(pool.idleCount(Self.address) == 5)
        // A request takes the newest; its return restarts that connection's idle time.
        var taken: UpstreamConnection?
        pool.acquire(index: 0, address: Self.address, connectTimeout: .seconds(1)) { result in
            if case .success(let acquired) = result { taken = acquired.connection; #expect(acquired.reused) }
        }
        #expect(taken === connections[4])
        pool.release(connections[4], keepalive: 2, surplusIdleTime: .seconds(1))
        loop.advanceTime(by: .milliseconds(400))
        #expect(pool.idleCount(Self.address) == 2)
        #expect(connections[0].isClosed && connections[1].isClosed && connections[2].isClosed)
        #expect(!connections[3].isClosed && !connections[4].isClosed)
        // What is left is within keepalive: it stays however long it is idle.
        loop.advanceTime(by: .seconds(60))
        #expect(pool.idleCount(Self.address) == 2)
    }

    @Test func zeroSurplusTimeClosesBeyondKeepaliveAtOnce() throws {
        let loop = EmbeddedEventLoop()
        let pool = UpstreamConnectionPool(eventLoop: loop)
        let connections = try Self.makeConnections(3, loop: loop)
        for connection in connections { pool.release(connection, keepalive: 1, surplusIdleTime: .zero) }
        #expect(pool.idleCount(Self.address) == 1)
        #expect(!connections[0].isClosed)
        #expect(connections[1].isClosed && connections[2].isClosed)
    }

    @Test func aConnectionClosedWhileIdleLeavesThePool() throws {
        let loop = EmbeddedEventLoop()
        let pool = UpstreamConnectionPool(eventLoop: loop)
        let connections = try Self.makeConnections(2, loop: loop)
        for connection in connections { pool.release(connection, keepalive: 4, surplusIdleTime: .seconds(1)) }
        connections[1].close()
        // The pool learns of a close through the connection's onClose, set when it connects;
        // an acquire skips closed ones in any case.
        var taken: UpstreamConnection?
        pool.acquire(index: 0, address: Self.address, connectTimeout: .seconds(1)) { result in
            if case .success(let acquired) = result { taken = acquired.connection }
        }
        #expect(taken === connections[0])
    }
}
