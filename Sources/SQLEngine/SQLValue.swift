/// One value of a result row or a statement parameter, typed the way the binary protocol needs.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case float(Float)
    /// Exact decimal text, e.g. "-12.340".
    case decimal(String)
    /// Text in the column's character set (utf8mb4), raw bytes.
    case string([UInt8])
    /// Binary strings and blobs.
    case bytes([UInt8])
    case date(year: Int, month: Int, day: Int)
    case datetime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int)
    case time(negative: Bool, hours: Int, minutes: Int, seconds: Int, microseconds: Int)

    /// The text-protocol form (what MySQL prints), nil for NULL.
    public var textBytes: [UInt8]? {
        switch self {
        case .null: return nil
        case .int(let v): return Array(String(v).utf8)
        case .uint(let v): return Array(String(v).utf8)
        case .double(let v): return Array(formatDouble(v).utf8)
        case .float(let v): return Array(formatFloat(v).utf8)
        case .decimal(let s): return Array(s.utf8)
        case .string(let b), .bytes(let b): return b
        case .date(let y, let m, let d): return Array(formatDate(y, m, d).utf8)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            var text = formatDate(y, mo, d) + " " + pad2(h) + ":" + pad2(mi) + ":" + pad2(s)
            if us != 0 { text += "." + padded(us, 6) }
            return Array(text.utf8)
        case .time(let negative, let h, let m, let s, let us):
            var text = (negative ? "-" : "") + pad2(h) + ":" + pad2(m) + ":" + pad2(s)
            if us != 0 { text += "." + padded(us, 6) }
            return Array(text.utf8)
        }
    }
}

extension SQLValue {
    /// The text form with exactly `decimals` fractional-second digits for DATETIME/TIMESTAMP/TIME
    /// (what MySQL prints for a column of that fsp: pass `ColumnDefinition.decimals`); other
    /// values as `textBytes`.
    public func textBytes(decimals: UInt8) -> [UInt8]? {
        let fsp = Int(decimals)
        switch self {
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us) where fsp <= 6:
            var text = formatDate(y, mo, d) + " " + pad2(h) + ":" + pad2(mi) + ":" + pad2(s)
            if fsp > 0 { text += "." + String(padded(us, 6).prefix(fsp)) }
            return Array(text.utf8)
        case .time(let negative, let h, let m, let s, let us) where fsp <= 6:
            var text = (negative ? "-" : "") + pad2(h) + ":" + pad2(m) + ":" + pad2(s)
            if fsp > 0 { text += "." + String(padded(us, 6).prefix(fsp)) }
            return Array(text.utf8)
        default:
            return textBytes
        }
    }
}

func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

func padded(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

func formatDate(_ y: Int, _ m: Int, _ d: Int) -> String { padded(y, 4) + "-" + pad2(m) + "-" + pad2(d) }

/// MySQL prints doubles with up to 17 significant digits, shortest round-trip, exponent form for large/small magnitudes.
func formatDouble(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == 0 { return v.sign == .minus ? "-0" : "0" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    let s = "\(v)"   // Swift prints the shortest round-trip form
    return mysqlExponentForm(s)
}

func formatFloat(_ v: Float) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == v.rounded(), abs(v) < 1e7 { return String(Int64(v)) }
    return mysqlExponentForm("\(v)")
}

/// Swift writes `1.5e-07` / `1e+20`; MySQL writes `1.5e-7` / `1e20`.
private func mysqlExponentForm(_ s: String) -> String {
    guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return s }
    var mantissa = String(s[..<e])
    if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
    var exponent = String(s[s.index(after: e)...])
    var sign = ""
    if exponent.hasPrefix("+") { exponent.removeFirst() } else if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() }
    while exponent.count > 1 && exponent.hasPrefix("0") { exponent.removeFirst() }
    return mantissa + "e" + sign + exponent
}
