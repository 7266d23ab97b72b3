import CCRC32C
import Synchronization

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the CPU's crc32 instruction
/// where there is one (SSE 4.2, AArch64 CRC; ~10x the tables), else slicing-by-8 in
/// software. Used for every page, every log frame and the log header. Check value: the
/// CRC of "123456789" is 0xE3069283.
public enum CRC32C {
    /// Whether `checksum` uses the CPU's instruction (read once).
    public static let usesHardware = onebox_crc32c_hardware_available() == 1

    /// Eight 256-entry tables; table 0 is the classic byte-at-a-time table. Kept in
    /// one immortal allocation so the inner loop indexes a raw pointer (no closure, no
    /// captured variables, no bounds checks).
    nonisolated(unsafe) static let table: UnsafePointer<UInt32> = {
        let t = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        return UnsafePointer(t)
    }()

    /// The CRC of `bytes`, continuing from `crc` (the CRC of the bytes before; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        if usesHardware { return onebox_crc32c_update(~crc, base, bytes.count) ^ 0xFFFF_FFFF }
        return update(~crc, base, bytes.count) ^ 0xFFFF_FFFF
    }

    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// One slicing-by-8 step: 8 bytes at `p` into register `c`.
    @inline(__always)
    static func step8(_ c: UInt32, _ p: UnsafeRawPointer, _ t: UnsafePointer<UInt32>) -> UInt32 {
        let lo = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) ^ c
        let hi = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return t[1792 &+ Int(lo & 0xFF)] ^ t[1536 &+ Int((lo >> 8) & 0xFF)]
            ^ t[1280 &+ Int((lo >> 16) & 0xFF)] ^ t[1024 &+ Int(lo >> 24)]
            ^ t[768 &+ Int(hi & 0xFF)] ^ t[512 &+ Int((hi >> 8) & 0xFF)]
            ^ t[256 &+ Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
    }

    /// The software path, for tests that compare it with the instruction.
    static func softwareChecksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return crc }
            return update(~crc, base, raw.count) ^ 0xFFFF_FFFF
        }
    }

    /// The register after `count` bytes at `base`, starting from register `start`
    /// (registers are the raw, un-inverted CRC state). Long inputs run as three
    /// interleaved streams — the table lookups of one hide the latency of the others —
    /// joined by `shift`, which advances a register over a run of zero bytes.
    static func update(_ start: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32 {
        let t = table
        var c = start
        var p = base
        var n = count
        if n >= 3 * 512 {
            let third = (n / 3) & ~7
            let shift = Shift.forLength(third)
            var c1: UInt32 = 0
            var c2: UInt32 = 0
            var p1 = p + third
            var p2 = p + 2 * third
            let end0 = p + third
            while p < end0 {
                c = step8(c, p, t)
                c1 = step8(c1, p1, t)
                c2 = step8(c2, p2, t)
                p += 8
                p1 += 8
                p2 += 8
            }
            c = shift.apply(shift.apply(c) ^ c1) ^ c2
            p = base + 3 * third
            n = count - 3 * third
        }
        while n >= 8 {
            c = step8(c, p, t)
            p += 8
            n -= 8
        }
        while n > 0 {
            c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
            p += 1
            n -= 1
        }
        return c
    }

    /// The linear map "feed `length` zero bytes" on a CRC register, as four 256-entry
    /// tables (one per register byte). Built once per length and kept.
    struct Shift: @unchecked Sendable {
        let tables: UnsafePointer<UInt32>

        @inline(__always) func apply(_ c: UInt32) -> UInt32 {
            tables[Int(c & 0xFF)] ^ tables[256 &+ Int((c >> 8) & 0xFF)]
                ^ tables[512 &+ Int((c >> 16) & 0xFF)] ^ tables[768 &+ Int(c >> 24)]
        }

        static let cache = Mutex<[Int: Shift]>([:])

        static func forLength(_ length: Int) -> Shift {
            if let s = cache.withLock({ $0[length] }) { return s }
            let t = table
            // Images of the 32 basis registers after `length` zero bytes.
            var basis = [UInt32](repeating: 0, count: 32)
            for bit in 0..<32 {
                var c = UInt32(1) << UInt32(bit)
                for _ in 0..<length { c = t[Int(c & 0xFF)] ^ (c >> 8) }
                basis[bit] = c
            }
            let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 1024)
            for k in 0..<4 {
                for b in 0..<256 {
                    var v: UInt32 = 0
                    for i in 0..<8 where b & (1 << i) != 0 { v ^= basis[8 * k + i] }
                    out[256 * k + b] = v
                }
            }
            let shift = Shift(tables: UnsafePointer(out))
            return cache.withLock { cache in
                if let existing = cache[length] {
                    out.deallocate()
                    return existing
                }
                cache[length] = shift
                return shift
            }
        }
    }
}
