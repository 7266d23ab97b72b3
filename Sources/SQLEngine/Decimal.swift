/// An exact decimal: `mantissa × 10^-scale`, 38 significant digits (Int128).
///
/// MySQL's DECIMAL allows 65 digits; values beyond 38 digits overflow here (error 1690 at the
/// operation that overflows). Division keeps `div_precision_increment` (4) more digits than the
/// dividend, as MySQL does.
struct SQLDecimal: Hashable, Sendable, Comparable {
    var mantissa: Int128
    var scale: Int

    static let maxScale = 30
    static let maxDigits = 38

    init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    init(_ v: Int64) { mantissa = Int128(v); scale = 0 }
    init(_ v: UInt64) { mantissa = Int128(v); scale = 0 }

    static let pow10: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table.last! * 10) }
        return table
    }()

    /// Parses like `init?(text:)`, but nil when any significant digit would be lost to the
    /// 38-digit mantissa (a literal or a stored value must not change silently).
    init?(exactText text: some Collection<UInt8>) {
        guard let d = SQLDecimal(text: text) else { return nil }
        var fraction = 0, inFraction = false, trailingZeros = 0
        for c in text {
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { self = d; return }
            if c == UInt8(ascii: ".") { inFraction = true; continue }
            guard inFraction, c >= 48 && c <= 57 else { continue }
            fraction += 1
            trailingZeros = c == 48 ? trailingZeros + 1 : 0
        }
        // every fraction digit up to the last non-zero one (within the 30-digit maximum
        // scale) must have been kept
        guard d.scale >= min(fraction - trailingZeros, SQLDecimal.maxScale) else { return nil }
        self = d
    }

    /// Parses `[-+]digits[.digits][e[-+]digits]`; nil when malformed or too long.
    init?(text: some Collection<UInt8>) {
        var it = text.makeIterator()
        var negative = false
        var m: Int128 = 0
        var scale = 0
        var sawDigit = false
        var inFraction = false
        var digits = 0
        var c = it.next()
        if c == UInt8(ascii: "-") { negative = true; c = it.next() } else if c == UInt8(ascii: "+") { c = it.next() }
        var exponent = 0
        while let ch = c {
            if ch >= 48 && ch <= 57 {
                sawDigit = true
                if digits < SQLDecimal.maxDigits {
                    if m != 0 || ch != 48 { digits += 1 }
                    m = m * 10 + Int128(ch - 48)
                    if inFraction { scale += 1 }
                } else if !inFraction {
                    return nil
                }
            } else if ch == UInt8(ascii: ".") && !inFraction {
                inFraction = true
            } else if ch == UInt8(ascii: "e") || ch == UInt8(ascii: "E") {
                var eneg = false
                var e = 0
                c = it.next()
                if c == UInt8(ascii: "-") { eneg = true; c = it.next() } else if c == UInt8(ascii: "+") { c = it.next() }
                var any = false
                while let d = c, d >= 48 && d <= 57 { e = min(e * 10 + Int(d - 48), 1000); any = true; c = it.next() }
                if !any || c != nil { return nil }
                exponent = eneg ? -e : e
                break
            } else {
                return nil
            }
            c = it.next()
        }
        if !sawDigit { return nil }
        scale -= exponent
        if scale < 0 {
            if -scale + digits > SQLDecimal.maxDigits { return nil }
            m *= SQLDecimal.pow10[-scale]
            scale = 0
        }
        if scale > SQLDecimal.maxScale {
            let drop = scale - SQLDecimal.maxScale
            m = drop > 38 ? 0 : m / SQLDecimal.pow10[drop]
            scale = SQLDecimal.maxScale
        }
        self.mantissa = negative ? -m : m
        self.scale = scale
    }

    init?(_ d: Double) {
        guard d.isFinite, abs(d) < 1e36 else { return nil }
        var s = "\(d)"
        if s.contains("e") || s.contains("E") {
            guard let parsed = SQLDecimal(text: Array(s.utf8)) else { return nil }
            self = parsed
            return
        }
        if s.hasSuffix(".0") { s.removeLast(2) }
        guard let parsed = SQLDecimal(text: Array(s.utf8)) else { return nil }
        self = parsed
    }

    var isZero: Bool { mantissa == 0 }
    var isNegative: Bool { mantissa < 0 }

    /// The value rescaled (rounding half away from zero when digits are dropped).
    func rescaled(to newScale: Int) -> SQLDecimal {
        if newScale == scale { return self }
        if newScale > scale {
            let f = SQLDecimal.pow10[min(newScale - scale, 38)]
            let (r, o) = mantissa.multipliedReportingOverflow(by: f)
            return o ? self : SQLDecimal(mantissa: r, scale: newScale)
        }
        let drop = scale - newScale
        if drop > 38 { return SQLDecimal(mantissa: 0, scale: newScale) }
        let f = SQLDecimal.pow10[drop]
        var q = mantissa / f
        let r = mantissa % f
        if abs(r) * 2 >= f { q += mantissa < 0 ? -1 : 1 }
        return SQLDecimal(mantissa: q, scale: newScale)
    }

    func truncated(to newScale: Int) -> SQLDecimal {
        if newScale >= scale { return rescaled(to: newScale) }
        let drop = scale - newScale
        if drop > 38 { return SQLDecimal(mantissa: 0, scale: newScale) }
        return SQLDecimal(mantissa: mantissa / SQLDecimal.pow10[drop], scale: newScale)
    }

    static func align(_ a: SQLDecimal, _ b: SQLDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.mantissa, b.mantissa, a.scale) }
        let s = max(a.scale, b.scale)
        let (am, o1) = a.mantissa.multipliedReportingOverflow(by: pow10[s - a.scale])
        let (bm, o2) = b.mantissa.multipliedReportingOverflow(by: pow10[s - b.scale])
        if o1 || o2 { return nil }
        return (am, bm, s)
    }

    static func + (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? {
        guard let (x, y, s) = align(a, b) else { return nil }
        let (r, o) = x.addingReportingOverflow(y)
        return o ? nil : SQLDecimal(mantissa: r, scale: s)
    }

    static func - (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? {
        guard let (x, y, s) = align(a, b) else { return nil }
        let (r, o) = x.subtractingReportingOverflow(y)
        return o ? nil : SQLDecimal(mantissa: r, scale: s)
    }

    static func * (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? {
        let (r, o) = a.mantissa.multipliedReportingOverflow(by: b.mantissa)
        var result: SQLDecimal
        if o {
            // Drop fraction digits to make room, as MySQL caps scale at 30 anyway.
            guard a.scale + b.scale > 0 else { return nil }
            let da = a.rescaled(to: max(0, a.scale / 2)), db = b.rescaled(to: max(0, b.scale / 2))
            let (r2, o2) = da.mantissa.multipliedReportingOverflow(by: db.mantissa)
            if o2 { return nil }
            result = SQLDecimal(mantissa: r2, scale: da.scale + db.scale)
        } else {
            result = SQLDecimal(mantissa: r, scale: a.scale + b.scale)
        }
        if result.scale > maxScale { result = result.rescaled(to: maxScale) }
        return result
    }

    /// a / b with `extraScale` more fraction digits than `a` (MySQL: div_precision_increment). nil on overflow; caller handles b == 0.
    static func divide(_ a: SQLDecimal, _ b: SQLDecimal, extraScale: Int = 4) -> SQLDecimal? {
        let resultScale = min(a.scale + extraScale, maxScale)
        // result = a.m * 10^(resultScale - a.scale + b.scale) / b.m, rounded half up
        let shift = resultScale - a.scale + b.scale
        var num = a.mantissa
        var den = b.mantissa
        if shift >= 0 {
            var remaining = shift
            while remaining > 0 {
                let step = min(remaining, 18)
                let (r, o) = num.multipliedReportingOverflow(by: pow10[step])
                if o {
                    // scale the divisor down instead (loses precision only in extreme cases)
                    let dstep = remaining
                    if dstep > 38 { return SQLDecimal(mantissa: 0, scale: resultScale) }
                    den = den / pow10[dstep]
                    if den == 0 { return nil }
                    break
                }
                num = r
                remaining -= step
            }
        } else {
            den *= pow10[min(-shift, 38)]
        }
        var q = num / den
        let r = num % den
        if abs(r) * 2 >= abs(den) { q += (num < 0) != (den < 0) ? -1 : 1 }
        return SQLDecimal(mantissa: q, scale: resultScale)
    }

    static func remainder(_ a: SQLDecimal, _ b: SQLDecimal) -> SQLDecimal? {
        guard let (x, y, s) = align(a, b), y != 0 else { return nil }
        return SQLDecimal(mantissa: x % y, scale: s)
    }

    static func < (a: SQLDecimal, b: SQLDecimal) -> Bool { compare(a, b) < 0 }
    static func == (a: SQLDecimal, b: SQLDecimal) -> Bool { compare(a, b) == 0 }

    func hash(into hasher: inout Hasher) {
        var m = mantissa, s = scale
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        hasher.combine(m)
        hasher.combine(s)
    }

    static func compare(_ a: SQLDecimal, _ b: SQLDecimal) -> Int {
        if let (x, y, _) = align(a, b) { return x < y ? -1 : (x > y ? 1 : 0) }
        let da = a.doubleValue, db = b.doubleValue
        return da < db ? -1 : (da > db ? 1 : 0)
    }

    var doubleValue: Double {
        if scale == 0 { return Double(mantissa) }
        if scale <= 22 { return Double(mantissa) / pow10Double[scale] }
        return Double(mantissa) / Double(sign: .plus, exponent: 0, significand: 1) / pow(10.0, scale)
    }

    /// Truncated toward zero; nil when out of Int64 range.
    var int64Value: Int64? {
        let q = scale == 0 ? mantissa : mantissa / SQLDecimal.pow10[min(scale, 38)]
        return Int64(exactly: q)
    }

    /// Rounded half away from zero (MySQL's conversion of DECIMAL to integer).
    var roundedInt128: Int128 { rescaled(to: 0).mantissa }

    var text: String {
        var digits = String(mantissa.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return mantissa < 0 ? "-" + digits : digits
    }
}

let pow10Double: [Double] = (0...22).map { pow(10.0, $0) }

func pow(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var b = base
    var e = abs(exponent)
    while e > 0 {
        if e & 1 == 1 { result *= b }
        b *= b
        e >>= 1
    }
    return exponent < 0 ? 1 / result : result
}
