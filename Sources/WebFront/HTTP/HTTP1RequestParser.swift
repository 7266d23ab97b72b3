import NIOCore
import NIOHTTP1

/// Reads a client's HTTP/1.x requests from the bytes of its connection (RFC 9112), one
/// part at a time: the head (method, target, version, every field as sent), then the
/// body as its framing says, then the end.
///
/// Refused with the status a client gets (`HTTP1ParseError.status`): a malformed request
/// line or field, obsolete line folding, a bare CR, conflicting or invalid
/// Content-Length, Content-Length beside Transfer-Encoding, Transfer-Encoding on HTTP/1.0
/// (all 400 — each a way to smuggle a second request past a front), an HTTP/1.1 request
/// without `Host` or any with two (400, RFC 9112 §3.2); a transfer coding
/// other than chunked (501, as nginx); a version other than 1.0 and 1.1 (505); a head
/// larger than the limit (431, or 414 when the request line alone is). Empty lines before
/// a request line are skipped (RFC 9112 §2.2: some clients send a CRLF after a body).
struct HTTP1RequestParser {
    typealias Event = HTTP1Part<HTTPRequestHead>

    /// The largest head accepted, and the longest request line within it.
    let maxHeadBytes: Int
    let maxRequestLineBytes: Int

    /// nil between requests (a head is next).
    private var body: HTTP1BodyReader?
    private var scanner = HTTP1HeadScanner()

    init(maxHeadBytes: Int, maxRequestLineBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
        self.maxRequestLineBytes = maxRequestLineBytes
    }

    /// Between two requests: the next event would be a head.
    var isBetweenRequests: Bool { body == nil }

