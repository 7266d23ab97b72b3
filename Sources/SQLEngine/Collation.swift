/// The collations text is compared under.
///
/// `.general` is MySQL 8's default utf8mb4_0900_ai_ci: the DUCET 9.0.0 primary weights (UCA.swift):
/// case- and accent-insensitive, punctuation < symbols < digits < letters, expansions ('ß' =
/// 'ss', 'æ' = 'ae'), ignorable characters skipped, implicit weights for Han and unassigned
/// code points; NO PAD (trailing spaces count). `.unicodeCI` (utf8mb4_unicode_ci) is the same
/// algorithm over UCA 4.0.0's table, PAD SPACE, every supplementary character weighing 0xFFFD.
/// `.bin` is utf8mb4_bin (code point order, PAD SPACE: trailing spaces ignored), `.binary`
/// compares bytes.
///
/// The others are PAD SPACE and compare by a sort key of one weight per character:
/// - `.generalCI` (utf8mb4_general_ci): MySQL's own one-weight table — accents folded to the
///   base letter, no expansions ('ß' = 's'), every supplementary character weighs U+FFFD
///   (they are all equal);
/// - `.latin1` (latin1_swedish_ci): case-insensitive, Swedish letters after Z (Ä = Æ, Å, Ö = Ø),
///   Ü = Y, other accents folded; `.latin1Bin`, `.asciiBin`: code point order;
///   `.ascii` (ascii_general_ci): ASCII case folding.
/// Text is held as UTF-8 whatever the column's character set; a latin1 or ascii column checks
/// on write that every character exists in its set (cp1252 for latin1, as MySQL).
///
/// Sort keys are stored in index keys: a change to any collation's weights must bump
/// `Collation.weightsVersion` so that databases made before it rebuild their indexes on open.
enum Collation: String, Codable, Sendable, CaseIterable {
    case general = "utf8mb4_0900_ai_ci"
    case bin = "utf8mb4_bin"
    case binary = "binary"
    case generalCI = "utf8mb4_general_ci"
    case unicodeCI = "utf8mb4_unicode_ci"
    case latin1 = "latin1_swedish_ci"
    case latin1Bin = "latin1_bin"
    case ascii = "ascii_general_ci"
    case asciiBin = "ascii_bin"

    /// The version of the weights sort keys are made of: 1 before the UCA tables (0900 and
    /// unicode_ci approximated by base letters), 2 with them.
    static let weightsVersion = 2

    /// Whether this collation's sort keys differ between weights version `version` and the current one.
    func sortKeysChanged(since version: Int) -> Bool {
        version < 2 && (self == .general || self == .unicodeCI)
    }

    var id: UInt16 {
        switch self {
        case .general: return 255
        case .bin: return 46
        case .binary: return 63
        case .generalCI: return 45
        case .unicodeCI: return 224
        case .latin1: return 8
        case .latin1Bin: return 47
        case .ascii: return 11
        case .asciiBin: return 65
        }
    }

    static func named(_ name: String) -> Collation? {
        let n = name.lowercased()
        if let exact = Collation(rawValue: n) { return exact }
        switch n {
        case "utf8_general_ci", "utf8mb3_general_ci": return .generalCI
        case "utf8_unicode_ci", "utf8mb3_unicode_ci": return .unicodeCI
        default: break
        }
        // other latin1/ascii collations: the character set's own (ordering approximated)
        if n.hasPrefix("latin1_") { return n.hasSuffix("_bin") || n.hasSuffix("_cs") ? .latin1Bin : .latin1 }
        if n.hasPrefix("ascii_") { return n.hasSuffix("_bin") ? .asciiBin : .ascii }
        if n.hasSuffix("_bin") { return .bin }
        if n.hasSuffix("_ci") || n.hasSuffix("_ai_ci") || n.hasSuffix("_as_cs") || n.hasSuffix("_cs") { return n.hasSuffix("_cs") ? .bin : .general }
        return nil
    }

    /// The default collation of a character set (nil: unknown character set, error 1115).
    static func defaultFor(charset: String) -> Collation? {
        switch charset.lowercased() {
        case "utf8mb4", "utf8", "utf8mb3": return .general
        case "latin1": return .latin1
        case "ascii": return .ascii
        case "binary": return .binary
        default: return nil
        }
    }

    var charset: String {
        switch self {
        case .binary: return "binary"
        case .latin1, .latin1Bin: return "latin1"
        case .ascii, .asciiBin: return "ascii"
        default: return "utf8mb4"
        }
    }

