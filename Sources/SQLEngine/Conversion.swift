/// Storing a value into a column: MySQL's conversions and range checks. In strict mode
/// (STRICT_TRANS_TABLES) bad values are errors 1264/1366/1406/1292/1265; otherwise the value is
/// clipped and a warning recorded.
func convertToColumn(_ value: Value, _ column: ColumnSchema, strict: Bool, row: Int, warn: ((UInt16, String) -> Void)?) throws -> Value {
    if case .null = value { return .null }
    let t = column.type
    var v = value
    if case .json(let j) = value, t.base != .json {
        // a JSON value stored elsewhere: numbers (and booleans) as numbers, a string scalar as its
        // text in temporal columns, the JSON text (quotes and all) in string columns
        if [.tinyint, .smallint, .mediumint, .int, .bigint, .decimal, .float, .double, .bit, .year].contains(t.base) {
            v = j.numericValue
        } else if t.isTemporal, j.root.type == JSONBinary.TypeCode.string, let s = try? j.root.stringBytes() {
            v = .text(Array(s))
        } else {
            v = .text(j.text)
        }
    }
    let name = column.name
    func outOfRange(_ clipped: Value) throws -> Value {
        if strict { throw SQLError.outOfRange(name, row: row) }
        warn?(1264, "Out of range value for column '\(name)' at row \(row)")
        return clipped
    }
    func incorrect(_ kind: String, _ fallback: Value) throws -> Value {
        let text = String(decoding: v.textBytes.prefix(64), as: UTF8.self)
        if strict { throw SQLError.incorrectValue(type: kind, value: text, column: name, row: row) }
        warn?(1366, "Incorrect \(kind) value: '\(text)' for column '\(name)' at row \(row)")
        return fallback
    }
    switch t.base {
    case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
        var n: Int128
        switch v {
        case .int(let i): n = Int128(i)
        case .uint(let u): n = Int128(u)
        case .double(let d):
            if d.isNaN { return try incorrect("integer", .int(0)) }
            let r = d.rounded(.toNearestOrAwayFromZero)
            n = r >= 1.7e38 ? Int128.max : (r <= -1.7e38 ? Int128.min : Int128(r))
        case .decimal(let d): n = d.roundedInt128
        case .text(let b), .binary(let b):
            if t.base == .bit {  // MySQL: a string stored in BIT is its bytes, big-endian (dumps send '\xA5')
                n = Int128(b.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
                break
            }
            if !isWholeNumber(b) {
                let (s, e, _) = numericPrefix(b)
                if t.base == .year, b.isEmpty { n = 0; break }
                let fallback = s == e ? Int128(0) : Int128(parseDoublePrefix(b).rounded(.toNearestOrAwayFromZero))
                let r = try incorrect("integer", .int(Int64(clamping: fallback)))
                n = Int128(r.int64Value)
            } else {
                let (s, e, isInt) = numericPrefix(b)
                if isInt, let i = Int128(String(decoding: b[s..<e], as: UTF8.self)) { n = i }
                else { n = Int128(parseDoublePrefix(b).rounded(.toNearestOrAwayFromZero)) }
            }
        case .date(let p): n = Int128(DateTimeValue(packed: p).dateNumber)
        case .datetime(let p): n = Int128(Int64(DateTimeValue(packed: p).numberValue))
        case .time(let us): n = Int128(Int64(timeNumber(us)))
        case .json: n = Int128(v.int64Value)   // made numeric above; not reached
        case .null: return .null
        }
        if t.base == .year {
            if n == 0 {
                if case .text = v { return .uint(2000) }
                return .uint(0)
            }
            if n > 0 && n < 70 { n += 2000 } else if n >= 70 && n < 100 { n += 1900 }
            if n < 1901 || n > 2155 { return try outOfRange(.uint(0)) }
            return .uint(UInt64(n))
        }
        let (lo, hi) = t.integerRange
        if n < Int128(lo) { return try outOfRange(t.unsigned || t.base == .bit ? .uint(UInt64(max(lo, 0))) : .int(lo)) }
        if n > Int128(hi) { return try outOfRange(t.unsigned || t.base == .bit ? .uint(hi) : .int(Int64(hi))) }
        return t.unsigned || t.base == .bit ? .uint(UInt64(n)) : .int(Int64(n))
    case .decimal:
        let scale = t.scale ?? 0
        let precision = t.length ?? 10
        var d: SQLDecimal
        switch v {
        case .text(let b), .binary(let b):
            if !isWholeNumber(b) {
                d = try incorrect("decimal", .decimal(parseDecimalPrefix(b))).decimalValue
            } else {
                d = parseDecimalPrefix(b)
            }
        case .double(let x):
            guard let dd = SQLDecimal(x) else { return try outOfRange(.decimal(maxDecimal(precision, scale, negative: x < 0))) }
            d = dd
        default: d = v.decimalValue
        }
        d = d.rescaled(to: scale)
        // d.scale differs when the column's scale would need more than 65 digits
        if d.scale != scale || !d.fits(precision: precision) {
            return try outOfRange(.decimal(maxDecimal(precision, scale, negative: d.isNegative)))
        }
        if t.unsigned && d.isNegative { return try outOfRange(.decimal(SQLDecimal(mantissa: 0, scale: scale))) }
        return .decimal(d)
    case .float, .double:
        var d: Double
        switch v {
        case .text(let b), .binary(let b):
            d = parseDoublePrefix(b)
            if !isWholeNumber(b) { d = try incorrect("double", .double(d)).doubleValue }
        default: d = v.doubleValue
        }
        if t.base == .float {
            if abs(d) > Double(Float.greatestFiniteMagnitude) { return try outOfRange(.double(d < 0 ? -Double(Float.greatestFiniteMagnitude) : Double(Float.greatestFiniteMagnitude))) }
            d = Double(Float(d))
        }
        if let s = t.scale, let l = t.length {
            let f = pow(10.0, s)
            d = (d * f).rounded() / f
            let maxValue = pow(10.0, l - s) - 1 / f
            if abs(d) > maxValue { return try outOfRange(.double(d < 0 ? -maxValue : maxValue)) }
        }
        if t.unsigned && d < 0 { return try outOfRange(.double(0)) }
        return .double(d)
    case .char, .varchar, .tinytext, .text, .mediumtext, .longtext:
        var b = v.textBytes
        let limit = t.maxLength
        if b.count > limit || characterCount(b) > limit {
            let truncated = truncateCharacters(b, limit)
            if truncated.count != b.count {
                // trailing spaces may be cut silently
                if !b[truncated.count...].allSatisfy({ $0 == 32 }) {
                    if strict { throw SQLError.dataTooLong(name, row: row) }
                    warn?(1265, "Data truncated for column '\(name)' at row \(row)")
                }
                b = truncated
            }
        }
        if t.base == .char { while b.last == 32 { b.removeLast() } }
        if let bad = t.collation.unrepresentable(b) {
            // MySQL: 1366 in strict mode, otherwise the character becomes '?'
            let shown = bad.map { "\\x" + String($0, radix: 16, uppercase: true) }.joined()
            if strict {
                throw SQLError(code: 1366, sqlState: "HY000", message: "Incorrect string value: '\(shown)' for column '\(name)' at row \(row)")
            }
            warn?(1366, "Incorrect string value: '\(shown)' for column '\(name)' at row \(row)")
            b = t.collation.replacingUnrepresentable(b)
        }
        return .text(b)
    case .binary, .varbinary, .tinyblob, .blob, .mediumblob, .longblob:
        var b = v.textBytes
        let limit = t.maxLength
        if b.count > limit {
            if strict { throw SQLError.dataTooLong(name, row: row) }
            warn?(1265, "Data truncated for column '\(name)' at row \(row)")
            b = Array(b.prefix(limit))
        }
        if t.base == .binary && b.count < limit { b += [UInt8](repeating: 0, count: limit - b.count) }
        return .binary(b)
    case .date, .datetime, .timestamp:
        let packed: Int64?
        switch v {
        case .date(let p), .datetime(let p): packed = p
        case .time: packed = nil
        case .int, .uint, .decimal, .double:
            let n = v.int64Value
            packed = n == 0 ? DateTimeValue(year: 0, month: 0, day: 0).packed : DateTimeValue.parse(Array(String(n).utf8))?.packed
        default: packed = DateTimeValue.parse(v.textBytes)?.packed
        }
        guard var p = packed else {
            let text = v.textString
            let kind = t.base == .date ? "date" : "datetime"
            if strict { throw SQLError(code: 1292, sqlState: "22007", message: "Incorrect \(kind) value: '\(text)' for column '\(name)' at row \(row)") }
            warn?(1265, "Data truncated for column '\(name)' at row \(row)")
            return t.base == .date ? .date(DateTimeValue(year: 0, month: 0, day: 0).packed) : .datetime(DateTimeValue(year: 0, month: 0, day: 0).packed)
        }
        if t.base == .date { return .date(DateTimeValue(packed: p).dateOnly.packed) }
        p = roundFraction(p, t.fsp)
        return .datetime(p)
    case .time:
        switch v {
        case .time(let us): return .time(us)
        case .datetime(let p), .date(let p):
            let d = DateTimeValue(packed: p)
            return .time(d.secondsOfDay * microsPerSecond + Int64(d.microsecond))
        case .int, .uint, .decimal, .double:
            guard let us = timeFromNumber(v) else { return try incorrect("time", .time(0)) }
            return .time(us)
        default:
            guard let us = parseTime(v.textBytes) else {
                if strict { throw SQLError(code: 1292, sqlState: "22007", message: "Incorrect time value: '\(v.textString)' for column '\(name)' at row \(row)") }
                warn?(1265, "Data truncated for column '\(name)' at row \(row)")
                return .time(0)
            }
            return .time(us)
        }
    case .enumeration:
        if case .int = v, let i = Optional(v.int64Value), i >= 1, i <= t.values.count { return .text(Array(t.values[Int(i) - 1].utf8)) }
        if case .uint(let u) = v, u >= 1, u <= UInt64(t.values.count) { return .text(Array(t.values[Int(u) - 1].utf8)) }
        let b = v.textBytes
        if let m = t.values.first(where: { Collation.general.equal(Array($0.utf8), b) }) { return .text(Array(m.utf8)) }
        if strict { throw SQLError(code: 1265, sqlState: "01000", message: "Data truncated for column '\(name)' at row \(row)") }
        warn?(1265, "Data truncated for column '\(name)' at row \(row)")
        return .text([])
    case .set:
        let parts = v.textBytes.split(separator: 44).map { Array($0) }
        var chosen: [String] = []
        for p in parts {
            guard let m = t.values.first(where: { Collation.general.equal(Array($0.utf8), p) }) else {
                if strict { throw SQLError(code: 1265, sqlState: "01000", message: "Data truncated for column '\(name)' at row \(row)") }
                continue
            }
            if !chosen.contains(m) { chosen.append(m) }
        }
        chosen.sort { (t.values.firstIndex(of: $0) ?? 0) < (t.values.firstIndex(of: $1) ?? 0) }
        return .text(Array(chosen.joined(separator: ",").utf8))
    case .json:
        switch v {
        case .json: return v
        case .int, .uint, .double, .decimal: return .json(try JSONBinary(jsonValue(v, .text)))
        default:
            guard let doc = JSONDocument(parsing: v.textBytes) else {
                throw SQLError(code: 3140, sqlState: "22032", message: "Invalid JSON text: \"Invalid value.\" at position 0 in value for column '\(column.name)'.")
            }
            return .json(try JSONBinary(doc))
        }
    }
}

func maxDecimal(_ precision: Int, _ scale: Int, negative: Bool) -> SQLDecimal {
    let m = SQLDecimal.maxMantissa(precision: precision)
    return SQLDecimal(mantissa: negative ? -m : m, scale: scale)
}
