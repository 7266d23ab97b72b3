/// The clustered tree's value: one table row.
///
/// ```
/// u16 LE   column count n (rows written before ADD COLUMN have fewer; missing columns read as their default)
/// ⌈n/8⌉    NULL bitmap, bit i set = column i is NULL
/// then each non-NULL column in order:
///   integers, YEAR, BIT            8 bytes LE (Int64 or UInt64 bit pattern)
///   FLOAT/DOUBLE                   8 bytes LE IEEE bits
///   DECIMAL                        1 byte scale + 16 bytes LE Int128 mantissa; a mantissa
///                                  beyond Int128 (39–65 digits): 1 byte 0x80|scale + 32 bytes LE
///                                  Int256 (rows written before 65-digit decimals only have the first)
///   DATE/DATETIME/TIMESTAMP        8 bytes LE packed value
///   TIME                           8 bytes LE microseconds
///   strings, blobs, ENUM, SET        varint length + bytes
///   JSON                           varint length + 0x01 + MySQL's binary JSON (JSONBinary.swift);
///                                  rows of earlier builds: varint length + the normalised JSON
///                                  text, which never starts with 0x01 (read and converted)
/// ```
enum RowEncoding {
    static func encode(_ values: [Value], _ columns: [ColumnSchema]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + values.count * 9)
        let n = values.count
        out.append(UInt8(n & 0xFF))
        out.append(UInt8(n >> 8))
        let bitmapStart = out.count
        out.append(contentsOf: repeatElement(0, count: (n + 7) / 8))
        for (i, v) in values.enumerated() {
            if case .null = v {
                out[bitmapStart + i / 8] |= 1 << UInt8(i % 8)
                continue
            }
            let t = columns[i].type
            switch t.base {
            case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
                if t.unsigned || t.base == .year || t.base == .bit { appendLE(&out, v.bitsValue) } else { appendLE(&out, UInt64(bitPattern: v.int64Value)) }
            case .float, .double:
                appendLE(&out, v.doubleValue.bitPattern)
            case .decimal:
                let d = v.decimalValue
                let m = d.mantissa
                if let narrow = m.int128 {
                    out.append(UInt8(d.scale))
                    let bits = UInt128(bitPattern: narrow)
                    appendLE(&out, UInt64(truncatingIfNeeded: bits))
                    appendLE(&out, UInt64(truncatingIfNeeded: bits >> 64))
                } else {
                    out.append(0x80 | UInt8(d.scale))
                    for w in [m.w0, m.w1, m.w2, m.w3] { appendLE(&out, w) }
                }
            case .date, .datetime, .timestamp, .time:
                switch v {
                case .date(let p), .datetime(let p), .time(let p): appendLE(&out, UInt64(bitPattern: p))
                default: appendLE(&out, UInt64(bitPattern: v.int64Value))
                }
            case .json:
                guard let j = jsonForStorage(v) else {
                    // text that is not JSON (it bypassed the column's conversion): kept as text
                    let b = v.textBytes
                    appendVarint(&out, UInt64(b.count))
                    out.append(contentsOf: b)
                    continue
                }
                appendVarint(&out, UInt64(j.bytes.count + 1))
                out.append(jsonBinaryFormat)
                out.append(contentsOf: j.bytes)
            default:
                let b = v.textBytes
                appendVarint(&out, UInt64(b.count))
                out.append(contentsOf: b)
            }
        }
        return out
    }

    /// Decodes into `values[offset..<offset+columns.count]`.
    static func decode(_ p: UnsafeRawBufferPointer, _ columns: [ColumnSchema], into values: inout [Value], at offset: Int, needed: [Bool]? = nil) throws {
        guard p.count >= 2 else { throw corrupt() }
        let stored = Int(p[0]) | Int(p[1]) << 8
        var pos = 2 + (stored + 7) / 8
        guard pos <= p.count else { throw corrupt() }
        for i in 0..<columns.count {
            if i >= stored {
                values[offset + i] = columns[i].storedDefault
                continue
            }
            if p[2 + i / 8] & (1 << UInt8(i % 8)) != 0 {
                values[offset + i] = .null
                continue
            }
            let t = columns[i].type
            if let needed, !needed[i] {
                // skip the column without materialising it
                switch t.base {
                case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit, .float, .double, .date, .datetime, .timestamp, .time: pos += 8
                case .decimal:
                    guard pos < p.count else { throw corrupt() }
                    pos += p[pos] & 0x80 == 0 ? 17 : 33
                default:
                    var len: UInt64 = 0
                    var shift: UInt64 = 0
                    while true {
                        guard pos < p.count else { throw corrupt() }
                        let b = p[pos]
                        pos += 1
                        len |= UInt64(b & 0x7F) << shift
                        if b & 0x80 == 0 { break }
                        shift += 7
                        if shift > 56 { throw corrupt() }
                    }
                    pos += Int(len)
                }
                guard pos <= p.count else { throw corrupt() }
                continue
            }
            switch t.base {
            case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
                guard pos + 8 <= p.count else { throw corrupt() }
                let raw = readLE(p, pos)
                pos += 8
                values[offset + i] = t.unsigned || t.base == .year || t.base == .bit ? .uint(raw) : .int(Int64(bitPattern: raw))
            case .float, .double:
                guard pos + 8 <= p.count else { throw corrupt() }
                values[offset + i] = .double(Double(bitPattern: readLE(p, pos)))
                pos += 8
            case .decimal:
                guard pos < p.count else { throw corrupt() }
                let scale = Int(p[pos] & 0x7F)
                guard scale <= SQLDecimal.maxScale else { throw corrupt() }
                if p[pos] & 0x80 == 0 {
                    guard pos + 17 <= p.count else { throw corrupt() }
                    let lo = readLE(p, pos + 1), hi = readLE(p, pos + 9)
                    pos += 17
                    values[offset + i] = .decimal(SQLDecimal(mantissa: Int128(bitPattern: UInt128(hi) << 64 | UInt128(lo)), scale: scale))
                } else {
                    guard pos + 33 <= p.count else { throw corrupt() }
                    let m = Int256(w0: readLE(p, pos + 1), w1: readLE(p, pos + 9), w2: readLE(p, pos + 17), w3: readLE(p, pos + 25))
                    pos += 33
                    values[offset + i] = .decimal(SQLDecimal(mantissa: m, scale: scale))
                }
            case .date:
                guard pos + 8 <= p.count else { throw corrupt() }
                values[offset + i] = .date(Int64(bitPattern: readLE(p, pos)))
                pos += 8
            case .datetime, .timestamp:
                guard pos + 8 <= p.count else { throw corrupt() }
                values[offset + i] = .datetime(Int64(bitPattern: readLE(p, pos)))
                pos += 8
            case .time:
                guard pos + 8 <= p.count else { throw corrupt() }
                values[offset + i] = .time(Int64(bitPattern: readLE(p, pos)))
                pos += 8
            default:
                var len: UInt64 = 0
                var shift: UInt64 = 0
                while true {
                    guard pos < p.count else { throw corrupt() }
                    let b = p[pos]
                    pos += 1
                    len |= UInt64(b & 0x7F) << shift
                    if b & 0x80 == 0 { break }
                    shift += 7
                    if shift > 56 { throw corrupt() }
                }
                let l = Int(len)
                guard pos + l <= p.count else { throw corrupt() }
                if t.base == .json {
                    values[offset + i] = try jsonFromStorage(UnsafeRawBufferPointer(rebasing: p[pos..<(pos + l)]))
                    pos += l
                    continue
                }
                let bytes = Array(UnsafeRawBufferPointer(rebasing: p[pos..<(pos + l)]))
                pos += l
                values[offset + i] = t.isBinaryString ? .binary(bytes) : .text(bytes)
            }
        }
    }

    /// The first byte of a JSON column's stored value in the binary form (format 1). JSON text
    /// (stored by builds before it) starts with `{`, `[`, `"`, a digit, `-`, `t`, `f` or `n`.
    static let jsonBinaryFormat: UInt8 = 0x01

    /// The document a JSON column stores: JSON as it is, JSON text (a value that bypassed the
    /// column conversion) parsed.
    static func jsonForStorage(_ v: Value) -> JSONBinary? {
        if case .json(let j) = v { return j }
        return JSONBinary(parsing: v.textBytes)
    }

    /// A stored JSON value: binary (checked), or text of earlier builds (parsed; text that is
    /// not JSON stays text).
    static func jsonFromStorage(_ stored: UnsafeRawBufferPointer) throws -> Value {
        if stored.first == jsonBinaryFormat { return .json(try JSONBinary(checking: Array(stored.dropFirst()))) }
        let text = Array(stored)
        return JSONBinary(parsing: text).map(Value.json) ?? .text(text)
    }

    static func corrupt() -> SQLError { SQLError(code: 1030, sqlState: "HY000", message: "Got error 'corrupt row' from storage engine") }

    @inline(__always) static func readLE(_ p: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(p[at + k]) << (8 * UInt64(k)) }
        return v
    }

    static func appendVarint(_ out: inout [UInt8], _ v: UInt64) {
        var x = v
        while x >= 0x80 { out.append(UInt8(x & 0x7F) | 0x80); x >>= 7 }
        out.append(UInt8(x))
    }
}

extension ColumnSchema {
    /// The value rows written before this column existed read as (its constant default or NULL).
    var storedDefault: Value {
        guard let text = defaultText else { return .null }
        return (try? convertToColumn(.text(Array(text.utf8)), self, strict: false, row: 1, warn: nil)) ?? .null
    }
}
