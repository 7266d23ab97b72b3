/// SQL LIKE: `%` any run, `_` one character (UTF-8 aware), the escape character quotes the next.
/// Case/accent folding follows the comparison collation: under the UCA collations two
/// characters match when their weights are the same (MySQL's per-character comparison).
struct LikeMatcher {
    enum Piece { case literal(UInt32), any, many }
    let pieces: [Piece]
    let collation: Collation

    init(pattern: [UInt8], escape: UInt8, collation: Collation) {
        self.collation = collation
        var out: [Piece] = []
        let scalars = LikeMatcher.decode(pattern, collation)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == UInt32(escape) && i + 1 < scalars.count {
                out.append(.literal(LikeMatcher.fold(scalars[i + 1], collation)))
                i += 2
                continue
            }
            if c == 37 {
                if case .many? = out.last {} else { out.append(.many) }
            } else if c == 95 {
                out.append(.any)
            } else {
                out.append(.literal(LikeMatcher.fold(c, collation)))
            }
            i += 1
        }
        pieces = out
    }

    static func decode(_ b: [UInt8], _ collation: Collation) -> [UInt32] {
        if collation == .binary { return b.map(UInt32.init) }
        var out: [UInt32] = []
        out.reserveCapacity(b.count)
        b.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if p[i] < 0x80 { out.append(UInt32(p[i])); i += 1; continue }
                let (s, l) = decodeUTF8(p, i)
                out.append(s)
                i += l
            }
        }
        return out
    }

    static func fold(_ c: UInt32, _ collation: Collation) -> UInt32 {
        switch collation {
        case .general: return UCAWeightTable.ducet900.characterClass(c)
        case .unicodeCI: return UCAWeightTable.unicode400.characterClass(c)
        default: return collation.isCaseInsensitive ? collationWeight(c) : c
        }
    }

    func matches(_ text: [UInt8]) -> Bool {
        let s = LikeMatcher.decode(text, collation).map { LikeMatcher.fold($0, collation) }
        // iterative wildcard matching with backtracking to the last %
        var si = 0, pi = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < pieces.count {
                switch pieces[pi] {
                case .many:
                    starP = pi
                    starS = si
                    pi += 1
                    continue
                case .any:
                    si += 1; pi += 1
                    continue
                case .literal(let c):
                    if c == s[si] { si += 1; pi += 1; continue }
                }
            }
            if starP >= 0 {
                pi = starP + 1
                starS += 1
                si = starS
                continue
            }
            return false
        }
        while pi < pieces.count, case .many = pieces[pi] { pi += 1 }
        return pi == pieces.count
    }
}
