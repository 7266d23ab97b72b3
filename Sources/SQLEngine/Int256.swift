/// A 256-bit two's-complement integer: the mantissa of a DECIMAL of up to 65 digits
/// (10^65 < 2^216; 2^255 ≈ 5.8 × 10^76 leaves room to align two 65-digit values).
///
/// Only the operations SQLDecimal needs. Arithmetic reports overflow instead of trapping;
/// products and quotients wider than 256 bits go through `Limbs` (arbitrary-length magnitudes).
struct Int256: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Little-endian 64-bit words.
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    static let zero = Int256(w0: 0, w1: 0, w2: 0, w3: 0)

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    init(_ v: Int128) {
        let bits = UInt128(bitPattern: v)
        let ext: UInt64 = v < 0 ? .max : 0
        self.init(w0: UInt64(truncatingIfNeeded: bits), w1: UInt64(truncatingIfNeeded: bits >> 64), w2: ext, w3: ext)
    }

    init(_ v: Int64) { self.init(Int128(v)) }
    init(_ v: Int) { self.init(Int128(v)) }
    init(_ v: UInt64) { self.init(w0: v, w1: 0, w2: 0, w3: 0) }

    /// From a sign and a magnitude; nil when the magnitude needs 255 bits or more.
    init?(negative: Bool, magnitude limbs: [UInt64]) {
        let m = Limbs.trimmed(limbs)
        guard m.count <= 4 else { return nil }
        let padded = m + [UInt64](repeating: 0, count: 4 - m.count)
        guard padded[3] >> 63 == 0 else { return nil }
        let positive = Int256(w0: padded[0], w1: padded[1], w2: padded[2], w3: padded[3])
        self = negative ? positive.negatedWrapping : positive
    }

    var isNegative: Bool { w3 >> 63 == 1 }
    var isZero: Bool { w0 | w1 | w2 | w3 == 0 }
    var signum: Int { isNegative ? -1 : (isZero ? 0 : 1) }

    /// The value as an Int128 when it fits.
    var int128: Int128? {
        let ext: UInt64 = w1 >> 63 == 1 ? .max : 0
        guard w2 == ext, w3 == ext else { return nil }
        return Int128(bitPattern: UInt128(w1) << 64 | UInt128(w0))
    }

    var clampedInt128: Int128 { int128 ?? (isNegative ? .min : .max) }

    /// Magnitude as little-endian limbs (trimmed).
    var magnitudeLimbs: [UInt64] {
        let m = isNegative ? negatedWrapping : self
        return Limbs.trimmed([m.w0, m.w1, m.w2, m.w3])
    }

    var magnitude: Int256 { isNegative ? negatedWrapping : self }

    var negatedWrapping: Int256 {
        var r = Int256(w0: ~w0, w1: ~w1, w2: ~w2, w3: ~w3)
        var carry: Bool
        (r.w0, carry) = r.w0.addingReportingOverflow(1)
        if carry { (r.w1, carry) = r.w1.addingReportingOverflow(1) }
        if carry { (r.w2, carry) = r.w2.addingReportingOverflow(1) }
        if carry { r.w3 &+= 1 }
        return r
    }

    static prefix func - (a: Int256) -> Int256 { a.negatedWrapping }

    func addingReportingOverflow(_ b: Int256) -> (partialValue: Int256, overflow: Bool) {
        func add(_ x: UInt64, _ y: UInt64, _ carry: Bool) -> (UInt64, Bool) {
            let (t, c1) = x.addingReportingOverflow(y)
            let (s, c2) = t.addingReportingOverflow(carry ? 1 : 0)
            return (s, c1 || c2)
        }
        let (s0, c0) = add(w0, b.w0, false)
        let (s1, c1) = add(w1, b.w1, c0)
        let (s2, c2) = add(w2, b.w2, c1)
        let (s3, _) = add(w3, b.w3, c2)
        let r = Int256(w0: s0, w1: s1, w2: s2, w3: s3)
        let overflow = isNegative == b.isNegative && r.isNegative != isNegative
        return (r, overflow)
    }

    func subtractingReportingOverflow(_ b: Int256) -> (partialValue: Int256, overflow: Bool) {
        if b == Int256.minValue { return (self, true) }
        return addingReportingOverflow(b.negatedWrapping)
    }

    static let minValue = Int256(w0: 0, w1: 0, w2: 0, w3: 1 << 63)

    func multipliedReportingOverflow(by b: Int256) -> (partialValue: Int256, overflow: Bool) {
        if let x = int128, let y = b.int128 {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return (Int256(r), false) }
        }
        let product = Limbs.multiply(magnitudeLimbs, b.magnitudeLimbs)
        guard let r = Int256(negative: isNegative != b.isNegative, magnitude: product) else { return (.zero, true) }
        return (r, false)
    }

    /// Truncating division (the remainder takes the dividend's sign). `b` must not be zero.
    func quotientAndRemainder(dividingBy b: Int256) -> (quotient: Int256, remainder: Int256) {
        precondition(!b.isZero, "Int256 division by zero")
        if let x = int128, let y = b.int128, !(x == .min && y == -1) {
            let (q, r) = x.quotientAndRemainder(dividingBy: y)
            return (Int256(q), Int256(r))
        }
        let (q, r) = Limbs.divide(magnitudeLimbs, b.magnitudeLimbs)
        // |q| <= |self| and |r| < |b|, so both fit
        return (Int256(negative: isNegative != b.isNegative, magnitude: q) ?? .zero,
                Int256(negative: isNegative, magnitude: r) ?? .zero)
    }

    static func / (a: Int256, b: Int256) -> Int256 { a.quotientAndRemainder(dividingBy: b).quotient }
    static func % (a: Int256, b: Int256) -> Int256 { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Trapping forms, for operands the caller has bounded (digit counts well below 76).
    static func + (a: Int256, b: Int256) -> Int256 {
        let (r, o) = a.addingReportingOverflow(b)
        precondition(!o, "Int256 overflow in +")
        return r
    }
    static func - (a: Int256, b: Int256) -> Int256 {
        let (r, o) = a.subtractingReportingOverflow(b)
        precondition(!o, "Int256 overflow in -")
        return r
    }
    static func * (a: Int256, b: Int256) -> Int256 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        precondition(!o, "Int256 overflow in *")
        return r
    }

    static func < (a: Int256, b: Int256) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }

    var doubleValue: Double {
        if let v = int128 { return Double(v) }
        let m = magnitude
        let d = Double(m.w3) * 0x1p192 + Double(m.w2) * 0x1p128 + Double(m.w1) * 0x1p64 + Double(m.w0)
        return isNegative ? -d : d
    }

    /// Decimal digits of the magnitude (0 for zero).
    var digitCount: Int {
        let m = magnitude
        var n = 0
        while n < SQLDecimal.pow10.count && m >= SQLDecimal.pow10[n] { n += 1 }
        return n
    }

    var description: String {
        if let v = int128 { return String(v) }
        var limbs = magnitudeLimbs
        var chunks: [UInt64] = []
        while !limbs.isEmpty {
            let r = Limbs.divide(&limbs, by: 10_000_000_000_000_000_000)
            chunks.append(r)
        }
        var s = String(chunks.last ?? 0)
        for c in chunks.dropLast().reversed() {
            let part = String(c)
            s += String(repeating: "0", count: 19 - part.count) + part
        }
        return isNegative ? "-" + s : s
    }
}

