import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import WebFront

/// The HTTP/1 server codec on an EmbeddedChannel: request parts in, response bytes out.
@Suite struct HTTP1ServerCodecTests {
    /// Counts the reads that reach the socket end of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    static func makeChannel(loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> (EmbeddedChannel, ReadCounter) {
        let counter = ReadCounter()
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(HTTP1ServerCodec(maxHeadBytes: 2048, maxRequestLineBytes: 512))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, counter)
    }

    static func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// The request parts passed on so far, as text.
    static func parts(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let head):
                parts.append("head \(head.method.rawValue) \(head.uri) \(head.version.minor) "
                             + head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";"))
            case .body(let buffer): parts.append("body " + String(buffer: buffer))
            case .end: parts.append("end")
            }
        }
        return parts
    }

    /// Everything written to the socket so far, as text.
    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    static func respond(_ channel: EmbeddedChannel, _ status: HTTPResponseStatus = .ok, version: HTTPVersion = .http1_1,
                        headers: HTTPHeaders = [:], body: String? = nil) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        if let body { try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body)))) }
        try channel.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
    }

    @Test func aRequestWithoutBodyEndsWithItsHead() throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, "GET /a?b HTTP/1.1\r\nHost: www.foobar.com\r\nX-Empty:\r\n\r\n")
        #expect(try Self.parts(channel) == ["head GET /a?b 1 Host=www.foobar.com;X-Empty=", "end"])
    }

    @Test func pipelinedRequestsWaitForTheResponseBeforeThem() throws {
        let (channel, counter) = try Self.makeChannel()
        try Self.send(channel, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\n")
        #expect(try Self.parts(channel) == ["head GET /1 1 Host=a", "end"])
        // Reading goes on while the response is pending.
        channel.read()
        #expect(counter.reads == 1)
        try Self.respond(channel, headers: ["Content-Length": "3"], body: "one")
        #expect(try Self.output(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none")
        #expect(try Self.parts(channel) == ["head GET /2 1 Host=a", "end"])
        // Without a length, an HTTP/1.1 body is chunked.
        try Self.respond(channel, body: "two")
        #expect(try Self.output(channel) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n")
        #expect(try Self.parts(channel).isEmpty)
        try Self.send(channel, "Host: a\r\n\r\n")
        #expect(try Self.parts(channel) == ["head GET /3 1 Host=a", "end"])
    }

    @Test func requestBodiesByLengthAndInChunks() throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, "POST /c HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel")
        try Self.send(channel, "lo")
        #expect(try Self.parts(channel) == ["head POST /c 1 Host=a;Content-Length=5", "body hel", "body lo", "end"])
        try Self.respond(channel, .noContent)
        #expect(try Self.output(channel) == "HTTP/1.1 204 No Content\r\n\r\n")
        try Self.send(channel, "\r\nPUT /d HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nTrailer: 1\r\n\r\n")
        #expect(try Self.parts(channel) == ["head PUT /d 1 Host=a;Transfer-Encoding=chunked", "body abc", "end"])
    }

    @Test func headResponsesAndHTTP10() throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try Self.parts(channel)
        try Self.respond(channel, headers: ["Content-Length": "10"], body: "dropped")
        #expect(try Self.output(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
        // HTTP/1.0 without a length: the body runs until the close.
        try Self.send(channel, "GET /old HTTP/1.0\r\n\r\n")
        #expect(try Self.parts(channel) == ["head GET /old 0 ", "end"])
        try Self.respond(channel, version: .http1_0, body: "bye")
        #expect(try Self.output(channel) == "HTTP/1.0 200 OK\r\n\r\nbye")
        #expect(!channel.isActive)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX A: 1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", 400),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("GET /\r\n\r\n", 400),
        ("GET / FOO/1.1\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\n\r\n", 400),
        ("GET /a\u{01}b HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET /" + String(repeating: "a", count: 600) + " HTTP/1.1\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 2100) + "\r\n\r\n", 431),
    ])
    func badRequestsAreRefusedAndTheConnectionClosed(request: String, status: Int) throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, request)
        #expect(try Self.parts(channel).isEmpty)
        let output = try Self.output(channel)
        #expect(output.hasPrefix("HTTP/1.1 \(status) "), "\(output)")
        #expect(output.contains("Connection: close\r\n"))
        #expect(!channel.isActive)
    }

    @Test func refusalsAreLoggedWithTheirRequestLine() throws {
        final class Log: @unchecked Sendable { var lines: [String] = [] }
        let log = Log()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTP1ServerCodec(maxHeadBytes: 2048, maxRequestLineBytes: 512) { line, status, bytes in
            log.lines.append("\(line)|\(status.code)|\(bytes > 0)")
        })
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try Self.send(channel, "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try Self.parts(channel)
        try Self.respond(channel, headers: ["Content-Length": "0"])
        try Self.send(channel, "GET /no-host HTTP/1.1\r\nX: 1\r\n\r\n")
        #expect(log.lines == ["GET /no-host HTTP/1.1|400|true"])
        let entry = AccessLogEntry(refused: "BREW", clientAddress: "10.0.0.1", status: 400, bodyBytesSent: 3).formatted()
        #expect(entry.contains("\"BREW - -\" 400 3 \"-\" \"-\""), "\(entry)")
    }

    @Test func aBrokenBodyInTheMiddleOfAResponseOnlyCloses() throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n")
        #expect(try Self.parts(channel) == ["head POST / 1 Host=a;Transfer-Encoding=chunked", "body ab"])
        #expect(try Self.output(channel).isEmpty)
        #expect(!channel.isActive)
    }

    @Test func aQuiescedIdleConnectionAnswersItsNextRequestWithClose() throws {
        let loop = EmbeddedEventLoop()
        let (channel, _) = try Self.makeChannel(loop: loop)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        loop.advanceTime(by: .milliseconds(500))
        #expect(channel.isActive)
        try Self.send(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try Self.parts(channel) == ["head GET / 1 Host=a", "end"])
        try Self.respond(channel, headers: ["Content-Length": "0"])
        #expect(try Self.output(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(!channel.isActive)
        #expect(try Self.parts(channel).isEmpty)
    }

    @Test func aQuiescedIdleConnectionClosesAfterTheGraceTime() throws {
        let loop = EmbeddedEventLoop()
        let (channel, _) = try Self.makeChannel(loop: loop)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        loop.advanceTime(by: HTTP1ServerCodec.idleGrace)
        #expect(!channel.isActive)
    }

    @Test func aQuiesceDuringARequestMakesItsResponseTheLast() throws {
        let (channel, _) = try Self.makeChannel()
        try Self.send(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try Self.parts(channel)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try Self.respond(channel, headers: ["Content-Length": "2"], body: "ok")
        #expect(try Self.output(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        #expect(!channel.isActive)
    }

    @Test func readingStopsWhileTooManyPipelinedBytesWait() throws {
        let (channel, counter) = try Self.makeChannel()
        try Self.send(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try Self.parts(channel)
        let request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        try Self.send(channel, String(repeating: request, count: HTTP1ServerCodec.maxBufferedBytes / request.utf8.count + 1))
        channel.read()
        #expect(counter.reads == 0)
        // Each response lets one waiting request through; the held read resumes once below the limit.
        try Self.respond(channel, headers: ["Content-Length": "0"])
        #expect(try Self.parts(channel) == ["head GET / 1 Host=a", "end"])
        #expect(counter.reads == 1)
    }
}
