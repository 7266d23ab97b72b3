import NIOHTTP1
import Synchronization

/// Header rewriting for the reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers —
/// the fixed set and any named in `Connection` — never cross the proxy in either
/// direction; the request gains `X-Forwarded-*` and `X-Request-Id`.
public enum ProxyHeaders {
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
        filtered(headers, dropping: [], reserving: 0)
    }

    /// `headers` without hop-by-hop fields and without `dropping` (lower-case names), in
    /// one pass and without lower-casing every name (this runs twice per proxied request).
    static func filtered(_ headers: HTTPHeaders, dropping: [String], reserving extra: Int) -> HTTPHeaders {
        let named = headers.contains(name: "connection")
            ? Set(headers[canonicalForm: "connection"].map { $0.lowercased() }) : []
        var result = HTTPHeaders()
        result.reserveCapacity(headers.count + extra)
        for (name, value) in headers {
            if isHopByHop(name) || dropping.contains(where: { equalsLowercased(name, $0) }) { continue }
            if !named.isEmpty && named.contains(name.lowercased()) { continue }
            result.add(name: name, value: value)
        }
        return result
    }

    /// Whether `name` is one of the fixed hop-by-hop fields, compared without allocating.
    static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: equalsLowercased(name, "te")
        case 7: equalsLowercased(name, "trailer") || equalsLowercased(name, "upgrade")
        case 10: equalsLowercased(name, "connection") || equalsLowercased(name, "keep-alive")
        case 16: equalsLowercased(name, "proxy-connection")
        case 17: equalsLowercased(name, "transfer-encoding")
        case 18: equalsLowercased(name, "proxy-authenticate")
        case 19: equalsLowercased(name, "proxy-authorization")
        default: false
        }
    }

    /// ASCII case-insensitive equality with a lower-case `lowercased`.
    static func equalsLowercased(_ name: String, _ lowercased: String) -> Bool {
        guard name.utf8.count == lowercased.utf8.count else { return false }
        for (byte, expected) in zip(name.utf8, lowercased.utf8) {
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != expected { return false }
        }
        return true
    }

    /// Client-set fields the proxy replaces with its own.
    static let replacedRequestFields = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "x-request-id", "expect"]

    /// The head sent upstream for a client request.
    public static func upstreamRequest(_ head: HTTPRequestHead, clientAddress: String, scheme: String,
                                       requestID: String, hasBody: Bool) -> HTTPRequestHead {
        var headers = filtered(head.headers, dropping: replacedRequestFields, reserving: 6)
        // A hop-by-hop X-Forwarded-For (named in Connection) is not passed on, not even appended to.
        let isPriorHopByHop = head.headers[canonicalForm: "connection"].contains { equalsLowercased(String($0), "x-forwarded-for") }
        let priorForwarded = isPriorHopByHop ? "" : head.headers[canonicalForm: "x-forwarded-for"].joined(separator: ", ")
        headers.add(name: "X-Forwarded-For", value: priorForwarded.isEmpty ? clientAddress : priorForwarded + ", " + clientAddress)
        headers.add(name: "X-Forwarded-Proto", value: scheme)
        if let host = head.headers.first(name: "host") {
            headers.add(name: "X-Forwarded-Host", value: host)
        }
        headers.add(name: "X-Real-IP", value: clientAddress)
        headers.add(name: "X-Request-Id", value: requestID)
        if hasBody && !headers.contains(name: "content-length") {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
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
        (HTTPResponseHead(version: .http1_1, status: head.status, headers: clientResponseHeaders(head.headers)), head.isKeepAlive)
    }

    /// The fields of an upstream response passed to the client, with room for the
    /// three the front adds (`Server`, `Date`, `Strict-Transport-Security`).
    static func clientResponseHeaders(_ headers: HTTPHeaders) -> HTTPHeaders {
        filtered(headers, dropping: droppedResponseFields, reserving: 3)
    }

    /// Upstream response fields the front replaces with its own.
    static let droppedResponseFields = ["server", "date"]

    /// A fresh request id: 32 hex digits, like nginx's `$request_id`. Unique within the
    /// process (SplitMix64, a bijection, over a counter), unpredictable across processes
    /// (random keys drawn once): no `getrandom(2)` per request.
    public static func makeRequestID() -> String {
        let count = requestCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        let high = splitMix64(requestKeys.0 &+ count)
        let low = splitMix64(requestKeys.1 ^ count)
        return String(unsafeUninitializedCapacity: 32) { bytes in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                bytes[index] = digits.utf8Start[Int((high >> shift) & 0xF)]
                bytes[16 + index] = digits.utf8Start[Int((low >> shift) & 0xF)]
            }
            return 32
        }
    }

    private static let requestCounter = Atomic<UInt64>(0)
    private static let requestKeys: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()

    static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
