import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Testing
@testable import WebFront

/// The per-stream HTTP/2 codec on an EmbeddedChannel: frames in, request parts out, and
/// response parts to frames with END_STREAM on the last one.
@Suite struct HTTP2StreamCodecTests {
    static func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTP2StreamCodec())
        return channel
    }

    static func frames(_ channel: EmbeddedChannel) throws -> [String] {
        var frames: [String] = []
        while let payload = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) {
            switch payload {
            case .headers(let headers):
                frames.append("HEADERS " + headers.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";") + (headers.endStream ? " END" : ""))
            case .data(let data):
                frames.append("DATA \(data.data.readableBytes)" + (data.endStream ? " END" : ""))
            default:
                frames.append("other")
            }
        }
        return frames
    }

    @Test func requestsBecomeHeadAndParts() throws {
        let channel = try Self.makeChannel()
        let block: HPACKHeaders = [":method": "POST", ":scheme": "https", ":path": "/posts?x=1", ":authority": "www.foobar.com", "content-length": "2"]
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: block)))
        try channel.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "ok")), endStream: true)))
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else { Issue.record("no head"); return }
        #expect(head.method == .POST && head.uri == "/posts?x=1" && head.version.major == 2)
        #expect(head.headers.first(name: "host") == "www.foobar.com")
        #expect(head.headers.first(name: "content-length") == "2")
        guard case .body(let body) = try channel.readInbound(as: HTTPServerRequestPart.self) else { Issue.record("no body"); return }
        #expect(String(buffer: body) == "ok")
        guard case .end = try channel.readInbound(as: HTTPServerRequestPart.self) else { Issue.record("no end"); return }
        #expect(throws: HTTP2StreamCodec.MissingPseudoField.self) {
            _ = try HTTP2StreamCodec.requestHead([":scheme": "https", ":path": "/"])
        }
    }

    @Test func theLastResponseFrameEndsTheStream() throws {
        let channel = try Self.makeChannel()
        let headers: HTTPHeaders = ["Content-Type": "text/plain", "Connection": "close", "Transfer-Encoding": "chunked", "x-a": "1"]
        // Written as the request handler writes a response: head, body, end, then one flush.
        channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http2, status: .ok, headers: headers)), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "hello"))), promise: nil)
        try channel.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
        #expect(try Self.frames(channel) == ["HEADERS :status=200;content-type=text/plain;x-a=1", "DATA 5 END"])
        // Without a body: the HEADERS frame ends the stream.
        let second = try Self.makeChannel()
        second.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http2, status: .notModified)), promise: nil)
        try second.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
        #expect(try Self.frames(second) == ["HEADERS :status=304 END"])
        // A flush sends what is held; the end then needs its own empty DATA frame.
        let third = try Self.makeChannel()
        third.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http2, status: .ok)), promise: nil)
        try third.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "part")))).wait()
        try third.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
        #expect(try Self.frames(third) == ["HEADERS :status=200", "DATA 4", "DATA 0 END"])
    }
}
