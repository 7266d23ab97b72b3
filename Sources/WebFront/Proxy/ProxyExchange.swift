import NIOCore
import NIOHTTP1

/// Performs what `ProxyStateMachine` decides for one request: gets upstream connections
/// from the loop's pool, streams the body both ways with back-pressure, and keeps the
/// read timeout. Lives on the client connection's event loop, as does its upstream.
final class ProxyExchange: UpstreamConnectionDelegate {
    struct Settings {
        var connectTimeout: Duration
        var readTimeout: Duration
        /// How long the upstream may refuse more of the request body (nginx's proxy_send_timeout).
        var sendTimeout: Duration
        var keepalive: Int
        var surplusIdleTime: TimeAmount
    }

    private var machine: ProxyStateMachine
    /// The request head as sent upstream, serialised once (a retry sends it again).
    private let upstreamHead: ByteBuffer
    private let isHEAD: Bool
    /// The body goes upstream in chunks (the client's had no Content-Length).
    private let isChunkedBody: Bool
    private let upstreams: UpstreamSet
    private let pool: UpstreamConnectionPool
    private let settings: Settings
    /// Held strongly until the exchange ends (finish, fail or abort, the only ways out of
    /// it), then dropped: a weak reference would put every retain of the request handler
    /// on Swift's slow side-table path.
    private var downstream: (any ProxyDownstream)?
    private let eventLoop: any EventLoop

    private var connection: UpstreamConnection?
    /// The upstream of the current attempt, held in `upstreams` until released.
    private var upstreamIndex: Int?
    /// Upstreams of earlier attempts; filled only on a retry (no allocation otherwise).
    private var tried: Set<Int> = []
    private var lastTried: Int?
    /// Body received before a connection was ready; bounded by `bufferLimit` through back-pressure.
    private var buffered: [ByteBuffer] = []
    private var bufferedBytes = 0
    private static let bufferLimit = 64 * 1024
    private var isClientReadingPaused = false
    private var sendTimer: Scheduled<Void>?
    private var startedAt: NIODeadline?
    private var upstreamKeepAlive = true
    private let readTimeout: TimeAmount

    init(head: HTTPRequestHead, clientAddress: String, requestID: String, upstreams: UpstreamSet,
         pool: UpstreamConnectionPool, settings: Settings, downstream: any ProxyDownstream, eventLoop: any EventLoop) {
        let hasBody = ProxyHeaders.requestHasBody(head)
        let request = ProxyHeaders.upstreamRequest(head, clientAddress: clientAddress, scheme: "https",
                                                   requestID: requestID, hasBody: hasBody)
        self.upstreamHead = request.head
        self.isChunkedBody = request.isChunked
        self.isHEAD = head.method == .HEAD
        self.machine = ProxyStateMachine(isRetryable: ProxyHeaders.isIdempotent(head.method) && !hasBody)
        self.upstreams = upstreams
        self.pool = pool
        self.settings = settings
        self.downstream = downstream
        self.eventLoop = eventLoop
        self.readTimeout = Self.timeAmount(settings.readTimeout)
    }

    deinit {
        if let upstreamIndex { upstreams.release(upstreamIndex) }
    }

    /// Time spent on the upstream so far, for the access log.
    var upstreamTime: Duration? {
        startedAt.map { start in
            let nanoseconds = (NIODeadline.now() - start).nanoseconds
            return .nanoseconds(nanoseconds)
        }
    }

    // MARK: client events

    func start() {
        startedAt = .now()
        perform(machine.start())
    }

    func requestBody(_ buffer: ByteBuffer) {
        switch machine.requestBodyReceived() {
        case .bufferRequestBody:
            buffered.append(buffer)
            bufferedBytes += buffer.readableBytes
            if bufferedBytes >= Self.bufferLimit { setClientReadingPaused(true) }
        case .forwardRequestBody:
            guard let connection else { break }
            writeBody(buffer, to: connection)
            connection.flush()
            if !connection.isWritable {
                setClientReadingPaused(true)
                scheduleSendTimer()
            }
        default:
            break
        }
    }

    func requestEnd() {
        perform(machine.requestEndReceived())
    }

    func downstreamWritabilityChanged(isWritable: Bool) {
        if isWritable { connection?.resumeReading() }
    }

    /// The client is gone (connection closed, stream reset).
    func cancel() {
        perform(machine.clientLost())
    }

    // MARK: upstream events

    func upstreamReceived(_ event: UpstreamResponseParser.Event) {
        rescheduleReadTimer()
        switch event {
        case .head(let head):
            // Interim (1xx) responses never get here: the parser drops them.
            upstreamKeepAlive = head.keepAlive
            if machine.responseHeadReceived() == .sendResponseHead {
                if let upstreamIndex { upstreams.markHealthy(upstreamIndex) }
                downstream?.proxySendHead(status: head.status, headers: head.headers)
            }
        case .body(let buffer):
            if machine.responseBodyReceived() == .sendResponseBody, let downstream {
                downstream.proxySendBody(buffer)
                if !downstream.downstreamIsWritable { connection?.pauseReading() }
            }
        case .end:
            perform(machine.responseEndReceived(upstreamKeepAlive: upstreamKeepAlive))
        }
    }

    func upstreamClosed(error: (any Error)?) {
        connection = nil
        perform(machine.upstreamLost())
    }

