import NIOHTTP1

/// The size checks on a request head, before anything is routed (nginx's
/// `large_client_header_buffers` and `client_max_body_size`).
public struct RequestLimits: Sendable {
    public var maxURILength: Int
    public var maxHeaderBytes: Int
    public var maxBodySize: Int

    public init(maxURILength: Int, maxHeaderBytes: Int, maxBodySize: Int) {
        self.maxURILength = maxURILength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodySize = maxBodySize
    }

    /// The error status a head deserves, or nil when it is within every limit.
    public func violation(of head: HTTPRequestHead) -> HTTPResponseStatus? {
        if head.uri.utf8.count > maxURILength { return .uriTooLong }
        var bytes = 0
        for (name, value) in head.headers {
            bytes += name.utf8.count + value.utf8.count + 4
        }
        if bytes > maxHeaderBytes { return .requestHeaderFieldsTooLarge }
        if let length = head.headers.first(name: "content-length") {
            guard let value = Int(length), value >= 0 else { return .badRequest }
            if value > maxBodySize { return .payloadTooLarge }
        }
        if head.headers[canonicalForm: "content-length"].count > 1 { return .badRequest }
        return nil
    }
}
