import Foundation
import MySQLWire
import Testing
@testable import DBServer

@Suite struct AuthenticationExchangeTests {
    static let keys: ServerKeys = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("db-keys-\(UUID().uuidString)").path
        return try! ServerKeys.loadOrCreate(directory: directory)
    }()

    let nonce = MySQLNonce.make()
    let password = Array("correct horse".utf8)

    /// Made once per plugin: caching_sha2 strings are salted, and the fast-path cache is
    /// only valid for the string it was filled from.
    static let strings = Dictionary(uniqueKeysWithValues: MySQLAuthPlugin.allCases.map {
        ($0, AuthenticationStrings.make(plugin: $0.rawValue, password: "correct horse"))
    })

    func account(_ plugin: MySQLAuthPlugin, locked: Bool = false) -> AccountRecord {
        AccountRecord(user: "app", host: "%", plugin: plugin.rawValue, authenticationString: Self.strings[plugin]!, isLocked: locked)
    }

    /// `secure` is TLS unless `unixSocket`: a Unix socket is secure transport without TLS.
    func context(secure: Bool, unixSocket: Bool = false, cache: FastAuthCache = FastAuthCache()) -> AuthenticationExchange.Context {
        AuthenticationExchange.Context(isSecureTransport: secure, isTLS: secure && !unixSocket, keys: Self.keys, cache: cache)
    }

    @Test func nativePasswordDirect() {
        var exchange = AuthenticationExchange(account: account(.nativePassword), user: "app", clientHost: "localhost",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        let action = exchange.begin(clientPlugin: "mysql_native_password",
                                    token: MySQLNativePassword.scramble(password: password, nonce: nonce),
                                    canSwitch: true, context: context(secure: false))
        #expect(action == .accept(preamble: nil))
    }

    @Test func wrongPasswordMessage() {
        var exchange = AuthenticationExchange(account: account(.nativePassword), user: "app", clientHost: "10.0.0.7",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        let action = exchange.begin(clientPlugin: "mysql_native_password",
                                    token: MySQLNativePassword.scramble(password: Array("wrong".utf8), nonce: nonce),
                                    canSwitch: true, context: context(secure: false))
        #expect(action == .reject(MySQLErrorPacket(code: 1045, sqlState: "28000",
                                                   message: "Access denied for user 'app'@'10.0.0.7' (using password: YES)")))
    }

    @Test func switchFromNativeToCachingSHA2ThenFullPathOverTLSThenFastPath() throws {
        let cache = FastAuthCache()
        var exchange = AuthenticationExchange(account: account(.cachingSHA2Password), user: "app", clientHost: "localhost",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        let first = exchange.begin(clientPlugin: "mysql_native_password",
                                   token: MySQLNativePassword.scramble(password: password, nonce: nonce),
                                   canSwitch: true, context: context(secure: true, cache: cache))
        guard case .send(let payload) = first else { Issue.record("expected an auth switch, got \(first)"); return }
        let switchRequest = try MySQLAuthSwitchRequest.decode(payload)
        #expect(switchRequest.pluginName == "caching_sha2_password")
        #expect(switchRequest.pluginData != nonce && switchRequest.pluginData.count == 20)
        let token = CachingSHA2Password.scramble(password: password, nonce: switchRequest.pluginData)
        #expect(exchange.receive(token, context: context(secure: true, cache: cache))
            == .send(MySQLAuthMoreData.performFullAuthentication.encode()))
        #expect(exchange.receive(password + [0], context: context(secure: true, cache: cache)) == .accept(preamble: nil))

        // The digest is cached now: the next login takes the fast path.
        var second = AuthenticationExchange(account: account(.cachingSHA2Password), user: "app", clientHost: "localhost",
                                            nonce: nonce, defaultPlugin: "caching_sha2_password")
        let fast = second.begin(clientPlugin: "caching_sha2_password",
                                token: CachingSHA2Password.scramble(password: password, nonce: nonce),
                                canSwitch: true, context: context(secure: false, cache: cache))
        #expect(fast == .accept(preamble: MySQLAuthMoreData.fastAuthSuccess.encode()))
        var third = AuthenticationExchange(account: account(.cachingSHA2Password), user: "app", clientHost: "localhost",
                                           nonce: nonce, defaultPlugin: "caching_sha2_password")
        let wrong = third.begin(clientPlugin: "caching_sha2_password",
                                token: CachingSHA2Password.scramble(password: Array("x".utf8), nonce: nonce),
                                canSwitch: true, context: context(secure: false, cache: cache))
        guard case .reject(let error) = wrong else { Issue.record("expected 1045, got \(wrong)"); return }
        #expect(error.code == 1045)
    }

    @Test func rsaKeyExchangeWithoutTLS() throws {
        var exchange = AuthenticationExchange(account: account(.cachingSHA2Password), user: "app", clientHost: "localhost",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        let ctx = context(secure: false)
        #expect(exchange.begin(clientPlugin: "caching_sha2_password",
                               token: CachingSHA2Password.scramble(password: password, nonce: nonce),
                               canSwitch: true, context: ctx) == .send(MySQLAuthMoreData.performFullAuthentication.encode()))
        // A clear-text password without TLS is refused...
        var clear = exchange
        guard case .reject = clear.receive(password + [0], context: ctx) else { Issue.record("clear text accepted"); return }
        // ...the key exchange works.
        guard case .send(let keyPacket) = exchange.receive([0x02], context: ctx) else { Issue.record("no key"); return }
        let pem = String(decoding: try MySQLAuthMoreData.decode(keyPacket).data, as: UTF8.self)
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let cipher = try CachingSHA2Password.encryptPassword(password, nonce: nonce, publicKeyPEM: pem)
        #expect(exchange.receive(cipher, context: ctx) == .accept(preamble: nil))
    }

    @Test func unknownUserIsRefusedLikeAWrongPassword() {
        var exchange = AuthenticationExchange(account: nil, user: "ghost", clientHost: "localhost",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        let ctx = context(secure: true)
        #expect(exchange.begin(clientPlugin: "caching_sha2_password",
                               token: CachingSHA2Password.scramble(password: password, nonce: nonce),
                               canSwitch: true, context: ctx) == .send(MySQLAuthMoreData.performFullAuthentication.encode()))
        #expect(exchange.receive(password + [0], context: ctx) == .reject(MySQLErrorPacket(
            code: 1045, sqlState: "28000", message: "Access denied for user 'ghost'@'localhost' (using password: YES)")))
    }

    /// REQUIRE SSL: the right password is refused (1045, as MySQL) without TLS, a Unix
    /// socket included, and accepted over TLS.
    @Test func requireSSLNeedsTLS() {
        var record = account(.nativePassword)
        record.requiresTLS = true
        let token = MySQLNativePassword.scramble(password: password, nonce: nonce)
        for (ctx, accepted) in [(context(secure: false), false), (context(secure: true, unixSocket: true), false), (context(secure: true), true)] {
            var exchange = AuthenticationExchange(account: record, user: "app", clientHost: "localhost",
                                                  nonce: nonce, defaultPlugin: "caching_sha2_password")
            let action = exchange.begin(clientPlugin: "mysql_native_password", token: token, canSwitch: true, context: ctx)
            if accepted {
                #expect(action == .accept(preamble: nil))
            } else {
                #expect(action == .reject(MySQLErrorPacket(code: 1045, sqlState: "28000",
                                                           message: "Access denied for user 'app'@'localhost' (using password: YES)")))
            }
        }
    }

    @Test func lockedAccountAndEmptyPasswords() {
        var locked = AuthenticationExchange(account: account(.nativePassword, locked: true), user: "app", clientHost: "localhost",
                                            nonce: nonce, defaultPlugin: "caching_sha2_password")
        guard case .reject(let error) = locked.begin(clientPlugin: "mysql_native_password",
                                                     token: MySQLNativePassword.scramble(password: password, nonce: nonce),
                                                     canSwitch: true, context: context(secure: false)) else {
            Issue.record("locked account accepted"); return
        }
        #expect(error.code == 3118)
        let empty = AccountRecord(user: "anon", host: "%", plugin: "caching_sha2_password", authenticationString: "", isLocked: false)
        var noPassword = AuthenticationExchange(account: empty, user: "anon", clientHost: "localhost", nonce: nonce,
                                                defaultPlugin: "caching_sha2_password")
        #expect(noPassword.begin(clientPlugin: "caching_sha2_password", token: [], canSwitch: true,
                                 context: context(secure: false)) == .accept(preamble: nil))
        var withPassword = AuthenticationExchange(account: empty, user: "anon", clientHost: "localhost", nonce: nonce,
                                                  defaultPlugin: "caching_sha2_password")
        guard case .reject = withPassword.begin(clientPlugin: "caching_sha2_password", token: [1, 2, 3], canSwitch: true,
                                                context: context(secure: false)) else { Issue.record("accepted"); return }
    }

    @Test func clientThatCannotSwitchPlugins() {
        var exchange = AuthenticationExchange(account: account(.cachingSHA2Password), user: "app", clientHost: "localhost",
                                              nonce: nonce, defaultPlugin: "caching_sha2_password")
        guard case .reject = exchange.begin(clientPlugin: nil, token: MySQLNativePassword.scramble(password: password, nonce: nonce),
                                            canSwitch: false, context: context(secure: false)) else {
            Issue.record("accepted"); return
        }
    }
}