    func upstreamReadComplete() {
        if case .responding = machine.state { downstream?.proxyFlush() }
    }

    func upstreamReadTimedOut() {
        perform(machine.readTimedOut())
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable {
            cancelSendTimer()
            setClientReadingPaused(false)
        }
    }

    // MARK: actions

    private func perform(_ action: ProxyStateMachine.Action) {
        switch action {
        case .none, .bufferRequestBody, .forwardRequestBody, .sendResponseHead, .sendResponseBody:
            break
        case .connect:
            connect()
        case .sendRequestHead(let includeEnd):
            guard let connection else { return }
            connection.expectResponse(toHEAD: isHEAD)
            connection.write(upstreamHead, flush: false)
            for buffer in buffered { writeBody(buffer, to: connection) }
            buffered.removeAll()
            bufferedBytes = 0
            setClientReadingPaused(false)
            if includeEnd { writeEnd(to: connection) }
            connection.flush()
            rescheduleReadTimer()
        case .forwardRequestEnd:
            guard let connection else { return }
            writeEnd(to: connection)
            connection.flush()
        case .finishResponse(let reuse):
            cancelTimers()
            releaseUpstream()
            if let connection {
                connection.detach()
                if reuse { pool.release(connection, keepalive: settings.keepalive, surplusIdleTime: settings.surplusIdleTime) } else { connection.close() }
            }
            connection = nil
            downstream?.proxySendEnd(upstreamTime: upstreamTime ?? .zero)
            downstream = nil
        case .failResponse(let status, let markFailed):
            cancelTimers()
            if markFailed, let upstreamIndex { upstreams.markFailed(upstreamIndex) }
            releaseUpstream()
            dropConnection()
            setClientReadingPaused(false)
            downstream?.proxyFail(status, upstreamTime: upstreamTime)
            downstream = nil
        case .abort:
            cancelTimers()
            releaseUpstream()
            dropConnection()
            downstream?.proxyAbort()
            downstream = nil
        }
    }

    /// A piece of the request body, framed as the head announced.
    private func writeBody(_ buffer: ByteBuffer, to connection: UpstreamConnection) {
        guard buffer.readableBytes > 0 else { return }
        guard isChunkedBody else {
            connection.write(buffer, flush: false)
            return
        }
        var size = ByteBuffer()
        size.writeString(String(buffer.readableBytes, radix: 16))
        size.writeStaticString("\r\n")
        connection.write(size, flush: false)
        connection.write(buffer, flush: false)
        connection.write(Self.crlf, flush: false)
    }

    /// The end of the request body: the last chunk when chunked, nothing otherwise.
    private func writeEnd(to connection: UpstreamConnection) {
        if isChunkedBody { connection.write(Self.lastChunk, flush: false) }
    }

    private static let crlf = ByteBuffer(staticString: "\r\n")
    private static let lastChunk = ByteBuffer(staticString: "0\r\n\r\n")

    private func connect() {
        releaseUpstream()
        if let lastTried { tried.insert(lastTried) }
        guard let index = upstreams.pick(excluding: tried) else {
            perform(machine.connectFailed())
            return
        }
        lastTried = index
        upstreamIndex = index
        let address = upstreams.addresses[index]
        if let idle = pool.takeIdle(address) {
            // The common case, without a completion closure.
            connection = idle
            idle.attach(self)
            perform(machine.connected())
            return
        }
        pool.connect(index: index, address: address, connectTimeout: settings.connectTimeout) { result in
            // Held until the connect ends (at most the connect timeout), even if the
            // client left meanwhile: the new connection then goes to the pool.
            switch result {
            case .success(let acquired):
                guard case .connecting = self.machine.state else {
                    // The client left while we connected.
                    self.pool.release(acquired.connection, keepalive: self.settings.keepalive, surplusIdleTime: self.settings.surplusIdleTime)
                    return
                }
                self.connection = acquired.connection
                acquired.connection.attach(self)
                self.perform(self.machine.connected())
            case .failure:
                self.upstreams.markFailed(index)
                self.perform(self.machine.connectFailed())
            }
        }
    }

    private func releaseUpstream() {
        if let upstreamIndex { upstreams.release(upstreamIndex) }
        upstreamIndex = nil
    }

    private func dropConnection() {
        if let connection {
            connection.detach()
            connection.close()
        }
        connection = nil
    }

    private func setClientReadingPaused(_ paused: Bool) {
        guard paused != isClientReadingPaused else { return }
        isClientReadingPaused = paused
        downstream?.proxySetRequestReadingPaused(paused)
    }

    /// Upstream silence limit, re-armed on every read; the timer is the connection's.
    private func rescheduleReadTimer() {
        connection?.armReadTimeout(in: readTimeout)
    }

    /// Armed while the upstream refuses more of the request body; firing ends the
    /// exchange as a read timeout does (504 before the response, a cut after).
    private func scheduleSendTimer() {
        guard sendTimer == nil else { return }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        sendTimer = eventLoop.scheduleTask(in: Self.timeAmount(settings.sendTimeout)) {
            let exchange = loopBound.value
            exchange.sendTimer = nil
            exchange.perform(exchange.machine.readTimedOut())
        }
    }

    private func cancelSendTimer() {
        sendTimer?.cancel()
        sendTimer = nil
    }

    private func cancelTimers() {
        connection?.disarmReadTimeout()
        cancelSendTimer()
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
