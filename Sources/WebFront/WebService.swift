import Logging
import NIOCore
import NIOExtras
import NIOPosix
import OneboxCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `onebox web`: the HTTPS front as a swift-service-lifecycle `Service`.
///
/// On start it loads the certificates (generating the self-signed one on first start),
/// checks the site directory and opens the access log — any failure is a start-up
/// error — then binds the HTTPS and HTTP listeners and prints `ready web https://...`
/// and `ready web http://...`. SIGHUP reloads configuration and certificates: the new
/// set is built and checked whole first, and on any error the old one keeps serving.
/// Graceful shutdown stops accepting, lets in-flight requests finish (HTTP/1 closes
/// after the current response, HTTP/2 sends GOAWAY) and waits up to `shutdownGrace`.
public final class WebService: Service, Sendable {
    let logger: Logger
    let group: any EventLoopGroup
    let listenConfiguration: WebFrontConfiguration
    let runtimes: WebRuntimeBox
    let tls: TLSContextBox
    let pools: UpstreamPools
    let connections = ConnectionCounter()
    let reloadConfiguration: (@Sendable () async throws -> WebFrontConfiguration)?
    private let boundAddresses = Mutex<[String: [SocketAddress]]>([:])

    /// How long shutdown waits for in-flight requests.
    public static let shutdownGrace: Duration = .seconds(10)

    /// Checks and loads everything the configuration names; throws `WebFrontError`
    /// naming the file at fault. `reloadConfiguration` re-reads configuration on SIGHUP
    /// (nil: reload only certificates, site cache and log with the same configuration).
    public init(configuration: WebFrontConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                reloadConfiguration: (@Sendable () async throws -> WebFrontConfiguration)? = nil) throws {
        self.logger = logger
        self.group = group
        self.pools = UpstreamPools(group: group)
        self.listenConfiguration = configuration
        self.reloadConfiguration = reloadConfiguration
        let store = try TLSCertificateStore(configuration: configuration)
        self.tls = TLSContextBox(try store.makeContext())
        let runtime = try WebRuntime(configuration: configuration)
        let port: Int
        if case .tcp(_, let configured) = configuration.https[0] { port = configured } else { port = 443 }
        self.runtimes = WebRuntimeBox(runtime, httpsPort: configuration.publicHTTPSPort ?? port)
        logger.info("loaded", metadata: [
            "site": .string(configuration.siteDirectory), "certificates": .string(store.paths.joined(separator: ", ")),
            "upstreams": .string(configuration.upstreams.map(\.description).joined(separator: ", ")),
        ])
    }

    /// The addresses actually bound (port 0 resolved), by scheme (`https`, `http`), once listening.
    public var listeningAddresses: [String: [SocketAddress]] {
        boundAddresses.withLock { $0 }
    }

    public func run() async throws {
        let quiesce = ServerQuiescingHelper(group: group)
        var channels: [any Channel] = []
        do {
            for (index, address) in listenConfiguration.https.enumerated() {
                let channel = try await bind(address, bootstrap: makeHTTPSBootstrap(quiesce: quiesce))
                channels.append(channel)
                let port = channel.localAddress?.port ?? 0
                if index == 0 && listenConfiguration.publicHTTPSPort == nil { runtimes.httpsPort = port }
                boundAddresses.withLock { $0["https", default: []].append(channel.localAddress!) }
                Readiness.announce(role: "web", url: "https://\(address.withPort(port))")
            }
            for address in listenConfiguration.http {
                let channel = try await bind(address, bootstrap: makeHTTPBootstrap(quiesce: quiesce))
                channels.append(channel)
                boundAddresses.withLock { $0["http", default: []].append(channel.localAddress!) }
                Readiness.announce(role: "web", url: "http://\(address.withPort(channel.localAddress?.port ?? 0))")
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }

        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for await _ in signals.cancelOnGracefulShutdown() {
                    await self.reload()
                }
            }
            tasks.addTask {
                // The access log's buffer reaches the disk at least once a second.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    self.runtimes.current.accessLog?.flush()
                }
            }
            tasks.addTask {
                try? await gracefulShutdown()
            }
            await tasks.next()
            tasks.cancelAll()
        }
        logger.info("shutting down: finishing in-flight requests")
        // Whichever comes first: every connection closed, or the grace time over. (Not a
        // task group: it would wait for the drain task, which no cancellation ends, so
        // one client that keeps its connection open would hold the exit indefinitely.)
        let loop = group.next()
        let drained = loop.makePromise(of: Void.self)
        let outcome = loop.makePromise(of: Bool.self)
        let decided = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: loop)
        let decide: @Sendable (Bool) -> Void = { finished in
            guard !decided.value else { return }
            decided.value = true
            outcome.succeed(finished)
        }
        drained.futureResult.whenComplete { _ in decide(true) }
        let grace = loop.scheduleTask(in: Self.timeAmount(Self.shutdownGrace)) { decide(false) }
        quiesce.initiateShutdown(promise: drained)
        let finished = (try? await outcome.futureResult.get()) ?? false
        grace.cancel()
        if !finished { logger.warning("shutdown grace time over; remaining connections are dropped") }
        pools.closeAll()
        runtimes.current.accessLog?.flush()
    }

    /// Re-reads configuration and certificates; on any error the old ones keep serving.
    /// Listen addresses are fixed at start (a change needs a restart).
    public func reload() async {
        do {
            let configuration = try await reloadConfiguration?() ?? runtimes.current.configuration
            let store = try TLSCertificateStore(configuration: configuration)
            let context = try store.makeContext()
            let runtime = try WebRuntime(configuration: configuration)
            tls.replace(with: context)
            runtimes.current.accessLog?.flush()
            runtimes.replace(with: runtime)
            pools.closeAll()
            logger.info("reloaded", metadata: ["certificates": .string(store.paths.joined(separator: ", "))])
        } catch {
            logger.error("reload failed, the previous configuration keeps serving: \(error)")
        }
    }

    private func bind(_ address: ListenAddress, bootstrap: ServerBootstrap) async throws -> any Channel {
        guard case .tcp(let host, let port) = address else {
            throw WebFrontError.cannotListen(address: address.description, reason: "not a TCP address")
        }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw WebFrontError.cannotListen(address: address.description, reason: "\(error)")
        }
        if let problem = await ReusePortTakeover.attach(to: channel) {
            logger.warning("cannot steer new connections to this front (SO_ATTACH_REUSEPORT_CBPF): \(problem); an upgrade may reset connections queued on the old front")
        }
        return channel
    }
}