    /// SHOW COLLATION's Sortlen (MySQL's values).
    var sortLength: Int {
        switch self {
        case .general: return 0
        case .unicodeCI: return 8
        default: return 1
        }
    }

    /// The character sets onebox has: name, description, default collation, bytes per character.
    static let characterSets: [(name: String, description: String, collation: Collation, maxLength: Int)] = [
        ("ascii", "US ASCII", .ascii, 1),
        ("binary", "Binary pseudo charset", .binary, 1),
        ("latin1", "cp1252 West European", .latin1, 1),
        ("utf8mb4", "UTF-8 Unicode", .general, 4),
    ]

    var isCaseInsensitive: Bool { self == .general || self == .generalCI || self == .unicodeCI || self == .latin1 || self == .ascii }
    var isPadSpace: Bool { self != .general && self != .binary }
    var isDefaultOfCharset: Bool { self == .general || self == .binary || self == .latin1 || self == .ascii }

    /// Whether `b` (UTF-8) can be stored in this collation's character set; the first
    /// character that cannot (its UTF-8 bytes) otherwise.
    func unrepresentable(_ b: [UInt8]) -> [UInt8]? {
        switch charset {
        case "latin1", "ascii":
            let ascii = charset == "ascii"
            var i = 0
            return b.withUnsafeBufferPointer { p -> [UInt8]? in
                while i < p.count {
                    if p[i] < 0x80 { i += 1; continue }
                    let (s, len) = decodeUTF8(p, i)
                    if ascii || !isCP1252(s) { return Array(p[i..<(i + len)]) }
                    i += len
                }
                return nil
            }
        default: return nil
        }
    }

    /// `b` with every character this collation's character set lacks replaced by '?' (CONVERT).
    func replacingUnrepresentable(_ b: [UInt8]) -> [UInt8] {
        guard unrepresentable(b) != nil else { return b }
        let ascii = charset == "ascii"
        var out: [UInt8] = []
        b.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if p[i] < 0x80 { out.append(p[i]); i += 1; continue }
                let (s, len) = decodeUTF8(p, i)
                if ascii || !isCP1252(s) { out.append(0x3F) } else { out.append(contentsOf: p[i..<(i + len)]) }
                i += len
            }
        }
        return out
    }

    /// Three-way comparison of two byte strings under this collation.
    func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        switch self {
        case .binary: return compareBytes(a, b)
        case .bin, .latin1Bin, .asciiBin: return compareBytes(Array(trimmingPadding(a)), Array(trimmingPadding(b)))
        case .general: return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in UCAWeightTable.ducet900.compare(pa, pb) } }
        case .unicodeCI: return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in UCAWeightTable.unicode400.comparePadded(pa, pb) } }
        default: return compareBytes(sortKey(a), sortKey(b))
        }
    }

    func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        switch self {
        case .binary: return a == b
        case .bin, .latin1Bin, .asciiBin: return trimmingPadding(a) == trimmingPadding(b)
        default: return compare(a, b) == 0
        }
    }

    /// PAD SPACE collations: trailing spaces do not count.
    private func trimmingPadding(_ a: [UInt8]) -> ArraySlice<UInt8> {
        var end = a.count
        while end > 0 && a[end - 1] == 0x20 { end -= 1 }
        return a[0..<end]
    }

    /// A byte string that compares (memcmp) and hashes like the collation: the sort key.
    func sortKey(_ a: [UInt8]) -> [UInt8] {
        switch self {
        case .binary: return a
        case .bin, .latin1Bin, .asciiBin: return Array(trimmingPadding(a))
        case .general:
            return a.withUnsafeBufferPointer { UCAWeightTable.ducet900.key($0) }
        case .unicodeCI:
            return a.withUnsafeBufferPointer { p in
                var out: [UInt8] = []
                out.reserveCapacity(p.count * 2 + 2)
                UCAWeightTable.unicode400.appendPadSpaceKey(p, to: &out)
                return out
            }
        default: break
        }
        var end = a.count
        if isPadSpace { while end > 0 && a[end - 1] == 0x20 { end -= 1 } }
        // `out` stays local to the closure and is only passed inout: a variable captured by
        // a nested function is boxed, and every append to a box paid a dynamic exclusivity
        // check (a quarter of a DISTINCT over CHAR(120) values)
        return a.withUnsafeBufferPointer { whole in
            let p = UnsafeBufferPointer(rebasing: whole[0..<end])
            var out: [UInt8] = []
            out.reserveCapacity(p.count)
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
                switch self {
                case .generalCI: Self.appendWeight(scalar > 0xFFFF ? 0xFFFD : (ownLetterWeights[scalar] ?? collationWeight(scalar)), to: &out)
                case .latin1: Self.appendWeight(swedishWeight(scalar), to: &out)
                default: Self.appendWeight(collationWeight(scalar), to: &out)
                }
            }
            return out
        }
    }

    /// One weight of a sort key: a byte below 0x80, else 3 bytes big-endian (keeps order between code points).
    @inline(__always) private static func appendWeight(_ w: UInt32, to out: inout [UInt8]) {
        if w < 0x80 { out.append(UInt8(w)); return }
        out.append(UInt8((w >> 16) & 0xFF) | 0x80)
        out.append(UInt8((w >> 8) & 0xFF))
        out.append(UInt8(w & 0xFF))
    }
}

