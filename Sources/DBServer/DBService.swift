import Foundation
import Logging
import MySQLWire
import NIOCore
import NIOPosix
import NIOSSL
import OneboxCore
import PageStore
import SQLEngine
import ServiceLifecycle

/// `onebox db`: the MySQL-compatible database as a swift-service-lifecycle `Service`.
///
/// Start-up (in `init`, so a failure is one clear line): opens the PageStore file in the
/// state directory, creates the root accounts on first start, loads or makes the RSA key
/// pair and the TLS certificate. `run` binds the TCP listeners and the Unix socket and
/// prints `ready db mysql://HOST:PORT` / `ready db unix:///PATH`. Graceful shutdown
/// (SIGTERM) stops accepting, closes idle connections at once and busy ones after their
/// statement answered (at most `shutdownGrace`), then closes the engine (checkpoint).
public final class DBService: Service, Sendable {
    let server: DBServerContext
    let group: any EventLoopGroup
    let pool: NIOThreadPool
    let tlsContext: NIOSSLContext?
    let logger: Logger

    /// - Parameter rootPassword: `ONEBOX_ROOT_PASSWORD`, used when the database is new.
    public init(configuration: DBServerConfiguration, rootPassword: String?, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.logger = logger
        self.group = group
        let state = configuration.stateDirectory
        let databasePath = state.databaseFile
        do {
            try FileManager.default.createDirectory(atPath: (databasePath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DBServerError.cannotOpenDatabase(path: databasePath, reason: "\(error)")
        }
        var storeOptions = PageStore.Options()
        storeOptions.bufferPoolBytes = configuration.bufferPoolBytes
        let options = EngineOptions(
            hashPassword: { plugin, password in AuthenticationStrings.make(plugin: plugin, password: password) },
            defaultAuthPlugin: configuration.defaultAuthPlugin, pageStoreOptions: storeOptions,
            serverVersion: DBServerConfiguration.serverVersion,
            lockWaitTimeoutSeconds: configuration.lockWaitTimeoutSeconds,
            nonBlockingStepLimit: configuration.eventLoopRowBudget)
        let engine: Engine
        do {
            engine = try Engine.open(path: databasePath, options: options)
        } catch {
            throw DBServerError.cannotOpenDatabase(path: databasePath, reason: "\(error)")
        }
        for note in engine.openNotes { logger.notice("\(note)") }
        do {
            try RootAccount.bootstrap(engine: engine, secretsDirectory: state.secretsDirectory,
                                      givenPassword: rootPassword, logger: logger)
            let keys = try ServerKeys.loadOrCreate(directory: state.tlsDirectory)
            tlsContext = configuration.isTLSEnabled ? try Self.makeTLSContext(configuration) : nil
            server = DBServerContext(engine: engine, configuration: configuration, keys: keys,
                                     isTLSAvailable: tlsContext != nil, logger: logger)
        } catch {
            try? engine.close()
            throw error
        }
        pool = NIOThreadPool(numberOfThreads: configuration.workerThreads)
    }

    public func run() async throws {
        pool.start()
        let configuration = server.configuration
        var channels: [any Channel] = []
        do {
            for address in configuration.listen {
                guard case .tcp(let host, let port) = address else { continue }
                let channel = try await bind(address.description) {
                    try await self.makeBootstrap(isUnixSocket: false).bind(host: host, port: port).get()
                }
                channels.append(channel)
                Readiness.announce(role: "db", url: "mysql://\(address.withPort(channel.localAddress?.port ?? port))")
            }
            if let path = configuration.socketPath {
                let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
                try? FileManager.default.createDirectory(atPath: (absolute as NSString).deletingLastPathComponent,
                                                         withIntermediateDirectories: true)
                let channel = try await bind("unix:" + absolute) {
                    try await self.makeBootstrap(isUnixSocket: true)
                        .bind(unixDomainSocketPath: absolute, cleanupExistingSocketFile: true).get()
                }
                channels.append(channel)
                Readiness.announce(role: "db", url: "unix://" + absolute)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            await shutdownEngine()
            throw error
        }
        logger.info("accepting connections", metadata: ["database": .string(configuration.stateDirectory.databaseFile)])

        try? await gracefulShutdown()

        logger.info("shutting down: no new connections; finishing running statements")
        for channel in channels { try? await channel.close() }
        for entry in server.registry.all { entry.closeWhenIdle() }
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while server.registry.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if server.registry.count > 0 {
            logger.warning("shutdown grace time over; closing \(server.registry.count) busy connections")
            for entry in server.registry.all { entry.close() }
            while server.registry.count > 0 { try? await Task.sleep(for: .milliseconds(20)) }
        }
        if let path = configuration.socketPath { _ = unlink(path) }
        await shutdownEngine()
    }

    /// Lets queued work (session roll-backs) finish, then checkpoints and closes the engine.
    private func shutdownEngine() async {
        try? await pool.shutdownGracefully()
        do {
            try server.engine.close()
            logger.info("database closed cleanly")
        } catch {
            logger.error("closing the database failed: \(error)")
        }
    }

    private func bind(_ description: String, _ body: () async throws -> any Channel) async throws -> any Channel {
        do {
            return try await body()
        } catch {
            throw DBServerError.cannotListen(address: description, reason: "\(error)")
        }
    }

    private func makeBootstrap(isUnixSocket: Bool) -> ServerBootstrap {
        let server = self.server
        let pool = self.pool
        let tlsContext = self.tlsContext
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        MySQLServerHandler(server: server, pool: pool, tlsContext: tlsContext, isUnixSocket: isUnixSocket))
                }
            }
        if !isUnixSocket { bootstrap = bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1) }
        return bootstrap
    }

    private static func makeTLSContext(_ configuration: DBServerConfiguration) throws -> NIOSSLContext {
        let files: (certificate: String, key: String)
        if let certificate = configuration.certificateFile, let key = configuration.keyFile {
            files = (certificate, key)
        } else {
            var names = ["localhost", "127.0.0.1"]
            for case .tcp(let host, _) in configuration.listen where !names.contains(host) && !host.contains(":") { names.append(host) }
            do {
                files = try SelfSignedCertificate.ensure(directory: configuration.stateDirectory.tlsDirectory, names: names,
                                                         baseName: "db-self-signed")
            } catch {
                throw DBServerError.tlsUnusable(path: error.path, reason: error.reason)
            }
        }
        do {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem)))
            tls.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw DBServerError.tlsUnusable(path: files.certificate, reason: "\(error)")
        }
    }
}
