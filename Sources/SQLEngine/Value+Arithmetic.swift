/// Arithmetic with MySQL's result types: integers stay integers (BIGINT overflow is error 1690),
/// anything with a DECIMAL is exact, anything with a DOUBLE or a string is a double;
/// `/` is DECIMAL division (scale + div_precision_increment), division by zero is NULL.
enum Arithmetic {
    /// DOUBLE results must stay finite: MySQL raises 1690 instead of giving inf.
    static func finite(_ d: Double, _ text: @autoclosure () -> String) throws -> Value {
        guard d.isFinite else { throw outOfRange("DOUBLE", text()) }
        return .double(d)
    }

    static func outOfRange(_ type: String, _ text: String) -> SQLError {
        SQLError(code: 1690, sqlState: "22003", message: "\(type) value is out of range in '\(text)'")
    }

    /// The numeric class an operand computes in.
    enum NumClass { case int, uint, decimal, double }

    static func numClass(_ v: Value) -> NumClass {
        switch v {
        case .int: return .int
        case .uint: return .uint
        case .decimal: return .decimal
        case .double: return .double
        case .text(let b), .binary(let b):
            let (s, e, isInt) = numericPrefix(b)
            return s != e && isInt && e - s < 18 ? .int : .double
        case .date, .datetime, .time: return .int
        case .null: return .int
        case .json(let j): return numClass(j.numericValue)
        }
    }

    static func asInteger(_ v: Value) -> Value {
        switch v {
        case .text, .binary: return .int(v.int64Value)
        case .date(let p): return .int(DateTimeValue(packed: p).dateNumber)
        case .datetime(let p):
            let d = DateTimeValue(packed: p)
            return .int(d.dateNumber * 1_000_000 + Int64(d.hour * 10000 + d.minute * 100 + d.second))
        case .time(let us): return .int(Int64(timeNumber(us)))
        default: return v
        }
    }

