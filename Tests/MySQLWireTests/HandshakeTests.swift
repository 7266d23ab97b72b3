import Testing
@testable import MySQLWire

@Suite struct HandshakeTests {
    /// The greeting MariaDB 10.11 sent in every compat trace (shared/compat/traces/*.log, part B):
    /// version '5.5.5-10.11.19-MariaDB-0+deb12u1-log', caps 0x81fff7fe, charset 45, status 0x0002,
    /// mysql_native_password, MariaDB extended capabilities 0x1d.
    static func mariaDBGreeting(nonce: [UInt8]) -> [UInt8] {
        var w = MySQLPacketWriter()
        w.writeUInt8(10)
        w.writeNullTerminatedString("5.5.5-10.11.19-MariaDB-0+deb12u1-log")
        w.writeUInt32(96)
        w.writeBytes(nonce[0..<8])
        w.writeUInt8(0)
        w.writeBytes(hex("fe f7"))       // caps low 0xf7fe
        w.writeUInt8(45)
        w.writeBytes(hex("02 00"))
        w.writeBytes(hex("ff 81"))       // caps high 0x81ff
        w.writeUInt8(21)
        w.writeZeros(6)
        w.writeBytes(hex("1d 00 00 00"))
        w.writeBytes(nonce[8..<20])
        w.writeUInt8(0)
        w.writeNullTerminatedString("mysql_native_password")
        return w.bytes
    }

    @Test func decodesTheMariaDBGreetingOfTheTraces() throws {
        let nonce = Array("abcdefghijklmnopqrst".utf8)
        let greeting = try MySQLHandshakeV10.decode(Self.mariaDBGreeting(nonce: nonce))
        #expect(greeting.serverVersion == "5.5.5-10.11.19-MariaDB-0+deb12u1-log")
        #expect(greeting.connectionID == 96)
        #expect(greeting.capabilities.rawValue == 0x81ff_f7fe)
        #expect(!greeting.capabilities.contains(.longPassword))
        #expect(greeting.capabilities.contains([.protocol41, .pluginAuth, .deprecateEOF, .sessionTrack]))
        #expect(greeting.mariaDBExtendedCapabilities == 0x1d)
        #expect(greeting.characterSet == 45)
        #expect(greeting.status == .autocommit)
        #expect(greeting.nonce == nonce)
        #expect(greeting.authPluginName == "mysql_native_password")
    }

    @Test func encodesAGreetingThatDecodesBack() throws {
        let nonce = MySQLNonce.make()
        #expect(nonce.count == 20 && !nonce.contains(0))
        let caps: MySQLCapabilities = [.longPassword, .protocol41, .secureConnection, .pluginAuth, .ssl, .transactions,
                                       .multiStatements, .multiResults, .connectAttributes, .pluginAuthLengthEncodedClientData]
        let greeting = MySQLHandshakeV10(serverVersion: "8.0.40-onebox-0.1", connectionID: 7, nonce: nonce,
                                         capabilities: caps, characterSet: 255, status: .autocommit,
                                         authPluginName: "caching_sha2_password")
        let bytes = greeting.encode()
        // Fixed layout: version, then NUL-terminated version string, connection id 7.
        #expect(bytes[0] == 10)
        #expect(Array(bytes[19..<23]) == [7, 0, 0, 0])
        #expect(bytes.last == 0)
        #expect(try MySQLHandshakeV10.decode(bytes) == greeting)
    }

    @Test func truncatedGreetingsThrowInsteadOfTrapping() {
        let bytes = Self.mariaDBGreeting(nonce: Array("abcdefghijklmnopqrst".utf8))
        for length in 0..<40 {
            _ = try? MySQLHandshakeV10.decode(Array(bytes.prefix(length)))
        }
        #expect(throws: MySQLWireError.self) { try MySQLHandshakeV10.decode(Array(bytes.prefix(20))) }
        #expect(throws: MySQLWireError.self) { try MySQLHandshakeV10.decode([0xFF, 0x15, 0x04]) }
    }

    /// PyMySQL 1.2.4's login as traced (shared/compat/traces/pymysql.log): caps 0x003aa20d,
    /// max_packet 16777215, charset 45, user trace, db shop, attrs _client_name=pymysql...;
    /// the token is mysql_native_password("secret") for nonce "abcdefghijklmnopqrst".
    static let pyMySQLLogin = hex("""
        0da23a00ffffff002d0000000000000000000000000000000000000000000000747261636500148817c50fa779daef010ee7577825
        b0847df9842e73686f70006d7973716c5f6e61746976655f70617373776f726400350c5f636c69656e745f6e616d650770796d79
        73716c0f5f636c69656e745f76657273696f6e05312e322e34045f7069640432343838
        """)

