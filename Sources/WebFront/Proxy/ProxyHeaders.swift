import NIOHTTP1

/// Header rewriting for the reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers —
/// the fixed set and any named in `Connection` — never cross the proxy in either
/// direction; the request gains `X-Forwarded-*` and `X-Request-Id`.
public enum ProxyHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Methods whose body-less form is the norm; without Content-Length they are sent without a body.
    static func isUsuallyBodyless(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .DELETE, .OPTIONS, .TRACE: true
        default: false
        }
    }

    /// Methods safe to send twice (RFC 9110 §9.2.2): retried once on another upstream.
    public static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .TRACE, .PUT, .DELETE: true
        default: false
        }
    }

    /// `headers` without hop-by-hop fields.
    public static func removingHopByHop(_ headers: HTTPHeaders) -> HTTPHeaders {
        var named = Set<String>()
        for value in headers[canonicalForm: "connection"] {
            named.insert(value.lowercased())
        }
        var result = HTTPHeaders()
        result.reserveCapacity(headers.count + 5)
        for (name, value) in headers {
            let lowered = name.lowercased()
            if hopByHop.contains(lowered) || named.contains(lowered) { continue }
            result.add(name: name, value: value)
        }
        return result
    }

    /// The head sent upstream for a client request.
    public static func upstreamRequest(_ head: HTTPRequestHead, clientAddress: String, scheme: String,
                                       requestID: String, hasBody: Bool) -> HTTPRequestHead {
        var headers = removingHopByHop(head.headers)
        let priorForwarded = headers[canonicalForm: "x-forwarded-for"].joined(separator: ", ")
        headers.remove(name: "x-forwarded-for")
        headers.remove(name: "x-forwarded-proto")
        headers.remove(name: "x-forwarded-host")
        headers.remove(name: "x-real-ip")
        headers.remove(name: "x-request-id")
        headers.remove(name: "expect")
        headers.add(name: "X-Forwarded-For", value: priorForwarded.isEmpty ? clientAddress : priorForwarded + ", " + clientAddress)
        headers.add(name: "X-Forwarded-Proto", value: scheme)
        if let host = head.headers.first(name: "host") {
            headers.add(name: "X-Forwarded-Host", value: host)
        }
        headers.add(name: "X-Real-IP", value: clientAddress)
        headers.add(name: "X-Request-Id", value: requestID)
        if !headers.contains(name: "content-length") && hasBody {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        var upstream = HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
        upstream.headers = headers
        return upstream
    }

    /// Whether the client request carries a body to forward.
    public static func requestHasBody(_ head: HTTPRequestHead) -> Bool {
        if let length = head.headers.first(name: "content-length") { return length != "0" }
        if head.headers.contains(name: "transfer-encoding") { return true }
        return !isUsuallyBodyless(head.method) && head.version.major >= 2
    }

    /// The head sent to the client for an upstream response: hop-by-hop, `Server` and
    /// `Date` removed (ours are added), and whether the upstream connection may be reused.
    public static func clientResponse(_ head: HTTPResponseHead) -> (head: HTTPResponseHead, upstreamKeepAlive: Bool) {
        let keepAlive = head.isKeepAlive
        var headers = removingHopByHop(head.headers)
        headers.remove(name: "server")
        headers.remove(name: "date")
        return (HTTPResponseHead(version: .http1_1, status: head.status, headers: headers), keepAlive)
    }

    /// A fresh request id: 32 hex digits, like nginx's `$request_id`.
    public static func makeRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = String(generator.next() as UInt64, radix: 16)
        let low = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
    }
}
