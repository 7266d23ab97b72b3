import MySQLWire

/// The client side of the connection phase, as a value-type state machine: feed it
/// the server's packets (and the end of the TLS handshake); it answers with what to
/// send. No I/O here, so every path (TLS upgrade, auth switch, caching_sha2 fast and
/// full authentication with the RSA key request) is testable without a socket.
///
///   server greeting (seq 0)
///     ├─ TLS: SSLRequest (seq 1) ─▶ start TLS ─▶ HandshakeResponse41 (seq 2)
///     └─ plain:                                  HandshakeResponse41 (seq 1)
///   then until OK or ERR:
///     AuthSwitchRequest 0xFE        ─▶ token for the new plugin and nonce
///     AuthMoreData 0x01 0x03        ─▶ (caching_sha2 fast path) wait for OK
///     AuthMoreData 0x01 0x04        ─▶ password+NUL when secure, else the RSA-encrypted
///                                      password (key configured) or 0x02 (ask for the key)
///     AuthMoreData 0x01 <PEM key>   ─▶ RSA-encrypted password
struct MySQLHandshakeStateMachine {
    struct Credentials {
        var username: String
        var password: [UInt8]
        var database: String?
    }

    enum Action {
        /// Send `payload` with `sequenceID`; then, when `startTLS`, begin the TLS handshake
        /// and call `tlsEstablished()` once it completes.
        case send(payload: [UInt8], sequenceID: UInt8, startTLS: Bool)
        case wait
        case authenticated(MySQLSessionInfo)
        case fail(MySQLClientError)
    }

    private enum State {
        case awaitingGreeting
        case awaitingTLS(MySQLHandshakeV10, nextSequenceID: UInt8)
        /// Sent a token for `plugin` with `nonce`; awaiting OK, ERR, switch or more data.
        case authenticating(plugin: String, nonce: [UInt8])
        /// Asked caching_sha2_password's server for its RSA key.
        case awaitingPublicKey(nonce: [UInt8])
        case done
        case failed
    }

    private var state: State = .awaitingGreeting
    private let credentials: Credentials
    private let wantsTLS: MySQLConnectionConfiguration.TLSMode
    /// Unix sockets count as secure: caching_sha2 may send the password in clear.
    private let isLocalTransport: Bool
    private let allowsMultipleStatements: Bool
    private let serverPublicKeyPEM: String?
    private let maximumPacketSize: UInt32
    private var isTLSActive = false
    private var greeting: MySQLHandshakeV10?
    private(set) var capabilities: MySQLCapabilities = []

    init(credentials: Credentials, tlsMode: MySQLConnectionConfiguration.TLSMode, isLocalTransport: Bool,
         allowsMultipleStatements: Bool, serverPublicKeyPEM: String?, maximumPacketSize: Int) {
        self.credentials = credentials
        self.wantsTLS = isLocalTransport ? .disabled : tlsMode
        self.isLocalTransport = isLocalTransport
        self.allowsMultipleStatements = allowsMultipleStatements
        self.serverPublicKeyPEM = serverPublicKeyPEM
        self.maximumPacketSize = UInt32(clamping: maximumPacketSize)
    }

    /// What the client asks for; the effective set is this ∩ the server's offer.
    private var requestedCapabilities: MySQLCapabilities {
        var wanted: MySQLCapabilities = [
            .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .multiResults,
            .psMultiResults, .pluginAuth, .pluginAuthLengthEncodedClientData, .deprecateEOF, .connectAttributes,
        ]
        if allowsMultipleStatements { wanted.insert(.multiStatements) }
        if credentials.database != nil { wanted.insert(.connectWithDB) }
        return wanted
    }

