import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension WebService {
    func makeHTTPSBootstrap(quiesce: ServerQuiescingHelper) -> ServerBootstrap {
        let runtimes = self.runtimes
        let tls = self.tls
        let pools = self.pools
        return makeBootstrap(quiesce: quiesce) { channel, clientAddress in
            let configuration = runtimes.current.configuration
            // The handshake and ALPN must finish within the header timeout.
            let handshakeDeadline = channel.eventLoop.scheduleTask(in: Self.timeAmount(configuration.headerTimeout)) {
                channel.close(promise: nil)
            }
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
            try channel.pipeline.syncOperations.addHandler(TLSRecordPacker())
            try channel.pipeline.syncOperations.addHandler(QuiesceLatch())
            _ = channel.configureHTTP2SecureUpgrade(
                h2ChannelConfigurator: { channel in
                    handshakeDeadline.cancel()
                    return channel.eventLoop.makeCompletedFuture {
                        try Self.configureHTTP2(channel, runtimes: runtimes, pools: pools, clientAddress: clientAddress)
                        try QuiesceLatch.negotiated(channel, deferred: true)
                    }
                },
                http1ChannelConfigurator: { channel in
                    handshakeDeadline.cancel()
                    return channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        // The request line may hold the longest target plus method and version;
                        // the fields their limit. The request handler checks the exact limits.
                        let requestLine = configuration.maxURILength + 64
                        try sync.addHandler(HTTP1ServerCodec(
                            maxHeadBytes: requestLine + configuration.maxHeaderBytes + 2, maxRequestLineBytes: requestLine,
                            logRefusal: { line, status, bodyBytes in
                                runtimes.current.accessLog?.record(AccessLogEntry(refused: line, clientAddress: clientAddress,
                                                                                  status: Int(status.code), bodyBytesSent: bodyBytes))
                            }))
                        try sync.addHandler(WebRequestHandler(
                            runtimes: runtimes, connection: ConnectionInfo(clientAddress: clientAddress, isHTTP2: false), pools: pools))
                        try QuiesceLatch.negotiated(channel)
                    }
                })
        }
    }

    func makeHTTPBootstrap(quiesce: ServerQuiescingHelper) -> ServerBootstrap {
        let runtimes = self.runtimes
        return makeBootstrap(quiesce: quiesce) { channel, _ in
            let sync = channel.pipeline.syncOperations
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
            try sync.addHandler(HTTPSRedirectHandler(runtimes: runtimes))
        }
    }

    static func configureHTTP2(_ channel: any Channel, runtimes: WebRuntimeBox, pools: UpstreamPools, clientAddress: String) throws {
        let configuration = runtimes.current.configuration
        let manager = NIOHTTP2ServerConnectionManagementHandler(
            eventLoop: channel.eventLoop,
            configuration: .init(maxIdleTime: timeAmount(configuration.keepaliveTimeout), maxAge: nil,
                                 maxGraceTime: timeAmount(WebService.shutdownGrace), keepalive: nil))
        var connectionConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        connectionConfiguration.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: configuration.http2MaxConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: configuration.maxHeaderBytes),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        ]
        let handler = NIOHTTP2Handler(
            mode: .server, eventLoop: channel.eventLoop,
            connectionConfiguration: connectionConfiguration, streamConfiguration: .init(),
            streamDelegate: manager.http2StreamDelegate
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                let sync = stream.pipeline.syncOperations
                try sync.addHandler(HTTP2StreamCodec())
                try sync.addHandler(WebRequestHandler(
                    runtimes: runtimes, connection: ConnectionInfo(clientAddress: clientAddress, isHTTP2: true), pools: pools))
            }
        }
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer())
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.pipeline.syncOperations.addHandler(manager)
    }

    /// A listener with the connection cap, quiescing, and accept tuning shared by both schemes.
    private func makeBootstrap(quiesce: ServerQuiescingHelper,
                               configure: @escaping @Sendable (any Channel, String) throws -> Void) -> ServerBootstrap {
        let connections = self.connections
        let runtimes = self.runtimes
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // A replacement front (onebox serve's upgrade) binds the same ports while this
            // one still serves; the kernel spreads new connections over both until we close.
            .serverChannelOption(ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_REUSEPORT)), value: 1)
            // Accept many connections per wake-up under connection storms.
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelInitializer { channel in
                let limit = runtimes.current.configuration.maxConnections
                guard connections.open(limit: limit) else { return channel.close() }
                channel.closeFuture.whenComplete { _ in connections.close() }
                let clientAddress = channel.remoteAddress?.ipAddress ?? "-"
                return channel.eventLoop.makeCompletedFuture {
                    try configure(channel, clientAddress)
                }
            }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
