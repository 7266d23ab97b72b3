import NIOCore
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

    /// Client-set fields the proxy replaces with its own (X-Forwarded-For is appended to).
    static let replacedRequestFields = ["x-forwarded-proto", "x-forwarded-host", "x-real-ip", "x-request-id", "expect"]

    /// The head sent upstream for a client request, serialised: the client's fields
    /// without hop-by-hop ones (the fixed set and any named in `Connection`) and without
    /// those the proxy replaces, then the proxy's own; `isChunked` when a body without
    /// Content-Length goes in chunks. Field names and values were validated when the
    /// client's head was parsed (no CR, LF or NUL), so they are written as they are.
    public static func upstreamRequest(_ head: HTTPRequestHead, clientAddress: String, scheme: String,
                                       requestID: String, hasBody: Bool) -> (head: ByteBuffer, isChunked: Bool) {
        let headers = head.headers
        // Fields named in Connection, less `keep-alive` (hop-by-hop anyway): empty for the
        // usual `Connection: keep-alive`, so no field name is lower-cased per request.
        let connectionNamed = Set(headers["connection"].flatMap(HTTP1Syntax.listTokens).filter { $0 != "keep-alive" })
        var buffer = ByteBufferAllocator().buffer(capacity: 256 + head.uri.utf8.count + headers.count * 48)
        buffer.writeString(head.method.rawValue)
        buffer.writeStaticString(" ")
        buffer.writeString(head.uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        var priorForwarded: [Substring] = []
        var host: String?
        var hasLength = false
        for (name, value) in headers {
            if isHopByHop(name) || (!connectionNamed.isEmpty && connectionNamed.contains(name.lowercased())) { continue }
            if equalsLowercased(name, "x-forwarded-for") {
                priorForwarded.append(Substring(value))
                continue
            }
            if replacedRequestFields.contains(where: { equalsLowercased(name, $0) }) { continue }
            if host == nil && equalsLowercased(name, "host") { host = value }
            if equalsLowercased(name, "content-length") { hasLength = true }
            buffer.writeField(name, value)
        }
        // A hop-by-hop X-Forwarded-For (named in Connection) was dropped above: not even appended to.
        var forwarded = priorForwarded.joined(separator: ", ")
        forwarded += forwarded.isEmpty ? clientAddress : ", " + clientAddress
        buffer.writeField("X-Forwarded-For", forwarded)
        buffer.writeField("X-Forwarded-Proto", scheme)
        if let host { buffer.writeField("X-Forwarded-Host", host) }
        buffer.writeField("X-Real-IP", clientAddress)
        buffer.writeField("X-Request-Id", requestID)
        let isChunked = hasBody && !hasLength
        if isChunked { buffer.writeField("Transfer-Encoding", "chunked") }
        buffer.writeStaticString("\r\n")
        return (buffer, isChunked)
    }

    /// Whether the client request carries a body to forward.
    public static func requestHasBody(_ head: HTTPRequestHead) -> Bool {
        if let length = head.headers.first(name: "content-length") { return length != "0" }
        if head.headers.contains(name: "transfer-encoding") { return true }
        return !isUsuallyBodyless(head.method) && head.version.major >= 2
    }

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
