import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Idle keep-alive upstream connections of one event loop. Used only on that loop, so
/// a request never waits for another thread: a request and its upstream connection
/// live on the same loop (nginx's per-worker keepalive cache).
final class UpstreamConnectionPool {
    let eventLoop: any EventLoop
    private var idle: [UpstreamAddress: [UpstreamConnection]] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// An idle connection to `address`, or a new one.
    /// `completion` runs on the loop; `reused` tells a pooled connection from a new one.
    func acquire(index: Int, address: UpstreamAddress, connectTimeout: Duration,
                 completion: @escaping (Result<(connection: UpstreamConnection, reused: Bool), any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        // In place (`subscript(_:default:)` modifies the stored array): copying the list
        // out and back would copy it, and retain every idle connection, per request.
        while let connection = idle[address, default: []].popLast() {
            if !connection.isClosed {
                completion(.success((connection, true)))
                return
            }
        }
        connect(index: index, address: address, connectTimeout: connectTimeout, completion: completion)
    }

    /// Returns a connection after a complete exchange; kept if there is room.
    func release(_ connection: UpstreamConnection, keepalive: Int) {
        eventLoop.preconditionInEventLoop()
        connection.detach()
        guard !connection.isClosed else { return }
        guard idle[connection.address]?.count ?? 0 < keepalive else {
            connection.close()
            return
        }
        idle[connection.address, default: []].append(connection)
    }

    /// Closes every idle connection (shutdown, reload).
    func closeAll() {
        for list in idle.values { for connection in list { connection.close() } }
        idle.removeAll()
    }

    private func forget(_ connection: UpstreamConnection) {
        idle[connection.address]?.removeAll { $0 === connection }
    }

    private func connect(index: Int, address: UpstreamAddress, connectTimeout: Duration,
                         completion: @escaping (Result<(connection: UpstreamConnection, reused: Bool), any Error>) -> Void) {
        let timeout = TimeAmount.nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
            + connectTimeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 128 * 1024))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnection(upstreamIndex: index, address: address))
                }
            }
        let connected: EventLoopFuture<any Channel>
        switch address.address {
        case .tcp(let host, let port):
            let bootstrap = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1)
            if let literal = try? SocketAddress(ipAddress: host, port: port) {
                // An IP literal needs no resolver: `connect(host:port:)` would run NIO's
                // Happy Eyeballs with a getaddrinfo resolver for every new connection,
                // which is most of a connection's cost when the pool churns (HTTP/2
                // clients with more streams in flight than `keepalive`).
                connected = bootstrap.connect(to: literal)
            } else {
                connected = bootstrap.connect(host: host, port: port)
            }
        case .unix(let path):
            connected = bootstrap.connect(unixDomainSocketPath: path)
        }
        connected.assumeIsolated().whenComplete { [weak self] result in
            switch result {
            case .success(let channel):
                do {
                    let connection = try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
                    connection.onClose = { [weak self] connection in self?.forget(connection) }
                    completion(.success((connection, false)))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(error))
                }
            case .failure(let error):
                _ = self
                completion(.failure(error))
            }
        }
    }
}

/// One pool per event loop, made on first use.
final class UpstreamPools: Sendable {
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    /// The pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamConnectionPool {
        let key = ObjectIdentifier(eventLoop)
        return pools.withLock { pools in
            if let pool = pools[key] { return pool.value }
            let pool = UpstreamConnectionPool(eventLoop: eventLoop)
            pools[key] = NIOLoopBound(pool, eventLoop: eventLoop)
            return pool
        }
    }

    /// Closes all idle upstream connections, each on its own loop.
    func closeAll() {
        let all = pools.withLock { Array($0.values) }
        for pool in all {
            pool.eventLoop.execute { pool.value.closeAll() }
        }
    }
}
