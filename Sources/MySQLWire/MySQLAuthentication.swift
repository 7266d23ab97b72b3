import Crypto
import _CryptoExtras
import Foundation

// The authentication plugins' client computations and the server's checks.
//
// mysql_native_password   token = SHA1(pw) XOR SHA1(nonce ‖ SHA1(SHA1(pw)))
//                         the server keeps SHA1(SHA1(pw)) ("*" + 40 hex digits)
// caching_sha2_password   fast token = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) ‖ nonce)
//                         the server checks it against a cached SHA256(SHA256(pw));
//                         full authentication sends pw + NUL over TLS, or
//                         RSA-OAEP(SHA-1)((pw + NUL) XOR nonce repeated) in clear.
// An empty password is an empty token in both plugins.

/// The authentication plugins onebox speaks.
public enum MySQLAuthPlugin: String, Sendable, CaseIterable {
    case nativePassword = "mysql_native_password"
    case cachingSHA2Password = "caching_sha2_password"
}

/// mysql_native_password.
public enum MySQLNativePassword {
    /// The client's 20-byte token (empty for an empty password).
    public static func scramble(password: [UInt8], nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(Insecure.SHA1.hash(data: password))
        let stage2 = Array(Insecure.SHA1.hash(data: stage1))
        let mask = Array(Insecure.SHA1.hash(data: nonce.prefix(20) + stage2))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// What the server stores: "*" + uppercase hex SHA1(SHA1(pw)), "" for no password.
    public static func authenticationString(password: [UInt8]) -> String {
        guard !password.isEmpty else { return "" }
        let stage2 = Insecure.SHA1.hash(data: Array(Insecure.SHA1.hash(data: password)))
        return "*" + stage2.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Checks a client token against a stored authentication string. Takes the same
    /// time whether or not it matches.
    public static func verify(token: [UInt8], nonce: [UInt8], authenticationString: String) -> Bool {
        if authenticationString.isEmpty { return token.isEmpty }
        guard let stage2 = parseStoredHash(authenticationString) else {
            _ = Insecure.SHA1.hash(data: nonce)  // keep the timing of a real check
            return false
        }
        let mask = Array(Insecure.SHA1.hash(data: nonce.prefix(20) + stage2))
        var candidate = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 { candidate[i] = (i < token.count ? token[i] : 0) ^ mask[i] }
        let check = Array(Insecure.SHA1.hash(data: candidate))
        return constantTimeEqual(check, stage2) && token.count == 20
    }

    private static func parseStoredHash(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 41, utf8[0] == UInt8(ascii: "*") else { return nil }
        return hexDecode(utf8[1...])
    }
}

/// caching_sha2_password.
public enum CachingSHA2Password {
    /// The client's 32-byte fast-path token (empty for an empty password).
    public static func scramble(password: [UInt8], nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(SHA256.hash(data: password))
        let stage2 = Array(SHA256.hash(data: stage1))
        let mask = Array(SHA256.hash(data: stage2 + nonce.prefix(20)))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// SHA256(SHA256(pw)): what the server's fast-path cache holds.
    public static func cacheEntry(password: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(SHA256.hash(data: password))))
    }

    /// Checks a fast-path token against a cache entry, in constant time.
    public static func verifyFast(token: [UInt8], nonce: [UInt8], cacheEntry: [UInt8]) -> Bool {
        let mask = Array(SHA256.hash(data: cacheEntry + nonce.prefix(20)))
        var candidate = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 { candidate[i] = (i < token.count ? token[i] : 0) ^ mask[i] }
        let check = Array(SHA256.hash(data: candidate))
        return constantTimeEqual(check, cacheEntry) && token.count == 32
    }

    /// The client's RSA full-authentication message for a server public key (PEM).
    public static func encryptPassword(_ password: [UInt8], nonce: [UInt8], publicKeyPEM: String) throws -> [UInt8] {
        let key = try _RSA.Encryption.PublicKey(unsafePEMRepresentation: publicKeyPEM)
        let plain = xorWithNonce(password + [0], nonce: nonce)
        return Array(try key.encrypt(plain, padding: .PKCS1_OAEP))
    }

    /// The server's side of `encryptPassword`: the password without its NUL.
    public static func decryptPassword(_ cipher: [UInt8], nonce: [UInt8], privateKey: _RSA.Encryption.PrivateKey) throws -> [UInt8] {
        let plain = xorWithNonce(Array(try privateKey.decrypt(cipher, padding: .PKCS1_OAEP)), nonce: nonce)
        return plain.last == 0 ? Array(plain.dropLast()) : plain
    }

    /// A clear-text full-authentication message (over TLS): the password without its NUL.
    public static func clearTextPassword(_ message: [UInt8]) -> [UInt8] {
        message.last == 0 ? Array(message.dropLast()) : message
    }

    static func xorWithNonce(_ bytes: [UInt8], nonce: [UInt8]) -> [UInt8] {
        guard !nonce.isEmpty else { return bytes }
        return bytes.enumerated().map { $0.element ^ nonce[$0.offset % nonce.count] }
    }
}

/// Nonces for the handshake and auth switches.
public enum MySQLNonce {
    /// 20 random printable ASCII bytes (never NUL, never '$'), as MySQL makes them.
    public static func make() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in
            var byte: UInt8
            repeat { byte = UInt8.random(in: 0x21...0x7E, using: &generator) } while byte == UInt8(ascii: "$")
            return byte
        }
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}

func hexDecode(_ text: some Collection<UInt8>) -> [UInt8]? {
    guard text.count % 2 == 0 else { return nil }
    var result: [UInt8] = []
    result.reserveCapacity(text.count / 2)
    var high: UInt8?
    for c in text {
        let nibble: UInt8
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
        default: return nil
        }
        if let h = high {
            result.append(h << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    return result
}
