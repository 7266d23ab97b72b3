import NIOCore
import NIOHTTP1

/// The reverse proxy's downstream side: the exchange (ProxyExchange) drives the
/// upstream and calls back here to write the response to the client.
extension WebRequestHandler {
    func startProxy(_ head: HTTPRequestHead, runtime: WebRuntime, context: ChannelHandlerContext) {
        let configuration = runtime.configuration
        let proxy = ProxyExchange(
            head: head, clientAddress: connection.clientAddress, requestID: ProxyHeaders.makeRequestID(),
            upstreams: runtime.upstreams, pool: pools.pool(for: context.eventLoop),
            settings: .init(connectTimeout: configuration.proxyConnectTimeout, readTimeout: configuration.proxyReadTimeout,
                            sendTimeout: configuration.proxySendTimeout, keepalive: configuration.proxyKeepaliveConnections,
                            surplusIdleTime: WebService.timeAmount(configuration.proxySurplusIdleTimeout)),
            downstream: self, eventLoop: context.eventLoop)
        exchange?.proxy = proxy
        if !connection.isHTTP2, head.version == .http1_1,
           head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            // The client waits for this before sending its body; the upstream never sees Expect.
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        }
        proxy.start()
    }

    var downstreamIsWritable: Bool { context?.channel.isWritable ?? false }

    func proxySendHead(status: HTTPResponseStatus, headers: consuming HTTPHeaders) {
        guard let context else { return }
        if exchange?.head.version.major == 1 && exchange?.head.version.minor == 0 && !headers.contains(name: "content-length") {
            // An HTTP/1.0 client learns where an unframed body ends only from the close.
            exchange?.keepAlive = false
        }
        if exchange?.head.method == .HEAD { headers.remove(name: "transfer-encoding") }
        writeHead(status, headers: headers, context: context)
    }

    func proxySendBody(_ buffer: ByteBuffer) {
        guard let context else { return }
        exchange?.bodyBytesSent += buffer.readableBytes
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    func proxyFlush() {
        context?.flush()
    }

    func proxySendEnd(upstreamTime: Duration) {
        guard let context else { return }
        exchange?.upstreamTime = upstreamTime
        exchange?.proxy = nil
        writeEnd(bodyBytes: exchange?.bodyBytesSent ?? 0, context: context)
    }

    func proxyFail(_ status: HTTPResponseStatus, upstreamTime: Duration?) {
        guard let context else { return }
        exchange?.upstreamTime = upstreamTime
        exchange?.proxy = nil
        respondWithPage(status, context: context)
    }

    func proxyAbort() {
        exchange?.proxy = nil
        context?.close(promise: nil)
    }

    func proxySetRequestReadingPaused(_ paused: Bool) {
        isReadingPaused = paused
        if !paused && hasPendingRead {
            hasPendingRead = false
            context?.read()
        }
    }
}
