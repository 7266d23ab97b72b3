import NIOCore
import NIOEmbedded
import Testing
@testable import WebFront

/// The HTTP/2 connection's flush coalescer on an EmbeddedChannel: flushes from outside
/// the connection's reads wait for the end of the loop tick and become one; flushes
/// inside a read batch pass at once; nothing written is lost or reordered.
@Suite struct FlushCoalescerTests {
    /// Stands for NIOHTTP2: answers every read at once, flushing in the read batch.
    final class AnswerOnRead: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            buffer.writeString("!")
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    static func flushed(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out.append(String(buffer: buffer)) }
        return out
    }

    @Test func flushesFromOutsideReadsWaitForTheEndOfTheTick() throws {
        let channel = EmbeddedChannel(handler: FlushCoalescer())
        channel.write(ByteBuffer(string: "a"), promise: nil)
        channel.flush()
        channel.write(ByteBuffer(string: "b"), promise: nil)
        channel.flush()
        #expect(try Self.flushed(channel).isEmpty)
        channel.embeddedEventLoop.run()
        #expect(try Self.flushed(channel) == ["a", "b"])
        // Nothing left over: a later flush is deferred again, once.
        channel.writeAndFlush(ByteBuffer(string: "c"), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(try Self.flushed(channel) == ["c"])
        _ = try channel.finish()
    }

    @Test func flushesInsideAReadBatchPassAtOnce() throws {
        let channel = EmbeddedChannel(handlers: [FlushCoalescer(), AnswerOnRead()])
        try channel.writeInbound(ByteBuffer(string: "ping"))
        #expect(try Self.flushed(channel) == ["ping!"])
        // After the batch, outside flushes are deferred again.
        channel.writeAndFlush(ByteBuffer(string: "late"), promise: nil)
        #expect(try Self.flushed(channel).isEmpty)
        channel.embeddedEventLoop.run()
        #expect(try Self.flushed(channel) == ["late"])
        _ = try channel.finish()
    }

    @Test func closeAndRemovalHandOnADeferredFlush() throws {
        let closing = EmbeddedChannel(handler: FlushCoalescer())
        let written = closing.eventLoop.makePromise(of: Void.self)
        var result = "pending"
        written.futureResult.assumeIsolated().whenComplete { result = (try? $0.get()) != nil ? "written" : "failed" }
        closing.writeAndFlush(ByteBuffer(string: "bye"), promise: written)
        closing.close(promise: nil)
        closing.embeddedEventLoop.run()
        #expect(result == "written")

        let coalescer = FlushCoalescer()
        let removing = EmbeddedChannel(handler: coalescer)
        removing.writeAndFlush(ByteBuffer(string: "x"), promise: nil)
        try removing.pipeline.syncOperations.removeHandler(coalescer).wait()
        #expect(try Self.flushed(removing) == ["x"])
        _ = try removing.finish()
    }
}
