import NIOCore
import NIOHTTP1

/// The server side of an HTTP/1.1 connection in one handler, between TLS and the request
/// handler: parses requests (`HTTP1RequestParser`), serialises responses, keeps
/// pipelined requests in order, refuses bad requests, and drains on a graceful stop.
///
/// One handler instead of NIO's six (request decoder, response encoder, pipelining
/// helper, protocol-error handler, and our read-ahead and drain handlers): every request
/// part used to cross each of them, both ways, and that crossing was most of the front's
/// own CPU time per proxied request.
///
/// Pipelining: one request at a time is passed on; the next one's head waits, parsed
/// from the bytes kept here, until the response to the previous one has ended. Reading
/// goes on meanwhile (the socket stays registered, a client's close is seen at once, as
/// nginx does) until `maxBufferedBytes` are waiting, then stops until they are consumed.
///
/// Framing of responses: a response to HEAD, a 1xx, 204 or 304 has no body (body parts
/// are dropped); without Content-Length an HTTP/1.1 response is sent chunked and an
/// HTTP/1.0 one runs until the close. A response's head and small body pieces are
/// gathered into one buffer until a flush (one TLS record for a small response).
///
/// Graceful stop (`ChannelShouldQuiesceEvent`): with a request in progress, its response
/// gets `Connection: close` and the connection closes after it. An idle keep-alive
/// connection is not closed at once — "idle" is often "the client's next request is on
/// the wire", and closing then fails it — but held until the next request begins (which
/// is answered with `Connection: close`) or until it has stayed silent for `idleGrace`.
///
/// Invariants: at most one request is passed on and unanswered; `output` holds only
/// bytes of responses whose parts came in order; once `isClosing`, nothing more is
/// parsed and the connection closes after the last response's bytes are written.
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = ByteBuffer

    /// How long a quiescing idle connection may stay silent before it is closed.
    static let idleGrace: TimeAmount = .seconds(1)
    /// Received bytes waiting to be parsed beyond which reading stops.
    static let maxBufferedBytes = 64 * 1024
    /// Body pieces up to this size are copied behind the head; bigger ones go down as they are.
    static let gatherLimit = 4 * 1024
    private static let noBytes = ByteBuffer()

    /// Records a refused request (the access log): its first line as received, the status, the bytes of the page.
    typealias RefusalLog = (_ requestLine: String, _ status: HTTPResponseStatus, _ bodyBytes: Int) -> Void

    private var parser: HTTP1RequestParser
    private let logRefusal: RefusalLog?
    private var context: ChannelHandlerContext?
    /// Received and not yet parsed: an incomplete part, or pipelined requests waiting.
    private var unparsed: ByteBuffer?
    private var isDelivering = false
    private var isReadHeld = false

    /// Between a request's head and its end, as passed on.
    private var isRequestInProgress = false
    /// Between a request's head and the end of its response.
    private var isResponsePending = false
    private var requestIsHEAD = false
    private var response = ResponseFraming()
    /// Response bytes not yet passed down.
    private var output: ByteBuffer?
    private var closeAfterResponse = false
    private var isClosing = false

    private enum Quiesce {
        case none
        /// Asked to stop while idle: waiting for the next request or the grace time.
        case held(Scheduled<Void>)
        /// The current (or next) response is the last.
        case lastResponse
    }
    private var quiesce = Quiesce.none

    private struct ResponseFraming {
        var hasNoBody = false
        var isChunked = false
    }

    init(maxHeadBytes: Int, maxRequestLineBytes: Int, logRefusal: RefusalLog? = nil) {
        parser = HTTP1RequestParser(maxHeadBytes: maxHeadBytes, maxRequestLineBytes: maxRequestLineBytes)
        self.logRefusal = logRefusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if case .held(let timer) = quiesce { timer.cancel() }
        quiesce = .none
        self.context = nil
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !isClosing else { return }
        if var pending = unparsed {
            unparsed = nil
            pending.writeImmutableBuffer(buffer)
            unparsed = pending
        } else {
            unparsed = buffer
        }
        deliver(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .held(let timer) = quiesce { timer.cancel() }
        quiesce = .none
        unparsed = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard case .none = quiesce, !isClosing else { return }
        if isResponsePending || isRequestInProgress {
            quiesce = .lastResponse
            closeAfterResponse = true
        } else {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            quiesce = .held(context.eventLoop.scheduleTask(in: Self.idleGrace) {
                loopBound.value.idleGraceEnded()
            })
        }
    }

    private func idleGraceEnded() {
        guard case .held = quiesce, let context else { return }
        quiesce = .lastResponse
        isClosing = true
        context.close(promise: nil)
    }

    /// Parses and passes on what the current exchange allows: the rest of the request in
    /// progress, or the next request once the previous response has ended.
    private func deliver(context: ChannelHandlerContext) {
        guard !isDelivering else { return }
        isDelivering = true
        defer { isDelivering = false }
        while !isClosing {
            // A request in progress may go on without bytes (its end after the head or body).
            if parser.isBetweenRequests && (isResponsePending || unparsed == nil) { break }
            var buffer = unparsed ?? Self.noBytes
            unparsed = nil
            let event: HTTP1RequestParser.Event?
            do {
                event = try parser.next(&buffer)
            } catch {
                refuse(error as? HTTP1ParseError ?? HTTP1ParseError("\(error)"), received: buffer, context: context)
                return
            }
            if buffer.readableBytes > 0 { unparsed = buffer }
            guard let event else { break }
            switch event {
            case .head(let head):
                isRequestInProgress = true
                isResponsePending = true
                requestIsHEAD = head.method == .HEAD
                if case .held(let timer) = quiesce {
                    timer.cancel()
                    quiesce = .lastResponse
                    closeAfterResponse = true
                }
                context.fireChannelRead(wrapInboundOut(.head(head)))
            case .body(let bytes):
                context.fireChannelRead(wrapInboundOut(.body(bytes)))
            case .end:
                isRequestInProgress = false
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            }
        }
        if isReadHeld && (unparsed?.readableBytes ?? 0) < Self.maxBufferedBytes {
            isReadHeld = false
            context.read()
        }
    }

    /// A request that cannot be parsed: its status page, then the close; in the middle
    /// of a response (a broken request body), only the close.
    private func refuse(_ error: HTTP1ParseError, received: ByteBuffer, context: ChannelHandlerContext) {
        isClosing = true
        unparsed = nil
        guard !isResponsePending else {
            context.close(promise: nil)
            return
        }
        let (pageHeaders, body) = ErrorPage.make(error.status, allocator: context.channel.allocator)
        var headers = pageHeaders
        headers.add(name: "Server", value: "onebox")
        headers.add(name: "Date", value: DateHeader.current())
        headers.add(name: "Connection", value: "close")
        var buffer = context.channel.allocator.buffer(capacity: 512 + body.readableBytes)
        Self.writeHead(HTTPResponseHead(version: .http1_1, status: error.status, headers: headers), into: &buffer)
        buffer.writeImmutableBuffer(body)
        logRefusal?(Self.firstLine(received), error.status, body.readableBytes)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    // MARK: outbound

    func read(context: ChannelHandlerContext) {
        if (unparsed?.readableBytes ?? 0) >= Self.maxBufferedBytes {
            isReadHeld = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            let code = head.status.code
            if code >= 100 && code < 200 && code != 101 {
                // Interim (100 Continue): no framing, the exchange goes on.
                gather(head: head, context: context)
                emit(context: context, promise: promise)
                return
            }
            response = ResponseFraming()
            response.hasNoBody = requestIsHEAD || code == 204 || code == 304
            if !response.hasNoBody && !head.headers.contains(name: "content-length") {
                if head.version.major == 1 && head.version.minor == 0 {
                    // An HTTP/1.0 body without a length ends with the connection.
                    closeAfterResponse = true
                } else {
                    head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                    response.isChunked = true
                }
            }
            if case .lastResponse = quiesce {
                head.headers.replaceOrAdd(name: "Connection", value: "close")
            }
            if !head.isKeepAlive { closeAfterResponse = true }
            gather(head: head, context: context)
            if promise != nil { emit(context: context, promise: promise) }
        case .body(let data):
            guard !response.hasNoBody else {
                emit(context: context, promise: promise)
                return
            }
            writeBody(data, context: context, promise: promise)
        case .end:
            if response.isChunked {
                appendOutput(context: context) { $0.writeStaticString("0\r\n\r\n") }
            }
            isResponsePending = false
            response = ResponseFraming()
            if closeAfterResponse {
                isClosing = true
                unparsed = nil
                let written = context.eventLoop.makePromise(of: Void.self)
                emit(context: context, promise: written)
                context.flush()
                written.futureResult.assumeIsolated().whenComplete { result in
                    promise?.completeWith(result)
                    context.close(promise: nil)
                }
            } else {
                emit(context: context, promise: promise)
                deliver(context: context)
            }
        }
    }

    func flush(context: ChannelHandlerContext) {
        emit(context: context, promise: nil)
        context.flush()
    }

    private func writeBody(_ data: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let count = data.readableBytes
        guard count > 0 else {
            // An empty chunk would end a chunked body.
            emit(context: context, promise: promise)
            return
        }
        let isChunked = response.isChunked
        if isChunked {
            appendOutput(context: context) { buffer in
                buffer.writeString(String(count, radix: 16))
                buffer.writeStaticString("\r\n")
            }
        }
        if case .byteBuffer(let bytes) = data, count <= Self.gatherLimit {
            appendOutput(context: context) { buffer in
                buffer.writeImmutableBuffer(bytes)
                if isChunked { buffer.writeStaticString("\r\n") }
            }
            if promise != nil { emit(context: context, promise: promise) }
            return
        }
        emit(context: context, promise: nil)
        if isChunked {
            context.write(NIOAny(data), promise: nil)
            appendOutput(context: context) { $0.writeStaticString("\r\n") }
            emit(context: context, promise: promise)
        } else {
            // A file region passes as one (plain sockets only; never under TLS).
            context.write(NIOAny(data), promise: promise)
        }
    }

    /// Passes the gathered bytes down; with a promise and nothing gathered, an empty
    /// write keeps the promise in order with the writes before it.
    private func emit(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        if let buffer = output {
            output = nil
            context.write(wrapOutboundOut(buffer), promise: promise)
        } else if let promise {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
        }
    }

    private func gather(head: HTTPResponseHead, context: ChannelHandlerContext) {
        appendOutput(context: context) { Self.writeHead(head, into: &$0) }
    }

    /// Appends to the buffer responses are gathered in (taken out while written, so
    /// that it stays uniquely referenced and grows in place).
    private func appendOutput(context: ChannelHandlerContext, _ write: (inout ByteBuffer) -> Void) {
        var buffer = output ?? context.channel.allocator.buffer(capacity: 512)
        output = nil
        write(&buffer)
        output = buffer
    }

    /// The first line of what was received (at most 1 KiB of it), without its line end.
    static func firstLine(_ bytes: ByteBuffer) -> String {
        bytes.withUnsafeReadableBytes { raw in
            let window = raw.prefix(1024)
            var end = window.firstIndex(of: UInt8(ascii: "\n")) ?? window.endIndex
            if end > window.startIndex && window[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return String(decoding: window[..<end], as: UTF8.self)
        }
    }

    /// `HTTP/1.1 200 OK`, the fields, the empty line.
    static func writeHead(_ head: HTTPResponseHead, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(head.version.minor == 0 && head.version.major == 1 ? "HTTP/1.0 " : "HTTP/1.1 ")
        let code = head.status.code
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code / 100 % 10))
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code / 10 % 10))
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code % 10))
        buffer.writeStaticString(" ")
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in head.headers { buffer.writeField(name, value) }
        buffer.writeStaticString("\r\n")
    }
}
