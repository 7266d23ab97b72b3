import NIOCore

/// Answers DNS queries on one TCP connection: several queries per connection,
/// answered in order; zone transfers as a stream of messages. Reading pauses while
/// the client does not read its answers (back-pressure), and a connection idle for
/// longer than the configured timeout is closed.
final class DNSTCPHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Never
    typealias OutboundOut = ByteBuffer

    private let responders: DNSResponderBox
    private var client: IPAddress?

    init(responders: DNSResponderBox) {
        self.responders = responders
    }

    func channelActive(context: ChannelHandlerContext) {
        client = context.remoteAddress?.ipAddress.flatMap(IPAddress.init)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let query = unwrapInboundIn(data)
        let reply = query.withUnsafeReadableBytes { bytes in
            responders.current.respond(to: bytes, transport: .tcp, client: client)
        }
        switch reply {
        case .drop:
            return
        case .message(let message):
            write(message, context: context)
        case .stream(let messages):
            for message in messages { write(message, context: context) }
        }
        context.flush()
        if !context.channel.isWritable {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    private func write(_ message: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: message.count + 2)
        buffer.writeInteger(UInt16(truncatingIfNeeded: message.count))
        buffer.writeBytes(message)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed frame or a reset: this connection is over, the server is not.
        context.close(promise: nil)
    }
}