    static func add(_ a: Value, _ b: Value, _ text: @autoclosure () -> String) throws -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .double || cb == .double { return try finite(a.doubleValue + b.doubleValue, text()) }
        if ca == .decimal || cb == .decimal {
            guard let r = a.decimalValue + b.decimalValue else { throw outOfRange("DECIMAL", text()) }
            return .decimal(r)
        }
        let x = asInteger(a), y = asInteger(b)
        if case .int(let i) = x, case .int(let j) = y {
            let (r, o) = i.addingReportingOverflow(j)
            if o { throw outOfRange("BIGINT", text()) }
            return .int(r)
        }
        // unsigned arithmetic
        let xi = Int128(x.int128), yi = Int128(y.int128)
        let r = xi + yi
        guard r >= 0, r <= Int128(UInt64.max) else { throw outOfRange("BIGINT UNSIGNED", text()) }
        return .uint(UInt64(r))
    }

    static func subtract(_ a: Value, _ b: Value, _ text: @autoclosure () -> String) throws -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .double || cb == .double { return try finite(a.doubleValue - b.doubleValue, text()) }
        if ca == .decimal || cb == .decimal {
            guard let r = a.decimalValue - b.decimalValue else { throw outOfRange("DECIMAL", text()) }
            return .decimal(r)
        }
        let x = asInteger(a), y = asInteger(b)
        if case .int(let i) = x, case .int(let j) = y {
            let (r, o) = i.subtractingReportingOverflow(j)
            if o { throw outOfRange("BIGINT", text()) }
            return .int(r)
        }
        let r = x.int128 - y.int128
        guard r >= 0, r <= Int128(UInt64.max) else { throw outOfRange("BIGINT UNSIGNED", text()) }
        return .uint(UInt64(r))
    }

    static func multiply(_ a: Value, _ b: Value, _ text: @autoclosure () -> String) throws -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .double || cb == .double { return try finite(a.doubleValue * b.doubleValue, text()) }
        if ca == .decimal || cb == .decimal {
            guard let r = a.decimalValue * b.decimalValue else { throw outOfRange("DECIMAL", text()) }
            return .decimal(r)
        }
        let x = asInteger(a), y = asInteger(b)
        if case .int(let i) = x, case .int(let j) = y {
            let (r, o) = i.multipliedReportingOverflow(by: j)
            if o { throw outOfRange("BIGINT", text()) }
            return .int(r)
        }
        let (r, o) = x.int128.multipliedReportingOverflow(by: y.int128)
        guard !o, r >= 0, r <= Int128(UInt64.max) else { throw outOfRange("BIGINT UNSIGNED", text()) }
        return .uint(UInt64(r))
    }

    static func divide(_ a: Value, _ b: Value, _ text: @autoclosure () -> String) throws -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .double || cb == .double {
            let d = b.doubleValue
            if d == 0 { return .null }
            return try finite(a.doubleValue / d, text())
        }
        let y = b.decimalValue
        if y.isZero { return .null }
        guard let r = SQLDecimal.divide(a.decimalValue, y) else { throw outOfRange("DECIMAL", text()) }
        return .decimal(r)
    }

    static func intDivide(_ a: Value, _ b: Value, _ text: @autoclosure () -> String) throws -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .int && cb == .int || ca == .uint || cb == .uint {
            let x = asInteger(a).int128, y = asInteger(b).int128
            if y == 0 { return .null }
            let q = x / y
            if ca == .uint || cb == .uint {
                guard q >= 0, q <= Int128(UInt64.max) else { throw outOfRange("BIGINT UNSIGNED", text()) }
                return .uint(UInt64(q))
            }
            guard let r = Int64(exactly: q) else { throw outOfRange("BIGINT", text()) }
            return .int(r)
        }
        if ca == .double || cb == .double {
            let d = b.doubleValue
            if d == 0 { return .null }
            let q = (a.doubleValue / d).rounded(.towardZero)
            guard abs(q) < 9.3e18 else { throw outOfRange("BIGINT", text()) }
            return .int(Int64(q))
        }
        let y = b.decimalValue
        if y.isZero { return .null }
        guard let r = SQLDecimal.divide(a.decimalValue, y, extraScale: 0) else { throw outOfRange("DECIMAL", text()) }
        // truncate toward zero: recompute with more digits and truncate
        let precise = SQLDecimal.divide(a.decimalValue, y, extraScale: 6) ?? r
        guard let i = precise.truncated(to: 0).int64Value else { throw outOfRange("BIGINT", text()) }
        return .int(i)
    }

    static func modulo(_ a: Value, _ b: Value) -> Value {
        if a.isNull || b.isNull { return .null }
        let ca = numClass(a), cb = numClass(b)
        if ca == .double || cb == .double {
            let d = b.doubleValue
            if d == 0 { return .null }
            return .double(a.doubleValue.truncatingRemainder(dividingBy: d))
        }
        if ca == .decimal || cb == .decimal {
            guard let r = SQLDecimal.remainder(a.decimalValue, b.decimalValue) else { return .null }
            return .decimal(r)
        }
        let x = asInteger(a).int128, y = asInteger(b).int128
        if y == 0 { return .null }
        let r = x % y
        if ca == .uint && r >= 0 { return .uint(UInt64(r)) }
        return .int(Int64(r))
    }

    static func negate(_ a: Value, _ text: @autoclosure () -> String) throws -> Value {
        switch a {
        case .null: return .null
        case .int(let i):
            if i == Int64.min { return .decimal(SQLDecimal(mantissa: -Int128(i), scale: 0)) }
            return .int(-i)
        case .uint(let u):
            if u <= UInt64(Int64.max) { return .int(-Int64(u)) }
            if u == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            throw outOfRange("BIGINT", text())
        case .decimal(let d): return .decimal(SQLDecimal(mantissa: -d.mantissa, scale: d.scale, displayScale: d.displayScale))
        case .double(let d): return .double(-d)
        case .text, .binary: return .double(-a.doubleValue)
        case .date, .datetime, .time: return try negate(asInteger(a), text())
        case .json(let j): return try negate(j.numericValue, text())
        }
    }
}

extension Value {
    var int128: Int128 {
        switch self {
        case .int(let i): return Int128(i)
        case .uint(let u): return Int128(u)
        case .decimal(let d): return d.roundedInt128
        default: return Int128(int64Value)
        }
    }

    /// Unsigned view for bit operations (negative integers wrap like MySQL).
    var bitsValue: UInt64 {
        switch self {
        case .uint(let u): return u
        case .int(let i): return UInt64(bitPattern: i)
        case .double(let d):
            let r = d.rounded(.toNearestOrAwayFromZero)
            if r >= 1.8446744073709552e19 { return UInt64.max }
            if r < 0 { return UInt64(bitPattern: doubleToInt64(r)) }
            return UInt64(r)
        case .decimal(let dd):
            let r = dd.roundedInt128
            if r < 0 { return UInt64(bitPattern: Int64(clamping: r)) }
            return UInt64(clamping: r)
        case .binary(let b) where b.count <= 8 && !b.isEmpty && false:
            return b.reduce(0) { $0 << 8 | UInt64($1) }
        default:
            let i = int64Value
            if case .text(let b) = self, parseDoublePrefix(b) >= 9.2233720368547758e18 { return UInt64.max }
            return UInt64(bitPattern: i)
        }
    }
}