    /// The next event parsed from `buffer`, or nil when it needs more bytes.
    mutating func next(_ buffer: inout ByteBuffer) throws -> Event? {
        if body != nil { return try body.nextPart(&buffer) }
        skipEmptyLines(&buffer)
        let headLength: Int?
        do {
            headLength = try scanner.headLength(buffer, limit: maxHeadBytes, tooLarge: .requestHeaderFieldsTooLarge)
        } catch let error as HTTP1ParseError where error.status == .requestHeaderFieldsTooLarge {
            throw requestLineIsTooLong(buffer) ? HTTP1ParseError("request line too long", status: .uriTooLong) : error
        }
        guard let headLength else {
            if requestLineIsTooLong(buffer) { throw HTTP1ParseError("request line too long", status: .uriTooLong) }
            return nil
        }
        let (head, framing) = try buffer.withUnsafeReadableBytes { bytes in
            try Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[..<headLength]), maxRequestLineBytes: maxRequestLineBytes)
        }
        buffer.moveReaderIndex(forwardBy: headLength)
        body = framing
        return .head(head)
    }

    private func requestLineIsTooLong(_ buffer: ByteBuffer) -> Bool {
        guard buffer.readableBytes > maxRequestLineBytes else { return false }
        let firstLine = buffer.withUnsafeReadableBytes { $0.firstIndex(of: UInt8(ascii: "\n")) } ?? buffer.readableBytes
        return firstLine > maxRequestLineBytes
    }

    private func skipEmptyLines(_ buffer: inout ByteBuffer) {
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
            if byte == UInt8(ascii: "\n") {
                buffer.moveReaderIndex(forwardBy: 1)
            } else if byte == UInt8(ascii: "\r"), buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) == UInt8(ascii: "\n") {
                buffer.moveReaderIndex(forwardBy: 2)
            } else {
                return
            }
        }
    }

    private static func parseHead(_ bytes: UnsafeRawBufferPointer, maxRequestLineBytes: Int) throws -> (HTTPRequestHead, HTTP1BodyReader) {
        var lines = HTTP1LineIterator(bytes: bytes)
        guard let requestLine = lines.next() else { throw HTTP1ParseError("no request line") }
        guard requestLine.count <= maxRequestLineBytes else { throw HTTP1ParseError("request line too long", status: .uriTooLong) }
        let (method, uri, version) = try parseRequestLine(UnsafeRawBufferPointer(rebasing: requestLine))
        var headers = HTTPHeaders()
        headers.reserveCapacity(16)
        var contentLength: Int?
        var transferCodings: [String]?
        var hostFields = 0
        while let line = lines.next(), !line.isEmpty {
            let (nameBytes, valueBytes) = try HTTP1Syntax.field(line)
            let name = String(decoding: nameBytes, as: UTF8.self)
            let value = String(decoding: valueBytes, as: UTF8.self)
            if nameBytes.count == 14 && ProxyHeaders.equalsLowercased(name, "content-length") {
                guard let length = HTTP1Syntax.length(valueBytes) else { throw HTTP1ParseError("invalid Content-Length") }
                guard contentLength == nil || contentLength == length else { throw HTTP1ParseError("conflicting Content-Length values") }
                contentLength = length
            } else if nameBytes.count == 17 && ProxyHeaders.equalsLowercased(name, "transfer-encoding") {
                transferCodings = (transferCodings ?? []) + HTTP1Syntax.listTokens(value)
            } else if nameBytes.count == 4 && ProxyHeaders.equalsLowercased(name, "host") {
                hostFields += 1
            }
            headers.add(name: name, value: value)
        }
        let framing: HTTP1BodyReader
        if let transferCodings {
            guard contentLength == nil else { throw HTTP1ParseError("both Content-Length and Transfer-Encoding") }
            guard version.minor == 1 else { throw HTTP1ParseError("Transfer-Encoding in an HTTP/1.0 request") }
            guard transferCodings == ["chunked"] else {
                throw HTTP1ParseError("unsupported transfer coding", status: .notImplemented)
            }
            framing = .chunked
        } else {
            framing = .length(contentLength ?? 0)
        }
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0.
        guard hostFields <= 1 && (hostFields == 1 || version.minor == 0) else {
            throw HTTP1ParseError(hostFields == 0 ? "HTTP/1.1 request without Host" : "more than one Host field")
        }
        return (HTTPRequestHead(version: version, method: method, uri: uri, headers: headers), framing)
    }

    /// `METHOD SP request-target SP HTTP/1.x`.
    private static func parseRequestLine(_ bytes: UnsafeRawBufferPointer) throws -> (HTTPMethod, String, HTTPVersion) {
        guard let methodEnd = bytes.firstIndex(of: UInt8(ascii: " ")), methodEnd > 0,
              bytes[..<methodEnd].allSatisfy(HTTP1Syntax.isTokenByte) else {
            throw HTTP1ParseError("invalid request method")
        }
        let targetStart = methodEnd + 1
        guard let targetEnd = bytes[targetStart...].firstIndex(of: UInt8(ascii: " ")), targetEnd > targetStart else {
            throw HTTP1ParseError("invalid request line")
        }
        let target = UnsafeRawBufferPointer(rebasing: bytes[targetStart..<targetEnd])
        // Visible ASCII, or UTF-8 (checked below); no controls, no spaces.
        guard target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw HTTP1ParseError("invalid request target") }
        let version = UnsafeRawBufferPointer(rebasing: bytes[(targetEnd + 1)...])
        guard version.count == 8, version.starts(with: "HTTP/".utf8), version[6] == UInt8(ascii: "."),
              let major = asciiDigit(version[5]), let minor = asciiDigit(version[7]) else {
            throw HTTP1ParseError("invalid HTTP version")
        }
        guard major == 1 && minor <= 1 else {
            throw HTTP1ParseError("HTTP version not supported", status: .httpVersionNotSupported)
        }
        let uri = String(decoding: target, as: UTF8.self)
        guard uri.utf8.elementsEqual(target) else { throw HTTP1ParseError("request target is not UTF-8") }
        let method = HTTPMethod(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<methodEnd]), as: UTF8.self))
        return (method, uri, HTTPVersion(major: major, minor: minor))
    }

    private static func asciiDigit(_ byte: UInt8) -> Int? {
        let digit = byte &- UInt8(ascii: "0")
        return digit < 10 ? Int(digit) : nil
    }
}
