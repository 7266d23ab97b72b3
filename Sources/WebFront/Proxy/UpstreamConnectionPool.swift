import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Idle keep-alive upstream connections of one event loop. Used only on that loop, so
/// a request never waits for another thread: a request and its upstream connection
/// live on the same loop (nginx's per-worker keepalive cache).
///
/// Two limits shape the idle lists. `keepalive` connections per upstream stay as long as
/// the upstream keeps them open. Beyond that, an idle connection is closed once it has
/// been idle for `surplusIdleTime` — not at once, as nginx does: a busy HTTP/2 client
/// has more requests in flight than `keepalive`, its responses end in bursts and its
/// next requests arrive a round trip later, so closing the surplus at release meant
/// opening as many new connections a moment later (in the benchmark about half the
/// proxied HTTP/2 requests paid for a `connect(2)`, a channel and a close).
///
/// Invariants: each idle list is a stack ordered by the time its connections became
/// idle (oldest first), and requests take the newest, so surplus connections age at
/// the bottom and are trimmed from there; at most one trim task per pool is scheduled,
/// and only while some list is longer than `keepalive`. The surplus is bounded by the
/// requests that were in flight at once, which `max-connections` and
/// `http2-max-streams` bound.
final class UpstreamConnectionPool {
    let eventLoop: any EventLoop
    private var idle: [UpstreamAddress: [IdleConnection]] = [:]
    private var trimTask: Scheduled<Void>?
    /// The limits of the latest release, which the trim task applies.
    private var keepalive = 0
    private var surplusIdleTime = TimeAmount.zero

    private struct IdleConnection {
        let connection: UpstreamConnection
        let since: NIODeadline
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Idle connections to `address` (for tests and status).
    func idleCount(_ address: UpstreamAddress) -> Int {
        idle[address]?.count ?? 0
    }

    /// An idle connection to `address`, or a new one.
    /// `completion` runs on the loop; `reused` tells a pooled connection from a new one.
    func acquire(index: Int, address: UpstreamAddress, connectTimeout: Duration,
                 completion: @escaping (Result<(connection: UpstreamConnection, reused: Bool), any Error>) -> Void) {
        if let connection = takeIdle(address) {
            completion(.success((connection, true)))
            return
        }
        connect(index: index, address: address, connectTimeout: connectTimeout, completion: completion)
    }

    /// The most recently used idle connection to `address`, if any.
    func takeIdle(_ address: UpstreamAddress) -> UpstreamConnection? {
        eventLoop.preconditionInEventLoop()
        // In place (`subscript(_:default:)` modifies the stored array): copying the list
        // out and back would copy it, and retain every idle connection, per request.
        while let entry = idle[address, default: []].popLast() {
            if !entry.connection.isClosed { return entry.connection }
        }
        return nil
    }

    /// Returns a connection after a complete exchange. It is kept; if that makes more
    /// than `keepalive` idle, the oldest beyond the limit are closed once idle for
    /// `surplusIdleTime` (zero: at once).
    func release(_ connection: UpstreamConnection, keepalive: Int, surplusIdleTime: TimeAmount) {
        eventLoop.preconditionInEventLoop()
        connection.detach()
        guard !connection.isClosed else { return }
        self.keepalive = keepalive
        self.surplusIdleTime = surplusIdleTime
        let count = idle[connection.address]?.count ?? 0
        guard count < keepalive || surplusIdleTime > .zero else {
            connection.close()
            return
        }
        idle[connection.address, default: []].append(IdleConnection(connection: connection, since: eventLoop.now))
        if count >= keepalive && trimTask == nil {
            scheduleTrim(at: eventLoop.now + surplusIdleTime)
        }
    }

    /// Closes every idle connection (shutdown, reload).
    func closeAll() {
        trimTask?.cancel()
        trimTask = nil
        let all = idle.values.flatMap { $0 }
        idle.removeAll()
        for entry in all { entry.connection.close() }
    }

    private func forget(_ connection: UpstreamConnection) {
        idle[connection.address]?.removeAll { $0.connection === connection }
    }

    private func scheduleTrim(at deadline: NIODeadline) {
        let pool = NIOLoopBound(self, eventLoop: eventLoop)
        trimTask = eventLoop.scheduleTask(deadline: deadline) {
            pool.value.trim()
        }
    }

    /// Closes the surplus that stayed idle for `surplusIdleTime`; comes back for the rest.
    private func trim() {
        trimTask = nil
        let now = eventLoop.now
        let cutoff = now - surplusIdleTime
        var next: NIODeadline?
        var closing: [UpstreamConnection] = []
        for address in Array(idle.keys) {
            guard let list = idle[address] else { continue }
            // The front of the list is the oldest.
            var expired = 0
            while list.count - expired > keepalive, list[expired].since <= cutoff {
                closing.append(list[expired].connection)
                expired += 1
            }
            if expired > 0 { idle[address]?.removeFirst(expired) }
            if let list = idle[address], list.count > keepalive {
                let expiry = list[0].since + surplusIdleTime
                next = next.map { min($0, expiry) } ?? expiry
            }
            if idle[address]?.isEmpty == true { idle[address] = nil }
        }
        // Closed after the lists are settled: a close calls `forget`, which edits them.
        for connection in closing { connection.close() }
        if let next { scheduleTrim(at: max(next, now + .milliseconds(1))) }
    }

    /// A new connection to `address`; `completion` runs on the loop (`reused` is false).
    func connect(index: Int, address: UpstreamAddress, connectTimeout: Duration,
                         completion: @escaping (Result<(connection: UpstreamConnection, reused: Bool), any Error>) -> Void) {
        let timeout = TimeAmount.nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
            + connectTimeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 128 * 1024))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnection(upstreamIndex: index, address: address))
                }
            }
        let connected: EventLoopFuture<any Channel>
        switch address.address {
        case .tcp(let host, let port):
            let bootstrap = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1)
            if let literal = try? SocketAddress(ipAddress: host, port: port) {
                // An IP literal needs no resolver: `connect(host:port:)` would run NIO's
                // Happy Eyeballs with a getaddrinfo resolver for every new connection.
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

/// One pool per event loop: made up front for the loops of the group the front runs on
/// (looked up per proxied request without a lock both loops would contend for), on
/// first use for any other loop.
final class UpstreamPools: Sendable {
    /// A pool that is used only on its own loop (its methods check that).
    private struct LoopPool: @unchecked Sendable {
        let pool: UpstreamConnectionPool
    }

    private let fixed: [ObjectIdentifier: LoopPool]
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    init(group: (any EventLoopGroup)? = nil) {
        var fixed: [ObjectIdentifier: LoopPool] = [:]
        if let group {
            for loop in group.makeIterator() {
                fixed[ObjectIdentifier(loop)] = LoopPool(pool: UpstreamConnectionPool(eventLoop: loop))
            }
        }
        self.fixed = fixed
    }

    /// The pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamConnectionPool {
        let key = ObjectIdentifier(eventLoop)
        if let loopPool = fixed[key] { return loopPool.pool }
        return pools.withLock { pools in
            if let pool = pools[key] { return pool.value }
            let pool = UpstreamConnectionPool(eventLoop: eventLoop)
            pools[key] = NIOLoopBound(pool, eventLoop: eventLoop)
            return pool
        }
    }

    /// Closes all idle upstream connections, each on its own loop.
    func closeAll() {
        for loopPool in fixed.values {
            loopPool.pool.eventLoop.execute { loopPool.pool.closeAll() }
        }
        let all = pools.withLock { Array($0.values) }
        for pool in all {
            pool.eventLoop.execute { pool.value.closeAll() }
        }
    }
}
