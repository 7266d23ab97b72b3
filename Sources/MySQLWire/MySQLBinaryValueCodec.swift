// Values in the binary protocol (COM_STMT_EXECUTE parameters, binary result rows).
//
//   type                          bytes
//   TINY                          1            SHORT, YEAR          2
//   LONG, INT24                   4            LONGLONG             8
//   FLOAT                         4 (IEEE)     DOUBLE               8 (IEEE)
//   DECIMAL, NEWDECIMAL           lenenc text  strings, blobs, BIT  lenenc bytes
//   DATE, DATETIME, TIMESTAMP     1 length (0, 4, 7, 11) then year 2, month 1, day 1,
//                                 hour 1, minute 1, second 1, microsecond 4
//   TIME                          1 length (0, 8, 12) then negative 1, days 4, hours 1,
//                                 minutes 1, seconds 1, microsecond 4
//   NULL                          nothing (the NULL bitmap says so)
//
// Encoding takes the column's declared type and converts the value to it; decoding
// never trusts a length byte beyond what the payload holds.

/// Encodes and decodes single binary-protocol values.
public enum MySQLBinaryValueCodec {
    /// Appends `value` encoded as `type` (`value` must not be `.null`: NULLs live in the bitmap).
    public static func encode(_ value: MySQLValue, as type: MySQLFieldType, into w: inout MySQLPacketWriter) {
        switch type {
        case .tiny: w.writeFixed(integerBits(value), 1)
        case .short, .year: w.writeFixed(integerBits(value), 2)
        case .long, .int24: w.writeFixed(integerBits(value), 4)
        case .longlong: w.writeFixed(integerBits(value), 8)
        case .float: w.writeUInt32(Float(doubleValue(value)).bitPattern)
        case .double: w.writeUInt64(doubleValue(value).bitPattern)
        case .date, .datetime, .timestamp, .newdate, .datetime2, .timestamp2:
            encodeDateTime(value, dateOnly: type == .date || type == .newdate, into: &w)
        case .time, .time2: encodeTime(value, into: &w)
        case .null: break
        default: w.writeLengthEncodedBytes(textBytes(value))
        }
    }

    /// Reads one value of `type`; strings of `binaryCharset` become `.bytes`.
    public static func decode(_ type: MySQLFieldType, isUnsigned: Bool, binaryCharset: Bool,
                              from r: inout MySQLPacketReader) throws(MySQLWireError) -> MySQLValue {
        switch type {
        case .null: return .null
        case .tiny:
            let raw = try r.readUInt8("TINY value")
            return isUnsigned ? .uint(UInt64(raw)) : .int(Int64(Int8(bitPattern: raw)))
        case .short, .year:
            let raw = try r.readUInt16("SHORT value")
            return isUnsigned || type == .year ? .uint(UInt64(raw)) : .int(Int64(Int16(bitPattern: raw)))
        case .long, .int24:
            let raw = try r.readUInt32("LONG value")
            return isUnsigned ? .uint(UInt64(raw)) : .int(Int64(Int32(bitPattern: raw)))
        case .longlong:
            let raw = try r.readUInt64("LONGLONG value")
            return isUnsigned ? .uint(raw) : .int(Int64(bitPattern: raw))
        case .float: return .float(Float(bitPattern: try r.readUInt32("FLOAT value")))
        case .double: return .double(Double(bitPattern: try r.readUInt64("DOUBLE value")))
        case .decimal, .newdecimal:
            let text = try r.readLengthEncodedBytes("DECIMAL value")
            guard isDecimalText(text) else { throw .malformed(field: "DECIMAL value", reason: "not a decimal number") }
            return .decimal(String(decoding: text, as: UTF8.self))
        case .date, .newdate, .datetime, .timestamp, .datetime2, .timestamp2:
            return try decodeDateTime(dateOnly: type == .date || type == .newdate, from: &r)
        case .time, .time2: return try decodeTime(from: &r)
        case .tinyBlob, .mediumBlob, .longBlob, .blob, .geometry, .bit, .vector:
            let bytes = try r.readLengthEncodedBytes("\(type) value")
            return binaryCharset || type == .bit || type == .geometry || type == .vector ? .bytes(bytes) : .string(bytes)
        case .varchar, .varString, .string, .enumType, .set, .json:
            let bytes = try r.readLengthEncodedBytes("\(type) value")
            return binaryCharset ? .bytes(bytes) : .string(bytes)
        }
    }

