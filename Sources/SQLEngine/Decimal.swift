/// An exact decimal: `mantissa × 10^-scale`, up to 65 significant digits and scale 30 (MySQL's
/// DECIMAL limits).
///
/// Invariants: 0 ≤ scale ≤ 30 and `displayScale ≤ scale`; a stored or parsed value has at most
/// 65 digits; a value computed inside an expression at most 67 (MySQL allows 81 there: 9-digit
/// words in a 9-word buffer; `DECIMAL(65) + DECIMAL(65)` needs 66). An operation whose integer
/// part would need more returns nil (error 1690); fraction digits are rounded off first.
///
/// Like MySQL, results keep more fraction digits internally than their type shows: division
/// computes whole 9-digit words (`1/3` is 0.333333333 inside, DECIMAL(…,4) outside), so that
/// `1/3*3` is 0.999999999 and shows as 1.0000. `displayScale` is the scale of the expression's
/// type; `text` rounds to it, comparisons use every digit (MySQL's `1/3 = 0.3333` is false).
///
/// Stored packed in 224 bits (three words and an Int32) so that `Value` stays 32 bytes; the
/// `mantissa` accessor widens it to an `Int256`.
struct SQLDecimal: Hashable, Sendable, Comparable {
    private var m0: UInt64, m1: UInt64, m2: UInt64
    private var m3: Int32
    private var storedScale: Int8
    private var storedDisplayScale: Int8

    static let maxScale = 30
    static let maxDigits = 65
    /// Digits an intermediate result may hold (fits the 224-bit packing: 10^67 < 2^223).
    static let maxInternalDigits = 67

    var scale: Int { Int(storedScale) }
    /// The scale the value prints with (its expression type's scale).
    var displayScale: Int { Int(storedDisplayScale) }

    var mantissa: Int256 {
        get { Int256(w0: m0, w1: m1, w2: m2, w3: UInt64(bitPattern: Int64(m3))) }
        set {
            var v = newValue
            // 224 bits hold ±1.3e67; a caller never builds more than 65 digits, but clamp rather than trap
            if Int64(bitPattern: v.w3) != Int64(Int32(truncatingIfNeeded: Int64(bitPattern: v.w3))) {
                v = v.isNegative ? -SQLDecimal.maxMantissa : SQLDecimal.maxMantissa
            }
            m0 = v.w0; m1 = v.w1; m2 = v.w2
            m3 = Int32(truncatingIfNeeded: Int64(bitPattern: v.w3))
        }
    }

    init(mantissa: Int256, scale: Int, displayScale: Int? = nil) {
        m0 = 0; m1 = 0; m2 = 0; m3 = 0
        storedScale = Int8(clamping: scale)
        storedDisplayScale = Int8(clamping: min(displayScale ?? scale, scale))
        self.mantissa = mantissa
    }

    init(mantissa: Int128, scale: Int) { self.init(mantissa: Int256(mantissa), scale: scale) }
    init(_ v: Int64) { self.init(mantissa: Int256(v), scale: 0) }
    init(_ v: UInt64) { self.init(mantissa: Int256(v), scale: 0) }

    /// The same value printing with `scale` digits (at most its own).
    func withDisplayScale(_ scale: Int) -> SQLDecimal {
        var r = self
        r.storedDisplayScale = Int8(clamping: max(0, min(scale, self.scale)))
        return r
    }

    /// 10^0 ... 10^76.
    static let pow10: [Int256] = {
        var table: [Int256] = [Int256(Int64(1))]
        for _ in 1...76 { table.append(table.last! * Int256(Int64(10))) }
        return table
    }()

    static let pow10i128: [Int128] = (0...38).map { n in (0..<n).reduce(Int128(1)) { r, _ in r * 10 } }

    static let maxMantissa = pow10[65] - Int256(Int64(1))

    /// The largest mantissa of a DECIMAL(precision, _).
    static func maxMantissa(precision: Int) -> Int256 { pow10[min(max(precision, 0), 65)] - Int256(Int64(1)) }

