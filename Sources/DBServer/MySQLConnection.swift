import MySQLWire
import SQLEngine

/// One client connection's protocol logic above the bytes: login, authentication and
/// command dispatch onto its SQLEngine session. `MySQLServerHandler` feeds it whole
/// packets and performs the replies it returns.
///
/// Threading invariant: every method runs on the worker pool (statements may block on
/// disk) except `greeting` and `handleWithoutBlocking`, which run on the event loop and
/// cannot block; the handler never has two calls in flight for one connection — each
/// call starts only after the previous one's reply came back to the event loop, which
/// orders the accesses. Hence the unchecked Sendable and no lock.
final class MySQLConnection: @unchecked Sendable {
    let context: DBServerContext
    let connectionID: UInt32
    /// The host part accounts are matched against: "localhost" on the Unix socket,
    /// the client's IP address on TCP.
    let clientHost: String
    let isUnixSocket: Bool
    /// Set by the handler once TLS is installed (after an SSLRequest).
    var isTLS = false
    /// The negotiated TLS version, set by the handler after the handshake (`Ssl_version`).
    var tlsVersion: String?

    /// The greeting's nonce; COM_CHANGE_USER tokens answer it too.
    let nonce: [UInt8]
    var phase: Phase = .awaitingLogin
    var capabilities: MySQLCapabilities = [.protocol41]
    var session: Session?
    var user = ""
    var multiStatementsEnabled = false
    var statements: [UInt32: StatementState] = [:]
    /// The session's wait_timeout when it began: while unchanged, `db.wait-timeout` applies.
    var initialWaitTimeout: SQLValue?
    /// What `status(of:)` and `idleTimeout(of:)` read from session variables, as of the
    /// session's `settingsGeneration` (nil: not read since the session began): looking
    /// variables up by name on every statement cost string work for nothing.
    var settingsCache: (generation: UInt64, noBackslashEscapes: Bool, idleTimeout: Duration)?

    enum Phase {
        case awaitingLogin
        case authenticating(AuthenticationExchange, Purpose)
        case ready
        case closed
    }

    enum Purpose {
        case login(database: String?)
        case changeUser(database: String?)
    }

    struct StatementState {
        var statement: PreparedStatement
        var parameterTypes: [MySQLParameterType]?
        var longData: [Int: [UInt8]] = [:]
    }

    /// What the handler does after a call.
    struct Reply {
        var bytes: [UInt8] = []
        var close = false
        /// Set once login completed: the handler lifts the login-time packet limit.
        var isAuthenticated = false
        /// How long the connection may now stay idle (the session's wait_timeout).
        var idleTimeout: Duration?
    }

    init(context: DBServerContext, connectionID: UInt32, clientHost: String, isUnixSocket: Bool) {
        self.context = context
        self.connectionID = connectionID
        self.clientHost = clientHost
        self.isUnixSocket = isUnixSocket
        self.nonce = MySQLNonce.make()
    }

    /// The server's first packet (sequence id 0).
    func greeting() -> [UInt8] {
        let handshake = MySQLHandshakeV10(
            serverVersion: DBServerConfiguration.serverVersion, connectionID: connectionID, nonce: nonce,
            capabilities: context.serverCapabilities, characterSet: MySQLCharacterSet.utf8mb4GeneralCI,
            status: .autocommit, authPluginName: context.configuration.defaultAuthPlugin)
        var sequence: UInt8 = 0
        return MySQLPacketEncoder.encode(handshake.encode(), sequenceID: &sequence)
    }

    var isAwaitingLogin: Bool {
        if case .awaitingLogin = phase { return true }
        return false
    }

    var isReady: Bool {
        if case .ready = phase { return true }
        return false
    }

    /// Handles one client packet.
    func handle(_ packet: MySQLPacket) -> Reply {
        switch phase {
        case .awaitingLogin:
            return handleLogin(packet)
        case .authenticating(var exchange, let purpose):
            var writer = ResponseWriter(capabilities: capabilities, sequenceID: packet.lastSequenceID &+ 1)
            let action = exchange.receive(packet.payload, context: authenticationContext)
            return apply(action, exchange: exchange, purpose: purpose, writer: &writer)
        case .ready:
            return handleCommand(packet)
        case .closed:
            return Reply(close: true)
        }
    }

    /// The connection is gone: roll back and release the session.
    func close() {
        phase = .closed
        for state in statements.values { session?.deallocate(state.statement) }
        statements = [:]
        session?.close()
        session = nil
    }

    // MARK: - login and authentication

    var authenticationContext: AuthenticationExchange.Context {
        AuthenticationExchange.Context(isSecureTransport: isTLS || isUnixSocket, isTLS: isTLS, keys: context.keys, cache: context.fastAuthCache)
    }

