// Authentication exchange after HandshakeResponse41 (sequence ids continue).
//
//   AuthSwitchRequest  0xFE, NUL-str plugin name, plugin data (nonce + NUL from MySQL)
//   AuthMoreData       0x01, plugin-specific bytes (caching_sha2: 0x03 fast auth OK,
//                      0x04 perform full auth, or the PEM public key)
//   client replies     raw plugin bytes (AuthSwitchResponse / 0x02 "send public key" /
//                      password + NUL over TLS / RSA-encrypted password)

/// Server → client: continue authentication with another plugin.
public struct MySQLAuthSwitchRequest: Sendable, Equatable {
    public var pluginName: String
    /// Usually a fresh 20-byte nonce; encoded with a trailing NUL as MySQL does.
    public var pluginData: [UInt8]

    public init(pluginName: String, pluginData: [UInt8]) {
        self.pluginName = pluginName
        self.pluginData = pluginData
    }

    public static let header: UInt8 = 0xFE

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 48)
        w.writeUInt8(Self.header)
        w.writeNullTerminatedString(pluginName)
        w.writeBytes(pluginData)
        w.writeUInt8(0)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLAuthSwitchRequest {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("auth switch header") == header else {
            throw .malformed(field: "auth switch header", reason: "not 0xFE")
        }
        guard !r.isAtEnd else {
            throw .malformed(field: "auth switch request", reason: "the pre-4.1 'old password' switch is not supported")
        }
        let name = try r.readNullTerminatedString("auth plugin name")
        var data = r.readRest()
        if data.last == 0 { data.removeLast() }
        return MySQLAuthSwitchRequest(pluginName: name, pluginData: data)
    }
}

/// Server → client: plugin-specific continuation data.
public struct MySQLAuthMoreData: Sendable, Equatable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }

    public static let header: UInt8 = 0x01
    /// caching_sha2_password: the fast-path scramble matched.
    public static let fastAuthSuccess = MySQLAuthMoreData(data: [0x03])
    /// caching_sha2_password: send the password (over TLS) or ask for the public key.
    public static let performFullAuthentication = MySQLAuthMoreData(data: [0x04])

    public func encode() -> [UInt8] { [Self.header] + data }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLAuthMoreData {
        guard payload.first == header else { throw .malformed(field: "auth more data header", reason: "not 0x01") }
        return MySQLAuthMoreData(data: Array(payload.dropFirst()))
    }
}

/// caching_sha2_password's client requests during full authentication.
public enum CachingSHA2Request {
    /// Client → server: "send me your RSA public key".
    public static let requestPublicKey: UInt8 = 0x02
}
