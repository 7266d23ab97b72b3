/// The Unicode Collation Algorithm at level 1 (primary weights), as MySQL runs it for
/// utf8mb4_0900_ai_ci (DUCET 9.0.0) and utf8mb4_unicode_ci (UCA 4.0.0).
///
/// A string's weights are the primary weights of its characters in order: a character with
/// a record in the table (UCATables.swift, made by Tools/gen-uca-tables) contributes its 0-8
/// weights (0: ignorable, several: an expansion, 'ß' = 'ss'); any other gets computed weights:
///
/// | table | code point | weights |
/// |---|---|---|
/// | 0900 | Hangul syllable U+AC00-D7AF | the primary of each of its 2-3 jamo (MySQL's decomposition) |
/// | 0900 | Tangut U+17000-18AFF | FB00, (cp - 0x17000) \| 0x8000 |
/// | 0900 | Han: U+4E00-9FD5, FA0E-FA29 / U+3400-4DB5, 20000-2A6D6, 2A700-2B734, 2B740-2B81D, 2B820-2CEA1 / other | base FB40 / FB80 / FBC0 + (cp >> 15), (cp & 0x7FFF) \| 0x8000 |
/// | 4.0.0 | above U+FFFF | FFFD (every supplementary character is equal) |
/// | 4.0.0 | Han: U+4E00-9FA5 / U+3400-4DB5 / other | the same formula with those ranges |
///
/// MySQL's 0900 tables have no contractions, and neither has this; in them the space weighs
/// 0x0001 (DUCET: 0x0209), below everything, so 'a' < 'a ' < 'a\t' (Tools/gen-uca-tables).
/// Every weight of the 4.0.0 table is at least 0x0200, so in its sort keys a weight's first
/// byte is never 0x00 or 0x01 — the PAD SPACE encoding (`appendPadSpaceKey`) uses those two as
/// markers.
final class UCAWeightTable: @unchecked Sendable {
    /// Whether this is the DUCET 9.0.0 table (else UCA 4.0.0): which computed weights apply.
    let isDUCET900: Bool
    /// Pages of 256 code points: index into `entries` / 256, or -1 when no code point of the page has a record.
    private let pages: UnsafeMutableBufferPointer<Int32>
    /// Per code point of a present page: `absent`, a single weight (0: ignorable), or
    /// `multiple | count << 24 | offset` into `expansions`.
    private let entries: UnsafeMutableBufferPointer<UInt32>
    private let expansions: UnsafeMutableBufferPointer<UInt16>
    /// The single weight of each ASCII character, 0 for an ignorable one.
    let ascii: UnsafeMutableBufferPointer<UInt16>
    /// The weight of U+0020.
    let spaceWeight: UInt16

    static let absent: UInt32 = 0xFFFF_FFFF
    static let multiple: UInt32 = 0x8000_0000

    /// The tables live as long as the process: made once, on first use.
    static let ducet900 = UCAWeightTable(UCATables.ducet900, isDUCET900: true)
    static let unicode400 = UCAWeightTable(UCATables.unicode400, isDUCET900: false)

