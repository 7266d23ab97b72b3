import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import WebFront

/// The HTTP/1 read-ahead in front of NIO's pipelining handler, on an EmbeddedChannel:
/// reads reach the socket while the one complete request waits for its response, and
/// are the pipeline handler's to hold again once a second request has begun.
@Suite struct HTTP1ReadAheadTests {
    /// Counts the reads that reach the socket end of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    static func makeChannel(readAhead: Bool) throws -> (EmbeddedChannel, ReadCounter) {
        let counter = ReadCounter()
        let channel = EmbeddedChannel()
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(counter)
        if readAhead { try sync.addHandler(HTTP1ReadAhead()) }
        try sync.addHandler(HTTPServerPipelineHandler())
        return (channel, counter)
    }

    static let head = HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/app"))

    /// One read batch: the parts, its end, then the channel's own read (autoRead).
    static func readBatch(_ channel: EmbeddedChannel, _ parts: [HTTPServerRequestPart]) {
        for part in parts { channel.pipeline.syncOperations.fireChannelRead(NIOAny(part)) }
        channel.pipeline.syncOperations.fireChannelReadComplete()
        channel.read()
    }

    static func respond(_ channel: EmbeddedChannel) {
        channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)), promise: nil)
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
    }

    @Test func withoutItThePipelineHandlerHoldsReadsUntilTheResponseEnds() throws {
        let (channel, counter) = try Self.makeChannel(readAhead: false)
        Self.readBatch(channel, [Self.head, .end(nil)])
        #expect(counter.reads == 0)
        Self.respond(channel)
        #expect(counter.reads == 1)
    }

    @Test func keepsReadingWhileTheResponseIsPending() throws {
        let (channel, counter) = try Self.makeChannel(readAhead: true)
        Self.readBatch(channel, [Self.head, .end(nil)])
        #expect(counter.reads == 1)
        Self.respond(channel)
        // The pipeline handler releases its held read too; the socket is still registered.
        #expect(counter.reads == 2)
        // The next request is delivered at once and read ahead again.
        Self.readBatch(channel, [Self.head, .end(nil)])
        #expect(counter.reads == 3)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) != nil)
    }

    @Test func noReadAheadWhileARequestBodyIsStillArriving() throws {
        let (channel, counter) = try Self.makeChannel(readAhead: true)
        Self.readBatch(channel, [Self.head])
        // Reads pass through the pipeline handler itself while a request streams in.
        #expect(counter.reads == 1)
        Self.readBatch(channel, [.body(ByteBuffer(string: "x"))])
        #expect(counter.reads == 2)
        Self.readBatch(channel, [.end(nil)])
        #expect(counter.reads == 3)
    }

    @Test func pipelinedRequestsStopTheReadAheadAndKeepTheirOrder() throws {
        let (channel, counter) = try Self.makeChannel(readAhead: true)
        let second = HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/second"))
        Self.readBatch(channel, [Self.head, .end(nil), second, .end(nil)])
        #expect(counter.reads == 0)
        guard case .head(let first) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no first request head")
            return
        }
        #expect(first.uri == "/app")
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        Self.respond(channel)
        guard case .head(let next) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the pipelined request was not delivered after the first response")
            return
        }
        #expect(next.uri == "/second")
    }

    @Test func quiescingLeavesReadsToThePipelineHandler() throws {
        let (channel, counter) = try Self.makeChannel(readAhead: true)
        Self.readBatch(channel, [Self.head])
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let before = counter.reads
        Self.readBatch(channel, [.end(nil)])
        #expect(counter.reads == before)
    }
}
