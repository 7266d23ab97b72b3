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
        while var list = idle[address], let connection = list.popLast() {
            idle[address] = list
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
        var list = idle[connection.address, default: []]
        guard list.count < keepalive else {
            connection.close()
            return
        }
        list.append(connection)
        idle[connection.address] = list
    }

    /// Closes every idle connection (shutdown, reload).
    func closeAll() {
        for list in idle.values { for connection in list { connection.close() } }
        idle.removeAll()
    }

    private func forget(_ connection: UpstreamConnection) {
        guard var list = idle[connection.address] else { return }
        list.removeAll { $0 === connection }
        idle[connection.address] = list
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
            connected = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: host, port: port)
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
