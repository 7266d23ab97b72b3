import MySQLWire
import NIOCore
import NIOPosix
import NIOSSL

/// The channel side of a MySQL connection: frames bytes into packets, hands them one
/// at a time to `MySQLConnection` — on the worker pool, except a statement that can
/// finish without blocking (a cached prepared SELECT whose pages are in the buffer pool,
/// within a row budget), which runs on the event loop and so costs no thread hand-off —
/// writes the replies, and owns the connection's timers, the TLS upgrade and
/// back-pressure (no reads while a command runs or packets wait).
///
/// Where the byte stream can no longer be trusted (oversized packet, chunk out of
/// order) the client gets an ERR packet and the connection is closed.
final class MySQLServerHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The largest packet accepted before login completes.
    static let loginPacketLimit = 64 * 1024

    private let server: DBServerContext
    private let pool: NIOThreadPool
    private let tlsContext: NIOSSLContext?
    private let isUnixSocket: Bool
    private var connection: MySQLConnection?
    private var connectionID: UInt32 = 0
    private var decoder = MySQLPacketDecoder(maximumPayloadLength: MySQLServerHandler.loginPacketLimit)
    private var pending = CircularBuffer<MySQLPacket>()
    private var isBusy = false
    private var isReadPending = false
    private var isInactive = false
    private var isClosing = false
    private var closeWhenIdleRequested = false
    private var loginTimer: Scheduled<Void>?
    /// wait_timeout, re-armed lazily: each reply only moves `idleDeadline`; the timer, when
    /// it fires early, schedules itself again for the deadline (scheduling and cancelling a
    /// task per statement cost more than a point select's statement dispatch).
    private var idleTimer: Scheduled<Void>?
    private var idleTimerDeadline: NIODeadline?
    /// When the connection times out if it stays idle; nil while a command runs or waits.
    private var idleDeadline: NIODeadline?
    private var handlerContext: ChannelHandlerContext?

    init(server: DBServerContext, pool: NIOThreadPool, tlsContext: NIOSSLContext?, isUnixSocket: Bool) {
        self.server = server
        self.pool = pool
        self.tlsContext = tlsContext
        self.isUnixSocket = isUnixSocket
    }

    func handlerAdded(context: ChannelHandlerContext) { handlerContext = context }
    func handlerRemoved(context: ChannelHandlerContext) { handlerContext = nil }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let registration = server.registry.register(ConnectionRegistry.Entry(
            user: nil,
            close: { channel.close(promise: nil) },
            closeWhenIdle: { channel.eventLoop.execute { loopBound.value.closeWhenIdle() } }))
        connectionID = registration.id
        guard registration.admitted else {
            server.logger.warning("connection refused: db.max-connections (\(server.registry.maximum)) reached")
            var sequence: UInt8 = 0
            let error = MySQLErrorPacket(code: 1040, sqlState: "08004", message: "Too many connections").encode()
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: MySQLPacketEncoder.encode(error, sequenceID: &sequence))))
                .whenComplete { _ in channel.close(promise: nil) }
            isClosing = true
            context.fireChannelActive()
            return
        }
        let host = isUnixSocket ? "localhost" : Self.hostName(of: channel.remoteAddress)
        let connection = MySQLConnection(context: server, connectionID: registration.id, clientHost: host, isUnixSocket: isUnixSocket)
        self.connection = connection
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: connection.greeting())), promise: nil)
        loginTimer = context.eventLoop.scheduleTask(in: Self.timeAmount(server.configuration.connectTimeout)) {
            loopBound.value.handlerContext?.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isInactive = true
        loginTimer?.cancel()
        idleTimer?.cancel()
        if connection != nil { server.registry.unregister(connectionID) }
        if !isBusy { releaseSession() }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing, connection != nil else { return }
        let buffer = unwrapInboundIn(data)
        decoder.append(buffer.readableBytesView)
        decodePackets(context: context)
        processNext(context: context)
    }

    func read(context: ChannelHandlerContext) {
        if isBusy || !pending.isEmpty {
            isReadPending = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        server.logger.debug("connection \(connectionID) error: \(error)")
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: -

    private func decodePackets(context: ChannelHandlerContext) {
        while true {
            let packet: MySQLPacket?
            do {
                packet = try decoder.nextPacket()
            } catch {
                fail(context: context, error: error)
                return
            }
            guard let packet else { return }
            if let connection, connection.isTLS, connection.tlsVersion == nil,
               let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) {
                // The handshake is over once a packet arrives through it: SHOW STATUS reports the version.
                connection.tlsVersion = tls.tlsVersion.map(Self.name(of:))
            }
            if let connection, !isBusy, pending.isEmpty, connection.isAwaitingLogin, !connection.isTLS,
               MySQLSSLRequest.isSSLRequest(packet.payload), let tlsContext {
                startTLS(context: context, connection: connection, tlsContext: tlsContext)
                return
            }
            pending.append(packet)
        }
    }

    /// MySQL's spelling of a TLS version (`Ssl_version`).
    static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    /// The SSLRequest has no reply: the client starts its TLS handshake at once, and its
    /// first bytes may already sit in the decoder behind the request.
    private func startTLS(context: ChannelHandlerContext, connection: MySQLConnection, tlsContext: NIOSSLContext) {
        let leftover = decoder.takeUnprocessedBytes()
        connection.isTLS = true
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .first)
        } catch {
            context.close(promise: nil)
            return
        }
        if !leftover.isEmpty {
            context.pipeline.fireChannelRead(context.channel.allocator.buffer(bytes: leftover))
        }
    }

    private func fail(context: ChannelHandlerContext, error: MySQLWireError) {
        let packet: MySQLErrorPacket
        switch error {
        case .packetTooLarge:
            packet = MySQLErrorPacket(code: 1153, sqlState: "08S01", message: "Got a packet bigger than 'max_allowed_packet' bytes")
        case .outOfOrder:
            packet = MySQLErrorPacket(code: 1156, sqlState: "08S01", message: "Got packets out of order")
        case .truncated, .malformed:
            packet = MySQLErrorPacket(code: 1043, sqlState: "08S01", message: "Bad handshake")
        }
        server.logger.info("closing connection \(connectionID): \(error)")
        closeWithError(context: context, packet)
    }

    private func closeWithError(context: ChannelHandlerContext, _ error: MySQLErrorPacket) {
        guard !isClosing else { return }
        isClosing = true
        pending.removeAll()
        var sequence: UInt8 = 0
        let bytes = MySQLPacketEncoder.encode(error.encode(), sequenceID: &sequence)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Runs the waiting packets in order: each on the event loop when it can finish without
    /// blocking (`MySQLConnection.handleWithoutBlocking`: a prepared SELECT whose pages are
    /// cached, BEGIN, COMMIT of a read-only transaction), else on the worker pool, after
    /// which `finished` continues here.
    private func processNext(context: ChannelHandlerContext) {
        while !isBusy, !isClosing, !isInactive, let connection {
            guard let packet = pending.popFirst() else {
                if closeWhenIdleRequested {
                    isClosing = true
                    context.close(promise: nil)
                } else if isReadPending {
                    isReadPending = false
                    context.read()
                }
                return
            }
            idleDeadline = nil
            if let reply = connection.handleWithoutBlocking(packet) {
                guard perform(reply, context: context) else { return }
                continue
            }
            isBusy = true
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            pool.runIfActive(eventLoop: context.eventLoop) {
                connection.handle(packet)
            }.whenComplete { result in
                loopBound.value.finished(result)
            }
            return
        }
    }

    private func finished(_ result: Result<MySQLConnection.Reply, any Error>) {
        isBusy = false
        guard let context = handlerContext else {
            releaseSession()
            return
        }
        if isInactive {
            releaseSession()
            return
        }
        guard case .success(let reply) = result else {
            // The pool is shutting down.
            isClosing = true
            context.close(promise: nil)
            return
        }
        guard perform(reply, context: context) else { return }
        processNext(context: context)
    }

    /// Sends a command's reply and applies what it says; false when the connection closes.
    private func perform(_ reply: MySQLConnection.Reply, context: ChannelHandlerContext) -> Bool {
        if !reply.bytes.isEmpty {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.bytes)), promise: nil)
        }
        if reply.isAuthenticated {
            loginTimer?.cancel()
            loginTimer = nil
            decoder.maximumPayloadLength = server.configuration.maxAllowedPacket
        }
        if reply.close {
            isClosing = true
            context.close(promise: nil)
            return false
        }
        if let timeout = reply.idleTimeout, pending.isEmpty {
            let deadline = NIODeadline.now() + Self.timeAmount(timeout)
            idleDeadline = deadline
            if idleTimerDeadline.map({ $0 > deadline }) ?? true {
                idleTimer?.cancel()
                scheduleIdleTimer(at: deadline, context: context)
            }
        }
        return true
    }

    private func scheduleIdleTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimerDeadline = deadline
        idleTimer = context.eventLoop.scheduleTask(deadline: deadline) { loopBound.value.idleTimerFired() }
    }

    private func idleTimerFired() {
        idleTimer = nil
        idleTimerDeadline = nil
        // nil: a command runs or waits; its reply sets a new deadline and arms the timer
        guard let deadline = idleDeadline, let context = handlerContext else { return }
        if NIODeadline.now() < deadline {
            scheduleIdleTimer(at: deadline, context: context)
        } else {
            idleTimeoutFired()
        }
    }

    private func idleTimeoutFired() {
        guard let context = handlerContext, !isBusy, pending.isEmpty else { return }
        server.logger.info("closing connection \(connectionID): idle longer than wait_timeout")
        closeWithError(context: context, MySQLErrorPacket(
            code: 4031, sqlState: "HY000",
            message: "The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior."))
    }

    /// Shutdown: close now when idle, else after the running command has answered.
    private func closeWhenIdle() {
        closeWhenIdleRequested = true
        guard let context = handlerContext, !isBusy else { return }
        pending.removeAll()
        isClosing = true
        context.close(promise: nil)
    }

    /// Rolls back and releases the session, off the event loop. Runs once, after the
    /// last command finished.
    private func releaseSession() {
        guard let connection else { return }
        self.connection = nil
        pool.submit { _ in connection.close() }
    }

    private static func hostName(of address: SocketAddress?) -> String {
        guard let ip = address?.ipAddress else { return "unknown" }
        // MySQL resolves loopback clients to 'localhost' (name resolution is on by default).
        if ip == "127.0.0.1" || ip == "::1" || ip == "::ffff:127.0.0.1" { return "localhost" }
        return ip
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
