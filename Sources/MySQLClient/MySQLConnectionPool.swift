import Logging
import NIOCore
import NIOPosix

/// A bounded pool of connections to one server.
///
/// - At most `maximumConnections` are open; callers beyond that wait in a queue of
///   at most `maximumWaiters`, each for at most `checkoutTimeout` — nobody waits forever.
/// - Checkout health check: a connection the server or network closed is dropped; one
///   idle longer than `healthCheckAfterIdle` is pinged first and dropped if the ping fails.
///   After a server restart the stale connections go this way and new ones are opened.
/// - A connection returned after an error that broke it (timeout, protocol error,
///   closed socket) is discarded; the next caller gets a fresh one.
public actor MySQLConnectionPool {
    /// The pool's limits.
    public struct Options: Sendable {
        public var maximumConnections: Int
        public var maximumWaiters: Int
        public var checkoutTimeout: Duration
        public var healthCheckAfterIdle: Duration
        /// Connections idle longer than this are closed (the server's wait_timeout would anyway).
        public var idleTimeout: Duration

        public init(maximumConnections: Int = 16, maximumWaiters: Int = 1024, checkoutTimeout: Duration = .seconds(5),
                    healthCheckAfterIdle: Duration = .seconds(1), idleTimeout: Duration = .seconds(300)) {
            precondition(maximumConnections > 0, "maximumConnections must be positive")
            self.maximumConnections = maximumConnections
            self.maximumWaiters = maximumWaiters
            self.checkoutTimeout = checkoutTimeout
            self.healthCheckAfterIdle = healthCheckAfterIdle
            self.idleTimeout = idleTimeout
        }
    }

    private struct Idle {
        var connection: MySQLConnection
        var since: ContinuousClock.Instant
    }

    /// What a waiter is handed: a connection, or the right to open one.
    private enum Grant {
        case connection(MySQLConnection)
        case openSlot
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Grant, any Error>
    }

    public nonisolated let configuration: MySQLConnectionConfiguration
    public nonisolated let options: Options
    private nonisolated let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var idle: [Idle] = []
    /// Open connections plus those being opened.
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isShutDown = false

    public init(configuration: MySQLConnectionConfiguration, options: Options = Options(),
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "mysql-pool")) {
        self.configuration = configuration
        self.options = options
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Runs `body` with a connection checked out for it alone, then returns the
    /// connection to the pool (or discards it when `body` broke it).
    public nonisolated func withConnection<Result: Sendable>(
        _ body: (MySQLConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await checkout()
        do {
            let result = try await body(connection)
            await checkin(connection)
            return result
        } catch {
            await checkin(connection)
            throw error
        }
    }

    /// Connections open now (idle and in use) and idle now.
    public var statistics: (open: Int, idle: Int, waiting: Int) { (openCount, idle.count, waiters.count) }

    /// Closes idle connections and refuses new checkouts; connections in use close on check-in.
    public func shutdown() async {
        isShutDown = true
        let closing = idle
        idle = []
        openCount -= closing.count
        for waiter in waiters { waiter.continuation.resume(throwing: MySQLClientError.poolClosed) }
        waiters = []
        for entry in closing { await entry.connection.close() }
    }

    // MARK: checkout

    func checkout() async throws -> MySQLConnection {
        let deadline = ContinuousClock.now + options.checkoutTimeout
        while true {
            guard !isShutDown else { throw MySQLClientError.poolClosed }
            if let entry = takeIdle() {
                if let healthy = await healthChecked(entry) { return healthy }
                continue
            }
            if openCount < options.maximumConnections {
                return try await open()
            }
            switch try await wait(until: deadline) {
            case .connection(let connection):
                return connection
            case .openSlot:
                return try await open(slotAlreadyCounted: true)
            }
        }
    }

    /// An idle connection, preferring the most recently used one on the caller's event
    /// loop: when tasks run on the event loops (onebox app), the caller then talks to
    /// the database without handing off to another thread and back.
    private func takeIdle() -> Idle? {
        if let index = idle.lastIndex(where: { $0.connection.channel.eventLoop.inEventLoop }) {
            return idle.remove(at: index)
        }
        return idle.popLast()
    }

    /// The idle connection if it is still usable; otherwise it is discarded.
    private func healthChecked(_ entry: Idle) async -> MySQLConnection? {
        let connection = entry.connection
        let idleFor = ContinuousClock.now - entry.since
        if connection.isClosed || idleFor > options.idleTimeout {
            discard(connection)
            return nil
        }
        if idleFor >= options.healthCheckAfterIdle {
            do {
                try await connection.ping()
            } catch {
                logger.notice("dropping a pooled MySQL connection that failed its health check", metadata: ["error": "\(error)"])
                discard(connection)
                return nil
            }
        }
        return connection
    }

    private func open(slotAlreadyCounted: Bool = false) async throws -> MySQLConnection {
        if !slotAlreadyCounted { openCount += 1 }
        do {
            return try await MySQLConnection.connect(configuration: configuration, eventLoopGroup: eventLoopGroup)
        } catch {
            openCount -= 1
            grantSlotToWaiter()
            throw error
        }
    }

    private func wait(until deadline: ContinuousClock.Instant) async throws -> Grant {
        guard waiters.count < options.maximumWaiters else {
            throw MySQLClientError.poolQueueFull(limit: options.maximumWaiters)
        }
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = Task { [weak self] in
            try await Task.sleep(until: deadline)
            await self?.expire(id)
        }
        defer { timeout.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            waiters.append(Waiter(id: id, continuation: continuation))
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(throwing: MySQLClientError.poolExhausted(
            maximumConnections: options.maximumConnections, waited: options.checkoutTimeout))
    }

    // MARK: check-in

    func checkin(_ connection: MySQLConnection) {
        if connection.isClosed || isShutDown {
            discard(connection)
            if isShutDown { Task { await connection.close() } }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: .connection(connection))
            return
        }
        idle.append(Idle(connection: connection, since: .now))
    }

    private func discard(_ connection: MySQLConnection) {
        openCount -= 1
        if !connection.isClosed { Task { await connection.close() } }
        grantSlotToWaiter()
    }

    /// A slot became free: the first waiter may open a connection in it.
    private func grantSlotToWaiter() {
        guard !waiters.isEmpty, openCount < options.maximumConnections else { return }
        openCount += 1
        waiters.removeFirst().continuation.resume(returning: .openSlot)
    }
}
