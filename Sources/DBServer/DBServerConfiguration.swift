import OneboxCore

/// Everything `onebox db` reads from the layered settings (`db.*` in Data/onebox.yaml),
/// as plain values, so the server's code never touches the reader.
public struct DBServerConfiguration: Sendable {
    /// TCP listeners (`db.listen`, flag `--listen`).
    public var listen: [ListenAddress]
    /// The Unix socket (`db.socket`, flag `--socket`); nil for none.
    public var socketPath: String?
    public var stateDirectory: StateDirectory
    /// Configured certificate and key (`db.tls.cert`, `db.tls.key`); nil: self-signed in `<state-dir>/tls`.
    public var certificateFile: String?
    public var keyFile: String?
    /// Whether TLS is offered at all (`db.tls.enabled`).
    public var isTLSEnabled: Bool
    /// `db.max-connections`: beyond it a new connection gets ERR 1040 and is closed.
    public var maxConnections: Int
    /// `db.max-allowed-packet`: the largest logical packet accepted (ERR 1153 and close beyond).
    public var maxAllowedPacket: Int
    /// `db.wait-timeout`: an idle session is closed after this (a session may SET its own wait_timeout).
    public var waitTimeout: Duration
    /// `db.connect-timeout`: the handshake and login must finish within this.
    public var connectTimeout: Duration
    /// `db.worker-threads`: threads that run statements (which may block on disk).
    public var workerThreads: Int
    /// `db.default-auth-plugin`: plugin of accounts created without IDENTIFIED WITH, and of the greeting.
    public var defaultAuthPlugin: String
    /// `db.buffer-pool`: PageStore's buffer pool, bytes.
    public var bufferPoolBytes: Int
    /// `db.shutdown-grace`: how long SIGTERM waits for running statements.
    public var shutdownGrace: Duration
    /// `db.lock-wait-timeout`: seconds a statement waits for another transaction's row lock
    /// before ERR 1205 (the default of the session variable innodb_lock_wait_timeout).
    public var lockWaitTimeoutSeconds: Int
    /// `db.event-loop-row-budget`: row steps a prepared SELECT may take on a network event
    /// loop before it moves to a worker thread; 0 runs every statement on a worker.
    public var eventLoopRowBudget: Int

    /// The server version string; clients parse it (docs/db.md).
    public static let serverVersion = "8.0.40-onebox-0.1"

    public init(listen: [ListenAddress], socketPath: String?, stateDirectory: StateDirectory) {
        self.listen = listen
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        certificateFile = nil
        keyFile = nil
        isTLSEnabled = true
        maxConnections = 1000
        maxAllowedPacket = 64 << 20
        waitTimeout = .seconds(28800)
        connectTimeout = .seconds(10)
        workerThreads = 16
        defaultAuthPlugin = "caching_sha2_password"
        bufferPoolBytes = 128 << 20
        shutdownGrace = .seconds(10)
        lockWaitTimeoutSeconds = 50
        eventLoopRowBudget = 1_000
    }

    public init(settings: OneboxSettings) throws {
        let stateDirectory = StateDirectory(settings.string("state-dir", default: "var"))
        let listen = try settings.list("db.listen", default: ["127.0.0.1:3306"]).filter { $0 != "none" }
            .map { text throws(OneboxConfigurationError) in
                let address = try ListenAddress(parsing: text)
                guard case .tcp = address else {
                    throw .invalidValue(key: "db.listen", value: text, expected: "HOST:PORT (the Unix socket is db.socket)")
                }
                return address
            }
        let socket = settings.string("db.socket", default: stateDirectory.path + "/mysql.sock")
        self.init(listen: listen, socketPath: socket == "none" || socket.isEmpty ? nil : socket,
                  stateDirectory: stateDirectory)
        guard !listen.isEmpty || socketPath != nil else {
            throw OneboxConfigurationError.invalidValue(key: "db.listen", value: "none",
                                                        expected: "at least one listener (db.listen or db.socket)")
        }
        certificateFile = settings.optionalString("db.tls.cert")
        keyFile = settings.optionalString("db.tls.key")
        if (certificateFile == nil) != (keyFile == nil) {
            throw OneboxConfigurationError.invalidValue(key: "db.tls.cert", value: certificateFile ?? "",
                                                        expected: "db.tls.cert and db.tls.key set together")
        }
        isTLSEnabled = try settings.bool("db.tls.enabled", default: true)
        maxConnections = try settings.int("db.max-connections", default: 1000, in: 1...100_000)
        maxAllowedPacket = try settings.int("db.max-allowed-packet", default: 64 << 20, in: 1024...(1 << 30))
        waitTimeout = try settings.seconds("db.wait-timeout", default: .seconds(28800), in: 1...31_536_000)
        connectTimeout = try settings.seconds("db.connect-timeout", default: .seconds(10), in: 1...3600)
        workerThreads = try settings.int("db.worker-threads", default: 16, in: 1...1024)
        defaultAuthPlugin = settings.string("db.default-auth-plugin", default: "caching_sha2_password")
        guard AuthenticationStrings.supportedPlugins.contains(defaultAuthPlugin) else {
            throw OneboxConfigurationError.invalidValue(key: "db.default-auth-plugin", value: defaultAuthPlugin,
                                                        expected: AuthenticationStrings.supportedPlugins.joined(separator: " or "))
        }
        bufferPoolBytes = try settings.int("db.buffer-pool", default: 128 << 20, in: (1 << 20)...(1 << 40))
        shutdownGrace = try settings.seconds("db.shutdown-grace", default: .seconds(10), in: 0...3600)
        lockWaitTimeoutSeconds = try settings.int("db.lock-wait-timeout", default: 50, in: 1...1_073_741_824)
        eventLoopRowBudget = try settings.int("db.event-loop-row-budget", default: 1_000, in: 0...1_000_000)
    }
}