    /// Parses like `init?(text:)`, but nil when any significant digit would be lost to the
    /// 65-digit mantissa (a literal or a stored value must not change silently).
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
        // digits accumulate in a word and are folded into the wide mantissa 18 at a time
        var m = Int256.zero
        var chunk: UInt64 = 0, chunkDigits = 0
        var scale = 0
        var sawDigit = false
        var inFraction = false
        var digits = 0
        func flush() {
            guard chunkDigits > 0 else { return }
            m = m * SQLDecimal.pow10[chunkDigits] + Int256(chunk)
            chunk = 0; chunkDigits = 0
        }
        var c = it.next()
        if c == UInt8(ascii: "-") { negative = true; c = it.next() } else if c == UInt8(ascii: "+") { c = it.next() }
        var exponent = 0
        while let ch = c {
            if ch >= 48 && ch <= 57 {
                sawDigit = true
                if digits < SQLDecimal.maxDigits {
                    if digits > 0 || ch != 48 { digits += 1 }
                    chunk = chunk * 10 + UInt64(ch - 48)
                    chunkDigits += 1
                    if chunkDigits == 18 { flush() }
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
        flush()
        scale -= exponent
        if scale < 0 {
            if -scale + digits > SQLDecimal.maxDigits { return nil }
            m = m * SQLDecimal.pow10[-scale]
            scale = 0
        }
        if scale > SQLDecimal.maxScale {
            let drop = scale - SQLDecimal.maxScale
            m = drop > 76 ? .zero : m / SQLDecimal.pow10[drop]
            scale = SQLDecimal.maxScale
        }
        self.init(mantissa: negative ? -m : m, scale: scale)
    }

    init?(_ d: Double) {
        guard d.isFinite, abs(d) < 1e65 else { return nil }
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

    var isZero: Bool { m0 | m1 | m2 == 0 && m3 == 0 }
    var isNegative: Bool { m3 < 0 }
    var signum: Int { isNegative ? -1 : (isZero ? 0 : 1) }

    /// Significant digits of the mantissa.
    var digitCount: Int { mantissa.digitCount }
    /// Digits before the point.
    var integerDigits: Int { max(0, digitCount - scale) }

    /// Whether the value fits DECIMAL(precision, scale) once rescaled to that scale.
    func fits(precision: Int) -> Bool { mantissa.magnitude <= SQLDecimal.maxMantissa(precision: precision) }

    /// The value rescaled (rounding half away from zero when digits are dropped). When more
    /// digits would exceed 65 the value comes back unchanged (callers compare the scale).
    func rescaled(to newScale: Int) -> SQLDecimal {
        if newScale == scale { return displayScale == scale ? self : withDisplayScale(scale) }
        if newScale > scale {
            let k = newScale - scale
            guard digitCount + k <= SQLDecimal.maxInternalDigits else { return self }
            return SQLDecimal(mantissa: mantissa * SQLDecimal.pow10[k], scale: newScale)
        }
        return SQLDecimal(mantissa: SQLDecimal.roundedDividing(mantissa, byPow10: scale - newScale), scale: newScale)
    }

    func truncated(to newScale: Int) -> SQLDecimal {
        if newScale >= scale { return rescaled(to: newScale) }
        let drop = scale - newScale
        if drop > 76 { return SQLDecimal(mantissa: .zero, scale: newScale) }
        return SQLDecimal(mantissa: mantissa / SQLDecimal.pow10[drop], scale: newScale)
    }

    /// m / 10^k rounded half away from zero.
    static func roundedDividing(_ m: Int256, byPow10 k: Int) -> Int256 {
        if k == 0 { return m }
        if k > 76 { return .zero }
        if let x = m.int128, k <= 38 {
            let f = SQLDecimal.pow10i128[k]
            var q = x / f
            if (x % f).magnitude * 2 >= f.magnitude { q += x < 0 ? -1 : 1 }
            return Int256(q)
        }
        let f = pow10[k]
        let (q, r) = m.quotientAndRemainder(dividingBy: f)
        if r.magnitude * Int256(Int64(2)) >= f { return q + Int256(Int64(m.isNegative ? -1 : 1)) }
        return q
    }

    /// Rounds a magnitude (limbs) at `scale` down until it has at most 65 digits and scale 30;
    /// nil when the integer part alone is wider.
    private static func normalized(negative: Bool, magnitude: [UInt64], scale: Int, displayScale: Int) -> SQLDecimal? {
        var mag = magnitude
        var s = scale
        let digits = Limbs.digitCount(mag)
        var drop = max(0, s - maxScale)
        if digits - drop > maxInternalDigits { drop = digits - maxInternalDigits }
        if drop > s { return nil }
        if drop > 0 {
            let f = Limbs.pow10(drop)
            let (q, r) = Limbs.divide(mag, f)
            mag = q
            if Limbs.compare(Limbs.multiply(r, [2]), f) >= 0 { mag = Limbs.add(mag, [1]) }
            s -= drop
            if Limbs.digitCount(mag) > maxInternalDigits { return nil }   // 99…9.5 rounded up
        }
        guard let m = Int256(negative: negative, magnitude: mag) else { return nil }
        return SQLDecimal(mantissa: m, scale: s, displayScale: displayScale)
    }

    /// Both operands at a common scale (at most 30; lower when the sum's digits need it).
    private static func aligned(_ a: SQLDecimal, _ b: SQLDecimal) -> (Int256, Int256, Int) {
        var s = max(a.scale, b.scale)
        let intDigits = max(a.integerDigits, b.integerDigits)
        if intDigits + s > maxInternalDigits + 1 { s = max(0, maxInternalDigits + 1 - intDigits) }
        let x = a.scale > s ? roundedDividing(a.mantissa, byPow10: a.scale - s) : a.mantissa * pow10[s - a.scale]
        let y = b.scale > s ? roundedDividing(b.mantissa, byPow10: b.scale - s) : b.mantissa * pow10[s - b.scale]
        return (x, y, s)
    }

    static func + (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? { sum(a, b, negatingB: false) }
    static func - (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? { sum(a, b, negatingB: true) }

    private static func sum(_ a: SQLDecimal, _ b: SQLDecimal, negatingB: Bool) -> SQLDecimal? {
        let display = max(a.displayScale, b.displayScale)
        if let x0 = a.mantissa.int128, let y0 = b.mantissa.int128 {
            // 128-bit fast path: align, then add, when nothing overflows
            let s = max(a.scale, b.scale)
            let (x, o1) = a.scale < s ? x0.multipliedReportingOverflow(by: pow10i128[s - a.scale]) : (x0, false)
            let (y, o2) = b.scale < s ? y0.multipliedReportingOverflow(by: pow10i128[s - b.scale]) : (y0, false)
            if !o1 && !o2 {
                let (r, o) = negatingB ? x.subtractingReportingOverflow(y) : x.addingReportingOverflow(y)
                if !o { return SQLDecimal(mantissa: Int256(r), scale: s, displayScale: display) }
            }
        }
        let (x, y, s) = aligned(a, b)
        let r = negatingB ? x - y : x + y
        return normalized(negative: r.isNegative, magnitude: r.magnitudeLimbs, scale: s, displayScale: display)
    }

    static func * (a: SQLDecimal, b: SQLDecimal) -> SQLDecimal? {
        let display = min(a.displayScale + b.displayScale, maxScale)
        let s = a.scale + b.scale
        if s <= maxScale, let x = a.mantissa.int128, let y = b.mantissa.int128 {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return SQLDecimal(mantissa: Int256(r), scale: s, displayScale: display) }
        }
        let product = Limbs.multiply(a.mantissa.magnitudeLimbs, b.mantissa.magnitudeLimbs)
        return normalized(negative: a.isNegative != b.isNegative, magnitude: product, scale: s, displayScale: display)
    }

    /// a / b the way MySQL computes it: the type's scale is a's scale plus `extraScale`
    /// (div_precision_increment); the value keeps whole 9-digit words of fraction — each
    /// operand's scale rounded up to a multiple of 9, plus what is left of the increment —
    /// truncated there. nil on overflow; the caller handles b == 0.
    static func divide(_ a: SQLDecimal, _ b: SQLDecimal, extraScale: Int = 4) -> SQLDecimal? {
        guard !b.isZero else { return nil }
        func wordRounded(_ n: Int) -> Int { (n + 8) / 9 * 9 }
        let f1 = wordRounded(a.scale), f2 = wordRounded(b.scale)
        let increment = max(0, extraScale - (f1 - a.scale) - (f2 - b.scale))
        let internalScale = wordRounded(f1 + f2 + increment)
        let display = min(a.displayScale + extraScale, maxScale)
        let resultScale = min(internalScale, maxScale)
        let rounds = internalScale > maxScale
        // q = a.m × 10^(resultScale − a.scale + b.scale) / b.m
        let shift = resultScale - a.scale + b.scale
        if shift >= 0, shift <= 38, let x = a.mantissa.int128, let y = b.mantissa.int128 {
            // 128-bit fast path (most divisions and every AVG of ordinary columns)
            let (num, overflow) = x.magnitude.multipliedReportingOverflow(by: UInt128(pow10i128[shift]))
            if !overflow {
                let den = y.magnitude
                var q = num / den
                let r = num % den
                if rounds && r >= den - r { q += 1 }
                if let m = Int256(negative: (x < 0) != (y < 0), magnitude: [UInt64(truncatingIfNeeded: q), UInt64(truncatingIfNeeded: q >> 64)]) {
                    return SQLDecimal(mantissa: m, scale: resultScale, displayScale: display)
                }
            }
        }
        var num = a.mantissa.magnitudeLimbs
        var den = b.mantissa.magnitudeLimbs
        if shift >= 0 { num = Limbs.multiply(num, Limbs.pow10(shift)) } else { den = Limbs.multiply(den, Limbs.pow10(-shift)) }
        var (q, r) = Limbs.divide(num, den)
        if rounds && Limbs.compare(Limbs.multiply(r, [2]), den) >= 0 { q = Limbs.add(q, [1]) }
        return normalized(negative: a.isNegative != b.isNegative, magnitude: q, scale: resultScale,
                          displayScale: display)
    }

    static func remainder(_ a: SQLDecimal, _ b: SQLDecimal) -> SQLDecimal? {
        guard !b.isZero else { return nil }
        let (x, y, s) = aligned(a, b)
        guard !y.isZero else { return nil }
        return SQLDecimal(mantissa: x % y, scale: s, displayScale: max(a.displayScale, b.displayScale))
    }

    static func < (a: SQLDecimal, b: SQLDecimal) -> Bool { compare(a, b) < 0 }
    static func == (a: SQLDecimal, b: SQLDecimal) -> Bool { compare(a, b) == 0 }

    func hash(into hasher: inout Hasher) {
        var m = mantissa, s = scale
        let ten = Int256(Int64(10))
        while s > 0 && !m.isZero {
            let (q, r) = m.quotientAndRemainder(dividingBy: ten)
            guard r.isZero else { break }
            m = q; s -= 1
        }
        if m.isZero { s = 0 }
        hasher.combine(m)
        hasher.combine(s)
    }

    static func compare(_ a: SQLDecimal, _ b: SQLDecimal) -> Int {
        if let x = a.mantissa.int128, let y = b.mantissa.int128 {
            if a.scale == b.scale { return x < y ? -1 : (x > y ? 1 : 0) }
            // align in 128 bits when that does not overflow
            let (xa, o1) = a.scale < b.scale ? x.multipliedReportingOverflow(by: pow10i128[b.scale - a.scale]) : (x, false)
            let (ya, o2) = b.scale < a.scale ? y.multipliedReportingOverflow(by: pow10i128[a.scale - b.scale]) : (y, false)
            if !o1 && !o2 { return xa < ya ? -1 : (xa > ya ? 1 : 0) }
        }
        let sa = a.signum, sb = b.signum
        if sa != sb { return sa < sb ? -1 : 1 }
        if sa == 0 { return 0 }
        let s = max(a.scale, b.scale)
        let x = Limbs.multiply(a.mantissa.magnitudeLimbs, Limbs.pow10(s - a.scale))
        let y = Limbs.multiply(b.mantissa.magnitudeLimbs, Limbs.pow10(s - b.scale))
        let c = Limbs.compare(x, y)
        return sa < 0 ? -c : c
    }

    var doubleValue: Double {
        if let m = mantissa.int128, m.magnitude < (1 << 53) {
            if scale == 0 { return Double(m) }
            if scale <= 22 { return Double(m) / pow10Double[scale] }
        }
        return Double(rawText) ?? 0
    }

    /// Truncated toward zero; nil when out of Int64 range.
    var int64Value: Int64? {
        let q = scale == 0 ? mantissa : mantissa / SQLDecimal.pow10[scale]
        return q.int128.flatMap { Int64(exactly: $0) }
    }

    /// Rounded half away from zero (MySQL's conversion of DECIMAL to integer), clamped to Int128.
    var roundedInt128: Int128 { rescaled(to: 0).mantissa.clampedInt128 }

    /// Every digit the value holds.
    var rawText: String {
        var digits = mantissa.magnitude.description
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return isNegative ? "-" + digits : digits
    }

    /// The value as MySQL prints it: rounded to its display scale.
    var text: String {
        displayScale < scale ? rescaled(to: displayScale).rawText : rawText
    }
}

extension Limbs {
    static func digitCount(_ a: [UInt64]) -> Int {
        let m = trimmed(a)
        if m.isEmpty { return 0 }
        if m.count == 1 { return String(m[0]).count }
        // bits × log10(2) is within one of the digit count; settle it by comparison
        let bits = m.count * 64 - m[m.count - 1].leadingZeroBitCount
        var n = max(1, Int(Double(bits - 1) * 0.30102999566398120))
        while compare(m, pow10(n)) >= 0 { n += 1 }
        return n
    }

    static func add(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var r = [UInt64](repeating: 0, count: max(a.count, b.count) + 1)
        var carry = false
        for i in 0..<r.count {
            let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
            let (s1, c1) = x.addingReportingOverflow(y)
            let (s2, c2) = s1.addingReportingOverflow(carry ? 1 : 0)
            r[i] = s2
            carry = c1 || c2
        }
        return trimmed(r)
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
