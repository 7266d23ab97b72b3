import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import WebFront

/// The graceful stop of an HTTP/1.1 connection on an EmbeddedChannel: the drain handler
/// and its request-start partner around NIO's HTTP server pipeline, with a responder
/// that answers at once (as a static file is), and the latch that replays a stop that
/// came while TLS was still negotiating.
@Suite struct KeepAliveDrainHandlerTests {
    /// Answers every request with a complete 200 as soon as its end arrives.
    final class ImmediateResponder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// The HTTP/1.1 handlers as the front's configurator adds them.
    static func addHTTP1Handlers(to channel: EmbeddedChannel) throws {
        let drain = KeepAliveDrainHandler()
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(drain)
        try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
        try sync.addHandler(KeepAliveDrainHandler.RequestStart(drain))
        try sync.addHandler(ImmediateResponder())
    }

    static let request = "GET /static/style.css HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n"

    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func requestAfterTheStopIsAnsweredWithConnectionClose() throws {
        let channel = EmbeddedChannel()
        try Self.addHTTP1Handlers(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(channel.isActive, "an idle connection is held for its next request")
        try channel.writeInbound(ByteBuffer(string: Self.request))
        let response = try Self.output(channel)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(response)")
        #expect(response.lowercased().contains("\r\nconnection: close\r\n"), "\(response)")
        #expect(!channel.isActive, "closed after that response")
    }

    @Test func silentConnectionClosesAfterTheGrace() throws {
        let channel = EmbeddedChannel()
        try Self.addHTTP1Handlers(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.advanceTime(by: KeepAliveDrainHandler.idleGrace - .milliseconds(1))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func keepAliveWithoutAStopStaysOpen() throws {
        let channel = EmbeddedChannel()
        try Self.addHTTP1Handlers(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: Self.request))
        let response = try Self.output(channel)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n") && !response.lowercased().contains("connection: close"), "\(response)")
        #expect(channel.isActive)
        _ = try? channel.finish()
    }

    @Test func stopDuringNegotiationIsReplayedOnceTheHandlersExist() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(QuiesceLatch())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        // The stop arrives while only the latch is there (TLS and ALPN still running): no one else hears it.
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try Self.addHTTP1Handlers(to: channel)
        try QuiesceLatch.negotiated(channel)
        try channel.writeInbound(ByteBuffer(string: Self.request))
        let response = try Self.output(channel)
        #expect(response.lowercased().contains("\r\nconnection: close\r\n"), "\(response)")
        #expect(!channel.isActive)
    }

    @Test func latchWithoutAStopReplaysNothing() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(QuiesceLatch())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try Self.addHTTP1Handlers(to: channel)
        try QuiesceLatch.negotiated(channel)
        try channel.writeInbound(ByteBuffer(string: Self.request))
        #expect(!(try Self.output(channel)).lowercased().contains("connection: close"))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }
}
