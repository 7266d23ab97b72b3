import Logging
import NIOCore
import NIOPosix
import OneboxCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `onebox dns`: the authoritative DNS role as a swift-service-lifecycle `Service`.
///
/// On start it loads every zone (a bad zone is a start-up error), binds UDP and TCP on
/// the same port for each listen address (one UDP socket per event loop with
/// SO_REUSEPORT, so both cores answer), prints `ready dns dns://HOST:PORT`, and serves
/// until graceful shutdown. SIGHUP reloads the zones: a zone set with an error is
/// rejected whole and the old one keeps serving.
public final class DNSService: Service, Sendable {
    let configuration: DNSServerConfiguration
    let logger: Logger
    let group: any EventLoopGroup
    let responders: DNSResponderBox
    let tcpConnections: ConnectionLimit
    private let boundAddresses = Mutex<[SocketAddress]>([])

    /// Loads the zones; throws a `ZoneFileError` naming the file and line when one is bad.
    public init(configuration: DNSServerConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        self.logger = logger
        self.group = group
        self.tcpConnections = ConnectionLimit(maximum: configuration.tcpMaxConnections)
        let responder = try Self.makeResponder(configuration: configuration)
        self.responders = DNSResponderBox(responder)
        logger.info("loaded zones", metadata: Self.describe(responder.zones))
    }

    /// The addresses actually bound (port 0 resolved), once `run()` is listening.
    public var listeningAddresses: [SocketAddress] {
        boundAddresses.withLock { $0 }
    }

    public func run() async throws {
        var channels: [any Channel] = []
        do {
            for address in configuration.listen {
                guard case .tcp(let host, let port) = address else { continue }
                let bound = try await bind(host: host, port: port)
                channels += bound.channels
                boundAddresses.withLock { $0.append(bound.address) }
                Readiness.announce(role: "dns", url: "dns://\(address.withPort(bound.address.port ?? port))")
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }

        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for await _ in signals.cancelOnGracefulShutdown() {
                    self.reload()
                }
            }
            tasks.addTask {
                try? await gracefulShutdown()
            }
            await tasks.next()
            tasks.cancelAll()
        }
        logger.info("shutting down")
        for channel in channels { try? await channel.close() }
    }

    /// Re-reads every zone file; on any error the zones in service stay.
    public func reload() {
        do {
            let old = responders.current
            let new = try Self.makeResponder(configuration: configuration)
            responders.replace(with: new)
            logger.info("reloaded zones", metadata: Self.describe(new.zones))
            notifySecondaries(old: old.zones, new: new.zones)
        } catch {
            logger.error("reload failed, the previous zones keep serving: \(error)")
        }
    }

    private static func makeResponder(configuration: DNSServerConfiguration) throws -> DNSResponder {
        let zones = try ZoneDirectory.load(directory: configuration.zonesDirectory, variables: configuration.zoneVariables)
        var options = DNSResponderOptions()
        options.maxUDPPayload = configuration.udpPayload
        options.transferACL = try IPAccessList(parsing: configuration.transferAllow)
        return DNSResponder(zones: zones, options: options)
    }

    private static func describe(_ zones: [Zone]) -> Logger.Metadata {
        ["zones": .string(zones.map { "\($0.origin) serial \($0.serial)" }.joined(separator: ", "))]
    }
}
