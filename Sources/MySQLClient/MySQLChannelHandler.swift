import MySQLWire
import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// One command for the connection: its payload, what response it expects (nil for
/// the commands that have none: COM_STMT_CLOSE, COM_QUIT) and where the response goes.
struct MySQLRequest {
    var payload: [UInt8]
    var expectation: MySQLResponseStateMachine.Expectation?
    var promise: EventLoopPromise<MySQLResponse>?
    /// Names the command in timeout messages.
    var operation: String
}

/// The thin I/O shell around the two state machines: frames bytes into packets,
/// drives `MySQLHandshakeStateMachine` until authenticated, then runs one command at
/// a time through `MySQLResponseStateMachine`, queueing the rest in order. Each
/// command has a deadline; when it passes, the command fails and the connection is
/// closed, since its reply could still arrive and would desynchronise the stream.
final class MySQLChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = MySQLRequest
    typealias OutboundOut = ByteBuffer

    private var decoder: MySQLPacketDecoder
    private var handshake: MySQLHandshakeStateMachine?
    private let connected: EventLoopPromise<MySQLSessionInfo>
    private let makeTLSHandler: () throws -> NIOSSLClientHandler
    private let queryTimeout: TimeAmount
    private var capabilities: MySQLCapabilities = []
    private var current: (machine: MySQLResponseStateMachine, request: MySQLRequest, deadline: Scheduled<Void>?)?
    private var queue = CircularBuffer<MySQLRequest>()
    private var closedError: MySQLClientError?
    /// Set as soon as the connection is known to be unusable, before the socket has closed.
    let closedFlag: ClosedFlag

    init(handshake: MySQLHandshakeStateMachine, connected: EventLoopPromise<MySQLSessionInfo>, closedFlag: ClosedFlag,
         maximumPacketSize: Int, queryTimeout: Duration, makeTLSHandler: @escaping () throws -> NIOSSLClientHandler) {
        self.handshake = handshake
        self.connected = connected
        self.closedFlag = closedFlag
        self.decoder = MySQLPacketDecoder(maximumPayloadLength: maximumPacketSize)
        self.queryTimeout = TimeAmount(queryTimeout)
        self.makeTLSHandler = makeTLSHandler
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        decoder.append(buffer.readableBytesView)
        while closedError == nil {
            let packet: MySQLPacket
            do {
                guard let next = try decoder.nextPacket() else { return }
                packet = next
            } catch {
                fail(context: context, .protocolViolation("\(error)"))
                return
            }
            if handshake != nil {
                receiveDuringHandshake(context: context, packet)
            } else {
                receiveResponse(context: context, packet)
            }
        }
    }

    private func receiveDuringHandshake(context: ChannelHandlerContext, _ packet: MySQLPacket) {
        guard var machine = handshake else { preconditionFailure("receiveDuringHandshake without a handshake") }
        let action = machine.receive(packet)
        handshake = machine
        perform(action, context: context)
    }

    private func perform(_ action: MySQLHandshakeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let payload, let sequenceID, let startTLS):
            write(payload, sequenceID: sequenceID, context: context)
            if startTLS {
                do {
                    try context.pipeline.syncOperations.addHandler(try makeTLSHandler(), position: .first)
                } catch {
                    fail(context: context, .tlsUnavailable("cannot start TLS: \(error)"))
                }
            }
        case .wait:
            break
        case .authenticated(let info):
            handshake = nil
            capabilities = info.capabilities
            connected.succeed(info)
            startNext(context: context)
        case .fail(let error):
            handshake = nil
            fail(context: context, error)
        }
    }

    private func receiveResponse(context: ChannelHandlerContext, _ packet: MySQLPacket) {
        guard let running = current else {
            fail(context: context, .protocolViolation("a packet arrived while no command was running"))
            return
        }
        let (request, deadline) = (running.request, running.deadline)
        var machine = running.machine
        current = nil  // keep the row array uniquely referenced while it grows
        let action = machine.receive(packet)
        switch action {
        case .needMore:
            current = (machine, request, deadline)
        case .done(let response):
            deadline?.cancel()
            current = nil
            request.promise?.succeed(response)
            startNext(context: context)
        case .fail(let error, let closeConnection):
            deadline?.cancel()
            current = nil
            request.promise?.fail(error)
            if closeConnection {
                fail(context: context, error)
            } else {
                startNext(context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, var machine = handshake {
            let action = machine.tlsEstablished()
            handshake = machine
            perform(action, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context: context, closedError ?? .connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError {
            fail(context: context, .tlsUnavailable("\(error)"))
        } else {
            fail(context: context, .connectionClosed)
        }
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            request.promise?.fail(closedError)
            promise?.fail(closedError)
            return
        }
        promise?.succeed()
        queue.append(request)
        if current == nil, handshake == nil { startNext(context: context) }
    }

    private func startNext(context: ChannelHandlerContext) {
        while current == nil, closedError == nil, let request = queue.popFirst() {
            write(request.payload, sequenceID: 0, context: context)
            guard request.expectation != nil else {
                request.promise?.succeed(.ok(MySQLOKPacket(status: [])))
                continue
            }
            let expectation = request.expectation!
            let timeout = queryTimeout
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let operation = request.operation
            let deadline = context.eventLoop.scheduleTask(in: timeout) { () -> Void in
                let (handler, context) = bound.value
                handler.timedOut(context: context, operation: operation, limit: timeout)
            }
            current = (MySQLResponseStateMachine(expectation: expectation, capabilities: capabilities), request, deadline)
        }
    }

    private func timedOut(context: ChannelHandlerContext, operation: String, limit: TimeAmount) {
        fail(context: context, .timeout(operation: operation, limit: .nanoseconds(limit.nanoseconds)))
    }

    private func write(_ payload: [UInt8], sequenceID: UInt8, context: ChannelHandlerContext) {
        var sequence = sequenceID
        var buffer = context.channel.allocator.buffer(capacity: payload.count + 4)
        // Frame straight into the buffer: a 4-byte header per 16 MiB chunk.
        var rest = payload[...]
        repeat {
            let length = min(rest.count, MySQLPacket.maximumChunkLength)
            buffer.writeInteger(UInt8(truncatingIfNeeded: length))
            buffer.writeInteger(UInt8(truncatingIfNeeded: length >> 8))
            buffer.writeInteger(UInt8(truncatingIfNeeded: length >> 16))
            buffer.writeInteger(sequence)
            sequence &+= 1
            buffer.writeBytes(rest.prefix(length))
            rest = rest.dropFirst(length)
            if length < MySQLPacket.maximumChunkLength { break }
        } while true
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// Fails everything pending with `error` and closes the channel; later requests fail at once.
    private func fail(context: ChannelHandlerContext, _ error: MySQLClientError) {
        if closedError == nil { closedError = error }
        closedFlag.set()
        let error = closedError!
        connected.fail(error)
        if let (_, request, deadline) = current {
            deadline?.cancel()
            request.promise?.fail(error)
            current = nil
        }
        while let request = queue.popFirst() { request.promise?.fail(error) }
        if context.channel.isActive { context.close(promise: nil) }
    }
}

/// A flag the event loop sets and any thread reads: "this connection is finished".
final class ClosedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