    private init(_ text: StaticString, isDUCET900: Bool) {
        self.isDUCET900 = isDUCET900
        let bytes = text.withUTF8Buffer { decodeBase64($0) }
        var records: [(UInt32, ArraySlice<UInt8>)] = []
        var pageNeeded = [Bool](repeating: false, count: 0x1100)
        var i = 0, cp = -1, expansionCount = 0
        while i < bytes.count {
            var delta = 0, shift = 0
            while true {
                let b = bytes[i]
                i += 1
                delta |= Int(b & 0x7F) << shift
                shift += 7
                if b & 0x80 == 0 { break }
            }
            cp += delta + 1
            let n = Int(bytes[i])
            i += 1
            precondition(cp <= 0x10FFFF && n <= 8 && i + 2 * n <= bytes.count, "UCATables: malformed record at U+\(String(cp, radix: 16))")
            records.append((UInt32(cp), bytes[i..<(i + 2 * n)]))
            pageNeeded[cp >> 8] = true
            if n > 1 { expansionCount += n }
            i += 2 * n
        }
        pages = .allocate(capacity: 0x1100)
        var pageCount = 0
        for p in 0..<0x1100 {
            pages[p] = pageNeeded[p] ? Int32(pageCount) : -1
            if pageNeeded[p] { pageCount += 1 }
        }
        entries = .allocate(capacity: pageCount * 256)
        entries.initialize(repeating: Self.absent)
        expansions = .allocate(capacity: max(expansionCount, 1))
        var used = 0
        for (cp, weights) in records {
            let slot = Int(pages[Int(cp >> 8)]) * 256 + Int(cp & 0xFF)
            let n = weights.count / 2
            func weight(_ k: Int) -> UInt16 { UInt16(weights[weights.startIndex + 2 * k]) << 8 | UInt16(weights[weights.startIndex + 2 * k + 1]) }
            if n <= 1 {
                entries[slot] = n == 0 ? 0 : UInt32(weight(0))
            } else {
                entries[slot] = Self.multiple | UInt32(n) << 24 | UInt32(used)
                for k in 0..<n { expansions[used + k] = weight(k) }
                used += n
            }
        }
        ascii = .allocate(capacity: 128)
        for c in 0..<128 {
            let e = entries[Int(pages[0]) * 256 + c]
            precondition(e & Self.multiple == 0, "UCATables: ASCII U+\(String(c, radix: 16)) must have one weight or none")
            ascii[c] = UInt16(e)
        }
        spaceWeight = ascii[0x20]
    }

    /// The table entry of a code point (`absent` when it has no record).
    @inline(__always) func entry(_ cp: UInt32) -> UInt32 {
        guard cp < 0x110000 else { return Self.absent }
        let page = pages[Int(cp >> 8)]
        return page < 0 ? Self.absent : entries[Int(page) * 256 + Int(cp & 0xFF)]
    }

    @inline(__always) func expansion(_ offset: Int) -> UInt16 { expansions[offset] }

    /// The computed weights of a code point without a record (1-3 of them).
    @inline(__always) func computedWeights(_ cp: UInt32) -> (UInt16, UInt16, UInt16, count: Int) {
        if isDUCET900 {
            if cp >= 0xAC00 && cp <= 0xD7AF {
                // MySQL decomposes the whole block, U+D7A4-D7AF included
                let index = cp - 0xAC00
                let l = 0x1100 + index / 588, v = 0x1161 + (index % 588) / 28, t = index % 28
                let wl = firstWeight(l), wv = firstWeight(v)
                return t == 0 ? (wl, wv, 0, 2) : (wl, wv, firstWeight(0x11A7 + t), 3)
            }
            if cp >= 0x17000 && cp <= 0x18AFF { return (0xFB00, UInt16((cp - 0x17000) | 0x8000), 0, 2) }
            let base: UInt32
            if (cp >= 0x4E00 && cp <= 0x9FD5) || (cp >= 0xFA0E && cp <= 0xFA29) {
                base = 0xFB40
            } else if (cp >= 0x3400 && cp <= 0x4DB5) || (cp >= 0x20000 && cp <= 0x2A6D6) || (cp >= 0x2A700 && cp <= 0x2B734)
                        || (cp >= 0x2B740 && cp <= 0x2B81D) || (cp >= 0x2B820 && cp <= 0x2CEA1) {
                base = 0xFB80
            } else {
                base = 0xFBC0
            }
            return (UInt16(base + (cp >> 15)), UInt16((cp & 0x7FFF) | 0x8000), 0, 2)
        }
        if cp > 0xFFFF { return (0xFFFD, 0, 0, 1) }
        let base: UInt32 = cp >= 0x4E00 && cp <= 0x9FA5 ? 0xFB40 : (cp >= 0x3400 && cp <= 0x4DB5 ? 0xFB80 : 0xFBC0)
        return (UInt16(base + (cp >> 15)), UInt16((cp & 0x7FFF) | 0x8000), 0, 2)
    }

    /// The first weight of a jamo (MySQL takes only the first collation element's).
    private func firstWeight(_ cp: UInt32) -> UInt16 {
        let e = entry(cp)
        if e == Self.absent { return computedWeights(cp).0 }
        return e & Self.multiple != 0 ? expansions[Int(e & 0xFF_FFFF)] : UInt16(e)
    }