/// Letters that are not an accented base letter under utf8mb4_general_ci
/// (Æ, Ø, Ð, Þ, Đ, Ħ, Ł, Ŧ, Œ): one weight for both cases, sorting after the ASCII letters.
private let ownLetterWeights: [UInt32: UInt32] = {
    var table: [UInt32: UInt32] = [:]
    for (upper, lower) in [(0xC6, 0xE6), (0xD8, 0xF8), (0xD0, 0xF0), (0xDE, 0xFE), (0x110, 0x111), (0x126, 0x127),
                           (0x141, 0x142), (0x166, 0x167), (0x152, 0x153)] as [(UInt32, UInt32)] {
        table[upper] = upper
        table[lower] = upper
    }
    return table
}()

/// latin1_swedish_ci: Å, Ä (= Æ), Ö (= Ø) after Z (and after every ASCII character); Ü = Y;
/// other Latin-1 letters fold to their base.
private func swedishWeight(_ s: UInt32) -> UInt32 {
    switch s {
    case 0xC5, 0xE5: return 0x80                 // Å
    case 0xC4, 0xE4, 0xC6, 0xE6: return 0x81     // Ä Æ
    case 0xD6, 0xF6, 0xD8, 0xF8: return 0x82     // Ö Ø
    case 0xDC, 0xFC: return 0x59                 // Ü = Y
    default: return collationWeight(s)
    }
}

/// The bytes of UTF-8 text `b` in a character set of one byte per character (latin1 is
/// cp1252, as MySQL's; ascii's bytes are the UTF-8 ones): what LENGTH, HEX and CAST(... AS
/// BINARY) see of a latin1 value. Text is held as UTF-8 whatever the column's set, and a
/// character outside the set cannot be stored (1366), so every character maps; one that does
/// not (a value from before the check) keeps its UTF-8 bytes.
func singleByteCharsetBytes(_ b: [UInt8]) -> [UInt8] {
    guard b.contains(where: { $0 >= 0x80 }) else { return b }
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    b.withUnsafeBufferPointer { p in
        var i = 0
        while i < p.count {
            if p[i] < 0x80 { out.append(p[i]); i += 1; continue }
            let (s, len) = decodeUTF8(p, i)
            if s >= 0xA0 && s <= 0xFF {
                out.append(UInt8(s))
            } else if let byte = cp1252Extras[s] {
                out.append(byte)
            } else {
                out.append(contentsOf: p[i..<(i + len)])
            }
            i += len
        }
    }
    return out
}

/// Whether a code point is in MySQL's latin1 (Windows-1252, with the five unassigned bytes
/// mapped to C1 controls).
func isCP1252(_ s: UInt32) -> Bool {
    if s < 0x80 || (s >= 0xA0 && s <= 0xFF) { return true }
    return cp1252Extras[s] != nil
}

/// The latin1 byte of each non-Latin-1 character Windows-1252 has (0x80–0x9F).
let cp1252Extras: [UInt32: UInt8] = [
    0x20AC: 0x80, 0x81: 0x81, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
    0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x8D: 0x8D, 0x017D: 0x8E, 0x8F: 0x8F,
    0x90: 0x90, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
    0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x9D: 0x9D, 0x017E: 0x9E, 0x0178: 0x9F,
]

func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let n = min(a.count, b.count)
    let r = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
    if n > 0 && r != 0 { return r < 0 ? -1 : 1 }
    return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
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

/// Weight of a code point under utf8mb4_general_ci (before its own letters), ascii_general_ci
/// and latin1_swedish_ci: base letter, uppercase.
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
