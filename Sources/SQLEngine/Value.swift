/// The executor's runtime value. Text carries no collation: the expression's static type does.
///
/// Temporal values are packed order-preservingly (see `DateTimeValue`): comparing the packed
/// integers compares the values.
enum Value: Sendable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case decimal(SQLDecimal)
    case text([UInt8])
    case binary([UInt8])
    /// Packed date (time part zero).
    case date(Int64)
    /// Packed date and time with microseconds.
    case datetime(Int64)
    /// Signed microseconds.
    case time(Int64)
    /// A JSON document in MySQL's binary form (JSON columns, JSON functions' results).
    case json(JSONBinary)

    var isNull: Bool { if case .null = self { return true }; return false }

    static let trueValue = Value.int(1)
    static let falseValue = Value.int(0)
    static func bool(_ b: Bool) -> Value { b ? .int(1) : .int(0) }

    var isNumeric: Bool {
        switch self {
        case .int, .uint, .double, .decimal: return true
        default: return false
        }
    }
    var isString: Bool {
        switch self {
        case .text, .binary: return true
        default: return false
        }
    }
    var isTemporal: Bool {
        switch self {
        case .date, .datetime, .time: return true
        default: return false
        }
    }
}

extension Value {
    /// MySQL's numeric view of a value (strings are read like strtod, leading number or 0).
    var doubleValue: Double {
        switch self {
        case .null: return 0
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .double(let v): return v
        case .decimal(let d): return d.doubleValue
        case .text(let b), .binary(let b): return parseDoublePrefix(b)
        case .date(let p): return Double(DateTimeValue(packed: p).dateNumber)
        case .datetime(let p): return DateTimeValue(packed: p).numberValue
        case .time(let us): return timeNumber(us)
        case .json(let j): return j.numericValue.doubleValue
        }
    }

    /// Integer view, rounding fractions like MySQL (half away from zero); saturates.
    var int64Value: Int64 {
        switch self {
        case .null: return 0
        case .int(let v): return v
        case .uint(let v): return v > UInt64(Int64.max) ? Int64(bitPattern: v) : Int64(v)
        case .double(let v): return doubleToInt64(v.rounded(.toNearestOrAwayFromZero))
        case .decimal(let d): return Int64(clamping: d.roundedInt128)
        case .text(let b), .binary(let b): return parseIntPrefix(b)
        case .date(let p): return DateTimeValue(packed: p).dateNumber
        case .datetime(let p): return Int64(DateTimeValue(packed: p).numberValue)
        case .time(let us): return Int64(timeNumber(us))
        case .json(let j): return j.numericValue.int64Value
        }
    }

    var decimalValue: SQLDecimal {
        switch self {
        case .null: return SQLDecimal(Int64(0))
        case .int(let v): return SQLDecimal(v)
        case .uint(let v): return SQLDecimal(v)
        case .double(let v): return SQLDecimal(v) ?? SQLDecimal(Int64(0))
        case .decimal(let d): return d
        case .text(let b), .binary(let b): return parseDecimalPrefix(b)
        case .date, .datetime, .time: return SQLDecimal(doubleValue) ?? SQLDecimal(Int64(0))
        case .json(let j): return j.numericValue.decimalValue
        }
    }

    /// Truth value for WHERE/IF: nil for NULL.
    var truth: Bool? {
        switch self {
        case .null: return nil
        case .int(let v): return v != 0
        case .uint(let v): return v != 0
        case .double(let v): return v != 0
        case .decimal(let d): return !d.isZero
        case .text, .binary: return doubleValue != 0
        case .date, .datetime, .time: return true
        case .json(let j): return j.numericValue.truth
        }
    }

    /// The string form MySQL uses when a value meets a string context.
    var textBytes: [UInt8] {
        switch self {
        case .null: return []
        case .text(let b), .binary(let b): return b
        case .int(let v): return Array(String(v).utf8)
        case .uint(let v): return Array(String(v).utf8)
        case .double(let v): return Array(formatDouble(v).utf8)
        case .decimal(let d): return Array(d.text.utf8)
        case .date(let p): return Array(DateTimeValue(packed: p).dateText.utf8)
        case .datetime(let p): return Array(DateTimeValue(packed: p).text(fsp: -1).utf8)
        case .time(let us): return Array(timeText(us, fsp: -1).utf8)
        case .json(let j): return j.text
        }
    }

    var textString: String { String(decoding: textBytes, as: UTF8.self) }
}

func doubleToInt64(_ d: Double) -> Int64 {
    if d.isNaN { return 0 }
    if d >= 9.2233720368547758e18 { return Int64.max }
    if d <= -9.2233720368547758e18 { return Int64.min }
    return Int64(d)
}

@inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

/// The length of the longest numeric prefix (after leading spaces) of `b`, and where it starts.
func numericPrefix(_ b: [UInt8]) -> (start: Int, end: Int, isInteger: Bool) {
    var i = 0
    let n = b.count
    while i < n && isSpace(b[i]) { i += 1 }
    let start = i
    if i < n && (b[i] == 45 || b[i] == 43) { i += 1 }
    var digits = 0
    while i < n && isDigit(b[i]) { i += 1; digits += 1 }
    var isInteger = true
    if i < n && b[i] == 46 {
        var j = i + 1
        var frac = 0
        while j < n && isDigit(b[j]) { j += 1; frac += 1 }
        if digits + frac > 0 { i = j; isInteger = false; digits += frac }
    }
    if digits == 0 { return (start, start, true) }
    if i < n && (b[i] == 101 || b[i] == 69) {
        var j = i + 1
        if j < n && (b[j] == 45 || b[j] == 43) { j += 1 }
        var ed = 0
        while j < n && isDigit(b[j]) { j += 1; ed += 1 }
        if ed > 0 { i = j; isInteger = false }
    }
    return (start, i, isInteger)
}

func parseDoublePrefix(_ b: [UInt8]) -> Double {
    let (s, e, _) = numericPrefix(b)
    if s == e { return 0 }
    return Double(String(decoding: b[s..<e], as: UTF8.self)) ?? 0
}

func parseIntPrefix(_ b: [UInt8]) -> Int64 {
    let (s, e, isInteger) = numericPrefix(b)
    if s == e { return 0 }
    if isInteger, let v = Int64(String(decoding: b[s..<e], as: UTF8.self)) { return v }
    return doubleToInt64(parseDoublePrefix(b).rounded(.toNearestOrAwayFromZero))
}

func parseDecimalPrefix(_ b: [UInt8]) -> SQLDecimal {
    let (s, e, _) = numericPrefix(b)
    if s == e { return SQLDecimal(Int64(0)) }
    return SQLDecimal(text: b[s..<e]) ?? SQLDecimal(parseDoublePrefix(b)) ?? SQLDecimal(Int64(0))
}

/// True when the whole string (ignoring surrounding spaces) is a number.
func isWholeNumber(_ b: [UInt8]) -> Bool {
    let (s, e, _) = numericPrefix(b)
    if s == e { return false }
    var i = e
    while i < b.count && isSpace(b[i]) { i += 1 }
    return i == b.count
}
