import NIOCore
import NIOHTTP1

/// Reads an upstream's HTTP/1.x responses from the bytes of its connection (RFC 9112),
/// one event at a time, and hands the head over as the client will get it.
///
/// The head's fields are filtered while they are parsed: hop-by-hop fields (the fixed set
/// and any named in `Connection`), `Server` and `Date` (the front adds its own) never
/// reach the client, and the one `HTTPHeaders` built is the one the front sends on, with
/// room for the fields it adds. Interim (1xx) responses are read and dropped; a 101 is
/// refused (the proxy never asks for an upgrade).
///
/// Body framing as §6.3 orders it: none for a HEAD request, 204 and 304; chunked when
/// the last transfer coding is chunked (a `Content-Length` beside it is dropped and the
/// connection not reused); other transfer codings and unframed bodies run until the
/// close; otherwise `Content-Length`, which must be one non-negative number (copies of
/// the same value allowed). Body bytes are slices of the connection's read buffers: no
/// copy. Chunk extensions and trailer fields are read and dropped (as nginx does).
///
/// Invariants: `next` consumes from its buffer exactly the bytes of the events it
/// returns, and returns nil only when the bytes left are an incomplete head, chunk line
/// or trailer section — each bounded, beyond which it throws `HTTP1ParseError`.
/// A response head as the client gets it, and whether the upstream connection may be reused.
struct UpstreamResponseHead {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var keepAlive: Bool
}

struct UpstreamResponseParser {
    typealias Event = HTTP1Part<UpstreamResponseHead>

    /// The largest response head (status line and fields) accepted.
    static let maxHeadBytes = 64 * 1024

    /// nil between responses (a head is next).
    private var body: HTTP1BodyReader?
    private var scanner = HTTP1HeadScanner()
    /// The request being answered is HEAD: its response is a head only.
    var isHeadRequest = false

    /// Between two responses, with nothing of the next one read.
    var isBetweenResponses: Bool { body == nil }

    /// The next event parsed from `buffer`, or nil when it needs more bytes.
    mutating func next(_ buffer: inout ByteBuffer) throws -> Event? {
        if body != nil { return try body.nextPart(&buffer) }
        while true {
            guard let headLength = try scanner.headLength(buffer, limit: Self.maxHeadBytes, tooLarge: .badGateway) else { return nil }
            var parsed = try buffer.withUnsafeReadableBytes { bytes in
                try Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[..<headLength]))
            }
            buffer.moveReaderIndex(forwardBy: headLength)
            let code = parsed.status.code
            if code >= 100 && code < 200 {
                // Interim responses are dropped; the final one follows.
                guard code != 101 else { throw HTTP1ParseError("unrequested protocol switch (101)") }
                continue
            }
            var keepAlive = parsed.keepAlive
            if isHeadRequest || code == 204 || code == 304 {
                body = HTTP1BodyReader.none
            } else if let isChunked = parsed.isChunked {
                if parsed.contentLength != nil {
                    // Both framings: the transfer coding wins, the length is not passed on
                    // (a client reading it would frame the body differently), and the
                    // connection is not trusted again.
                    parsed.headers.remove(name: "content-length")
                    keepAlive = false
                }
                body = isChunked ? HTTP1BodyReader.chunked : HTTP1BodyReader.untilClose
            } else if let length = parsed.contentLength {
                body = HTTP1BodyReader.length(length)
            } else {
                body = HTTP1BodyReader.untilClose
            }
            if body!.runsUntilClose { keepAlive = false }
            return .head(UpstreamResponseHead(status: parsed.status, headers: parsed.headers, keepAlive: keepAlive))
        }
    }

    /// The connection ended: the end of a body that runs until the close, nothing
    /// between responses, an error in the middle of one.
    mutating func connectionClosed(unparsedBytes: Int) throws -> Event? {
        if let body, body.runsUntilClose {
            self.body = nil
            return .end
        }
        guard body == nil && unparsedBytes == 0 else { throw HTTP1ParseError("connection closed in the middle of a response") }
        return nil
    }

    private struct ParsedHead {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var keepAlive: Bool
        /// nil without Transfer-Encoding; else whether its last coding is chunked.
        var isChunked: Bool?
        var contentLength: Int?
    }

    private static func parseHead(_ bytes: UnsafeRawBufferPointer) throws -> ParsedHead {
        var lines = HTTP1LineIterator(bytes: bytes)
        guard let statusLine = lines.next() else { throw HTTP1ParseError("no status line") }
        let (minor, status) = try parseStatusLine(UnsafeRawBufferPointer(rebasing: statusLine))
        var headers = HTTPHeaders()
        headers.reserveCapacity(12)
        var connectionClose = false
        var connectionKeepAlive = false
        var connectionNamed: [String] = []
        var isChunked: Bool?
        var contentLength: Int?
        while let line = lines.next(), !line.isEmpty {
            let (nameBytes, valueBytes) = try HTTP1Syntax.field(line)
            let name = String(decoding: nameBytes, as: UTF8.self)
            let value = String(decoding: valueBytes, as: UTF8.self)
            switch nameBytes.count {
            case 4 where ProxyHeaders.equalsLowercased(name, "date"),
                 6 where ProxyHeaders.equalsLowercased(name, "server"):
                continue
            case 10 where ProxyHeaders.equalsLowercased(name, "connection"):
                for option in HTTP1Syntax.listTokens(value) {
                    switch option {
                    case "close": connectionClose = true
                    case "keep-alive": connectionKeepAlive = true
                    default: connectionNamed.append(option)
                    }
                }
                continue
            case 14 where ProxyHeaders.equalsLowercased(name, "content-length"):
                guard let length = HTTP1Syntax.length(valueBytes) else { throw HTTP1ParseError("invalid Content-Length") }
                if let contentLength {
                    guard contentLength == length else { throw HTTP1ParseError("conflicting Content-Length values") }
                    continue
                }
                contentLength = length
            case 17 where ProxyHeaders.equalsLowercased(name, "transfer-encoding"):
                // Later fields continue the list (RFC 9110 §5.3): the last coding decides.
                if let last = HTTP1Syntax.listTokens(value).last {
                    isChunked = last == "chunked"
                } else if isChunked == nil {
                    isChunked = false
                }
                continue
            default:
                if ProxyHeaders.isHopByHop(name) { continue }
            }
            headers.add(name: name, value: value)
        }
        for named in connectionNamed { headers.remove(name: named) }
        if connectionNamed.contains("content-length") { contentLength = nil }
        let keepAlive = minor == 1 ? !connectionClose : connectionKeepAlive && !connectionClose
        return ParsedHead(status: status, headers: headers, keepAlive: keepAlive, isChunked: isChunked, contentLength: contentLength)
    }

    /// `HTTP/1.x SSS reason`: the minor version and the status.
    private static func parseStatusLine(_ bytes: UnsafeRawBufferPointer) throws -> (Int, HTTPResponseStatus) {
        guard bytes.count >= 12, bytes.starts(with: "HTTP/1.".utf8),
              bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1"), bytes[8] == UInt8(ascii: " ") else {
            throw HTTP1ParseError("invalid status line")
        }
        var code = 0
        for index in 9..<12 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw HTTP1ParseError("invalid status code") }
            code = code * 10 + Int(digit)
        }
        guard code >= 100, bytes.count == 12 || bytes[12] == UInt8(ascii: " ") else { throw HTTP1ParseError("invalid status code") }
        return (Int(bytes[7] - UInt8(ascii: "0")), HTTPResponseStatus(statusCode: code))
    }
}