    // MARK: - conversions used when a value's case differs from the column type

    private static func integerBits(_ value: MySQLValue) -> UInt64 {
        switch value {
        case .int(let v): UInt64(bitPattern: v)
        case .uint(let v): v
        case .float(let v): UInt64(bitPattern: clampedInt64(Double(v)))
        case .double(let v): UInt64(bitPattern: clampedInt64(v))
        case .decimal(let text): UInt64(bitPattern: clampedInt64(Double(text) ?? 0))
        case .string(let b), .bytes(let b): integerBits(text: String(decoding: b, as: UTF8.self))
        case .date(let y, _, _), .datetime(let y, _, _, _, _, _, _): UInt64(y)
        case .time(let negative, let h, let m, let s, _):
            UInt64(bitPattern: Int64((negative ? -1 : 1) * (h * 10000 + m * 100 + s)))
        case .null: 0
        }
    }

    private static func integerBits(text: String) -> UInt64 {
        if let v = Int64(text) { return UInt64(bitPattern: v) }
        if let v = UInt64(text) { return v }
        return UInt64(bitPattern: clampedInt64(Double(text) ?? 0))
    }

    private static func clampedInt64(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        if value >= 9.2233720368547758e18 { return .max }
        if value <= -9.2233720368547758e18 { return .min }
        return Int64(value.rounded())
    }

    private static func doubleValue(_ value: MySQLValue) -> Double {
        switch value {
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        case .decimal(let text): Double(text) ?? 0
        case .string(let b), .bytes(let b): Double(String(decoding: b, as: UTF8.self)) ?? 0
        default: Double(integerBits(value))
        }
    }

