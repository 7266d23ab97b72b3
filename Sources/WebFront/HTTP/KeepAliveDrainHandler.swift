import NIOCore

/// Graceful shutdown of an HTTP/1.1 keep-alive connection without a race.
///
/// On quiescing, NIO's `HTTPServerPipelineHandler` closes a connection at once when no
/// request is in progress. But "idle" on the server is often "the client's next request
/// is on the wire": closing then makes that request fail (a read error in wrk, a retry
/// in browsers). This handler, placed before the HTTP codec, holds the quiesce event
/// until the next request's bytes arrive — it passes them on first, so the pipeline
/// handler sees a request in progress and answers it with `Connection: close` — or
/// until the connection has stayed silent for `idleGrace`, when closing races nothing
/// but a client that waited that long and sent at that very instant.
final class KeepAliveDrainHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// How long a quiescing connection may stay silent before it is closed.
    static let idleGrace: TimeAmount = .seconds(1)

    private var heldEvent: ChannelShouldQuiesceEvent?
    private var graceTimer: Scheduled<Void>?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let quiesce = event as? ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        heldEvent = quiesce
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        graceTimer = context.eventLoop.scheduleTask(in: Self.idleGrace) {
            let (handler, context) = loopBound.value
            handler.releaseHeldEvent(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        releaseHeldEvent(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        graceTimer?.cancel()
        graceTimer = nil
        heldEvent = nil
        context.fireChannelInactive()
    }

    private func releaseHeldEvent(context: ChannelHandlerContext) {
        guard let event = heldEvent else { return }
        heldEvent = nil
        graceTimer?.cancel()
        graceTimer = nil
        context.fireUserInboundEventTriggered(event)
    }
}
