import NIOCore

/// Receives what one upstream connection produces while it carries a request.
protocol UpstreamConnectionDelegate: AnyObject {
    func upstreamReceived(_ event: UpstreamResponseParser.Event)
    func upstreamClosed(error: (any Error)?)
    func upstreamWritabilityChanged(isWritable: Bool)
    /// The end of a batch of reads: what was passed on may be flushed.
    func upstreamReadComplete()
    /// The upstream stayed silent for the armed read timeout.
    func upstreamReadTimedOut()
}

/// One keep-alive HTTP/1.1 connection to an upstream, owned by its event loop's pool.
/// While it carries a request its `delegate` is that request's exchange; idle in the
/// pool it has none, and closing then just removes it from the pool.
///
/// The handler is the whole pipeline: the exchange writes the request's bytes (head
/// serialised by `ProxyHeaders`, body framed by the exchange), and responses are parsed
/// here (`UpstreamResponseParser`) — no HTTP codec handlers between, so a response's
/// head, body and end reach the exchange without a trip through the pipeline each.
///
/// Reads run by themselves (`autoRead`, so the socket stays registered for reading and
/// a request costs no `epoll_ctl`); the exchange pauses them while the client cannot
/// take more — a paused read is held here — which is the response's back-pressure. An
/// idle pooled connection keeps reading, so an upstream's close is seen at once; bytes
/// from an upstream that was asked nothing end the connection.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let upstreamIndex: Int
    let address: UpstreamAddress
    private(set) var context: ChannelHandlerContext?
    /// Held strongly while carrying a request (a weak reference costs the exchange
    /// Swift's slow reference counting); `detach` and the close drop it.
    var delegate: (any UpstreamConnectionDelegate)?
    /// Called once when the channel goes away (the pool forgets it).
    var onClose: ((UpstreamConnection) -> Void)?
    private(set) var isClosed = false
    /// Reads are wanted but held back by back-pressure.
    private var isReadingPaused = false
    private var hasPendingRead = false
    /// Requests this connection has carried.
    var requestCount = 0
    /// The read timeout of the request being carried. It lives with the connection, not
    /// the request, so that a keep-alive connection re-arms one lazily moved timer
    /// (`RearmableTimeout`) instead of scheduling and cancelling a task per request.
    private var readTimer: RearmableTimeout?
    private var parser = UpstreamResponseParser()
    /// The start of a response head (or chunk line) that came in pieces.
    private var unparsed: ByteBuffer?

    init(upstreamIndex: Int, address: UpstreamAddress) {
        self.upstreamIndex = upstreamIndex
        self.address = address
    }

    var channel: (any Channel)? { context?.channel }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // Captured strongly (no side table for this connection); the cycle ends when
        // the handler leaves the pipeline.
        readTimer = RearmableTimeout(eventLoop: context.eventLoop) {
            self.delegate?.upstreamReadTimedOut()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        readTimer?.cancel()
        readTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if var unparsed {
            self.unparsed = nil
            unparsed.writeBuffer(&buffer)
            buffer = unparsed
        }
        do {
            // Until the bytes run out; an end needs none (after a body's last bytes, or a head without a body).
            while buffer.readableBytes > 0 || !parser.isBetweenResponses {
                guard let delegate else {
                    // A response nobody asked for: this connection's framing can no longer be trusted.
                    if buffer.readableBytes > 0 { context.close(promise: nil) }
                    return
                }
                guard let event = try parser.next(&buffer) else { break }
                delegate.upstreamReceived(event)
                if isClosed { return }
            }
        } catch {
            closed(error: error)
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 { unparsed = buffer }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A body that runs until the close has ended; anything else in flight is lost.
        do {
            if let delegate, let end = try parser.connectionClosed(unparsedBytes: unparsed?.readableBytes ?? 0) {
                delegate.upstreamReceived(end)
            }
            closed(error: nil)
        } catch {
            closed(error: error)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closed(error: error)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if isReadingPaused {
            hasPendingRead = true
        } else {
            context.read()
        }
    }

    /// Starts carrying a request for `delegate`: reads resume.
    func attach(_ delegate: any UpstreamConnectionDelegate) {
        self.delegate = delegate
        requestCount += 1
        resumeReading()
    }

    /// The request about to be written is a HEAD: its response has no body.
    func expectResponse(toHEAD isHEAD: Bool) {
        parser.isHeadRequest = isHEAD
    }

    /// The request is over; reading goes on (held reads resume) so that a close is seen.
    func detach() {
        delegate = nil
        readTimer?.disarm()
        resumeReading()
    }

    /// The delegate hears `upstreamReadTimedOut()` unless the upstream is heard from
    /// (the delegate re-arms) or the request ends first.
    func armReadTimeout(in amount: TimeAmount) {
        readTimer?.arm(in: amount)
    }

    func disarmReadTimeout() {
        readTimer?.disarm()
    }

    func pauseReading() { isReadingPaused = true }

    func resumeReading() {
        isReadingPaused = false
        if hasPendingRead {
            hasPendingRead = false
            context?.read()
        }
    }

    /// Request bytes, already framed.
    func write(_ bytes: ByteBuffer, flush: Bool) {
        guard let context, !isClosed else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        } else {
            context.write(wrapOutboundOut(bytes), promise: nil)
        }
    }

    func flush() {
        guard let context, !isClosed else { return }
        context.flush()
    }

    func close() {
        guard let context, !isClosed else { return }
        context.close(promise: nil)
    }

    private func closed(error: (any Error)?) {
        guard !isClosed else { return }
        isClosed = true
        readTimer?.cancel()
        let delegate = self.delegate
        self.delegate = nil
        onClose?(self)
        onClose = nil
        delegate?.upstreamClosed(error: error)
    }
}