    /// One value per distinct weight string of a single character, for LIKE's per-character
    /// matching (MySQL compares the characters' weights): the weight itself below 0x10000,
    /// two weights packed above, and for a longer expansion its first two weights with the
    /// top bit set (such characters then match only one another by those two).
    ///
    /// Under 4.0.0 a supplementary character matches only itself (MySQL's LIKE compares their
    /// code points, although `=` finds them all equal): its class is the code point.
    func characterClass(_ cp: UInt32) -> UInt32 {
        if !isDUCET900 && cp > 0xFFFF { return cp }
        let e = entry(cp)
        if e == Self.absent {
            let w = computedWeights(cp)
            if w.count == 1 { return UInt32(w.0) }
            return UInt32(w.0) << 16 | UInt32(w.1)
        }
        if e & Self.multiple == 0 { return e }
        let n = Int(e >> 24 & 0x7F), offset = Int(e & 0xFF_FFFF)
        let packed = UInt32(expansions[offset]) << 16 | UInt32(expansions[offset + 1])
        return n == 2 ? packed : packed | 0x8000_0000
    }
}

/// Reads the weights of a UTF-8 string one at a time.
struct UCAScanner {
    private let table: UCAWeightTable
    private let text: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private var pendingOffset = 0
    private var pendingCount = 0
    private var computed: (UInt16, UInt16, UInt16, count: Int) = (0, 0, 0, 0)
    private var computedIndex = 0

    init(_ table: UCAWeightTable, _ text: UnsafeBufferPointer<UInt8>) {
        self.table = table
        self.text = text
    }

    /// The next weight, or -1 at the end of the string.
    @inline(__always) mutating func next() -> Int {
        if pendingCount > 0 {
            pendingCount -= 1
            pendingOffset += 1
            return Int(table.expansion(pendingOffset - 1))
        }
        if computedIndex < computed.count {
            computedIndex += 1
            switch computedIndex {
            case 2: return Int(computed.1)
            default: return Int(computed.2)
            }
        }
        while position < text.count {
            let c = text[position]
            if c < 0x80 {
                position += 1
                let w = table.ascii[Int(c)]
                if w != 0 { return Int(w) }
                continue
            }
            let (cp, length) = decodeUTF8(text, position)
            position += length
            let e = table.entry(cp)
            if e == UCAWeightTable.absent {
                computed = table.computedWeights(cp)
                computedIndex = 1
                return Int(computed.0)
            }
            if e & UCAWeightTable.multiple == 0 {
                if e != 0 { return Int(e) }
                continue
            }
            pendingCount = Int(e >> 24 & 0x7F) - 1
            pendingOffset = Int(e & 0xFF_FFFF) + 1
            return Int(table.expansion(pendingOffset - 1))
        }
        return -1
    }
}

extension UCAWeightTable {
    /// NO PAD sort key: every weight, 2 bytes big-endian.
    func key(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var asciiEnd = 0
        while asciiEnd < p.count && p[asciiEnd] < 0x80 { asciiEnd += 1 }
        // ASCII prefix: one table load and two stores per byte, into the final array
        let table = ascii
        var out = [UInt8](unsafeUninitializedCapacity: 2 * asciiEnd) { buffer, count in
            var o = 0
            for i in 0..<asciiEnd {
                let w = table[Int(p[i])]
                if w != 0 {
                    buffer[o] = UInt8(w >> 8)
                    buffer[o + 1] = UInt8(truncatingIfNeeded: w)
                    o += 2
                }
            }
            count = o
        }
        guard asciiEnd < p.count else { return out }
        out.reserveCapacity(out.count + 2 * (p.count - asciiEnd))
        var scanner = UCAScanner(self, UnsafeBufferPointer(rebasing: p[asciiEnd...]))
        while true {
            let w = scanner.next()
            if w < 0 { return out }
            out.append(UInt8(w >> 8))
            out.append(UInt8(w & 0xFF))
        }
    }

