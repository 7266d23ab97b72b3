import NIOCore
import NIOHTTP1

/// Keeps an HTTP/1 connection reading while the response to its one complete request is
/// still being made (a proxied request waiting for its upstream), placed just before
/// NIO's `HTTPServerPipelineHandler`.
///
/// The pipeline handler holds every read from the moment a request has ended until its
/// response has: the socket is taken out of epoll when the request is read and put back
/// when the response is written — two `epoll_ctl` per proxied request (a static file is
/// answered inside the read and never toggles). nginx keeps the socket registered. Here
/// a read is asked for at the end of each read batch as long as exactly one request is
/// unanswered and it has been read whole, so the socket stays registered; what arrives
/// meanwhile — the next pipelined request, or the client's close — goes to the pipeline
/// handler, which keeps pipelined requests in order as before. Once a second request has
/// begun, reads are again the pipeline handler's to hold, so at most one read batch of
/// pipelined requests is buffered, as without this handler.
///
/// A client that closes its connection while its response is pending is now seen at
/// once: the connection closes and the proxied request is abandoned (nginx's 499)
/// instead of the response being written to a closed socket.
///
/// Invariants: `unansweredRequests` counts request heads passed in minus response ends
/// passed out (each request gets exactly one final response end); after a quiesce event
/// or an error the handler asks for nothing more (the pipeline handler closes or drains).
final class HTTP1ReadAhead: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var unansweredRequests = 0
    /// Between a request head and its end.
    private var isRequestInProgress = false
    /// Quiescing or failed: reads are left to the pipeline handler.
    private var isStopped = false

    /// Whether this handler asks for reads at the end of a read batch.
    var isReadingAhead: Bool {
        !isStopped && unansweredRequests == 1 && !isRequestInProgress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unansweredRequests += 1
            isRequestInProgress = true
        case .body:
            break
        case .end:
            isRequestInProgress = false
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        // The channel's own read (autoRead) comes after this and the pipeline handler
        // holds it; asking here keeps the socket registered for reading.
        if isReadingAhead { context.read() }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unansweredRequests = max(0, unansweredRequests - 1)
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { isStopped = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        isStopped = true
        context.fireErrorCaught(error)
    }
}
