import NIOCore
import NIOHTTP1

/// Receives what one upstream connection produces while it carries a request.
protocol UpstreamConnectionDelegate: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
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
/// Reads run by themselves (`autoRead`, so the socket stays registered for reading and
/// a request costs no `epoll_ctl`); the exchange pauses them while the client cannot
/// take more — a paused read is held here — which is the response's back-pressure. An
/// idle pooled connection keeps reading, so an upstream's close is seen at once; bytes
/// from an upstream that was asked nothing end the connection.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

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
        guard let delegate else {
            // A response nobody asked for: this connection's framing can no longer be trusted.
            context.close(promise: nil)
            return
        }
        delegate.upstreamReceived(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed(error: nil)
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

    func write(_ part: HTTPClientRequestPart, flush: Bool) {
        guard let context, !isClosed else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(part), promise: nil)
        } else {
            context.write(wrapOutboundOut(part), promise: nil)
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