    /// PAD SPACE sort key: compares (memcmp) as MySQL compares the strings, the shorter one
    /// padded with spaces — so a weight below the space's (tab, newline) after the end of the
    /// other string sorts first. Weights are grouped into tokens, each a run of k space weights
    /// and the weight X after it:
    ///
    /// | token | bytes |
    /// |---|---|
    /// | k = 0, X above space | X (2 bytes; first byte ≥ 0x02) |
    /// | k ≥ 1, X above space | 0x01, 0xFFFF − k (2 bytes), X |
    /// | X below space (any k) | 0x00, k (2 bytes), X |
    /// | end of string (trailing spaces dropped) | 0x01 0x00 |
    ///
    /// Runs longer than 0xFEFF spaces count as 0xFEFF.
    func appendPadSpaceKey(_ p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let space = Int(spaceWeight)
        var run = 0
        var i = 0
        // ASCII fast path, then the scanner for the rest
        while i < p.count && p[i] < 0x80 {
            let w = Int(ascii[Int(p[i])])
            i += 1
            if w == 0 { continue }
            if w == space { run += 1; continue }
            Self.appendToken(w, space: space, run: &run, to: &out)
        }
        if i < p.count {
            var scanner = UCAScanner(self, UnsafeBufferPointer(rebasing: p[i...]))
            while true {
                let w = scanner.next()
                if w < 0 { break }
                if w == space { run += 1; continue }
                Self.appendToken(w, space: space, run: &run, to: &out)
            }
        }
        out.append(0x01)
        out.append(0x00)
    }

    @inline(__always) private static func appendToken(_ w: Int, space: Int, run: inout Int, to out: inout [UInt8]) {
        let k = min(run, 0xFEFF)
        if w > space {
            if k > 0 {
                out.append(0x01)
                out.append(UInt8((0xFFFF - k) >> 8))
                out.append(UInt8((0xFFFF - k) & 0xFF))
            }
        } else {
            out.append(0x00)
            out.append(UInt8(k >> 8))
            out.append(UInt8(k & 0xFF))
        }
        out.append(UInt8(w >> 8))
        out.append(UInt8(w & 0xFF))
        run = 0
    }

    /// Three-way PAD SPACE comparison without building keys: the shorter weight string is
    /// compared as if followed by spaces.
    func comparePadded(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        let n = min(a.count, b.count)
        while i < n && a[i] == b[i] && a[i] < 0x80 { i += 1 }
        var sa = UCAScanner(self, UnsafeBufferPointer(rebasing: a[i...]))
        var sb = UCAScanner(self, UnsafeBufferPointer(rebasing: b[i...]))
        let space = Int(spaceWeight)
        while true {
            let wa = sa.next(), wb = sb.next()
            if wa == wb {
                if wa < 0 { return 0 }
                continue
            }
            if wa >= 0 && wb >= 0 { return wa < wb ? -1 : 1 }
            // one string ended: the other's first weight that is not a space decides
            var w = wa < 0 ? wb : wa
            while w == space { w = wa < 0 ? sb.next() : sa.next() }
            if w < 0 { return 0 }
            let longerIsLess = w < space
            return (wa < 0) == longerIsLess ? 1 : -1
        }
    }

    /// Three-way NO PAD comparison without building keys.
    func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        // common ASCII prefix: equal bytes weigh the same
        var i = 0
        let n = min(a.count, b.count)
        while i < n && a[i] == b[i] && a[i] < 0x80 { i += 1 }
        // ASCII on both sides, one weight each (ignorables take the general path)
        while i < n && a[i] < 0x80 && b[i] < 0x80 {
            let wa = ascii[Int(a[i])], wb = ascii[Int(b[i])]
            if wa == 0 || wb == 0 { break }
            if wa != wb { return wa < wb ? -1 : 1 }
            i += 1
        }
        var sa = UCAScanner(self, UnsafeBufferPointer(rebasing: a[i...]))
        var sb = UCAScanner(self, UnsafeBufferPointer(rebasing: b[i...]))
        while true {
            let wa = sa.next(), wb = sb.next()
            if wa != wb { return wa < wb ? -1 : 1 }
            if wa < 0 { return 0 }
        }
    }
}

/// Decodes base64 text, skipping whitespace (the generated tables are wrapped in lines).
private func decodeBase64(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var value = [UInt8](repeating: 0xFF, count: 256)
    for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { value[Int(c)] = UInt8(i) }
    var out: [UInt8] = []
    out.reserveCapacity(text.count * 3 / 4)
    var buffer: UInt32 = 0, bits = 0
    for c in text {
        let v = value[Int(c)]
        if v == 0xFF { continue }   // newline, indentation, '=' padding
        buffer = buffer << 6 | UInt32(v)
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
        }
    }
    return out
}