@Suite struct AuthenticationStringTests {
    @Test func formatsAndVerification() {
        #expect(AuthenticationStrings.make(plugin: "mysql_native_password", password: "secret") == "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7")
        let sha2 = AuthenticationStrings.make(plugin: "caching_sha2_password", password: "secret")
        #expect(sha2.hasPrefix("$pbkdf2-sha256$5000$"))
        #expect(sha2 != AuthenticationStrings.make(plugin: "caching_sha2_password", password: "secret"))  // salted
        #expect(AuthenticationStrings.verify(password: Array("secret".utf8), plugin: "caching_sha2_password", authenticationString: sha2))
        #expect(!AuthenticationStrings.verify(password: Array("Secret".utf8), plugin: "caching_sha2_password", authenticationString: sha2))
        #expect(!AuthenticationStrings.verify(password: Array("secret".utf8), plugin: "caching_sha2_password", authenticationString: "$pbkdf2-sha256$x$zz$"))
        #expect(AuthenticationStrings.make(plugin: "caching_sha2_password", password: "") == "")
        #expect(!AuthenticationStrings.verify(password: [], plugin: "nope", authenticationString: AuthenticationStrings.make(plugin: "nope", password: "x")))
    }

    @Test func killStatements() {
        #expect(KillStatement(parsing: Array("KILL 42".utf8)) == KillStatement(connectionID: 42, queryOnly: false))
        #expect(KillStatement(parsing: Array("kill query 7;".utf8)) == KillStatement(connectionID: 7, queryOnly: true))
        #expect(KillStatement(parsing: Array("  KILL CONNECTION 9 ".utf8)) == KillStatement(connectionID: 9, queryOnly: false))
        #expect(KillStatement(parsing: Array("KILL x".utf8)) == nil)
        #expect(KillStatement(parsing: Array("SELECT 1".utf8)) == nil)
        #expect(KillStatement(parsing: Array("KILL 1; DROP TABLE t".utf8)) == nil)
    }
}
