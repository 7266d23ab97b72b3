// Generic response packets.
//
//   OK   0x00 (0xFE when it ends a result set under CLIENT_DEPRECATE_EOF)
//        lenenc affected rows, lenenc last insert id, 2 status, 2 warnings,
//        info: lenenc string (+ lenenc session state with CLIENT_SESSION_TRACK).
//        The protocol documents the info as "rest of packet" without SESSION_TRACK, but
//        MySQL's server writes it length-encoded either way and libmariadb reads it so
//        (a bare string is "Received malformed packet" there); the decoder takes both.
//   ERR  0xFF, 2 error code, '#' + 5-byte SQLSTATE (CLIENT_PROTOCOL_41), message (rest)
//   EOF  0xFE, 2 warnings, 2 status — always shorter than 9 bytes, which is how a
//        reader tells it from a row or column count starting with 0xFE

/// An OK packet.
public struct MySQLOKPacket: Sendable, Equatable {
    public var affectedRows: UInt64
    public var lastInsertID: UInt64
    public var status: MySQLServerStatus
    public var warnings: UInt16
    public var info: String
    /// Raw session-state-change data (CLIENT_SESSION_TRACK with SESSION_STATE_CHANGED).
    public var sessionStateChanges: [UInt8]

    public init(affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: MySQLServerStatus, warnings: UInt16 = 0,
                info: String = "", sessionStateChanges: [UInt8] = []) {
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.status = status
        self.warnings = warnings
        self.info = info
        self.sessionStateChanges = sessionStateChanges
    }

    /// Encodes with header 0x00, or 0xFE as the end of a result set (`asEOF`).
    public func encode(capabilities: MySQLCapabilities, asEOF: Bool = false) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 16 + info.utf8.count)
        w.writeUInt8(asEOF ? 0xFE : 0x00)
        w.writeLengthEncodedInteger(affectedRows)
        w.writeLengthEncodedInteger(lastInsertID)
        if capabilities.contains(.protocol41) {
            w.writeUInt16(status.rawValue)
            w.writeUInt16(warnings)
        } else if capabilities.contains(.transactions) {
            w.writeUInt16(status.rawValue)
        }
        if !info.isEmpty || (capabilities.contains(.sessionTrack) && status.contains(.sessionStateChanged)) {
            w.writeLengthEncodedString(info)
        }
        if capabilities.contains(.sessionTrack), status.contains(.sessionStateChanged) {
            w.writeLengthEncodedBytes(sessionStateChanges)
        }
        return w.bytes
    }

    public static func decode(_ payload: [UInt8], capabilities: MySQLCapabilities) throws(MySQLWireError) -> MySQLOKPacket {
        var r = MySQLPacketReader(payload)
        let header = try r.readUInt8("OK header")
        guard header == 0x00 || header == 0xFE else { throw .malformed(field: "OK header", reason: "0x\(String(header, radix: 16))") }
        var ok = MySQLOKPacket(status: [])
        ok.affectedRows = try r.readLengthEncodedInteger("affected rows")
        ok.lastInsertID = try r.readLengthEncodedInteger("last insert id")
        if capabilities.contains(.protocol41) {
            ok.status = MySQLServerStatus(rawValue: try r.readUInt16("status flags"))
            ok.warnings = try r.readUInt16("warnings")
        } else if capabilities.contains(.transactions) {
            ok.status = MySQLServerStatus(rawValue: try r.readUInt16("status flags"))
        }
        if capabilities.contains(.sessionTrack) {
            if !r.isAtEnd { ok.info = try r.readLengthEncodedString("info") }
            if ok.status.contains(.sessionStateChanged), !r.isAtEnd {
                ok.sessionStateChanges = try r.readLengthEncodedBytes("session state changes")
            }
        } else if !r.isAtEnd {
            // Length-encoded when the length matches the rest exactly, else a bare string.
            var probe = r
            if let length = try? probe.readLengthEncodedInteger("info"), length == UInt64(probe.remaining) {
                ok.info = probe.readRestString()
            } else {
                ok.info = r.readRestString()
            }
        }
        return ok
    }
}

