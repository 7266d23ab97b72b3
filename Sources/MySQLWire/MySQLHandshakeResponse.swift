// HandshakeResponse41 (client → server, sequence id 1, or 2 after an SSLRequest).
//
//   size        field
//   4           client capability flags
//   4           max packet size
//   1           character set (collation id)
//   23          filler zeros (MariaDB: bytes 19..<23 carry its extended capabilities)
//   ---- an SSLRequest stops here (32 bytes); TLS starts, then the full packet follows ----
//   NUL-str     user name
//   lenenc-str  auth response      (CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)
//   | 1 + n     auth response      (CLIENT_SECURE_CONNECTION)
//   | NUL-str   auth response      (otherwise)
//   NUL-str     database           (CLIENT_CONNECT_WITH_DB)
//   NUL-str     auth plugin name   (CLIENT_PLUGIN_AUTH)
//   lenenc      attributes length, then lenenc key/value pairs (CLIENT_CONNECT_ATTRS)
//   1           zstd level         (CLIENT_ZSTD_COMPRESSION_ALGORITHM)
//
// Decoding is lenient like MySQL's: optional trailing fields may be missing.

/// The client's login packet.
public struct MySQLHandshakeResponse41: Sendable, Equatable {
    public var capabilities: MySQLCapabilities
    public var maxPacketSize: UInt32
    public var characterSet: UInt8
    public var username: String
    public var authResponse: [UInt8]
    public var database: String?
    public var authPluginName: String?
    /// Connection attributes in the order sent (`_client_name`, `program_name`, ...).
    public var attributes: [(key: String, value: String)]
    public var zstdLevel: UInt8?

