/// The collations text is compared under.
///
/// `.general` stands for MySQL 8's default utf8mb4_0900_ai_ci (and the _general_ci/_unicode_ci
/// names): case-insensitive and accent-insensitive for Latin letters (ASCII and Latin-1
/// Supplement / Latin Extended-A fold to their base letter), NO PAD (trailing spaces count).
/// Other scripts compare by simple case folding of the code point. `.bin` is utf8mb4_bin (code
/// point order, PAD SPACE: trailing spaces ignored), `.binary` compares bytes.
enum Collation: String, Codable, Sendable {
    case general = "utf8mb4_0900_ai_ci"
    case bin = "utf8mb4_bin"
    case binary = "binary"

    var id: UInt16 {
        switch self {
        case .general: return 255
        case .bin: return 46
        case .binary: return 63
        }
    }

    static func named(_ name: String) -> Collation? {
        let n = name.lowercased()
        if n == "binary" { return .binary }
        if n.hasSuffix("_bin") { return .bin }
        if n.hasSuffix("_ci") || n.hasSuffix("_ai_ci") || n.hasSuffix("_as_cs") || n.hasSuffix("_cs") { return n.hasSuffix("_cs") ? .bin : .general }
        return nil
    }

    var charset: String { self == .binary ? "binary" : "utf8mb4" }

    /// Three-way comparison of two byte strings under this collation.
    func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        switch self {
        case .binary: return compareBytes(a, b)
        case .bin: return compareBytes(Array(trimmingPadding(a)), Array(trimmingPadding(b)))
        case .general: return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in compareGeneral(pa, pb) } }
        }
    }

    func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        switch self {
        case .binary: return a == b
        case .bin: return trimmingPadding(a) == trimmingPadding(b)
        case .general: return compare(a, b) == 0
        }
    }

    /// utf8mb4_bin is PAD SPACE (as in MySQL): trailing spaces do not count.
    private func trimmingPadding(_ a: [UInt8]) -> ArraySlice<UInt8> {
        var end = a.count
        while end > 0 && a[end - 1] == 0x20 { end -= 1 }
        return a[0..<end]
    }

    /// A byte string that compares (memcmp) and hashes like the collation: the sort key.
    func sortKey(_ a: [UInt8]) -> [UInt8] {
        if self == .binary { return a }
        if self == .bin { return Array(trimmingPadding(a)) }
        var out: [UInt8] = []
        out.reserveCapacity(a.count)
        a.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let c = p[i]
                if c < 0x80 {
                    out.append(c >= 97 && c <= 122 ? c - 32 : c)
                    i += 1
                    continue
                }
                let (scalar, len) = decodeUTF8(p, i)
                i += len
                let w = collationWeight(scalar)
                if w < 0x80 { out.append(UInt8(w)); continue }
                // 3 bytes big-endian keep order between code points
                out.append(UInt8((w >> 16) & 0xFF) | 0x80)
                out.append(UInt8((w >> 8) & 0xFF))
                out.append(UInt8(w & 0xFF))
            }
        }
        return out
    }
}

func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let n = min(a.count, b.count)
    let r = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
    if n > 0 && r != 0 { return r < 0 ? -1 : 1 }
    return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
}

private func compareGeneral(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    var i = 0, j = 0
    while i < a.count && j < b.count {
        let ca = a[i], cb = b[j]
        if ca < 0x80 && cb < 0x80 {
            let ua = ca >= 97 && ca <= 122 ? ca - 32 : ca
            let ub = cb >= 97 && cb <= 122 ? cb - 32 : cb
            if ua != ub {
                // ASCII letters vs others keep code point order of their folded form
                return ua < ub ? -1 : 1
            }
            i += 1; j += 1
            continue
        }
        let (sa, la) = ca < 0x80 ? (UInt32(ca), 1) : decodeUTF8(a, i)
        let (sb, lb) = cb < 0x80 ? (UInt32(cb), 1) : decodeUTF8(b, j)
        let wa = collationWeight(sa), wb = collationWeight(sb)
        if wa != wb { return wa < wb ? -1 : 1 }
        i += la; j += lb
    }
    if i < a.count { return 1 }
    if j < b.count { return -1 }
    return 0
}

/// Decodes one UTF-8 sequence; invalid bytes decode as themselves (0xDC00 + byte) so any input compares.
func decodeUTF8(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
    let c = p[i]
    func cont(_ k: Int) -> UInt32? {
        guard i + k < p.count, p[i + k] & 0xC0 == 0x80 else { return nil }
        return UInt32(p[i + k] & 0x3F)
    }
    if c >= 0xC2 && c < 0xE0, let c1 = cont(1) { return (UInt32(c & 0x1F) << 6 | c1, 2) }
    if c >= 0xE0 && c < 0xF0, let c1 = cont(1), let c2 = cont(2) { return (UInt32(c & 0x0F) << 12 | c1 << 6 | c2, 3) }
    if c >= 0xF0 && c < 0xF5, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
        return (UInt32(c & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
    }
    return (0xDC00 + UInt32(c), 1)
}

/// Weight of a code point under `.general`: base letter, uppercase.
func collationWeight(_ s: UInt32) -> UInt32 {
    if s < 0x80 { return s >= 97 && s <= 122 ? s - 32 : s }
    if s >= 0xC0 && s <= 0x17F, let base = latinBase[Int(s - 0xC0)] { return base }
    if let scalar = Unicode.Scalar(s) {
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        if upper.count == 1, let u = upper.first { return u.value }
    }
    return s
}

/// Base letters (uppercase ASCII) for U+00C0...U+017F; nil where there is none.
private let latinBase: [UInt32?] = {
    let table = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO/OUUUUYTY" +
        "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIIIJJJJKKKLLLLLLLLLLNNNNNNNNNOOOOOOOORRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS"
    return table.unicodeScalars.map { $0 == "*" || $0 == "/" ? nil : $0.value }
}()

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