/// Arithmetic on unsigned magnitudes held as little-endian 64-bit limbs of any length.
enum Limbs {
    static func trimmed(_ a: [UInt64]) -> [UInt64] {
        var n = a.count
        while n > 0 && a[n - 1] == 0 { n -= 1 }
        return n == a.count ? a : Array(a[0..<n])
    }

    static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
        let n = max(a.count, b.count)
        var i = n - 1
        while i >= 0 {
            let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
            if x != y { return x < y ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    static func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        if a.isEmpty || b.isEmpty { return [] }
        var r = [UInt64](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            for j in 0..<b.count {
                let (hi, lo) = a[i].multipliedFullWidth(by: b[j])
                let (s1, c1) = lo.addingReportingOverflow(r[i + j])
                let (s2, c2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            r[i + b.count] = carry
        }
        return trimmed(r)
    }

    /// Divides `a` in place by a single limb; returns the remainder. `a` ends trimmed.
    @discardableResult
    static func divide(_ a: inout [UInt64], by d: UInt64) -> UInt64 {
        precondition(d != 0, "Limbs division by zero")
        var r: UInt64 = 0
        var i = a.count - 1
        while i >= 0 {
            let (q, rem) = d.dividingFullWidth((high: r, low: a[i]))
            a[i] = q
            r = rem
            i -= 1
        }
        a = trimmed(a)
        return r
    }

    /// Quotient and remainder of two magnitudes (`b` non-zero), by binary long division.
    static func divide(_ a: [UInt64], _ b: [UInt64]) -> (quotient: [UInt64], remainder: [UInt64]) {
        let b = trimmed(b)
        precondition(!b.isEmpty, "Limbs division by zero")
        if b.count == 1 {
            var q = a
            let r = divide(&q, by: b[0])
            return (q, r == 0 ? [] : [r])
        }
        let a = trimmed(a)
        if compare(a, b) < 0 { return ([], a) }
        var q = [UInt64](repeating: 0, count: a.count)
        var r = [UInt64](repeating: 0, count: b.count + 1)
        var bit = a.count * 64 - 1
        while bit >= 0 {
            // r = r << 1 | bit of a
            var carry = (a[bit / 64] >> UInt64(bit % 64)) & 1
            for k in 0..<r.count {
                let next = r[k] >> 63
                r[k] = r[k] << 1 | carry
                carry = next
            }
            if compare(r, b) >= 0 {
                var borrow = false
                for k in 0..<r.count {
                    let y = k < b.count ? b[k] : 0
                    let (d1, o1) = r[k].subtractingReportingOverflow(y)
                    let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
                    r[k] = d2
                    borrow = o1 || o2
                }
                q[bit / 64] |= 1 << UInt64(bit % 64)
            }
            bit -= 1
        }
        return (trimmed(q), trimmed(r))
    }

    /// 10^n as limbs.
    static func pow10(_ n: Int) -> [UInt64] {
        var r: [UInt64] = [1]
        var left = n
        while left > 0 {
            let step = min(left, 19)
            r = multiply(r, [UInt64(pow10u64[step])])
            left -= step
        }
        return r
    }

    static let pow10u64: [UInt64] = (0...19).map { n in (0..<n).reduce(UInt64(1)) { r, _ in r * 10 } }
}
