import Crypto
import _CryptoExtras
import MySQLWire
import Testing
@testable import MySQLClient

/// The connection phase against scripted servers that check what the client sends
/// with MySQLWire's server-side functions.
@Suite struct HandshakeStateMachineTests {
    let nonce: [UInt8] = Array("abcdefghij0123456789".utf8)
    let password = "correct horse"

    func greeting(plugin: MySQLAuthPlugin, tls: Bool = false) -> MySQLPacket {
        var capabilities: MySQLCapabilities = [.longPassword, .protocol41, .secureConnection, .pluginAuth,
                                               .pluginAuthLengthEncodedClientData, .transactions, .deprecateEOF,
                                               .connectWithDB, .multiResults]
        if tls { capabilities.insert(.ssl) }
        let handshake = MySQLHandshakeV10(serverVersion: "8.0.40-test", connectionID: 7, nonce: nonce,
                                          capabilities: capabilities, characterSet: 45, status: .autocommit,
                                          authPluginName: plugin.rawValue)
        return MySQLPacket(sequenceID: 0, payload: handshake.encode())
    }

    func machine(tls: MySQLConnectionConfiguration.TLSMode = .disabled, local: Bool = false,
                 key: String? = nil) -> MySQLHandshakeStateMachine {
        MySQLHandshakeStateMachine(credentials: .init(username: "app", password: Array(password.utf8), database: "foobar"),
                                   tlsMode: tls, isLocalTransport: local, allowsMultipleStatements: false,
                                   serverPublicKeyPEM: key, maximumPacketSize: 1 << 24)
    }

    func sent(_ action: MySQLHandshakeStateMachine.Action) -> (payload: [UInt8], sequenceID: UInt8, startTLS: Bool)? {
        if case .send(let payload, let sequenceID, let startTLS) = action { return (payload, sequenceID, startTLS) }
        return nil
    }

    let ok = MySQLOKPacket(status: .autocommit).encode(capabilities: [.protocol41])

