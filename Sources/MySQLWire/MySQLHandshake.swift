// Initial handshake packet, protocol version 10 (server → client, sequence id 0).
//
//   size        field
//   1           protocol version = 10
//   NUL-str     server version ("8.0.40-onebox-0.1")
//   4           connection id
//   8           auth-plugin-data part 1 (nonce bytes 0..<8)
//   1           filler 0x00
//   2           capability flags, low 16 bits
//   1           character set (collation id)
//   2           status flags
//   2           capability flags, high 16 bits
//   1           length of auth-plugin-data (nonce + NUL = 21), or 0
//   6           reserved zeros
//   4           MariaDB extended capabilities when CLIENT_LONG_PASSWORD is clear, else zeros
//   max(13,L-8) auth-plugin-data part 2 (nonce bytes 8..<20 and a NUL)
//   NUL-str     auth plugin name (when CLIENT_PLUGIN_AUTH)
//
// Invariant: the nonce is 20 bytes without NUL bytes; decoders strip the trailing NUL.

/// The server's greeting.
public struct MySQLHandshakeV10: Sendable, Equatable {
    public var protocolVersion: UInt8 = 10
    public var serverVersion: String
    public var connectionID: UInt32
    /// The scramble / nonce (20 bytes from onebox and MySQL).
    public var nonce: [UInt8]
    public var capabilities: MySQLCapabilities
    public var characterSet: UInt8
    public var status: MySQLServerStatus
    public var authPluginName: String
    /// MariaDB's extended capability word (0 from MySQL and onebox).
    public var mariaDBExtendedCapabilities: UInt32 = 0

    public init(serverVersion: String, connectionID: UInt32, nonce: [UInt8], capabilities: MySQLCapabilities,
                characterSet: UInt8, status: MySQLServerStatus, authPluginName: String) {
        self.serverVersion = serverVersion
        self.connectionID = connectionID
        self.nonce = nonce
        self.capabilities = capabilities
        self.characterSet = characterSet
        self.status = status
        self.authPluginName = authPluginName
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 96)
        w.writeUInt8(protocolVersion)
        w.writeNullTerminatedString(serverVersion)
        w.writeUInt32(connectionID)
        let part1 = nonce.prefix(8)
        w.writeBytes(part1)
        w.writeZeros(8 - part1.count)
        w.writeUInt8(0)
        w.writeUInt16(UInt16(truncatingIfNeeded: capabilities.rawValue))
        w.writeUInt8(characterSet)
        w.writeUInt16(status.rawValue)
        w.writeUInt16(UInt16(truncatingIfNeeded: capabilities.rawValue >> 16))
        w.writeUInt8(capabilities.contains(.pluginAuth) ? UInt8(truncatingIfNeeded: nonce.count + 1) : 0)
        w.writeZeros(6)
        w.writeUInt32(capabilities.contains(.longPassword) ? 0 : mariaDBExtendedCapabilities)
        if capabilities.contains(.secureConnection) {
            let part2 = Array(nonce.dropFirst(8))
            w.writeBytes(part2)
            w.writeZeros(max(13, part2.count + 1) - part2.count)
        }
        if capabilities.contains(.pluginAuth) { w.writeNullTerminatedString(authPluginName) }
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLHandshakeV10 {
        var r = MySQLPacketReader(payload)
        let version = try r.readUInt8("protocol version")
        guard version == 10 else {
            throw .malformed(field: "protocol version", reason: "\(version) is not 10 (0xFF is an ERR packet)")
        }
        let serverVersion = try r.readNullTerminatedString("server version")
        let connectionID = try r.readUInt32("connection id")
        var nonce = try r.readBytes(8, "auth-plugin-data part 1")
        try r.skip(1, "filler")
        var capabilities = MySQLCapabilities(rawValue: UInt32(try r.readUInt16("capability flags")))
        var handshake = MySQLHandshakeV10(serverVersion: serverVersion, connectionID: connectionID, nonce: nonce,
                                          capabilities: capabilities, characterSet: 0, status: [], authPluginName: "")
        guard !r.isAtEnd else { return handshake }
        handshake.characterSet = try r.readUInt8("character set")
        handshake.status = MySQLServerStatus(rawValue: try r.readUInt16("status flags"))
        capabilities.rawValue |= UInt32(try r.readUInt16("capability flags (upper)")) << 16
        handshake.capabilities = capabilities
        let dataLength = Int(try r.readUInt8("auth-plugin-data length"))
        try r.skip(6, "reserved")
        let extended = try r.readUInt32("reserved / MariaDB capabilities")
        if !capabilities.contains(.longPassword) { handshake.mariaDBExtendedCapabilities = extended }
        if capabilities.contains(.secureConnection) {
            let length = max(13, dataLength - 8)
            var part2 = try r.readBytes(min(length, r.remaining), "auth-plugin-data part 2")
            if part2.last == 0 { part2.removeLast() }
            nonce += part2
        }
        handshake.nonce = nonce
        if capabilities.contains(.pluginAuth), !r.isAtEnd {
            // Some servers omit the final NUL (MySQL bug #59453): read to the end then.
            var rest = r.readRest()
            if let nul = rest.firstIndex(of: 0) { rest = Array(rest[..<nul]) }
            handshake.authPluginName = String(decoding: rest, as: UTF8.self)
        }
        return handshake
    }
}
