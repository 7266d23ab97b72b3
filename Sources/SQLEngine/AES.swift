/// AES (FIPS-197) in ECB mode with PKCS#7 padding, for AES_ENCRYPT()/AES_DECRYPT() under MySQL's
/// default block_encryption_mode aes-128-ecb. Self-contained like Digest: the engine has no crypto
/// dependency. Keys are folded the way MySQL folds them: key byte i is XORed into round-key byte
/// i mod 16, so any key length works.
enum AES128 {
    private static let sbox: [UInt8] = {
        // generated from the multiplicative inverse in GF(2^8) and the affine map
        var box = [UInt8](repeating: 0, count: 256)
        var p: UInt8 = 1, q: UInt8 = 1
        repeat {
            p = p ^ (p << 1) ^ (p & 0x80 != 0 ? 0x1B : 0)
            q ^= q << 1; q ^= q << 2; q ^= q << 4
            if q & 0x80 != 0 { q ^= 0x09 }
            let x = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4)
            box[Int(p)] = x ^ 0x63
        } while p != 1
        box[0] = 0x63
        return box
    }()
    private static let inverse: [UInt8] = {
        var inv = [UInt8](repeating: 0, count: 256)
        for i in 0..<256 { inv[Int(sbox[i])] = UInt8(i) }
        return inv
    }()

    private static func rotl(_ x: UInt8, _ n: UInt8) -> UInt8 { x << n | x >> (8 - n) }
    private static func xtime(_ x: UInt8) -> UInt8 { x << 1 ^ (x & 0x80 != 0 ? 0x1B : 0) }
    private static func mul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, r: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { r ^= a }
            a = xtime(a)
            b >>= 1
        }
        return r
    }

    /// MySQL's key folding: a 16-byte key from any number of bytes.
    static func foldKey(_ key: [UInt8]) -> [UInt8] {
        var k = [UInt8](repeating: 0, count: 16)
        for (i, b) in key.enumerated() { k[i % 16] ^= b }
        return k
    }

    /// The 11 round keys (176 bytes) of a 16-byte key.
    private static func expand(_ key: [UInt8]) -> [UInt8] {
        var w = key
        var rcon: UInt8 = 1
        while w.count < 176 {
            var t = Array(w[(w.count - 4)...])
            if w.count % 16 == 0 {
                t = [sbox[Int(t[1])] ^ rcon, sbox[Int(t[2])], sbox[Int(t[3])], sbox[Int(t[0])]]
                rcon = xtime(rcon)
            }
            for i in 0..<4 { w.append(w[w.count - 16] ^ t[i]) }
        }
        return w
    }

    private static func encryptBlock(_ s: inout [UInt8], _ rk: [UInt8]) {
        for i in 0..<16 { s[i] ^= rk[i] }
        for round in 1...10 {
            for i in 0..<16 { s[i] = sbox[Int(s[i])] }
            // shift rows (column-major state)
            let t = s
            for c in 0..<4 { for r in 0..<4 { s[c * 4 + r] = t[((c + r) % 4) * 4 + r] } }
            if round < 10 {
                for c in 0..<4 {
                    let a0 = s[c * 4], a1 = s[c * 4 + 1], a2 = s[c * 4 + 2], a3 = s[c * 4 + 3]
                    s[c * 4] = xtime(a0) ^ (xtime(a1) ^ a1) ^ a2 ^ a3
                    s[c * 4 + 1] = a0 ^ xtime(a1) ^ (xtime(a2) ^ a2) ^ a3
                    s[c * 4 + 2] = a0 ^ a1 ^ xtime(a2) ^ (xtime(a3) ^ a3)
                    s[c * 4 + 3] = (xtime(a0) ^ a0) ^ a1 ^ a2 ^ xtime(a3)
                }
            }
            for i in 0..<16 { s[i] ^= rk[round * 16 + i] }
        }
    }

    private static func decryptBlock(_ s: inout [UInt8], _ rk: [UInt8]) {
        for i in 0..<16 { s[i] ^= rk[160 + i] }
        for round in stride(from: 9, through: 0, by: -1) {
            let t = s
            for c in 0..<4 { for r in 0..<4 { s[((c + r) % 4) * 4 + r] = t[c * 4 + r] } }
            for i in 0..<16 { s[i] = inverse[Int(s[i])] }
            for i in 0..<16 { s[i] ^= rk[round * 16 + i] }
            if round > 0 {
                for c in 0..<4 {
                    let a0 = s[c * 4], a1 = s[c * 4 + 1], a2 = s[c * 4 + 2], a3 = s[c * 4 + 3]
                    s[c * 4] = mul(a0, 14) ^ mul(a1, 11) ^ mul(a2, 13) ^ mul(a3, 9)
                    s[c * 4 + 1] = mul(a0, 9) ^ mul(a1, 14) ^ mul(a2, 11) ^ mul(a3, 13)
                    s[c * 4 + 2] = mul(a0, 13) ^ mul(a1, 9) ^ mul(a2, 14) ^ mul(a3, 11)
                    s[c * 4 + 3] = mul(a0, 11) ^ mul(a1, 13) ^ mul(a2, 9) ^ mul(a3, 14)
                }
            }
        }
    }

    static func encrypt(_ data: [UInt8], key: [UInt8]) -> [UInt8] {
        let rk = expand(foldKey(key))
        let padding = 16 - data.count % 16
        let padded = data + [UInt8](repeating: UInt8(padding), count: padding)
        var out: [UInt8] = []
        out.reserveCapacity(padded.count)
        for start in stride(from: 0, to: padded.count, by: 16) {
            var block = Array(padded[start..<(start + 16)])
            encryptBlock(&block, rk)
            out += block
        }
        return out
    }

    /// nil when the input is not whole blocks or the padding is wrong (AES_DECRYPT gives NULL).
    static func decrypt(_ data: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard !data.isEmpty, data.count % 16 == 0 else { return nil }
        let rk = expand(foldKey(key))
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        for start in stride(from: 0, to: data.count, by: 16) {
            var block = Array(data[start..<(start + 16)])
            decryptBlock(&block, rk)
            out += block
        }
        guard let pad = out.last, pad >= 1, pad <= 16, out.suffix(Int(pad)).allSatisfy({ $0 == pad }) else { return nil }
        return Array(out.dropLast(Int(pad)))
    }
}
