import _CryptoExtras
import MySQLWire

// The server's side of authentication after HandshakeResponse41 or COM_CHANGE_USER,
// as a value-type state machine: each client packet goes in, one action comes out.
//
//   start ──plugin differs──▶ AuthSwitchRequest ──▶ awaitingSwitchResponse ──┐
//     │                                                                      ▼
//     └──────────────────────────────────────────────────────────────▶ check token
//   mysql_native_password: token checked → accept / reject
//   caching_sha2_password: cached digest → fast check → AuthMoreData 0x03 + accept / reject
//                          no cached digest → AuthMoreData 0x04 → awaitingFullAuthentication
//   awaitingFullAuthentication: secure transport (TLS, Unix socket) → clear password
//                               else 0x02 → AuthMoreData(public key PEM) → awaitingRSAPassword
//                               (a client that already has the key sends the RSA block at once)
//   awaitingRSAPassword: RSA-OAEP block → decrypt → check
//
// An unknown user goes through the same steps with a decoy string (of the plugin the
// client chose), so the reply and its timing look like a wrong password.

/// One authentication exchange.
struct AuthenticationExchange {
    /// The account that was found, or nil (the decoy is used then).
    let account: AccountRecord?
    let user: String
    let clientHost: String
    let plugin: String
    let authenticationString: String
    /// The nonce the client's current token answers (changes on an auth switch).
    private(set) var nonce: [UInt8]
    private(set) var state: State = .start
    /// Whether any password was sent, for the 1045 message.
    private var usedPassword = false

    enum State: Equatable { case start, awaitingSwitchResponse, awaitingFullAuthentication, awaitingRSAPassword, finished }

    enum Action: Equatable {
        /// Send this payload and wait for the client's next packet.
        case send([UInt8])
        /// Authenticated; send `preamble` (AuthMoreData 0x03) first when non-nil, then OK.
        case accept(preamble: [UInt8]?)
        case reject(MySQLErrorPacket)
    }

    /// `defaultPlugin` is the decoy's plugin when `account` is nil.
    init(account: AccountRecord?, user: String, clientHost: String, nonce: [UInt8], defaultPlugin: String) {
        self.account = account
        self.user = user
        self.clientHost = clientHost
        self.nonce = nonce
        if let account {
            plugin = account.plugin
            authenticationString = account.authenticationString
        } else {
            plugin = defaultPlugin
            authenticationString = AuthenticationStrings.decoy(plugin: defaultPlugin)
        }
    }

    /// The login's token, answered with the plugin the client named (nil: the client
    /// cannot switch plugins and used mysql_native_password).
    mutating func begin(clientPlugin: String?, token: [UInt8], canSwitch: Bool, context: Context) -> Action {
        precondition(state == .start, "AuthenticationExchange.begin in state \(state)")
        guard MySQLAuthPlugin(rawValue: plugin) != nil else {
            state = .finished
            return .reject(MySQLErrorPacket(code: 1524, sqlState: "HY000", message: "Plugin '\(plugin)' is not loaded"))
        }
        if (clientPlugin ?? MySQLAuthPlugin.nativePassword.rawValue) != plugin {
            guard canSwitch else { return reject() }
            nonce = MySQLNonce.make()
            state = .awaitingSwitchResponse
            return .send(MySQLAuthSwitchRequest(pluginName: plugin, pluginData: nonce).encode())
        }
        return check(token: token, context: context)
    }

    /// The client's next packet in the exchange.
    mutating func receive(_ payload: [UInt8], context: Context) -> Action {
        switch state {
        case .awaitingSwitchResponse:
            return check(token: payload, context: context)
        case .awaitingFullAuthentication:
            if context.isSecureTransport {
                return checkClear(CachingSHA2Password.clearTextPassword(payload), context: context)
            }
            if payload == [CachingSHA2Request.requestPublicKey] {
                state = .awaitingRSAPassword
                return .send(MySQLAuthMoreData(data: Array(context.keys.publicKeyPEM.utf8)).encode())
            }
            return receiveRSA(payload, context: context)
        case .awaitingRSAPassword:
            return receiveRSA(payload, context: context)
        case .start, .finished:
            preconditionFailure("AuthenticationExchange.receive in state \(state)")
        }
    }

    struct Context {
        /// TLS or a Unix socket: where caching_sha2_password may take the clear password.
        var isSecureTransport: Bool
        /// The connection is TLS (what REQUIRE SSL asks for).
        var isTLS: Bool
        var keys: ServerKeys
        var cache: FastAuthCache
    }

    private mutating func check(token: [UInt8], context: Context) -> Action {
        if !token.isEmpty { usedPassword = true }
        switch MySQLAuthPlugin(rawValue: plugin) {
        case .nativePassword:
            let ok = MySQLNativePassword.verify(token: token, nonce: nonce, authenticationString: authenticationString)
            return ok ? accept(preamble: nil, context: context) : reject()
        case .cachingSHA2Password:
            if token.isEmpty || authenticationString.isEmpty {
                return token.isEmpty && authenticationString.isEmpty ? accept(preamble: nil, context: context) : reject()
            }
            if let account, let digest = context.cache.digest(user: account.user, host: account.host,
                                                              authenticationString: authenticationString) {
                return CachingSHA2Password.verifyFast(token: token, nonce: nonce, cacheEntry: digest)
                    ? accept(preamble: MySQLAuthMoreData.fastAuthSuccess.encode(), context: context) : reject()
            }
            state = .awaitingFullAuthentication
            return .send(MySQLAuthMoreData.performFullAuthentication.encode())
        case nil:
            return reject()
        }
    }

    private mutating func receiveRSA(_ payload: [UInt8], context: Context) -> Action {
        guard let password = try? CachingSHA2Password.decryptPassword(payload, nonce: nonce, privateKey: context.keys.privateKey) else {
            return reject()
        }
        return checkClear(password, context: context)
    }

    private mutating func checkClear(_ password: [UInt8], context: Context) -> Action {
        if !password.isEmpty { usedPassword = true }
        guard AuthenticationStrings.verify(password: password, plugin: plugin, authenticationString: authenticationString),
              let account else { return reject() }
        context.cache.store(user: account.user, host: account.host, authenticationString: authenticationString,
                            digest: CachingSHA2Password.cacheEntry(password: password))
        return accept(preamble: nil, context: context)
    }

    private mutating func accept(preamble: [UInt8]?, context: Context) -> Action {
        state = .finished
        guard let account else { return reject() }
        // REQUIRE SSL: the right password over a connection without TLS is refused as MySQL
        // refuses it (1045), a Unix socket included.
        if account.requiresTLS && !context.isTLS { return reject() }
        if account.isLocked {
            return .reject(MySQLErrorPacket(code: 3118, sqlState: "HY000",
                                            message: "Access denied for user '\(user)'@'\(clientHost)'. Account is locked."))
        }
        return .accept(preamble: preamble)
    }

    private mutating func reject() -> Action {
        state = .finished
        return .reject(MySQLErrorPacket(code: 1045, sqlState: "28000",
                                        message: "Access denied for user '\(user)'@'\(clientHost)' (using password: \(usedPassword ? "YES" : "NO"))"))
    }
}

/// The parts of an account authentication needs (SQLEngine's `Account`, decoupled so
/// the state machine is testable without an engine).
struct AccountRecord: Sendable, Equatable {
    var user: String
    var host: String
    var plugin: String
    var authenticationString: String
    var isLocked: Bool
    /// REQUIRE SSL.
    var requiresTLS = false
}
