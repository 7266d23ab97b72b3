import NIOCore

/// DNS over TCP (RFC 1035 4.2.2, RFC 7766): every message is preceded by its length
/// as a 16-bit big-endian integer.
///
///     +--------+--------+-----------------------+
///     | length (2 bytes) | message (length bytes) |
///     +--------+--------+-----------------------+
///
/// A zero length is not a message; the decoder rejects it so the connection closes.
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    enum FrameError: Error { case emptyMessage }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard length > 0 else { throw FrameError.emptyMessage }
        guard buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        let message = buffer.readSlice(length: Int(length))!
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial message at EOF is dropped: there is nobody left to answer.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.clear()
        return .needMoreData
    }
}
