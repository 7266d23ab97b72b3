import NIOCore
import NIOPosix
import Synchronization

extension DNSService {
    /// Sends NOTIFY (RFC 1996) for every zone whose serial a reload changed (or that
    /// is new) to each `dns.notify` target, so secondaries transfer at once. Each
    /// target is asked up to three times, two seconds apart, until it answers.
    func notifySecondaries(old: [Zone], new: [Zone]) {
        guard !configuration.notify.isEmpty else { return }
        var oldSerials: [DNSName: UInt32] = [:]
        for zone in old { oldSerials[zone.origin] = zone.serial }
        let changed = new.filter { oldSerials[$0.origin] != $0.serial }
        guard !changed.isEmpty else { return }
        for case .tcp(let host, let port) in configuration.notify {
            for zone in changed {
                let id = UInt16.random(in: .min ... .max)
                let message = DNSMessage.makeNotify(zone: zone, id: id).serialized()
                let logger = self.logger
                let group = self.group
                Task {
                    do {
                        let acknowledged = try await Self.sendNotify(message, id: id, host: host, port: port, group: group)
                        logger.info("notified secondary", metadata: [
                            "zone": "\(zone.origin)", "serial": "\(zone.serial)", "secondary": "\(host):\(port)",
                            "acknowledged": "\(acknowledged)",
                        ])
                    } catch {
                        logger.warning("NOTIFY to \(host):\(port) for \(zone.origin) failed: \(error)")
                    }
                }
            }
        }
    }

    private static func sendNotify(_ message: [UInt8], id: UInt16, host: String, port: Int,
                                   group: any EventLoopGroup) async throws -> Bool {
        let target = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let acknowledged = NotifyAcknowledgement()
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NotifyAcknowledgementHandler(id: id, acknowledged: acknowledged))
                }
            }
            .bind(host: target.protocol == .inet6 ? "::" : "0.0.0.0", port: 0).get()
        defer { channel.close(promise: nil) }
        for _ in 0..<3 {
            var buffer = channel.allocator.buffer(capacity: message.count)
            buffer.writeBytes(message)
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer))
            for _ in 0..<20 where !acknowledged.value.load(ordering: .relaxed) {
                try await Task.sleep(for: .milliseconds(100))
            }
            if acknowledged.value.load(ordering: .relaxed) { return true }
        }
        return false
    }
}

/// Watches for the secondary's answer to our NOTIFY (same id, QR set).
private final class NotifyAcknowledgementHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let id: UInt16
    private let acknowledged: NotifyAcknowledgement

    init(id: UInt16, acknowledged: NotifyAcknowledgement) {
        self.id = id
        self.acknowledged = acknowledged
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        if envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt16.self) == id,
           let flags = envelope.data.getInteger(at: envelope.data.readerIndex + 2, as: UInt8.self), flags & 0x80 != 0 {
            acknowledged.value.store(true, ordering: .relaxed)
        }
    }
}

/// Set once the secondary has answered.
private final class NotifyAcknowledgement: Sendable {
    let value = Atomic<Bool>(false)
}