    mutating func receive(_ packet: MySQLPacket) -> Action {
        switch state {
        case .awaitingGreeting:
            return receiveGreeting(packet)
        case .awaitingTLS:
            return fail(.protocolViolation("server sent a packet before the TLS handshake"))
        case .authenticating(let plugin, let nonce):
            return receiveAuthenticationReply(packet, plugin: plugin, nonce: nonce)
        case .awaitingPublicKey(let nonce):
            guard packet.payload.first == MySQLAuthMoreData.header else {
                return receiveAuthenticationReply(packet, plugin: MySQLAuthPlugin.cachingSHA2Password.rawValue, nonce: nonce)
            }
            let pem = String(decoding: packet.payload.dropFirst(), as: UTF8.self)
            return sendEncryptedPassword(publicKeyPEM: pem, nonce: nonce, after: packet)
        case .done, .failed:
            return fail(.protocolViolation("packet after the connection phase ended"))
        }
    }

    mutating func tlsEstablished() -> Action {
        guard case .awaitingTLS(let greeting, let sequenceID) = state else {
            preconditionFailure("tlsEstablished in state \(state)")
        }
        isTLSActive = true
        return sendHandshakeResponse(greeting, sequenceID: sequenceID)
    }

    private mutating func fail(_ error: MySQLClientError) -> Action {
        state = .failed
        return .fail(error)
    }

    private mutating func receiveGreeting(_ packet: MySQLPacket) -> Action {
        if packet.payload.first == MySQLErrorPacket.header {
            // "Too many connections", "Host is blocked": sent instead of a greeting.
            return fail(serverError(packet))
        }
        let greeting: MySQLHandshakeV10
        do {
            greeting = try MySQLHandshakeV10.decode(packet.payload)
        } catch {
            return fail(.protocolViolation("bad server greeting: \(error)"))
        }
        guard greeting.capabilities.contains(.protocol41), greeting.capabilities.contains(.secureConnection) else {
            return fail(.protocolViolation("the server does not speak protocol 4.1"))
        }
        self.greeting = greeting
        var capabilities = requestedCapabilities.intersection(greeting.capabilities)
        let serverHasTLS = greeting.capabilities.contains(.ssl)
        switch wantsTLS {
        case .disabled:
            break
        case .preferred:
            if serverHasTLS { capabilities.insert(.ssl) }
        case .required, .verifyCA, .verifyIdentity:
            guard serverHasTLS else { return fail(.tlsUnavailable("the server does not offer TLS")) }
            capabilities.insert(.ssl)
        }
        self.capabilities = capabilities
        if capabilities.contains(.ssl) {
            state = .awaitingTLS(greeting, nextSequenceID: packet.lastSequenceID &+ 2)
            let request = MySQLSSLRequest(capabilities: capabilities, maxPacketSize: maximumPacketSize,
                                          characterSet: MySQLCharacterSet.utf8mb4GeneralCI)
            return .send(payload: request.encode(), sequenceID: packet.lastSequenceID &+ 1, startTLS: true)
        }
        return sendHandshakeResponse(greeting, sequenceID: packet.lastSequenceID &+ 1)
    }

    private mutating func sendHandshakeResponse(_ greeting: MySQLHandshakeV10, sequenceID: UInt8) -> Action {
        // Answer in the server's default plugin when we speak it; otherwise in
        // mysql_native_password and let the server switch us.
        var plugin = greeting.authPluginName
        if MySQLAuthPlugin(rawValue: plugin) == nil { plugin = MySQLAuthPlugin.nativePassword.rawValue }
        let token = Self.token(plugin: plugin, password: credentials.password, nonce: greeting.nonce)
        var response = MySQLHandshakeResponse41(
            capabilities: capabilities, maxPacketSize: maximumPacketSize,
            characterSet: MySQLCharacterSet.utf8mb4GeneralCI, username: credentials.username,
            authResponse: token ?? [], database: credentials.database, authPluginName: plugin,
            attributes: [("_client_name", "onebox-mysqlclient"), ("_client_version", "0.1")])
        if !capabilities.contains(.connectWithDB) { response.database = nil }
        state = .authenticating(plugin: plugin, nonce: greeting.nonce)
        return .send(payload: response.encode(), sequenceID: sequenceID, startTLS: false)
    }

