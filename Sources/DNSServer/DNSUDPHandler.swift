import NIOCore

/// Answers DNS queries arriving as UDP datagrams. Stateless: each datagram is
/// handed to the current responder and the reply, if any, goes back to its sender.
/// Replies are flushed once per read batch, so a burst costs one syscall batch.
final class DNSUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let responders: DNSResponderBox
    private var pendingFlush = false

    init(responders: DNSResponderBox) {
        self.responders = responders
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let responder = responders.current
        let reply = envelope.data.withUnsafeReadableBytes { query in
            responder.respond(to: query, transport: .udp, client: nil)
        }
        guard case .message(let bytes) = reply else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port-unreachable and the like surface here; a UDP socket keeps serving.
    }
}
