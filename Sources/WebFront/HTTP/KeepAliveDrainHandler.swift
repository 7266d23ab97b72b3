import NIOCore
import NIOHTTP1

/// Graceful shutdown of an HTTP/1.1 keep-alive connection without a race.
///
/// On quiescing, NIO's `HTTPServerPipelineHandler` closes a connection at once when no
/// request is in progress. But "idle" on the server is often "the client's next request
/// is on the wire": closing then makes that request fail (a read error in wrk, a retry
/// in browsers). This handler, placed before the HTTP codec, holds the quiesce event
/// until the next request begins — its `RequestStart` partner, placed after the pipeline
/// handler, calls `requestStarted()` when a request head has passed the pipeline handler
/// and before the request handler sees it, so the pipeline handler learns of the quiesce
/// with a request in progress and answers it with `Connection: close`, even a response
/// written at once (a static file) — or until the connection has stayed silent for
/// `idleGrace`, when closing races nothing but a client that waited that long and sent
/// at that very instant.
final class KeepAliveDrainHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// How long a quiescing connection may stay silent before it is closed.
    static let idleGrace: TimeAmount = .seconds(1)

    private var heldEvent: ChannelShouldQuiesceEvent?
    private var graceTimer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        graceTimer?.cancel()
        graceTimer = nil
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let quiesce = event as? ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        heldEvent = quiesce
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        graceTimer = context.eventLoop.scheduleTask(in: Self.idleGrace) {
            loopBound.value.requestStarted()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        graceTimer?.cancel()
        graceTimer = nil
        heldEvent = nil
        context.fireChannelInactive()
    }

    /// A request head has reached the pipeline handler (or the grace time is over): the
    /// held quiesce event, if any, goes on to it now.
    func requestStarted() {
        guard let event = heldEvent, let context else { return }
        heldEvent = nil
        graceTimer?.cancel()
        graceTimer = nil
        context.fireUserInboundEventTriggered(event)
    }

    /// Placed after `HTTPServerPipelineHandler`: tells the drain handler that a request
    /// began before passing its head on.
    final class RequestStart: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart

        private let drain: KeepAliveDrainHandler

        init(_ drain: KeepAliveDrainHandler) {
            self.drain = drain
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) { drain.requestStarted() }
            context.fireChannelRead(data)
        }
    }
}