    @Test func decodesPyMySQLLogin() throws {
        let login = try MySQLHandshakeResponse41.decode(Self.pyMySQLLogin)
        #expect(login.capabilities.rawValue == 0x003a_a20d)
        #expect(login.maxPacketSize == 16_777_215)
        #expect(login.characterSet == 45)
        #expect(login.username == "trace")
        #expect(login.database == "shop")
        #expect(login.authPluginName == "mysql_native_password")
        #expect(login.authResponse == hex("8817c50fa779daef010ee7577825b0847df9842e"))
        #expect(login.attributes.map(\.key) == ["_client_name", "_client_version", "_pid"])
        #expect(login.attributes.first?.value == "pymysql")
        #expect(MySQLNativePassword.verify(token: login.authResponse, nonce: Array("abcdefghijklmnopqrst".utf8),
                                           authenticationString: "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7"))
        #expect(login.encode() == Self.pyMySQLLogin)
        #expect(!MySQLSSLRequest.isSSLRequest(Self.pyMySQLLogin))
    }

    @Test func mariaDBCLILoginRoundTrips() throws {
        // mariadb CLI batch mode: caps 0x00bfa284 (+ CONNECT_WITH_DB), collation 33, max 1 MiB.
        let login = MySQLHandshakeResponse41(
            capabilities: MySQLCapabilities(rawValue: 0x00bf_a284 | 0x8), maxPacketSize: 1_048_576, characterSet: 33,
            username: "root", authResponse: [UInt8](repeating: 7, count: 32), database: "foobar",
            authPluginName: "caching_sha2_password", attributes: [("_os", "debian"), ("program_name", "mysql")])
        let decoded = try MySQLHandshakeResponse41.decode(login.encode())
        #expect(decoded == login)
        #expect(decoded.capabilities.contains([.multiStatements, .localFiles, .sessionTrack]))
        #expect(!decoded.capabilities.contains(.deprecateEOF))
    }

    @Test func loginWithoutOptionalTailIsAccepted() throws {
        var w = MySQLPacketWriter()
        w.writeUInt32(MySQLCapabilities([.protocol41, .secureConnection, .pluginAuth, .connectWithDB, .connectAttributes]).rawValue)
        w.writeUInt32(1 << 24)
        w.writeUInt8(45)
        w.writeZeros(23)
        w.writeNullTerminatedString("bob")
        w.writeUInt8(0)  // empty token and nothing after it
        let login = try MySQLHandshakeResponse41.decode(w.bytes)
        #expect(login.username == "bob" && login.authResponse.isEmpty && login.database == nil && login.authPluginName == nil)
    }

    @Test func sslRequestIsRecognised() throws {
        let request = MySQLSSLRequest(capabilities: MySQLCapabilities(rawValue: 0x00bf_a284), maxPacketSize: 1 << 20, characterSet: 33)
        let bytes = request.encode()
        #expect(bytes.count == 32)
        #expect(MySQLSSLRequest.isSSLRequest(bytes))
        #expect(try MySQLSSLRequest.decode(bytes) == request)
    }

    @Test func preProtocol41LoginIsRefused() {
        var bytes = Self.pyMySQLLogin
        bytes[1] &= ~0x02  // clear CLIENT_PROTOCOL_41 (bit 9)
        #expect(throws: MySQLWireError.self) { try MySQLHandshakeResponse41.decode(bytes) }
    }

    @Test func everyPrefixOfALoginFailsCleanly() {
        for length in 0..<Self.pyMySQLLogin.count - 1 {
            _ = try? MySQLHandshakeResponse41.decode(Array(Self.pyMySQLLogin.prefix(length)))
        }
    }

    @Test func authSwitchAndMoreData() throws {
        let nonce = Array("abcdefghijklmnopqrst".utf8)
        let request = MySQLAuthSwitchRequest(pluginName: "mysql_native_password", pluginData: nonce)
        let bytes = request.encode()
        #expect(bytes.first == 0xFE && bytes.last == 0)
        #expect(try MySQLAuthSwitchRequest.decode(bytes) == request)
        #expect(throws: MySQLWireError.self) { try MySQLAuthSwitchRequest.decode([0xFE]) }
        #expect(MySQLAuthMoreData.fastAuthSuccess.encode() == [0x01, 0x03])
        #expect(MySQLAuthMoreData.performFullAuthentication.encode() == [0x01, 0x04])
        #expect(try MySQLAuthMoreData.decode([0x01, 0x2D, 0x2D]).data == [0x2D, 0x2D])
    }

    @Test func changeUserRoundTrip() throws {
        let caps: MySQLCapabilities = [.protocol41, .secureConnection, .pluginAuth, .connectAttributes]
        let change = MySQLChangeUser(username: "app", authResponse: [1, 2, 3], database: "foobar", characterSet: 255,
                                     authPluginName: "mysql_native_password", attributes: ["_client_name": "onebox"])
        #expect(try MySQLChangeUser.decode(change.encode(capabilities: caps), capabilities: caps) == change)
    }
}
