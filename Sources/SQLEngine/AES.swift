import Crypto
import _CryptoExtras

/// AES_ENCRYPT()/AES_DECRYPT() under MySQL's default block_encryption_mode aes-128-ecb:
/// PKCS#7 padding, each 16-byte block through BoringSSL's AES permutation (swift-crypto's
/// `AES.permute`). Keys are folded the way MySQL folds them: key byte i is XORed into byte
/// i mod 16 of the 128-bit key, so any key length works.
enum AES128 {
    /// MySQL's key folding: a 16-byte key from any number of bytes.
    static func foldKey(_ key: [UInt8]) -> SymmetricKey {
        var k = [UInt8](repeating: 0, count: 16)
        for (i, b) in key.enumerated() { k[i % 16] ^= b }
        return SymmetricKey(data: k)
    }

    /// nil only if BoringSSL refuses the block or key (it cannot: both are 16 bytes).
    static func encrypt(_ data: [UInt8], key: [UInt8]) -> [UInt8]? {
        let key = foldKey(key)
        let padding = 16 - data.count % 16
        var out = data + [UInt8](repeating: UInt8(padding), count: padding)
        for start in stride(from: 0, to: out.count, by: 16) {
            guard (try? AES.permute(&out[start..<(start + 16)], key: key)) != nil else { return nil }
        }
        return out
    }

    /// nil when the input is not whole blocks or the padding is wrong (AES_DECRYPT gives NULL).
    static func decrypt(_ data: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard !data.isEmpty, data.count % 16 == 0 else { return nil }
        let key = foldKey(key)
        var out = data
        for start in stride(from: 0, to: out.count, by: 16) {
            guard (try? AES.inversePermute(&out[start..<(start + 16)], key: key)) != nil else { return nil }
        }
        guard let pad = out.last, pad >= 1, pad <= 16, out.suffix(Int(pad)).allSatisfy({ $0 == pad }) else { return nil }
        return Array(out.dropLast(Int(pad)))
    }
}