    public init(capabilities: MySQLCapabilities, maxPacketSize: UInt32 = 16_777_216, characterSet: UInt8 = 45,
                username: String, authResponse: [UInt8], database: String? = nil, authPluginName: String? = nil,
                attributes: [(key: String, value: String)] = []) {
        self.capabilities = capabilities
        self.maxPacketSize = maxPacketSize
        self.characterSet = characterSet
        self.username = username
        self.authResponse = authResponse
        self.database = database
        self.authPluginName = authPluginName
        self.attributes = attributes
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.capabilities == b.capabilities && a.maxPacketSize == b.maxPacketSize && a.characterSet == b.characterSet
            && a.username == b.username && a.authResponse == b.authResponse && a.database == b.database
            && a.authPluginName == b.authPluginName && a.zstdLevel == b.zstdLevel
            && a.attributes.map(\.key) == b.attributes.map(\.key) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    /// Encodes with the fields `capabilities` calls for.
    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 128)
        var capabilities = self.capabilities
        if database != nil { capabilities.insert(.connectWithDB) }
        w.writeUInt32(capabilities.rawValue)
        w.writeUInt32(maxPacketSize)
        w.writeUInt8(characterSet)
        w.writeZeros(23)
        w.writeNullTerminatedString(username)
        if capabilities.contains(.pluginAuthLengthEncodedClientData) {
            w.writeLengthEncodedBytes(authResponse)
        } else if capabilities.contains(.secureConnection) {
            precondition(authResponse.count <= 255, "auth response of \(authResponse.count) bytes needs CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA")
            w.writeUInt8(UInt8(authResponse.count))
            w.writeBytes(authResponse)
        } else {
            w.writeNullTerminated(authResponse)
        }
        if capabilities.contains(.connectWithDB) { w.writeNullTerminatedString(database ?? "") }
        if capabilities.contains(.pluginAuth) { w.writeNullTerminatedString(authPluginName ?? "") }
        if capabilities.contains(.connectAttributes) {
            var attributesWriter = MySQLPacketWriter()
            for (key, value) in attributes {
                attributesWriter.writeLengthEncodedString(key)
                attributesWriter.writeLengthEncodedString(value)
            }
            w.writeLengthEncodedBytes(attributesWriter.bytes)
        }
        if capabilities.contains(.zstdCompression) { w.writeUInt8(zstdLevel ?? 3) }
        return w.bytes
    }

    /// Decodes a full login packet (not an SSLRequest: see `MySQLSSLRequest.isSSLRequest`).
    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLHandshakeResponse41 {
        var r = MySQLPacketReader(payload)
        let capabilities = MySQLCapabilities(rawValue: try r.readUInt32("client capability flags"))
        guard capabilities.contains(.protocol41) else {
            throw .malformed(field: "client capability flags", reason: "pre-4.1 clients (no CLIENT_PROTOCOL_41) are not supported")
        }
        let maxPacketSize = try r.readUInt32("max packet size")
        let characterSet = try r.readUInt8("character set")
        try r.skip(23, "filler")
        let username = try r.readNullTerminatedString("user name")
        let authResponse: [UInt8]
        if capabilities.contains(.pluginAuthLengthEncodedClientData) {
            authResponse = try r.readLengthEncodedBytes("auth response")
        } else if capabilities.contains(.secureConnection) {
            let length = Int(try r.readUInt8("auth response length"))
            authResponse = try r.readBytes(length, "auth response")
        } else {
            authResponse = r.isAtEnd ? [] : try r.readNullTerminatedBytes("auth response")
        }
        var response = MySQLHandshakeResponse41(capabilities: capabilities, maxPacketSize: maxPacketSize,
                                                characterSet: characterSet, username: username, authResponse: authResponse)
        if capabilities.contains(.connectWithDB), !r.isAtEnd {
            let database = try r.readNullTerminatedString("database")
            response.database = database.isEmpty ? nil : database
        }
        if capabilities.contains(.pluginAuth), !r.isAtEnd {
            response.authPluginName = try r.readNullTerminatedString("auth plugin name")
        }
        if capabilities.contains(.connectAttributes), !r.isAtEnd {
            let block = try r.readLengthEncodedBytes("connection attributes")
            var attributesReader = MySQLPacketReader(block)
            while !attributesReader.isAtEnd {
                let key = try attributesReader.readLengthEncodedString("connection attribute name")
                let value = try attributesReader.readLengthEncodedString("connection attribute value")
                response.attributes.append((key, value))
            }
        }
        if capabilities.contains(.zstdCompression), !r.isAtEnd {
            response.zstdLevel = try r.readUInt8("zstd compression level")
        }
        return response
    }
}

/// The 32-byte packet a client sends instead of its login to start TLS.
public struct MySQLSSLRequest: Sendable, Equatable {
    public var capabilities: MySQLCapabilities
    public var maxPacketSize: UInt32
    public var characterSet: UInt8

    public init(capabilities: MySQLCapabilities, maxPacketSize: UInt32 = 16_777_216, characterSet: UInt8 = 45) {
        self.capabilities = capabilities.union(.ssl)
        self.maxPacketSize = maxPacketSize
        self.characterSet = characterSet
    }

    public static let length = 32

    /// True when a login-phase payload is an SSLRequest rather than a HandshakeResponse41.
    public static func isSSLRequest(_ payload: [UInt8]) -> Bool {
        guard payload.count == length else { return false }
        let flags = UInt32(payload[0]) | UInt32(payload[1]) << 8 | UInt32(payload[2]) << 16 | UInt32(payload[3]) << 24
        return MySQLCapabilities(rawValue: flags).contains(.ssl)
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 32)
        w.writeUInt32(capabilities.rawValue)
        w.writeUInt32(maxPacketSize)
        w.writeUInt8(characterSet)
        w.writeZeros(23)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLSSLRequest {
        var r = MySQLPacketReader(payload)
        let capabilities = MySQLCapabilities(rawValue: try r.readUInt32("client capability flags"))
        let maxPacketSize = try r.readUInt32("max packet size")
        let characterSet = try r.readUInt8("character set")
        return MySQLSSLRequest(capabilities: capabilities, maxPacketSize: maxPacketSize, characterSet: characterSet)
    }
}
