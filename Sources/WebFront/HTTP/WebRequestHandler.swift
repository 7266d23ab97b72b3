import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves the requests of one HTTP/1.1 connection (in order; `HTTP1ServerCodec` hands
/// over the next request only after this one's response) or of one HTTP/2
/// stream (through the HTTP/2-to-HTTP/1 codec, so both speak the same parts).
///
/// Per request: size limits (414, 431, 413), virtual host (301 to the canonical name,
/// 421), then a static file from the site directory, else the reverse proxy, else 404.
/// Everything runs on the connection's event loop; only big-file reads go to the
/// blocking-I/O pool. HTTP/1 connections also carry the header, body and keep-alive
/// timers here (HTTP/2 idle time is the connection manager's).
final class WebRequestHandler: ChannelDuplexHandler, ProxyDownstream {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let runtimes: WebRuntimeBox
    let connection: ConnectionInfo
    let pools: UpstreamPools
    var context: ChannelHandlerContext?

    /// The request being served, from its head to the end of its response.
    struct Exchange {
        var head: HTTPRequestHead
        var runtime: WebRuntime
        var startedAt: NIODeadline
        var keepAlive: Bool
        var status = 0
        var bodyBytesSent = 0
        var bodyBytesReceived = 0
        var isRequestComplete = false
        var isResponseStarted = false
        var isResponseComplete = false
        var proxy: ProxyExchange?
        var upstreamTime: Duration?
    }

    var exchange: Exchange?
    /// Header, body and keep-alive time limits (HTTP/1 only), re-armed lazily.
    private var timer: RearmableTimeout?
    var isReadingPaused = false
    var hasPendingRead = false
    private var isClosing = false

    init(runtimes: WebRuntimeBox, connection: ConnectionInfo, pools: UpstreamPools) {
        self.runtimes = runtimes
        self.connection = connection
        self.pools = pools
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if !connection.isHTTP2 {
            // Captured strongly (a weak reference would move every retain of this handler
            // to the slow side-table path); the cycle ends in `handlerRemoved`.
            timer = RearmableTimeout(eventLoop: context.eventLoop) { self.timerFired() }
            armTimer(runtimes.current.configuration.headerTimeout)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        exchange?.proxy?.cancel()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if let proxy = exchange?.proxy {
            exchange?.proxy = nil
            proxy.cancel()
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead(head, context: context)
        case .body(let buffer):
            requestBody(buffer, context: context)
        case .end:
            requestEnd(context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.proxy?.downstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if isReadingPaused {
            hasPendingRead = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Unparsable requests are answered (400 and the like) by the HTTP/1 codec or NIO's
        // HTTP/2 codec before they reach us; anything else ends the connection.
        context.close(promise: nil)
    }

    // MARK: request

    private func requestHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        cancelTimer()
        let runtime = runtimes.current
        let configuration = runtime.configuration
        exchange = Exchange(head: head, runtime: runtime, startedAt: .now(),
                            keepAlive: connection.isHTTP2 || head.isKeepAlive)
        if !connection.isHTTP2 { armTimer(configuration.bodyTimeout) }

        let limits = RequestLimits(maxURILength: configuration.maxURILength,
                                   maxHeaderBytes: configuration.maxHeaderBytes, maxBodySize: configuration.maxBodySize)
        if let status = limits.violation(of: head) {
            // The body (if any) is not read: the connection cannot be reused.
            exchange?.keepAlive = false
            respondWithPage(status, context: context)
            return
        }
        switch runtime.hosts.decide(host: head.headers.first(name: "host")) {
        case .misdirected:
            respondWithPage(.misdirectedRequest, context: context)
        case .redirectToCanonical:
            let port = runtimes.httpsPort
            let authority = port == 443 ? runtime.hosts.canonicalName : "\(runtime.hosts.canonicalName):\(port)"
            respondWithPage(.movedPermanently, extraHeaders: [("Location", "https://\(authority)\(Self.safeTarget(head.uri))")], context: context)
        case .site:
            route(head, runtime: runtime, context: context)
        }
    }

    private func route(_ head: HTTPRequestHead, runtime: WebRuntime, context: ChannelHandlerContext) {
        guard head.uri.hasPrefix("/") else {
            // Absolute-form and asterisk-form targets are not for a front like this one.
            respondWithPage(head.uri == "*" && head.method == .OPTIONS ? .noContent : .badRequest, context: context)
            return
        }
        guard let path = SitePath(requestTarget: head.uri) else {
            // `..`, encoded separators, dotfiles, bad escapes: never reach the disk or the app.
            respondWithPage(Self.looksLikeTraversal(head.uri) ? .badRequest : .notFound, context: context)
            return
        }
        let cache = runtime.cache
        let now = NIODeadline.now()
        let recent = cache.recentLookup(path, now: now)
        if case .file(let file, let cachedFile) = recent {
            // Checked on disk less than `revalidate-interval` ago: no system call.
            serveFileIfReadRequest(path: file, status: cachedFile.status, cached: cachedFile, sitePath: path,
                                   head: head, runtime: runtime, context: context)
            return
        }
        var cached: CachedFile?
        let lookup: SiteLookup
        if case .missing = recent {
            // Found missing less than `revalidate-interval` ago: no `stat` (the proxied case).
            lookup = .notFound
        } else {
            lookup = runtime.site.lookup(path) { full, status in
                cached = cache.entry(path: full, status: status)
                return cached != nil
            }
        }
        switch lookup {
        case .file(let file, let status):
            if let cached { cache.rememberValidated(path, path: file, file: cached, now: now) }
            serveFileIfReadRequest(path: file, status: status, cached: cached, sitePath: path,
                                   head: head, runtime: runtime, context: context)
        case .directoryRedirect:
            var location = "/" + path.relativePath + "/"
            if let query = head.uri.firstIndex(of: "?") { location += head.uri[query...] }
            respondWithPage(.movedPermanently, extraHeaders: [("Location", Self.safeTarget(location))], context: context)
        case .notFound:
            cache.rememberMissing(path, now: now)
            if runtime.upstreams.isEmpty {
                respondWithPage(.notFound, context: context)
            } else {
                startProxy(head, runtime: runtime, context: context)
            }
        }
    }

    /// A file answers GET and HEAD; other methods go to the upstream (the app may
    /// handle a POST to the same path), or get 405 without one.
    private func serveFileIfReadRequest(path: String, status: FileStatus, cached: CachedFile?, sitePath: SitePath,
                                        head: HTTPRequestHead, runtime: WebRuntime, context: ChannelHandlerContext) {
        guard head.method == .GET || head.method == .HEAD else {
            if runtime.upstreams.isEmpty {
                respondWithPage(.methodNotAllowed, extraHeaders: [("Allow", "GET, HEAD")], context: context)
            } else {
                startProxy(head, runtime: runtime, context: context)
            }
            return
        }
        serveFile(path: path, status: status, cached: cached, sitePath: sitePath, head: head, runtime: runtime, context: context)
    }

    private func requestBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        guard var current = exchange, !current.isRequestComplete else { return }
        current.bodyBytesReceived += buffer.readableBytes
        exchange = current
        if !connection.isHTTP2 { armTimer(current.runtime.configuration.bodyTimeout) }
        if current.bodyBytesReceived > current.runtime.configuration.maxBodySize {
            // A chunked or HTTP/2 body grew past the limit.
            exchange?.keepAlive = false
            if let proxy = current.proxy, current.isResponseStarted == false {
                exchange?.proxy = nil
                proxy.cancel()
                respondWithPage(.payloadTooLarge, context: context)
            } else if !current.isResponseStarted {
                respondWithPage(.payloadTooLarge, context: context)
            } else {
                exchange?.proxy?.cancel()
                context.close(promise: nil)
            }
            return
        }
        current.proxy?.requestBody(buffer)
    }

    private func requestEnd(context: ChannelHandlerContext) {
        guard exchange != nil else { return }
        exchange?.isRequestComplete = true
        if !connection.isHTTP2 {
            // Waiting for our response needs no client timer (the proxy has its own);
            // once both are done the connection is idle.
            if exchange?.isResponseComplete == true, exchange?.keepAlive == true {
                armTimer(exchange?.runtime.configuration.keepaliveTimeout ?? .seconds(75))
            } else {
                cancelTimer()
            }
        }
        if let proxy = exchange?.proxy {
            proxy.requestEnd()
        } else if exchange?.isResponseComplete == true {
            finishExchange(context: context)
        }
    }

    // MARK: responses

    func respondWithPage(_ status: HTTPResponseStatus, extraHeaders: [(String, String)] = [], context: ChannelHandlerContext) {
        guard exchange?.isResponseStarted != true else {
            context.close(promise: nil)
            return
        }
        let (pageHeaders, body) = ErrorPage.make(status, allocator: context.channel.allocator)
        var headers = pageHeaders
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        writeHead(status, headers: headers, context: context)
        let sendsBody = exchange?.head.method != .HEAD && status != .noContent && status != .notModified
        if sendsBody { writeBody(body, context: context) }
        writeEnd(bodyBytes: sendsBody ? body.readableBytes : 0, context: context)
    }

    /// `headers` is consumed: a caller passing its last use hands over the storage, so
    /// adding `Server`, `Date` and HSTS here does not copy the fields.
    func writeHead(_ status: HTTPResponseStatus, headers: consuming HTTPHeaders, context: ChannelHandlerContext) {
        headers.add(name: "Server", value: "onebox")
        headers.add(name: "Date", value: DateHeader.current())
        if let hsts = exchange?.runtime.strictTransportSecurity ?? runtimes.current.strictTransportSecurity {
            headers.add(name: "Strict-Transport-Security", value: hsts)
        }
        if !connection.isHTTP2, let exchange {
            if !exchange.keepAlive {
                headers.replaceOrAdd(name: "Connection", value: "close")
            } else if exchange.head.version == .http1_0 {
                headers.replaceOrAdd(name: "Connection", value: "keep-alive")
            }
        }
        exchange?.status = Int(status.code)
        exchange?.isResponseStarted = true
        let version: HTTPVersion = exchange?.head.version == .http1_0 ? .http1_0 : .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
    }

    func writeBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    func writeEnd(bodyBytes: Int, context: ChannelHandlerContext) {
        guard exchange != nil else { return }
        exchange?.bodyBytesSent = bodyBytes
        exchange?.isResponseComplete = true
        let keepAlive = exchange?.keepAlive ?? false
        if !connection.isHTTP2 && keepAlive {
            // Armed before the write: a pipelined request may arrive inside it.
            armTimer(exchange?.runtime.configuration.keepaliveTimeout ?? .seconds(75))
        }
        // Finished (logged and forgotten) before the write: the HTTP/1 codec hands the
        // next pipelined request over inside the write of this end, and `exchange` is that
        // request's from then on. (Finishing after the write dropped a proxied pipelined
        // request's exchange, so its response never came, and left a static one unlogged.)
        if exchange?.isRequestComplete == true || !keepAlive {
            finishExchange(context: context)
        }
        if !keepAlive && !connection.isHTTP2 {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// Both directions are done: log and forget the request.
    private func finishExchange(context: ChannelHandlerContext) {
        guard let done = exchange else { return }
        exchange = nil
        if let log = done.runtime.accessLog {
            let elapsed = NIODeadline.now() - done.startedAt
            log.record(AccessLogEntry(
                remoteAddress: connection.clientAddress, epochSeconds: HTTPDate.now(),
                method: done.head.method.rawValue, uri: done.head.uri,
                version: Self.versionText(done.head.version, isHTTP2: connection.isHTTP2),
                status: done.status, bodyBytesSent: done.bodyBytesSent,
                referer: done.head.headers.first(name: "referer"), userAgent: done.head.headers.first(name: "user-agent"),
                requestTime: .nanoseconds(elapsed.nanoseconds), upstreamTime: done.upstreamTime))
        }
        if isReadingPaused {
            proxySetRequestReadingPaused(false)
        }
    }

    // MARK: timers (HTTP/1 only)

    private func armTimer(_ duration: Duration) {
        timer?.arm(in: .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000
            + duration.components.attoseconds / 1_000_000_000))
    }

    private func cancelTimer() {
        timer?.disarm()
    }

    private func timerFired() {
        guard let context else { return }
        if let exchange {
            // Waiting for more of a request body: 408 if nothing was answered yet.
            if !exchange.isRequestComplete && !exchange.isResponseStarted && exchange.proxy == nil {
                self.exchange?.keepAlive = false
                respondWithPage(.requestTimeout, context: context)
            } else if !exchange.isRequestComplete && exchange.isResponseComplete {
                context.close(promise: nil)
            } else if !exchange.isRequestComplete && exchange.proxy != nil && !exchange.isResponseStarted {
                exchange.proxy?.cancel()
                self.exchange?.proxy = nil
                self.exchange?.keepAlive = false
                respondWithPage(.requestTimeout, context: context)
            }
            return
        }
        // No request (or only part of its head) within the header or keep-alive time.
        context.close(promise: nil)
    }

    // MARK: helpers

    /// The protocol as the access log names it, without formatting a string per request.
    static func versionText(_ version: HTTPVersion, isHTTP2: Bool) -> String {
        if isHTTP2 { return "HTTP/2.0" }
        switch (version.major, version.minor) {
        case (1, 1): return "HTTP/1.1"
        case (1, 0): return "HTTP/1.0"
        default: return "HTTP/\(version.major).\(version.minor)"
        }
    }

    /// A request target made safe to echo in a Location header (no CR/LF, no spaces).
    static func safeTarget(_ target: String) -> String {
        var result = ""
        for scalar in target.unicodeScalars {
            if scalar.value < 0x21 || scalar.value == 0x7F || scalar.value > 0x7E {
                for byte in String(scalar).utf8 {
                    result += "%" + String(byte, radix: 16, uppercase: true)
                }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result.hasPrefix("//") ? "/" + result.drop { $0 == "/" } : result
    }

    /// Whether a refused target tried to climb (`..`, encoded or not): 400 rather than 404.
    static func looksLikeTraversal(_ target: String) -> Bool {
        let lowered = target.lowercased()
        return lowered.contains("..") || lowered.contains("%2e%2e") || lowered.contains("%2e.") || lowered.contains(".%2e")
            || lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00")
    }
}
