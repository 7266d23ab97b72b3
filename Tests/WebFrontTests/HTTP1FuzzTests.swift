import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import TestSupport
@testable import WebFront

/// Mutated requests and responses, fed in random pieces: the parsers either produce
/// well-ordered parts or refuse with an error — never a crash, a hang or a part out of
/// order. Seeded: a failure names its round, which repeats exactly.
@Suite struct HTTP1FuzzTests {
    static let requests = [
        "GET /a?b=c HTTP/1.1\r\nHost: www.foobar.com\r\nAccept: */*\r\n\r\n",
        "POST /posts/1/comments HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
        "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
    ]
    static let responses = [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nuntil the close",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    ]
    /// Bytes that matter to the grammar, and some that must be refused.
    static let alphabet = Array("\r\n :;,\t0123456789aAfF-/.HTTP".utf8) + [0, 0x7F, 0x80, 0xFF]

    static func mutate(_ text: String, _ generator: inout SplitMix) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where position < bytes.count: bytes[position] = alphabet.randomElement(using: &generator)!
            case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
            case 2 where position < bytes.count: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &generator)))
            case 3: bytes.insert(contentsOf: bytes[position...].prefix(Int.random(in: 1...12, using: &generator)), at: position)
            default: break
            }
        }
        return bytes
    }

    /// `bytes` cut at random places.
    static func pieces(_ bytes: [UInt8], _ generator: inout SplitMix) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...40, using: &generator))
            result.append(Array(bytes[start..<end]))
            start = end
        }
        return result
    }

    @Test func mutatedRequestsAreServedInOrderOrRefused() throws {
        var generator = SplitMix(seed: 0x4854_5450)
        var roundsServed = 0
        var roundsRefused = 0
        for round in 0..<2000 {
            let bytes = Self.mutate(Self.requests.randomElement(using: &generator)!, &generator)
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(HTTP1ServerCodec(maxHeadBytes: 1024, maxRequestLineBytes: 256))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            var inRequest = false
            var answered = 0
            for piece in Self.pieces(bytes, &generator) where channel.isActive {
                try channel.writeInbound(ByteBuffer(bytes: piece))
                // Answer every complete request, as the request handler would.
                var progress = true
                while progress && channel.isActive {
                    progress = false
                    while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
                        switch part {
                        case .head:
                            #expect(!inRequest, "round \(round): a head inside a request")
                            inRequest = true
                        case .body:
                            #expect(inRequest, "round \(round): a body outside a request")
                        case .end:
                            #expect(inRequest, "round \(round): an end outside a request")
                            inRequest = false
                            answered += 1
                            try channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(
                                version: .http1_1, status: .ok, headers: ["Content-Length": "0"]))).wait()
                            try channel.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
                            progress = true
                        }
                    }
                    #expect(answered < 100, "round \(round): too many requests")
                }
            }
            var output = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { output += String(buffer: buffer) }
            // Only whole responses: ours, and at most one refusal at the end.
            let statuses = output.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses.dropLast().allSatisfy { $0 == "200" }, "round \(round): \(statuses)")
            if let last = statuses.last, last != "200" {
                #expect(["400", "414", "431", "501", "505"].contains(last), "round \(round): \(last)")
                #expect(!channel.isActive, "round \(round): open after a refusal")
                roundsRefused += 1
            }
            if answered > 0 { roundsServed += 1 }
            _ = try? channel.finish()
        }
        // The mutations reach both sides of the grammar.
        #expect(roundsServed > 200 && roundsRefused > 200, "\(roundsServed) served, \(roundsRefused) refused")
    }

    @Test func mutatedResponsesAreParsedInOrderOrRefused() {
        var generator = SplitMix(seed: 0x5550_5354)
        var refused = 0
        for round in 0..<3000 {
            let bytes = Self.mutate(Self.responses.randomElement(using: &generator)!, &generator)
            var parser = UpstreamResponseParser()
            var unparsed: ByteBuffer?
            var inResponse = false
            var events = 0
            do {
                for piece in Self.pieces(bytes, &generator) {
                    var buffer = ByteBuffer(bytes: piece)
                    if var pending = unparsed {
                        unparsed = nil
                        pending.writeBuffer(&buffer)
                        buffer = pending
                    }
                    while let event = try parser.next(&buffer) {
                        events += 1
                        #expect(events < 10_000, "round \(round): no progress")
                        switch event {
                        case .head:
                            #expect(!inResponse, "round \(round)")
                            inResponse = true
                        case .body:
                            #expect(inResponse, "round \(round)")
                        case .end:
                            #expect(inResponse, "round \(round)")
                            inResponse = false
                        }
                    }
                    if buffer.readableBytes > 0 { unparsed = buffer }
                }
                if case .end = try parser.connectionClosed(unparsedBytes: unparsed?.readableBytes ?? 0) {
                    #expect(inResponse, "round \(round)")
                    inResponse = false
                }
                #expect(!inResponse, "round \(round): closed in a response without an error")
            } catch {
                #expect(error is HTTP1ParseError, "round \(round): \(error)")
                refused += 1
            }
        }
        #expect(refused > 300 && refused < 2700, "\(refused) of 3000 refused")
    }
}