/// An ERR packet: what a MySQL client shows as `ERROR 1045 (28000): Access denied ...`.
public struct MySQLErrorPacket: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: UInt16
    public var sqlState: String
    public var message: String

    public init(code: UInt16, sqlState: String, message: String) {
        precondition(sqlState.utf8.count == 5, "SQLSTATE must be 5 characters, got '\(sqlState)'")
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    public static let header: UInt8 = 0xFF

    public func encode(capabilities: MySQLCapabilities = .protocol41) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 16 + message.utf8.count)
        w.writeUInt8(Self.header)
        w.writeUInt16(code)
        if capabilities.contains(.protocol41) {
            w.writeUInt8(UInt8(ascii: "#"))
            w.writeString(sqlState)
        }
        w.writeString(message)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLErrorPacket {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("ERR header") == header else { throw .malformed(field: "ERR header", reason: "not 0xFF") }
        let code = try r.readUInt16("error code")
        var sqlState = "HY000"
        if r.peekUInt8() == UInt8(ascii: "#"), r.remaining >= 6 {
            try r.skip(1, "SQLSTATE marker")
            sqlState = String(decoding: try r.readBytes(5, "SQLSTATE"), as: UTF8.self)
            if sqlState.utf8.count != 5 { sqlState = "HY000" }
        }
        return MySQLErrorPacket(code: code, sqlState: sqlState, message: r.readRestString())
    }

    public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }
}

/// A classic EOF packet (without CLIENT_DEPRECATE_EOF).
public struct MySQLEOFPacket: Sendable, Equatable {
    public var warnings: UInt16
    public var status: MySQLServerStatus

    public init(warnings: UInt16 = 0, status: MySQLServerStatus) {
        self.warnings = warnings
        self.status = status
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 5)
        w.writeUInt8(0xFE)
        w.writeUInt16(warnings)
        w.writeUInt16(status.rawValue)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLEOFPacket {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("EOF header") == 0xFE else { throw .malformed(field: "EOF header", reason: "not 0xFE") }
        if r.isAtEnd { return MySQLEOFPacket(status: []) }  // pre-4.1 EOF
        let warnings = try r.readUInt16("warnings")
        let status = MySQLServerStatus(rawValue: try r.readUInt16("status flags"))
        return MySQLEOFPacket(warnings: warnings, status: status)
    }

    /// True for a payload that is an EOF (or an OK-as-EOF) marker rather than data:
    /// header 0xFE and shorter than 9 bytes (classic), or shorter than 0xFFFFFF
    /// under CLIENT_DEPRECATE_EOF (a row can start with 0xFE only with an 8-byte length).
    public static func isEndOfData(_ payload: [UInt8], capabilities: MySQLCapabilities) -> Bool {
        guard payload.first == 0xFE else { return false }
        return capabilities.contains(.deprecateEOF) ? payload.count < 0xFF_FFFF : payload.count < 9
    }
}

/// How a client reads the first packet of a command's response.
public enum MySQLResponseKind: Sendable, Equatable {
    case ok, error, endOfData, localInfile, resultSet(columnCount: UInt64)

    /// Classifies a response payload (the first packet after a command).
    public static func classify(_ payload: [UInt8], capabilities: MySQLCapabilities) throws(MySQLWireError) -> MySQLResponseKind {
        guard let first = payload.first else { throw .truncated(field: "response header") }
        switch first {
        case 0x00: return .ok
        case 0xFF: return .error
        case 0xFB: return .localInfile
        case 0xFE where MySQLEOFPacket.isEndOfData(payload, capabilities: capabilities): return .endOfData
        default:
            var r = MySQLPacketReader(payload)
            return .resultSet(columnCount: try r.readLengthEncodedInteger("column count"))
        }
    }
}
