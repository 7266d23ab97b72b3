import NIOCore
import NIOHTTP1

/// The plain-HTTP listener: every request gets `301` to the same path and query on
/// HTTPS — on the canonical name when the request named one of the redirected hosts,
/// else on the name it asked for. A missing or malformed Host gets 400.
final class HTTPSRedirectHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let runtimes: WebRuntimeBox
    private var keepAlive = true
    private var timer: Scheduled<Void>?

    init(runtimes: WebRuntimeBox) {
        self.runtimes = runtimes
    }

    func handlerAdded(context: ChannelHandlerContext) { armTimer(context: context) }

    func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            timer?.cancel()
            keepAlive = head.isKeepAlive
            respond(to: head, context: context)
        case .body:
            break
        case .end:
            armTimer(context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let runtime = runtimes.current
        let hosts = runtime.hosts
        var status = HTTPResponseStatus.movedPermanently
        var headers: HTTPHeaders = ["Server": "onebox", "Date": DateHeader.current()]
        if let name = head.headers.first(name: "host").flatMap(VirtualHosts.hostName(from:)), head.uri.hasPrefix("/") {
            let target = hosts.decide(host: name) == .redirectToCanonical ? hosts.canonicalName : name
            let port = runtimes.httpsPort
            let authority = port == 443 ? target : "\(target):\(port)"
            headers.add(name: "Location", value: "https://\(authority)\(WebRequestHandler.safeTarget(head.uri))")
        } else {
            status = .badRequest
            keepAlive = false
        }
        let (pageHeaders, body) = ErrorPage.make(status, allocator: context.channel.allocator)
        for (name, value) in pageHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    private func armTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        let timeout = runtimes.current.configuration.headerTimeout
        let amount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: amount) { bound.value.close(promise: nil) }
    }
}