    private func handleLogin(_ packet: MySQLPacket) -> Reply {
        var writer = ResponseWriter(capabilities: [.protocol41], sequenceID: packet.lastSequenceID &+ 1)
        let login: MySQLHandshakeResponse41
        do {
            guard !MySQLSSLRequest.isSSLRequest(packet.payload) else {
                throw MySQLWireError.malformed(field: "SSL request", reason: "TLS is not available here")
            }
            login = try MySQLHandshakeResponse41.decode(packet.payload)
        } catch {
            phase = .closed
            writer.error(MySQLErrorPacket(code: 1043, sqlState: "08S01", message: "Bad handshake"))
            return Reply(bytes: writer.bytes, close: true)
        }
        capabilities = MySQLCapabilities(rawValue: login.capabilities.rawValue & context.serverCapabilities.rawValue)
        writer = ResponseWriter(capabilities: capabilities, sequenceID: writer.sequenceID)
        multiStatementsEnabled = capabilities.contains(.multiStatements)
        user = login.username
        let clientPlugin = capabilities.contains(.pluginAuth) ? (login.authPluginName.flatMap { $0.isEmpty ? nil : $0 }) : nil
        var exchange = AuthenticationExchange(account: lookUpAccount(user), user: user, clientHost: clientHost,
                                              nonce: nonce, defaultPlugin: decoyPlugin(clientPlugin))
        let action = exchange.begin(clientPlugin: clientPlugin, token: login.authResponse,
                                    canSwitch: capabilities.contains(.pluginAuth), context: authenticationContext)
        return apply(action, exchange: exchange, purpose: .login(database: login.database), writer: &writer)
    }

    /// The plugin an unknown user is refused with: the one the client chose when onebox
    /// speaks it, so the exchange looks like a wrong password for an account of that plugin.
    func decoyPlugin(_ clientPlugin: String?) -> String {
        let plugin = clientPlugin ?? MySQLAuthPlugin.nativePassword.rawValue
        return MySQLAuthPlugin(rawValue: plugin) != nil ? plugin : context.configuration.defaultAuthPlugin
    }

    func lookUpAccount(_ user: String) -> AccountRecord? {
        do {
            guard let account = try context.engine.account(user: user, host: clientHost) else { return nil }
            return AccountRecord(user: account.user, host: account.host, plugin: account.plugin,
                                 authenticationString: account.authenticationString, isLocked: account.locked,
                                 requiresTLS: account.requiresTLS)
        } catch {
            context.logger.error("cannot read account \(user)@\(clientHost): \(error)")
            return nil
        }
    }

    func apply(_ action: AuthenticationExchange.Action, exchange: AuthenticationExchange, purpose: Purpose,
                       writer: inout ResponseWriter) -> Reply {
        switch action {
        case .send(let payload):
            phase = .authenticating(exchange, purpose)
            writer.packet(payload)
            return Reply(bytes: writer.bytes)
        case .reject(let error):
            context.logger.info("login refused: \(error.message)", metadata: ["connection": "\(connectionID)"])
            phase = .closed
            writer.error(error)
            return Reply(bytes: writer.bytes, close: true)
        case .accept(let preamble):
            if let preamble { writer.packet(preamble) }
            return finishLogin(purpose: purpose, writer: &writer)
        }
    }

    private func finishLogin(purpose: Purpose, writer: inout ResponseWriter) -> Reply {
        let database: String?
        switch purpose {
        case .login(let db):
            database = db
        case .changeUser(let db):
            database = db
            close()
        }
        let session = context.engine.makeSession(connectionID: connectionID, user: user, host: clientHost)
        session.tlsVersion = tlsVersion
        if let database {
            do {
                try session.useDatabase(database)
            } catch {
                session.close()
                phase = .closed
                writer.error(ValueConversion.error(error))
                return Reply(bytes: writer.bytes, close: true)
            }
        }
        self.session = session
        settingsCache = nil
        initialWaitTimeout = session.systemVariable("wait_timeout")
        phase = .ready
        context.registry.setUser(user, for: connectionID)
        writer.ok(status: status(of: session))
        return Reply(bytes: writer.bytes, isAuthenticated: true, idleTimeout: idleTimeout(of: session))
    }

    // MARK: - session state

    func status(of session: Session) -> MySQLServerStatus {
        var status: MySQLServerStatus = []
        if session.autocommit { status.insert(.autocommit) }
        if session.inTransaction { status.insert(.inTransaction) }
        if settings(of: session).noBackslashEscapes { status.insert(.noBackslashEscapes) }
        return status
    }

    func idleTimeout(of session: Session) -> Duration {
        settings(of: session).idleTimeout
    }

    private func settings(of session: Session) -> (noBackslashEscapes: Bool, idleTimeout: Duration) {
        if let cached = settingsCache, cached.generation == session.settingsGeneration {
            return (cached.noBackslashEscapes, cached.idleTimeout)
        }
        var noBackslashEscapes = false
        if case .string(let mode)? = session.systemVariable("sql_mode"), Self.contains(mode, "NO_BACKSLASH_ESCAPES") {
            noBackslashEscapes = true
        }
        let idle = currentIdleTimeout(of: session)
        settingsCache = (session.settingsGeneration, noBackslashEscapes, idle)
        return (noBackslashEscapes, idle)
    }

    private func currentIdleTimeout(of session: Session) -> Duration {
        let current = session.systemVariable("wait_timeout")
        guard current != initialWaitTimeout else { return context.configuration.waitTimeout }
        switch current {
        case .int(let seconds)? where seconds > 0: return Duration.seconds(seconds)
        case .uint(let seconds)? where seconds > 0: return Duration.seconds(Int64(clamping: seconds))
        default: return context.configuration.waitTimeout
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