    @Test func nativePasswordLogin() throws {
        var m = machine()
        let first = try #require(sent(m.receive(greeting(plugin: .nativePassword))))
        #expect(first.sequenceID == 1)
        let response = try MySQLHandshakeResponse41.decode(first.payload)
        #expect(response.username == "app")
        #expect(response.database == "foobar")
        #expect(response.authPluginName == "mysql_native_password")
        #expect(MySQLNativePassword.verify(token: response.authResponse, nonce: nonce,
                                           authenticationString: MySQLNativePassword.authenticationString(password: Array(password.utf8))))
        guard case .authenticated(let info) = m.receive(MySQLPacket(sequenceID: 2, payload: ok)) else {
            Issue.record("not authenticated")
            return
        }
        #expect(info.connectionID == 7)
        #expect(info.capabilities.contains(.deprecateEOF))
    }

    @Test func cachingSHA2FastPathIsTaken() throws {
        var m = machine()
        let first = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password))))
        let response = try MySQLHandshakeResponse41.decode(first.payload)
        #expect(response.authPluginName == "caching_sha2_password")
        // The server's fast check passes only if the scramble is in MySQL's order.
        #expect(CachingSHA2Password.verifyFast(token: response.authResponse, nonce: nonce,
                                               cacheEntry: CachingSHA2Password.cacheEntry(password: Array(password.utf8))))
        guard case .wait = m.receive(MySQLPacket(sequenceID: 2, payload: MySQLAuthMoreData.fastAuthSuccess.encode())) else {
            Issue.record("fast auth success should wait for OK")
            return
        }
        guard case .authenticated(let info) = m.receive(MySQLPacket(sequenceID: 3, payload: ok)) else {
            Issue.record("not authenticated")
            return
        }
        #expect(info.authenticationPlugin == "caching_sha2_password")
    }

    @Test func cachingSHA2FullAuthenticationRequestsTheRSAKey() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var m = machine()
        _ = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password))))
        let request = try #require(sent(m.receive(MySQLPacket(sequenceID: 2, payload: MySQLAuthMoreData.performFullAuthentication.encode()))))
        #expect(request.payload == [CachingSHA2Request.requestPublicKey])
        #expect(request.sequenceID == 3)
        let pem = key.publicKey.pemRepresentation
        let encrypted = try #require(sent(m.receive(MySQLPacket(sequenceID: 4, payload: MySQLAuthMoreData(data: Array(pem.utf8)).encode()))))
        #expect(encrypted.sequenceID == 5)
        let decrypted = try CachingSHA2Password.decryptPassword(encrypted.payload, nonce: nonce, privateKey: key)
        #expect(decrypted == Array(password.utf8))
        guard case .authenticated = m.receive(MySQLPacket(sequenceID: 6, payload: ok)) else {
            Issue.record("not authenticated")
            return
        }
    }

    @Test func cachingSHA2FullAuthenticationWithAConfiguredKeySkipsTheRequest() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var m = machine(key: key.publicKey.pemRepresentation)
        _ = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password))))
        let encrypted = try #require(sent(m.receive(MySQLPacket(sequenceID: 2, payload: MySQLAuthMoreData.performFullAuthentication.encode()))))
        #expect(try CachingSHA2Password.decryptPassword(encrypted.payload, nonce: nonce, privateKey: key) == Array(password.utf8))
    }

    @Test func cachingSHA2FullAuthenticationOverTLSSendsThePassword() throws {
        var m = machine(tls: .required)
        let sslRequest = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password, tls: true))))
        #expect(sslRequest.startTLS)
        #expect(sslRequest.sequenceID == 1)
        #expect(MySQLSSLRequest.isSSLRequest(sslRequest.payload))
        let login = try #require(sent(m.tlsEstablished()))
        #expect(login.sequenceID == 2)
        #expect(try MySQLHandshakeResponse41.decode(login.payload).capabilities.contains(.ssl))
        let clear = try #require(sent(m.receive(MySQLPacket(sequenceID: 3, payload: MySQLAuthMoreData.performFullAuthentication.encode()))))
        #expect(clear.payload == Array(password.utf8) + [0])
        guard case .authenticated(let info) = m.receive(MySQLPacket(sequenceID: 5, payload: ok)) else {
            Issue.record("not authenticated")
            return
        }
        #expect(info.isTLS)
    }

    @Test func unixSocketCountsAsSecureForFullAuthentication() throws {
        var m = machine(tls: .required, local: true)
        let login = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password, tls: true))))
        #expect(!login.startTLS)
        let clear = try #require(sent(m.receive(MySQLPacket(sequenceID: 2, payload: MySQLAuthMoreData.performFullAuthentication.encode()))))
        #expect(clear.payload == Array(password.utf8) + [0])
    }

    @Test func requiredTLSFailsWhenTheServerHasNone() {
        var m = machine(tls: .required)
        guard case .fail(.tlsUnavailable) = m.receive(greeting(plugin: .nativePassword)) else {
            Issue.record("expected tlsUnavailable")
            return
        }
    }

    @Test func authSwitchToNativePassword() throws {
        var m = machine()
        _ = try #require(sent(m.receive(greeting(plugin: .cachingSHA2Password))))
        let newNonce: [UInt8] = Array("ZYXWVUTSRQPONMLKJIHG".utf8)
        let switchRequest = MySQLAuthSwitchRequest(pluginName: "mysql_native_password", pluginData: newNonce)
        let reply = try #require(sent(m.receive(MySQLPacket(sequenceID: 2, payload: switchRequest.encode()))))
        #expect(reply.sequenceID == 3)
        #expect(MySQLNativePassword.verify(token: reply.payload, nonce: newNonce,
                                           authenticationString: MySQLNativePassword.authenticationString(password: Array(password.utf8))))
    }

    @Test func authSwitchToAnUnknownPluginFails() throws {
        var m = machine()
        _ = try #require(sent(m.receive(greeting(plugin: .nativePassword))))
        let switchRequest = MySQLAuthSwitchRequest(pluginName: "client_ed25519", pluginData: nonce)
        guard case .fail(.unsupportedAuthenticationPlugin("client_ed25519")) = m.receive(MySQLPacket(sequenceID: 2, payload: switchRequest.encode())) else {
            Issue.record("expected unsupportedAuthenticationPlugin")
            return
        }
    }

    @Test func accessDeniedCarriesCodeAndSQLState() throws {
        var m = machine()
        _ = try #require(sent(m.receive(greeting(plugin: .nativePassword))))
        let error = MySQLErrorPacket(code: 1045, sqlState: "28000", message: "Access denied for user 'app'@'localhost' (using password: YES)")
        guard case .fail(let failure) = m.receive(MySQLPacket(sequenceID: 2, payload: error.encode())) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.code == 1045)
        #expect(failure.sqlState == "28000")
    }

    @Test(arguments: [[UInt8](), [10, 0x35], [0xFF, 0x10], Array(repeating: 0xFE, count: 40)])
    func garbageGreetingIsAnErrorNotACrash(_ payload: [UInt8]) {
        var m = machine()
        guard case .fail = m.receive(MySQLPacket(sequenceID: 0, payload: payload)) else {
            Issue.record("expected a failure")
            return
        }
    }
}