    /// The text form of a value for length-encoded types.
    static func textBytes(_ value: MySQLValue) -> [UInt8] {
        switch value {
        case .null: []
        case .int(let v): Array(String(v).utf8)
        case .uint(let v): Array(String(v).utf8)
        case .float(let v): Array("\(v)".utf8)
        case .double(let v): Array("\(v)".utf8)
        case .decimal(let text): Array(text.utf8)
        case .string(let b), .bytes(let b): b
        case .date(let y, let m, let d): Array(MySQLTemporalText.date(year: y, month: m, day: d).utf8)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            Array(MySQLTemporalText.datetime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us).utf8)
        case .time(let negative, let h, let m, let s, let us):
            Array(MySQLTemporalText.time(negative: negative, hours: h, minutes: m, seconds: s, microseconds: us).utf8)
        }
    }

    private static func isDecimalText(_ text: [UInt8]) -> Bool {
        var digits = 0
        for (i, c) in text.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"): if i != 0 { return false }
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return false
            }
        }
        return digits > 0
    }

    // MARK: - temporal values

    private static func encodeDateTime(_ value: MySQLValue, dateOnly: Bool, into w: inout MySQLPacketWriter) {
        var parts = (y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, us: 0)
        switch value {
        case .date(let y, let m, let d): parts = (y, m, d, 0, 0, 0, 0)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us): parts = (y, mo, d, h, mi, s, us)
        case .string(let b), .bytes(let b):
            if let p = MySQLTemporalText.parseDateTime(b) { parts = p }
        default: break
        }
        if dateOnly { (parts.h, parts.mi, parts.s, parts.us) = (0, 0, 0, 0) }
        let length: UInt8 = parts.us != 0 ? 11 : (parts.h | parts.mi | parts.s) != 0 ? 7
            : (parts.y | parts.mo | parts.d) != 0 ? 4 : 0
        w.writeUInt8(length)
        guard length > 0 else { return }
        w.writeUInt16(UInt16(truncatingIfNeeded: parts.y))
        w.writeUInt8(UInt8(truncatingIfNeeded: parts.mo))
        w.writeUInt8(UInt8(truncatingIfNeeded: parts.d))
        guard length > 4 else { return }
        w.writeUInt8(UInt8(truncatingIfNeeded: parts.h))
        w.writeUInt8(UInt8(truncatingIfNeeded: parts.mi))
        w.writeUInt8(UInt8(truncatingIfNeeded: parts.s))
        guard length > 7 else { return }
        w.writeUInt32(UInt32(truncatingIfNeeded: parts.us))
    }

    private static func encodeTime(_ value: MySQLValue, into w: inout MySQLPacketWriter) {
        var negative = false, hours = 0, minutes = 0, seconds = 0, micro = 0
        switch value {
        case .time(let n, let h, let m, let s, let us): (negative, hours, minutes, seconds, micro) = (n, h, m, s, us)
        case .datetime(_, _, _, let h, let m, let s, let us): (hours, minutes, seconds, micro) = (h, m, s, us)
        default: break
        }
        let length: UInt8 = micro != 0 ? 12 : (hours | minutes | seconds) != 0 ? 8 : 0
        w.writeUInt8(length)
        guard length > 0 else { return }
        w.writeUInt8(negative ? 1 : 0)
        w.writeUInt32(UInt32(truncatingIfNeeded: hours / 24))
        w.writeUInt8(UInt8(truncatingIfNeeded: hours % 24))
        w.writeUInt8(UInt8(truncatingIfNeeded: minutes))
        w.writeUInt8(UInt8(truncatingIfNeeded: seconds))
        if length == 12 { w.writeUInt32(UInt32(truncatingIfNeeded: micro)) }
    }

    private static func decodeDateTime(dateOnly: Bool, from r: inout MySQLPacketReader) throws(MySQLWireError) -> MySQLValue {
        let length = try r.readUInt8("DATETIME length")
        guard [0, 4, 7, 11].contains(length) else {
            throw .malformed(field: "DATETIME length", reason: "\(length) is not 0, 4, 7 or 11")
        }
        var y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, us = 0
        if length >= 4 {
            y = Int(try r.readUInt16("year"))
            mo = Int(try r.readUInt8("month"))
            d = Int(try r.readUInt8("day"))
        }
        if length >= 7 {
            h = Int(try r.readUInt8("hour"))
            mi = Int(try r.readUInt8("minute"))
            s = Int(try r.readUInt8("second"))
        }
        if length == 11 { us = Int(try r.readUInt32("microsecond")) }
        guard mo <= 12, d <= 31, h <= 23, mi <= 59, s <= 59, us <= 999_999 else {
            throw .malformed(field: "DATETIME value", reason: "field out of range")
        }
        return dateOnly ? .date(year: y, month: mo, day: d)
            : .datetime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
    }

    private static func decodeTime(from r: inout MySQLPacketReader) throws(MySQLWireError) -> MySQLValue {
        let length = try r.readUInt8("TIME length")
        guard [0, 8, 12].contains(length) else { throw .malformed(field: "TIME length", reason: "\(length) is not 0, 8 or 12") }
        guard length > 0 else { return .time(negative: false, hours: 0, minutes: 0, seconds: 0, microseconds: 0) }
        let negative = try r.readUInt8("TIME sign") != 0
        let days = try r.readUInt32("TIME days")
        let hours = Int(try r.readUInt8("TIME hours"))
        let minutes = Int(try r.readUInt8("TIME minutes"))
        let seconds = Int(try r.readUInt8("TIME seconds"))
        let micro = length == 12 ? Int(try r.readUInt32("TIME microseconds")) : 0
        guard hours <= 23, minutes <= 59, seconds <= 59, micro <= 999_999 else {
            throw .malformed(field: "TIME value", reason: "field out of range")
        }
        // Beyond TIME's range MySQL's server takes 838:59:59 (sql_prepare.cc, set_param_time);
        // (mysql-connector-python sends a negative timedelta's days and seconds as they are:
        // -838:59:59 arrives as -(35 days 01:00:01).)
        if Int(days) * 24 + hours > 838 {
            return .time(negative: negative, hours: 838, minutes: 59, seconds: 59, microseconds: micro)
        }
        return .time(negative: negative, hours: Int(days) * 24 + hours, minutes: minutes, seconds: seconds, microseconds: micro)
    }
}
