import MySQLWire

/// Turns text-protocol values (COM_QUERY rows) into the typed `MySQLValue`s that the
/// binary protocol carries, by column type, so both protocols give callers the same
/// values. Text that does not parse as its column type stays a string (MySQL sends
/// what it sends; a client does not crash on it).
enum MySQLTextValueDecoder {
    static func decodeRow(_ payload: [UInt8], columns: [MySQLColumnDefinition]) throws(MySQLWireError) -> [MySQLValue] {
        var reader = MySQLPacketReader(payload)
        var values: [MySQLValue] = []
        values.reserveCapacity(columns.count)
        for column in columns {
            guard let bytes = try reader.readLengthEncodedBytesOrNull("text row value") else {
                values.append(.null)
                continue
            }
            values.append(decode(bytes, column: column))
        }
        guard reader.isAtEnd else {
            throw .malformed(field: "text row", reason: "\(reader.remaining) bytes after the last column")
        }
        return values
    }

    static func decode(_ bytes: [UInt8], column: MySQLColumnDefinition) -> MySQLValue {
        let isBinary = column.characterSet == UInt16(MySQLCharacterSet.binary)
        switch column.type {
        case .tiny, .short, .long, .int24, .longlong, .year:
            let text = String(decoding: bytes, as: UTF8.self)
            if column.isUnsigned || column.type == .year, let value = UInt64(text) { return .uint(value) }
            if let value = Int64(text) { return .int(value) }
            return .string(bytes)
        case .float:
            return Float(String(decoding: bytes, as: UTF8.self)).map(MySQLValue.float) ?? .string(bytes)
        case .double:
            return Double(String(decoding: bytes, as: UTF8.self)).map(MySQLValue.double) ?? .string(bytes)
        case .decimal, .newdecimal:
            return .decimal(String(decoding: bytes, as: UTF8.self))
        case .date, .newdate:
            guard let p = MySQLTemporalText.parseDateTime(bytes) else { return .string(bytes) }
            return .date(year: p.y, month: p.mo, day: p.d)
        case .datetime, .timestamp, .datetime2, .timestamp2:
            guard let p = MySQLTemporalText.parseDateTime(bytes) else { return .string(bytes) }
            return .datetime(year: p.y, month: p.mo, day: p.d, hour: p.h, minute: p.mi, second: p.s, microsecond: p.us)
        case .time, .time2:
            return parseTime(bytes) ?? .string(bytes)
        case .bit, .geometry, .vector:
            return .bytes(bytes)
        case .null:
            return .null
        default:
            return isBinary ? .bytes(bytes) : .string(bytes)
        }
    }

    /// '[-]H+:MM:SS[.ffffff]'.
    static func parseTime(_ bytes: [UInt8]) -> MySQLValue? {
        var text = Substring(String(decoding: bytes, as: UTF8.self))
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var micro = 0
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...]
            guard fraction.count <= 6, let value = Int(fraction) else { return nil }
            micro = value
            for _ in fraction.count..<6 { micro *= 10 }
            text = text[..<dot]
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
              h >= 0, (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return .time(negative: negative, hours: h, minutes: m, seconds: s, microseconds: micro)
    }
}
