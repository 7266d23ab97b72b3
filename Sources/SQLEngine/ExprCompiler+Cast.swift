/// CAST / CONVERT to a type.
extension ExprCompiler {
    func compileCast(_ x: Compiled, _ target: CastTarget) throws -> Compiled {
        let ctx = self.ctx
        switch target {
        case .signed:
            return derive([x], .int) { row in
                let v = try x.eval(row)
                switch v {
                case .null: return .null
                case .uint(let u): return .int(Int64(bitPattern: u))
                case .text(let b), .binary(let b):
                    let (s, e, isInt) = numericPrefix(b)
                    if s == e { if !b.isEmpty { ctx.warn(1292, "Truncated incorrect INTEGER value: '\(String(decoding: b, as: UTF8.self))'") }; return .int(0) }
                    if isInt, let i = Int64(String(decoding: b[s..<e], as: UTF8.self)) { return .int(i) }
                    if isInt, let u = UInt64(String(decoding: b[s..<e], as: UTF8.self)) { return .int(Int64(bitPattern: u)) }
                    return .int(doubleToInt64(parseDoublePrefix(b).rounded(.towardZero)))
                default: return .int(Arithmetic.asInteger(v).int64Value)
                }
            }
        case .unsigned:
            return derive([x], ExprType(.uint, length: 20)) { row in
                let v = try x.eval(row)
                switch v {
                case .null: return .null
                case .int(let i): return .uint(UInt64(bitPattern: i))
                case .uint: return v
                case .double(let d):
                    if d < 0 { return .uint(UInt64(bitPattern: doubleToInt64(d.rounded(.toNearestOrAwayFromZero)))) }
                    return .uint(d >= 1.8446744073709552e19 ? UInt64.max : UInt64(d.rounded(.toNearestOrAwayFromZero)))
                case .decimal(let d):
                    let r = d.roundedInt128
                    return .uint(r < 0 ? UInt64(bitPattern: Int64(clamping: r)) : UInt64(clamping: r))
                case .text(let b), .binary(let b):
                    let (s, e, isInt) = numericPrefix(b)
                    if s == e { return .uint(0) }
                    let str = String(decoding: b[s..<e], as: UTF8.self)
                    if isInt, let u = UInt64(str) { return .uint(u) }
                    if isInt, let i = Int64(str) { return .uint(UInt64(bitPattern: i)) }
                    return .uint(UInt64(clamping: Int64(parseDoublePrefix(b))))
                default: return .uint(UInt64(bitPattern: Arithmetic.asInteger(v).int64Value))
                }
            }
        case .decimal(let p, let s):
            let maxMantissa = SQLDecimal.maxMantissa(precision: p)
            return derive([x], ExprType(.decimal, scale: s, length: p + 2)) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                var d = v.decimalValue.rescaled(to: s)
                if d.scale != s || d.mantissa.magnitude > maxMantissa {
                    d = SQLDecimal(mantissa: d.isNegative ? -maxMantissa : maxMantissa, scale: s)
                }
                return .decimal(d)
            }
        case .double, .float:
            let isFloat: Bool = { if case .float = target { return true }; return false }()
            return derive([x], .double) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                return .double(isFloat ? Double(Float(v.doubleValue)) : v.doubleValue)
            }
        case .char(let n, let charset):
            let binary = charset?.lowercased() == "binary"
            return derive([x], ExprType(binary ? .binary : .text, length: n ?? x.type.length)) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                var b = v.textBytes
                if let n { b = truncateCharacters(b, n) }
                return binary ? .binary(b) : .text(b)
            }
        case .binary(let n):
            let singleByte = x.type.isSingleByteText
            return derive([x], ExprType(.binary, length: n ?? x.type.length)) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                var b = v.textBytes
                if singleByte, case .text = v { b = singleByteCharsetBytes(b) }
                if let n {
                    if b.count > n { b = Array(b.prefix(n)) } else if b.count < n { b += [UInt8](repeating: 0, count: n - b.count) }
                }
                return .binary(b)
            }
        case .date:
            return derive([x], ExprType(.date, length: 10)) { row in
                let v = try x.eval(row)
                guard let d = temporalValue(v, ctx: ctx) else { return .null }
                return .date(DateTimeValue(packed: d).dateOnly.packed)
            }
        case .datetime(let fsp):
            return derive([x], ExprType(.datetime, scale: fsp, length: 19)) { row in
                let v = try x.eval(row)
                if case .time(let t) = v {
                    return .datetime(addMicroseconds(DateTimeValue(packed: todayPacked(ctx)), t).packed)
                }
                guard let d = temporalValue(v, ctx: ctx) else { return .null }
                return .datetime(roundFraction(d, fsp))
            }
        case .time(let fsp):
            return derive([x], ExprType(.time, scale: fsp, length: 10)) { row in
                let v = try x.eval(row)
                switch v {
                case .null: return .null
                case .time: return v
                case .datetime(let p), .date(let p):
                    let d = DateTimeValue(packed: p)
                    return .time(d.secondsOfDay * microsPerSecond + Int64(d.microsecond))
                case .int, .uint, .decimal, .double:
                    return timeFromNumber(v).map(Value.time) ?? .null
                default:
                    return parseTime(v.textBytes).map(Value.time) ?? .null
                }
            }
        case .year:
            return derive([x], ExprType(.uint, length: 4)) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                if case .date(let p) = v { return .uint(UInt64(DateTimeValue(packed: p).year)) }
                if case .datetime(let p) = v { return .uint(UInt64(DateTimeValue(packed: p).year)) }
                var y = v.int64Value
                if y > 0 && y < 70 { y += 2000 } else if y >= 70 && y < 100 { y += 1900 }
                return y >= 1901 && y <= 2155 || y == 0 ? .uint(UInt64(y)) : .null
            }
        case .json:
            // text is parsed (3141 when it is not JSON); numbers and TRUE/FALSE become JSON
            // scalars; other values their text as a JSON string
            var type = ExprType(.text, length: 4096)
            type.isJSON = true
            let source = x.type
            return derive([x], type) { row in
                let v = try x.eval(row)
                switch v {
                case .null: return .null
                case .json: return v
                case .text(let b) where !source.isJSON || JSONDocument(parsing: b) != nil, .binary(let b):
                    guard let j = JSONBinary(parsing: b) else {
                        throw SQLError(code: 3141, sqlState: "22032", message: "Invalid JSON text in argument 1 to function cast_as_json: \"Invalid value.\" at position 0.")
                    }
                    return .json(j)
                default: return .json(try JSONBinary(jsonValue(v, source)))
                }
            }
        }
    }
}

