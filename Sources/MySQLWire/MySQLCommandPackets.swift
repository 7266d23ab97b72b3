// Simple command packets (client → server, sequence id 0).
//
//   COM_QUERY 0x03 / COM_INIT_DB 0x02      argument = rest of packet (raw bytes)
//   COM_FIELD_LIST 0x04                    NUL-str table, wildcard (rest)
//   COM_SET_OPTION 0x1B                    2 option (0 = MULTI_STATEMENTS_ON, 1 = OFF)
//   COM_PROCESS_KILL 0x0C                  4 connection id
//   COM_CHANGE_USER 0x11                   NUL-str user, auth response (1-byte length
//                                          with CLIENT_SECURE_CONNECTION, else NUL-str),
//                                          NUL-str database, [2 character set],
//                                          [NUL-str plugin (CLIENT_PLUGIN_AUTH)],
//                                          [lenenc attributes (CLIENT_CONNECT_ATTRS)]

/// A command with one byte-string argument: COM_QUERY, COM_INIT_DB, or none (COM_PING...).
public enum MySQLSimpleCommand {
    public static func encode(_ command: MySQLCommand, argument: some Collection<UInt8> = [UInt8]()) -> [UInt8] {
        var bytes: [UInt8] = [command.rawValue]
        bytes.reserveCapacity(1 + argument.count)
        bytes.append(contentsOf: argument)
        return bytes
    }

    /// The argument bytes after the command byte.
    public static func argument(of payload: [UInt8]) -> [UInt8] { Array(payload.dropFirst()) }
}

/// COM_FIELD_LIST.
public struct MySQLFieldListCommand: Sendable, Equatable {
    public var table: [UInt8]
    public var wildcard: [UInt8]

    public init(table: [UInt8], wildcard: [UInt8] = []) {
        self.table = table
        self.wildcard = wildcard
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter()
        w.writeUInt8(MySQLCommand.fieldList.rawValue)
        w.writeNullTerminated(table)
        w.writeBytes(wildcard)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLFieldListCommand {
        var r = MySQLPacketReader(payload, offset: 1)
        // libmariadb always sends the NUL; tolerate its absence like MySQL does.
        let table = r.bytes.dropFirst().contains(0) ? try r.readNullTerminatedBytes("table") : r.readRest()
        return MySQLFieldListCommand(table: table, wildcard: r.readRest())
    }
}

/// COM_SET_OPTION's argument.
public enum MySQLSetOption: UInt16, Sendable {
    case multiStatementsOn = 0
    case multiStatementsOff = 1

    public func encode() -> [UInt8] {
        [MySQLCommand.setOption.rawValue, UInt8(rawValue & 0xFF), UInt8(rawValue >> 8)]
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLSetOption {
        var r = MySQLPacketReader(payload, offset: 1)
        let raw = try r.readUInt16("option")
        guard let option = MySQLSetOption(rawValue: raw) else {
            throw .malformed(field: "option", reason: "unknown option \(raw)")
        }
        return option
    }
}

/// COM_CHANGE_USER.
public struct MySQLChangeUser: Sendable, Equatable {
    public var username: String
    public var authResponse: [UInt8]
    public var database: String?
    public var characterSet: UInt16?
    public var authPluginName: String?
    public var attributes: [String: String]

    public init(username: String, authResponse: [UInt8], database: String?, characterSet: UInt16?,
                authPluginName: String?, attributes: [String: String] = [:]) {
        self.username = username
        self.authResponse = authResponse
        self.database = database
        self.characterSet = characterSet
        self.authPluginName = authPluginName
        self.attributes = attributes
    }

    public func encode(capabilities: MySQLCapabilities) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 64)
        w.writeUInt8(MySQLCommand.changeUser.rawValue)
        w.writeNullTerminatedString(username)
        if capabilities.contains(.secureConnection) {
            precondition(authResponse.count <= 255, "auth response too long for COM_CHANGE_USER")
            w.writeUInt8(UInt8(authResponse.count))
            w.writeBytes(authResponse)
        } else {
            w.writeNullTerminated(authResponse)
        }
        w.writeNullTerminatedString(database ?? "")
        w.writeUInt16(characterSet ?? 45)
        if capabilities.contains(.pluginAuth) { w.writeNullTerminatedString(authPluginName ?? "") }
        if capabilities.contains(.connectAttributes) {
            var a = MySQLPacketWriter()
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
                a.writeLengthEncodedString(key)
                a.writeLengthEncodedString(value)
            }
            w.writeLengthEncodedBytes(a.bytes)
        }
        return w.bytes
    }

    public static func decode(_ payload: [UInt8], capabilities: MySQLCapabilities) throws(MySQLWireError) -> MySQLChangeUser {
        var r = MySQLPacketReader(payload, offset: 1)
        let username = try r.readNullTerminatedString("user name")
        let auth: [UInt8]
        if capabilities.contains(.secureConnection) {
            let length = Int(try r.readUInt8("auth response length"))
            auth = try r.readBytes(length, "auth response")
        } else {
            auth = try r.readNullTerminatedBytes("auth response")
        }
        let database = r.isAtEnd ? "" : try r.readNullTerminatedString("database")
        var change = MySQLChangeUser(username: username, authResponse: auth, database: database.isEmpty ? nil : database,
                                     characterSet: nil, authPluginName: nil)
        if r.remaining >= 2 { change.characterSet = try r.readUInt16("character set") }
        if capabilities.contains(.pluginAuth), !r.isAtEnd {
            change.authPluginName = try r.readNullTerminatedString("auth plugin name")
        }
        if capabilities.contains(.connectAttributes), !r.isAtEnd {
            var a = MySQLPacketReader(try r.readLengthEncodedBytes("connection attributes"))
            while !a.isAtEnd {
                let key = try a.readLengthEncodedString("connection attribute name")
                change.attributes[key] = try a.readLengthEncodedString("connection attribute value")
            }
        }
        return change
    }
}
