/// Character boundaries in a string's stored bytes (utf8mb4), found by walking only as far
/// as a function needs: SUBSTRING(body, 1, 400) over a long TEXT reads 400 characters, not
/// the whole value, and allocates nothing but its result.
///
/// The boundaries are those of `splitCharacters`: a lead byte gives its sequence length
/// (0xC0… 2, 0xE0… 3, 0xF0… 4), anything else is one byte, and a sequence cut off by the
/// end of the string counts as one byte.
enum UTF8Characters {
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : (lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : (lead >= 0xC0 ? 2 : 1)))
    }

    /// The byte offset `n` characters after byte offset `start` (a boundary), or
    /// `bytes.count` when the string ends first.
    static func offset(in bytes: [UInt8], advancing n: Int, from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var i = start
            var left = n
            while left > 0 && i < b.count {
                let len = sequenceLength(b[i])
                i += i + len > b.count ? 1 : len
                left -= 1
            }
            return min(i, b.count)
        }
    }

    /// The number of characters of `bytes`.
    static func count(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            var n = 0
            while i < b.count {
                let len = sequenceLength(b[i])
                i += i + len > b.count ? 1 : len
                n += 1
            }
            return n
        }
    }

    /// SUBSTRING(bytes, pos, len) as byte bounds, MySQL's rules: positions count from 1, a
    /// negative position from the end, position 0 or beyond the end or a length ≤ 0 give
    /// the empty string. `binary`: positions are bytes.
    static func substringBounds(_ bytes: [UInt8], position: Int, length: Int, binary: Bool) -> Range<Int> {
        var pos = position
        if pos < 0 {
            let count = binary ? bytes.count : count(bytes)
            pos = count + pos + 1
            if pos < 1 { return 0..<0 }
        }
        if pos == 0 || length <= 0 { return 0..<0 }
        if binary {
            guard pos <= bytes.count else { return 0..<0 }
            let start = pos - 1
            return start..<(length >= bytes.count - start ? bytes.count : start + length)
        }
        let start = offset(in: bytes, advancing: pos - 1, from: 0)
        guard start < bytes.count else { return 0..<0 }
        return start..<offset(in: bytes, advancing: length, from: start)
    }
}