/// Any value as a packed datetime (nil when it is not one).
func temporalValue(_ v: Value, ctx: ExecContext?) -> Int64? {
    switch v {
    case .null: return nil
    case .date(let p), .datetime(let p): return p
    case .time(let t):
        guard let ctx else { return nil }
        return addMicroseconds(DateTimeValue(packed: todayPacked(ctx)), t).packed
    case .int, .uint:
        let n = v.int64Value
        if n == 0 { return DateTimeValue(year: 0, month: 0, day: 0).packed }
        return DateTimeValue.parse(Array(String(n).utf8))?.packed
    case .decimal, .double:
        let n = v.int64Value
        return DateTimeValue.parse(Array(String(n).utf8))?.packed
    case .text(let b), .binary(let b):
        return DateTimeValue.parse(b)?.packed
    case .json(let j):
        if j.root.type == JSONBinary.TypeCode.string, let s = try? j.root.stringBytes() { return DateTimeValue.parse(Array(s))?.packed }
        return nil
    }
}

func timeFromNumber(_ v: Value) -> Int64? {
    let d = v.doubleValue
    let neg = d < 0
    let a = abs(d)
    let whole = Int64(a)
    let frac = Int64(((a - Double(whole)) * 1e6).rounded())
    let h = whole / 10000, m = whole / 100 % 100, s = whole % 100
    guard m < 60, s < 60 else { return nil }
    let t = (h * 3600 + m * 60 + s) * microsPerSecond + frac
    return neg ? -t : t
}

func roundFraction(_ packed: Int64, _ fsp: Int) -> Int64 {
    if fsp >= 6 { return packed }
    let d = DateTimeValue(packed: packed)
    let unit = Int(pow(10.0, 6 - fsp))
    let rounded = (d.microsecond + unit / 2) / unit * unit
    if rounded >= 1_000_000 {
        var x = d
        x.microsecond = 0
        return addMicroseconds(x, microsPerSecond).packed
    }
    var x = d
    x.microsecond = rounded
    return x.packed
}

func addMicroseconds(_ d: DateTimeValue, _ us: Int64) -> DateTimeValue {
    var total = Int64(d.dayNumber) * 86_400_000_000 + d.secondsOfDay * microsPerSecond + Int64(d.microsecond) + us
    var days = total / 86_400_000_000
    total %= 86_400_000_000
    if total < 0 { total += 86_400_000_000; days -= 1 }
    var r = DateTimeValue.fromDayNumber(Int(days))
    let secs = total / microsPerSecond
    r.hour = Int(secs / 3600)
    r.minute = Int(secs / 60 % 60)
    r.second = Int(secs % 60)
    r.microsecond = Int(total % microsPerSecond)
    return r
}

func todayPacked(_ ctx: ExecContext) -> Int64 {
    localDateTime(ctx.now, ctx.session).dateOnly.packed
}

/// Microseconds since the epoch as local wall time in the session's time zone (UTC offset).
func localDateTime(_ micros: Int64, _ session: Session) -> DateTimeValue {
    let offset = session.timeZoneOffsetSeconds
    let local = micros + Int64(offset) * microsPerSecond
    let days = Int(floorDiv(local, 86_400_000_000))
    let rest = local - Int64(days) * 86_400_000_000
    var d = DateTimeValue.fromDayNumber(days + DateTimeValue(year: 1970, month: 1, day: 1).dayNumber)
    let secs = rest / microsPerSecond
    d.hour = Int(secs / 3600)
    d.minute = Int(secs / 60 % 60)
    d.second = Int(secs % 60)
    d.microsecond = Int(rest % microsPerSecond)
    return d
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// The first `n` characters of UTF-8 text.
func truncateCharacters(_ b: [UInt8], _ n: Int) -> [UInt8] {
    var count = 0
    var i = 0
    while i < b.count {
        if count == n { return Array(b[..<i]) }
        let c = b[i]
        i += c < 0x80 ? 1 : (c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : (c >= 0xC0 ? 2 : 1)))
        count += 1
    }
    return b
}

func characterCount(_ b: [UInt8]) -> Int {
    var n = 0
    for c in b where c & 0xC0 != 0x80 { n += 1 }
    return n
}
