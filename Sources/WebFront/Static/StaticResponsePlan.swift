import NIOHTTP1

/// Which bytes of a static file a response carries.
public enum StaticBody: Sendable, Equatable {
    /// Headers only (304, 412, 416, or HEAD).
    case none
    /// The whole file, or its gzip form.
    case whole(gzip: Bool)
    /// One byte range of the identity form.
    case range(Range<Int>)
    /// Several ranges as `multipart/byteranges` with this boundary.
    case multipart(ranges: [Range<Int>], boundary: String)
}

/// A static-file response decided from the request's headers and the file's validators,
/// before any byte of the file is touched. Pure: testable without a file or a socket.
public struct StaticResponsePlan: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: StaticBody
    /// The number of body bytes (Content-Length), 0 for `.none`.
    public var contentLength: Int

    /// What the planner knows about the file.
    public struct Representation: Sendable {
        public var length: Int
        public var contentType: String
        public var entityTag: String
        public var lastModifiedSeconds: Int
        public var lastModified: String
        /// Length of the gzip form, when one exists.
        public var gzipLength: Int?
        public var cacheControl: String
        /// Whether the type is compressible (adds `Vary: Accept-Encoding`).
        public var isCompressible: Bool

        public init(length: Int, contentType: String, entityTag: String, lastModifiedSeconds: Int,
                    lastModified: String, gzipLength: Int?, cacheControl: String, isCompressible: Bool) {
            self.length = length
            self.contentType = contentType
            self.entityTag = entityTag
            self.lastModifiedSeconds = lastModifiedSeconds
            self.lastModified = lastModified
            self.gzipLength = gzipLength
            self.cacheControl = cacheControl
            self.isCompressible = isCompressible
        }
    }

    /// Plans the response to a GET or HEAD of `file`.
    public static func make(requestHeaders: HTTPHeaders, file: Representation, boundary: @autoclosure () -> String) -> StaticResponsePlan {
        var headers = HTTPHeaders()
        headers.reserveCapacity(10)
        headers.add(name: "Last-Modified", value: file.lastModified)
        headers.add(name: "Cache-Control", value: file.cacheControl)
        if file.isCompressible { headers.add(name: "Vary", value: "Accept-Encoding") }

        let conditions = ConditionalRequest(
            ifMatch: requestHeaders.first(name: "if-match"),
            ifUnmodifiedSince: requestHeaders.first(name: "if-unmodified-since"),
            ifNoneMatch: requestHeaders.first(name: "if-none-match"),
            ifModifiedSince: requestHeaders.first(name: "if-modified-since"),
            ifRange: requestHeaders.first(name: "if-range"))
        let rangeHeader = requestHeaders.first(name: "range")
        let useGzip = file.gzipLength != nil && rangeHeader == nil && acceptsGzip(requestHeaders)
        let etag = useGzip ? gzipEntityTag(file.entityTag) : file.entityTag
        headers.add(name: "ETag", value: etag)

        switch conditions.evaluate(etag: etag, lastModified: file.lastModifiedSeconds) {
        case .notModified:
            return StaticResponsePlan(status: .notModified, headers: headers, body: .none, contentLength: 0)
        case .preconditionFailed:
            headers.add(name: "Content-Length", value: "0")
            return StaticResponsePlan(status: .preconditionFailed, headers: headers, body: .none, contentLength: 0)
        case .proceed:
            break
        }

        headers.add(name: "Accept-Ranges", value: "bytes")
        var ranges = ByteRangeSet.whole
        if rangeHeader != nil, conditions.rangeIsApplicable(etag: file.entityTag, lastModified: file.lastModifiedSeconds) {
            ranges = ByteRangeSet(header: rangeHeader, length: file.length)
        }
        switch ranges {
        case .whole:
            let length = useGzip ? file.gzipLength! : file.length
            headers.add(name: "Content-Type", value: file.contentType)
            if useGzip { headers.add(name: "Content-Encoding", value: "gzip") }
            headers.add(name: "Content-Length", value: String(length))
            return StaticResponsePlan(status: .ok, headers: headers, body: .whole(gzip: useGzip), contentLength: length)
        case .unsatisfiable:
            headers.add(name: "Content-Range", value: "bytes */\(file.length)")
            headers.add(name: "Content-Length", value: "0")
            return StaticResponsePlan(status: .rangeNotSatisfiable, headers: headers, body: .none, contentLength: 0)
        case .ranges(let list) where list.count == 1:
            let range = list[0]
            headers.add(name: "Content-Type", value: file.contentType)
            headers.add(name: "Content-Range", value: "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(file.length)")
            headers.add(name: "Content-Length", value: String(range.count))
            return StaticResponsePlan(status: .partialContent, headers: headers, body: .range(range), contentLength: range.count)
        case .ranges(let list):
            let boundary = boundary()
            let length = MultipartByteRanges.length(ranges: list, boundary: boundary, contentType: file.contentType, totalLength: file.length)
            headers.add(name: "Content-Type", value: "multipart/byteranges; boundary=\(boundary)")
            headers.add(name: "Content-Length", value: String(length))
            return StaticResponsePlan(status: .partialContent, headers: headers,
                                      body: .multipart(ranges: list, boundary: boundary), contentLength: length)
        }
    }

    /// The gzip form has its own validator, so a cache never mixes the two.
    static func gzipEntityTag(_ etag: String) -> String {
        String(etag.dropLast()) + "-gz\""
    }

    /// `Accept-Encoding` lists gzip (or `*`) without `q=0`.
    public static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        for value in headers[canonicalForm: "accept-encoding"] {
            let parts = value.split(separator: ";")
            guard let coding = parts.first?.trimmingCharacters(in: " \t").lowercased(), coding == "gzip" || coding == "*" else { continue }
            let refused = parts.dropFirst().contains { parameter in
                let text = parameter.trimmingCharacters(in: " \t").lowercased()
                return text.hasPrefix("q=") && (Double(text.dropFirst(2)) ?? 1) == 0
            }
            return !refused
        }
        return false
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