    private mutating func receiveAuthenticationReply(_ packet: MySQLPacket, plugin: String, nonce: [UInt8]) -> Action {
        let next = packet.lastSequenceID &+ 1
        switch packet.payload.first {
        case 0x00:
            do {
                _ = try MySQLOKPacket.decode(packet.payload, capabilities: capabilities)
            } catch {
                return fail(.protocolViolation("bad OK after authentication: \(error)"))
            }
            state = .done
            guard let greeting else { preconditionFailure("authenticated without a greeting") }
            return .authenticated(MySQLSessionInfo(
                serverVersion: greeting.serverVersion, connectionID: greeting.connectionID,
                capabilities: capabilities, authenticationPlugin: plugin, isTLS: isTLSActive))
        case MySQLErrorPacket.header:
            return fail(serverError(packet))
        case MySQLAuthSwitchRequest.header:
            let request: MySQLAuthSwitchRequest
            do {
                request = try MySQLAuthSwitchRequest.decode(packet.payload)
            } catch {
                return fail(.protocolViolation("bad auth switch request: \(error)"))
            }
            guard let token = Self.token(plugin: request.pluginName, password: credentials.password,
                                         nonce: request.pluginData) else {
                return fail(.unsupportedAuthenticationPlugin(request.pluginName))
            }
            state = .authenticating(plugin: request.pluginName, nonce: request.pluginData)
            return .send(payload: token, sequenceID: next, startTLS: false)
        case MySQLAuthMoreData.header:
            guard plugin == MySQLAuthPlugin.cachingSHA2Password.rawValue else {
                return fail(.protocolViolation("unexpected AuthMoreData for \(plugin)"))
            }
            let data = Array(packet.payload.dropFirst())
            if data == MySQLAuthMoreData.fastAuthSuccess.data {
                return .wait  // the OK follows
            }
            guard data == MySQLAuthMoreData.performFullAuthentication.data else {
                return fail(.protocolViolation("unexpected caching_sha2_password data \(data.prefix(8))"))
            }
            if isTLSActive || isLocalTransport {
                return .send(payload: credentials.password + [0], sequenceID: next, startTLS: false)
            }
            if let serverPublicKeyPEM {
                return sendEncryptedPassword(publicKeyPEM: serverPublicKeyPEM, nonce: nonce, after: packet)
            }
            state = .awaitingPublicKey(nonce: nonce)
            return .send(payload: [CachingSHA2Request.requestPublicKey], sequenceID: next, startTLS: false)
        default:
            return fail(.protocolViolation("unexpected packet 0x\(String(packet.payload.first ?? 0, radix: 16)) during authentication"))
        }
    }

    private mutating func sendEncryptedPassword(publicKeyPEM: String, nonce: [UInt8], after packet: MySQLPacket) -> Action {
        let cipher: [UInt8]
        do {
            cipher = try CachingSHA2Password.encryptPassword(credentials.password, nonce: nonce, publicKeyPEM: publicKeyPEM)
        } catch {
            return fail(.protocolViolation("cannot use the server's RSA public key: \(error)"))
        }
        state = .authenticating(plugin: MySQLAuthPlugin.cachingSHA2Password.rawValue, nonce: nonce)
        return .send(payload: cipher, sequenceID: packet.lastSequenceID &+ 1, startTLS: false)
    }

    private func serverError(_ packet: MySQLPacket) -> MySQLClientError {
        do {
            return MySQLClientError(try MySQLErrorPacket.decode(packet.payload))
        } catch {
            return .protocolViolation("bad ERR packet: \(error)")
        }
    }

    /// The auth response for `plugin`, or nil for a plugin this client does not speak.
    static func token(plugin: String, password: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        switch MySQLAuthPlugin(rawValue: plugin) {
        case .nativePassword: MySQLNativePassword.scramble(password: password, nonce: nonce)
        case .cachingSHA2Password: CachingSHA2Password.scramble(password: password, nonce: nonce)
        case nil: nil
        }
    }
}

/// What the connection phase settled.
public struct MySQLSessionInfo: Sendable, Equatable {
    public var serverVersion: String
    public var connectionID: UInt32
    /// The effective capabilities (client's ∩ server's).
    public var capabilities: MySQLCapabilities
    /// The plugin that authenticated the user.
    public var authenticationPlugin: String
    public var isTLS: Bool
}
