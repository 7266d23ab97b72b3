import NIOCore
import NIOPosix
import OneboxCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DNSService {
    /// Binds UDP and TCP to one port. With port 0, the kernel picks the UDP port and TCP
    /// takes the same one; should TCP find it taken, the pair is tried again.
    func bind(host: String, port: Int) async throws -> (channels: [any Channel], address: SocketAddress) {
        // Several UDP sockets on one port (SO_REUSEPORT) spread queries over the event
        // loops. Not with port 0: the kernel could hand a port shared with another
        // process's SO_REUSEPORT socket, so tests get one socket of their own.
        let udpSockets = port == 0 ? 1 : System.coreCount
        var attempt = 0
        while true {
            var channels: [any Channel] = []
            do {
                let first = try await makeUDPBootstrap(reusePort: udpSockets > 1).bind(host: host, port: port).get()
                channels.append(first)
                guard let address = first.localAddress, let actualPort = address.port else {
                    throw ChannelError.unknownLocalAddress
                }
                for _ in 1..<udpSockets {
                    channels.append(try await makeUDPBootstrap(reusePort: true).bind(host: host, port: actualPort).get())
                }
                channels.append(try await makeTCPBootstrap().bind(host: host, port: actualPort).get())
                return (channels, address)
            } catch {
                for channel in channels { try? await channel.close() }
                attempt += 1
                if port != 0 || attempt >= 20 { throw error }
            }
        }
    }

    private func makeUDPBootstrap(reusePort: Bool) -> DatagramBootstrap {
        let responders = self.responders
        return DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_REUSEPORT)), value: reusePort ? 1 : 0)
            // recvmmsg: up to 64 datagrams per system call under load.
            .channelOption(.datagramVectorReadMessageCount, value: 64)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 4096))
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSUDPHandler(responders: responders))
                }
            }
    }

    private func makeTCPBootstrap() -> ServerBootstrap {
        let responders = self.responders
        let idleTimeout = TimeAmount.nanoseconds(Int64(configuration.tcpIdleTimeout.components.seconds) * 1_000_000_000
            + configuration.tcpIdleTimeout.components.attoseconds / 1_000_000_000)
        let connections = self.tcpConnections
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 256 * 1024))
            .childChannelInitializer { channel in
                guard connections.acquire() else { return channel.close() }
                channel.closeFuture.whenComplete { _ in connections.release() }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try pipeline.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try pipeline.addHandler(DNSTCPHandler(responders: responders))
                }
            }
    }
}
