/// Order-preserving (memcomparable) encoding of column values in B+tree keys.
///
/// Each component starts with a tag byte: 0x00 NULL (sorts first), 0x01 a value. Then:
///
/// | column type | bytes after the tag |
/// |---|---|
/// | signed integers, DATE/DATETIME/TIMESTAMP (packed), TIME (µs) | 8, big-endian, sign bit flipped |
/// | unsigned integers, YEAR, BIT | 8, big-endian |
/// | DECIMAL(p,s), p ≤ 38 | 16, big-endian Int128 mantissa at the column's scale, sign bit flipped |
/// | DECIMAL(p,s), p > 38 | 32, big-endian Int256 mantissa at the column's scale, sign bit flipped |
/// | FLOAT/DOUBLE | 8, IEEE bits: negative → all bits inverted, positive → sign bit set |
/// | text (CHAR/VARCHAR/TEXT/ENUM/SET/JSON) | collation sort key, 0x00 escaped as 0x00 0xFF, ends 0x00 0x00 |
/// | binary strings | the bytes, escaped and terminated the same way |
///
/// Components are self-delimiting, so a key is the concatenation of its components, and an
/// index-prefix is a byte prefix of every key that starts with those values.
///
/// Text sort keys depend on the collation's weights (UCA.swift for utf8mb4_0900_ai_ci and
/// utf8mb4_unicode_ci): the catalog records which `Collation.weightsVersion` made them, and a
/// database from an older version has its indexes rebuilt on open (Engine+CollationUpgrade.swift).
enum KeyEncoding {
    static func append(_ v: Value, _ type: ColumnType, prefixLength: Int? = nil, to out: inout [UInt8]) {
        if case .null = v { out.append(0); return }
        out.append(1)
        switch type.base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
            if type.unsigned || type.base == .year || type.base == .bit {
                appendBE(&out, v.bitsValue)
            } else {
                appendBE(&out, UInt64(bitPattern: v.int64Value) ^ (1 << 63))
            }
        case .decimal:
            let m = v.decimalValue.rescaled(to: type.scale ?? 0).mantissa
            if (type.length ?? 10) > 38 {
                appendBE(&out, m.w3 ^ (1 << 63))
                appendBE(&out, m.w2)
                appendBE(&out, m.w1)
                appendBE(&out, m.w0)
            } else {
                // the column's precision bounds the value to Int128
                let bits = UInt128(bitPattern: m.clampedInt128) ^ (UInt128(1) << 127)
                appendBE(&out, UInt64(truncatingIfNeeded: bits >> 64))
                appendBE(&out, UInt64(truncatingIfNeeded: bits))
            }
        case .float, .double:
            var d = v.doubleValue
            if d == 0 { d = 0 }   // -0 and 0 are equal
            let bits = d.bitPattern
            appendBE(&out, bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63))
        case .date, .datetime, .timestamp:
            let p: Int64
            switch v {
            case .date(let x), .datetime(let x): p = x
            default: p = v.int64Value
            }
            appendBE(&out, UInt64(bitPattern: p) ^ (1 << 63))
        case .time:
            let t: Int64
            if case .time(let x) = v { t = x } else { t = v.int64Value }
            appendBE(&out, UInt64(bitPattern: t) ^ (1 << 63))
        case .binary, .varbinary, .tinyblob, .blob, .mediumblob, .longblob:
            var b = v.textBytes
            if let p = prefixLength, b.count > p { b = Array(b.prefix(p)) }
            appendEscaped(&out, b)
        default:
            var b = v.textBytes
            if let p = prefixLength { b = truncateCharacters(b, p) }
            appendEscaped(&out, type.collation.sortKey(b))
        }
    }

    static func appendEscaped(_ out: inout [UInt8], _ b: [UInt8]) {
        for c in b {
            out.append(c)
            if c == 0 { out.append(0xFF) }
        }
        out.append(0)
        out.append(0)
    }

    static func appendBE(_ out: inout [UInt8], _ v: UInt64) {
        var x = v.bigEndian
        withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
    }

    /// The smallest key greater than every key starting with `prefix`.
    static func successor(of prefix: [UInt8]) -> [UInt8] {
        var p = prefix
        while let last = p.last {
            if last < 0xFF {
                p[p.count - 1] = last + 1
                return p
            }
            p.removeLast()
        }
        return [0xFF, 0xFF, 0xFF, 0xFF]
    }
}

extension Array where Element == UInt8 {
    func hasPrefix(_ p: [UInt8]) -> Bool {
        guard count >= p.count else { return false }
        for i in 0..<p.count where self[i] != p[i] { return false }
        return true
    }
}
