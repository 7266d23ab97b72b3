import NIOCore

/// Keeps a graceful shutdown from missing a TLS connection that is still negotiating.
///
/// NIO's `ServerQuiescingHelper` tells every open connection to quiesce once. A TLS
/// connection still in its handshake has no HTTP handlers yet: the event passes the ALPN
/// handler and reaches no one, so after the handshake the connection would be served as
/// keep-alive until the shutdown grace ends and the process exits under it (a reset in
/// the middle of a client's request). This handler, placed before the ALPN handler,
/// remembers a quiesce that arrives while negotiating; the HTTP/1.1 and HTTP/2
/// configurators call `negotiated(channel:)` once their handlers are in place, which
/// replays it to them (`HTTP1ServerCodec` or the HTTP/2 connection manager's GOAWAY).
final class QuiesceLatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private var isNegotiating = true
    private var missedQuiesce = false
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if isNegotiating, event is ChannelShouldQuiesceEvent { missedQuiesce = true }
        context.fireUserInboundEventTriggered(event)
    }

    /// The protocol's handlers are in the pipeline: from now on events reach them, and a
    /// quiesce that came earlier is delivered again. HTTP/1.1 gets it at once, before any
    /// request is read (the ALPN handler still in front passes events on); HTTP/2 on the
    /// next loop tick, once the client's preface has been read (a GOAWAY before it would
    /// not be sent).
    func negotiated(deferred: Bool) {
        isNegotiating = false
        guard missedQuiesce, let context else { return }
        missedQuiesce = false
        if deferred {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.execute { loopBound.value.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        } else {
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Called from a configurator running on the channel's loop.
    static func negotiated(_ channel: any Channel, deferred: Bool = false) throws {
        try channel.pipeline.syncOperations.handler(type: QuiesceLatch.self).negotiated(deferred: deferred)
    }
}
