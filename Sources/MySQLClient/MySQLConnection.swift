import Logging
import MySQLWire
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One authenticated connection to a MySQL-compatible server.
///
/// Commands run one at a time in the order they are issued (concurrent callers are
/// queued, never interleaved). Every command has the configuration's `queryTimeout`;
/// a command that times out fails with `.timeout` and closes the connection.
/// Prepared statements made by `execute(_:_:)` are cached per connection.
public final class MySQLConnection: Sendable {
    let channel: any Channel
    /// What the connection phase settled: server version, capabilities, TLS.
    public let session: MySQLSessionInfo
    public let configuration: MySQLConnectionConfiguration
    let statements: Mutex<MySQLStatementCache>
    private let closedFlag: ClosedFlag

    private init(channel: any Channel, session: MySQLSessionInfo, configuration: MySQLConnectionConfiguration,
                 closedFlag: ClosedFlag) {
        self.channel = channel
        self.closedFlag = closedFlag
        self.session = session
        self.configuration = configuration
        self.statements = Mutex(MySQLStatementCache(capacity: configuration.statementCacheCapacity))
    }

    /// Opens a connection and authenticates; fails within `connectTimeout`.
    public static func connect(
        configuration: MySQLConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(MySQLClientError) -> MySQLConnection {
        // The caller's own event loop when it runs on one of the group's (no thread handoff
        // between the caller and its connection), else the next one.
        let eventLoop = eventLoopGroup.any()
        let connected = eventLoop.makePromise(of: MySQLSessionInfo.self)
        let isLocal: Bool
        if case .unix = configuration.address { isLocal = true } else { isLocal = false }
        let handshake = MySQLHandshakeStateMachine(
            credentials: .init(username: configuration.username, password: Array(configuration.password.utf8),
                               database: configuration.database),
            tlsMode: configuration.tlsMode, isLocalTransport: isLocal,
            allowsMultipleStatements: configuration.allowsMultipleStatements,
            serverPublicKeyPEM: configuration.serverPublicKeyPEM, maximumPacketSize: configuration.maximumPacketSize)
        let tls: NIOSSLContext?
        do {
            tls = isLocal || configuration.tlsMode == .disabled ? nil : try makeTLSContext(configuration)
        } catch {
            throw .tlsUnavailable("cannot build the TLS context: \(error)")
        }
        let serverHostname: String? = if case .tcp(let host, _) = configuration.address,
            configuration.tlsMode == .verifyIdentity { host } else { nil }
        let closedFlag = ClosedFlag()
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = MySQLChannelHandler(
                        handshake: handshake, connected: connected, closedFlag: closedFlag,
                        maximumPacketSize: configuration.maximumPacketSize,
                        queryTimeout: configuration.queryTimeout,
                        makeTLSHandler: {
                            guard let tls else { throw MySQLClientError.tlsUnavailable("TLS is disabled") }
                            return try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            switch configuration.address {
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            connected.fail(MySQLClientError.connectionClosed)
            throw .connectFailed(address: configuration.address.description, reason: "\(error)")
        }
        let limit = configuration.connectTimeout
        let deadline = eventLoop.scheduleTask(in: TimeAmount(limit)) {
            connected.fail(MySQLClientError.timeout(operation: "connecting to \(configuration.address)", limit: limit))
            channel.close(promise: nil)
        }
        do {
            let session = try await connected.futureResult.get()
            deadline.cancel()
            return MySQLConnection(channel: channel, session: session, configuration: configuration, closedFlag: closedFlag)
        } catch {
            deadline.cancel()
            channel.close(promise: nil)
            throw error as? MySQLClientError ?? .connectionClosed
        }
    }

    private static func makeTLSContext(_ configuration: MySQLConnectionConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch configuration.tlsMode {
        case .disabled, .preferred, .required:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyIdentity:
            tls.certificateVerification = .fullVerification
        }
        if let file = configuration.tlsCertificateAuthorityFile {
            tls.trustRoots = .file(file)
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// True once the server, the network or `close()` ended the connection.
    public var isClosed: Bool { closedFlag.isSet || !channel.isActive }

    /// Sends COM_QUIT and closes the socket.
    public func close() async {
        guard channel.isActive else { return }
        let request = MySQLRequest(payload: [MySQLCommand.quit.rawValue], expectation: nil, promise: nil, operation: "COM_QUIT")
        try? await channel.writeAndFlush(request).get()
        try? await channel.close().get()
    }

    /// Runs one command and waits for its response.
    func send(_ payload: [UInt8], expecting expectation: MySQLResponseStateMachine.Expectation,
              operation: @autoclosure () -> String) async throws(MySQLClientError) -> MySQLResponse {
        let promise = channel.eventLoop.makePromise(of: MySQLResponse.self)
        let request = MySQLRequest(payload: payload, expectation: expectation, promise: promise, operation: operation())
        channel.writeAndFlush(request).whenFailure { error in promise.fail(error) }
        do {
            return try await promise.futureResult.get()
        } catch let error as MySQLClientError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }

    /// Sends a command that has no response (COM_STMT_CLOSE).
    func sendWithoutResponse(_ payload: [UInt8], operation: String) {
        let request = MySQLRequest(payload: payload, expectation: nil, promise: nil, operation: operation)
        channel.writeAndFlush(request, promise: nil)
    }

    /// COM_PING: true round trip to the server.
    public func ping() async throws(MySQLClientError) {
        _ = try await send([MySQLCommand.ping.rawValue], expecting: .ok, operation: "COM_PING")
    }

    /// COM_INIT_DB: makes `database` the default.
    public func selectDatabase(_ database: String) async throws(MySQLClientError) {
        _ = try await send(MySQLSimpleCommand.encode(.initDB, argument: Array(database.utf8)), expecting: .ok,
                           operation: "COM_INIT_DB")
    }

    /// COM_RESET_CONNECTION: ends the transaction, drops temporary tables, user variables
    /// and prepared statements (so the statement cache is emptied too).
    public func resetConnection() async throws(MySQLClientError) {
        statements.withLock { $0.removeAll() }
        _ = try await send([MySQLCommand.resetConnection.rawValue], expecting: .ok, operation: "COM_RESET_CONNECTION")
    }

    /// Runs `sql` with the text protocol (COM_QUERY) and returns every result it
    /// produced: several with multiple statements (`allowsMultipleStatements`) or a CALL.
    public func queryAll(_ sql: String) async throws(MySQLClientError) -> [MySQLResultSet] {
        let response = try await send(MySQLSimpleCommand.encode(.query, argument: Array(sql.utf8)),
                                      expecting: .results(binaryRows: false), operation: "query")
        guard case .results(let results) = response else { preconditionFailure("COM_QUERY answered with \(response)") }
        return results
    }

    /// Runs `sql` with the text protocol and returns its (first) result. For statements
    /// with values from outside, use `execute(_:_:)`: it never builds SQL text from them.
    @discardableResult
    public func query(_ sql: String) async throws(MySQLClientError) -> MySQLResultSet {
        try await queryAll(sql)[0]
    }
}
