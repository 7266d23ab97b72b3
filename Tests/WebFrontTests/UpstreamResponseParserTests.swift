import NIOCore
import NIOHTTP1
import Testing
@testable import WebFront

/// The upstream response parser, fed as the connection feeds it (unparsed bytes kept and
/// prefixed to the next read): every stream is parsed whole and byte by byte, and both
/// must give the same events.
@Suite struct UpstreamResponseParserTests {
    /// Events as text: `head 200 keep-alive|close name=value;...`, `body <bytes>` (consecutive
    /// body events joined), `end`, `closed` (the connection's end produced nothing).
    static func events(_ stream: String, headRequest: Bool = false, close: Bool = false, byteByByte: Bool) throws -> [String] {
        var parser = UpstreamResponseParser()
        parser.isHeadRequest = headRequest
        var events: [String] = []
        var unparsed: ByteBuffer?
        let bytes = Array(stream.utf8)
        let reads = byteByByte ? bytes.map { [$0] } : [bytes]
        func record(_ event: UpstreamResponseParser.Event) {
            switch event {
            case .head(let head):
                let fields = head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
                events.append("head \(head.status.code) \(head.keepAlive ? "keep-alive" : "close") \(fields)")
            case .body(let buffer):
                if let last = events.last, last.hasPrefix("body ") {
                    events[events.count - 1] = last + String(buffer: buffer)
                } else {
                    events.append("body " + String(buffer: buffer))
                }
            case .end:
                events.append("end")
            }
        }
        for read in reads {
            var buffer = ByteBuffer(bytes: read)
            if var pending = unparsed {
                unparsed = nil
                pending.writeBuffer(&buffer)
                buffer = pending
            }
            while let event = try parser.next(&buffer) {
                record(event)
            }
            if buffer.readableBytes > 0 { unparsed = buffer }
        }
        if close {
            if let event = try parser.connectionClosed(unparsedBytes: unparsed?.readableBytes ?? 0) {
                record(event)
            } else {
                events.append("closed")
            }
        }
        return events
    }

    /// Parsed whole and byte by byte, with the same result.
    static func parse(_ stream: String, headRequest: Bool = false, close: Bool = false) throws -> [String] {
        let whole = try events(stream, headRequest: headRequest, close: close, byteByByte: false)
        let pieces = try events(stream, headRequest: headRequest, close: close, byteByByte: true)
        #expect(whole == pieces)
        return whole
    }

    static func rejects(_ stream: String, headRequest: Bool = false, close: Bool = false) {
        for byteByByte in [false, true] {
            #expect(throws: HTTP1ParseError.self, "\(stream.debugDescription)") {
                _ = try events(stream, headRequest: headRequest, close: close, byteByByte: byteByByte)
            }
        }
    }

    @Test func fieldsAreFilteredAsTheClientGetsThem() throws {
        let stream = "HTTP/1.1 200 OK\r\nServer: app\r\nDate: Fri, 27 Nov 2026 16:00:00 GMT\r\nContent-Type: text/plain\r\n"
            + "Connection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
            + "Content-Length:   5  \r\n\r\nhello"
        #expect(try Self.parse(stream) == [
            "head 200 close Content-Type=text/plain;Set-Cookie=a=1;Set-Cookie=b=2;Content-Length=5", "body hello", "end",
        ])
    }

    @Test func keepAliveFollowsTheVersionAndConnection() throws {
        #expect(try Self.parse("HTTP/1.1 204 No Content\r\n\r\n") == ["head 204 keep-alive ", "end"])
        #expect(try Self.parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") == ["head 200 close Content-Length=0", "end"])
        #expect(try Self.parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx")
                == ["head 200 keep-alive Content-Length=1", "body x", "end"])
    }

    @Test func chunkedBodiesWithExtensionsAndTrailersAndPipelinedResponses() throws {
        let stream = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 1\r\n\r\n"
            + "HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno"
        #expect(try Self.parse(stream) == [
            "head 200 keep-alive ", "body helloabcdefghijklmnopqrstuvwxyz", "end",
            "head 404 keep-alive Content-Length=2", "body no", "end",
        ])
    }

    @Test func responsesWithoutABody() throws {
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", headRequest: true)
                == ["head 200 keep-alive Content-Length=100", "end"])
        #expect(try Self.parse("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n") == ["head 304 keep-alive ETag=\"x\"", "end"])
        // Interim responses are dropped; the final one follows.
        #expect(try Self.parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
                == ["head 201 keep-alive Content-Length=0", "end"])
    }

    @Test func bodiesThatRunUntilTheClose() throws {
        #expect(try Self.parse("HTTP/1.1 200 OK\r\n\r\nall of it", close: true) == ["head 200 close ", "body all of it", "end"])
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", close: true) == ["head 200 close ", "body zz", "end"])
        // Both framings: chunked wins, the length is not passed on, the connection not reused.
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
                == ["head 200 close ", "body ok", "end"])
        // Closed between responses: nothing; in the middle of one: an error.
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", close: true) == ["head 200 keep-alive Content-Length=1", "body x", "end", "closed"])
        Self.rejects("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nx", close: true)
        Self.rejects("HTTP/1.1 200 OK\r\nContent-Le", close: true)
    }

    @Test func malformedResponsesAreRefused() {
        for stream in [
            "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", "HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n", "HTTP/1.1 200 OK\r\n: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: 1\r2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
            "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: UpstreamResponseParser.maxHeadBytes) + "\r\n\r\n",
        ] {
            Self.rejects(stream)
        }
        // Repeating the same length is allowed.
        #expect((try? Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"))
                == ["head 200 keep-alive Content-Length=1", "body x", "end"])
    }
}
