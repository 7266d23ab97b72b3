import Crypto
import _CryptoExtras
import Foundation
import MySQLWire

// What the `mysql.user` table keeps per account (`authentication_string`), by plugin:
//
//   mysql_native_password   "*" + 40 uppercase hex digits of SHA1(SHA1(password)) — MySQL's own format
//   caching_sha2_password   "$pbkdf2-sha256$<rounds>$<salt hex>$<hash hex>"  (onebox's format; MySQL
//                           keeps a sha256crypt string — neither is ever sent to a client)
//   either, no password     ""
//
// The caching_sha2 fast path cannot be checked against the stored string: like MySQL,
// the server keeps SHA256(SHA256(password)) in memory (FastAuthCache) after one full
// authentication, and asks for full authentication until then.

/// Makes and checks stored authentication strings.
enum AuthenticationStrings {
    static let supportedPlugins = [MySQLAuthPlugin.cachingSHA2Password.rawValue, MySQLAuthPlugin.nativePassword.rawValue]
    /// PBKDF2 rounds for new caching_sha2_password strings (MySQL's sha256crypt uses 5000).
    static let rounds = 5000

    /// The stored string for `password` under `plugin`; an unknown plugin gets a string
    /// that never verifies.
    static func make(plugin: String, password: String) -> String {
        let bytes = Array(password.utf8)
        guard !bytes.isEmpty else { return "" }
        switch MySQLAuthPlugin(rawValue: plugin) {
        case .nativePassword: return MySQLNativePassword.authenticationString(password: bytes)
        case .cachingSHA2Password:
            var generator = SystemRandomNumberGenerator()
            let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return "$pbkdf2-sha256$\(rounds)$\(hex(salt))$\(hex(derive(bytes, salt: salt, rounds: rounds)))"
        case nil: return "!unsupported-plugin"
        }
    }

    /// A stored string for an account that does not exist, so that refusing an unknown
    /// user costs the same as refusing a wrong password.
    static func decoy(plugin: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(plugin: plugin, password: String((0..<16).map { _ in Character(UnicodeScalar(UInt8.random(in: 97...122, using: &generator))) }))
    }

    /// Checks a clear-text password (caching_sha2 full authentication) against a stored string.
    static func verify(password: [UInt8], plugin: String, authenticationString: String) -> Bool {
        if authenticationString.isEmpty { return password.isEmpty }
        switch MySQLAuthPlugin(rawValue: plugin) {
        case .nativePassword:
            let computed = Array(MySQLNativePassword.authenticationString(password: password).utf8)
            return constantTimeEqual(computed, Array(authenticationString.utf8))
        case .cachingSHA2Password:
            let parts = authenticationString.split(separator: "$", omittingEmptySubsequences: true)
            guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
                  let salt = unhex(parts[2]), let expected = unhex(parts[3]) else { return false }
            return constantTimeEqual(derive(password, salt: salt, rounds: rounds), expected)
        case nil:
            return false
        }
    }

    private static func derive(_ password: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        // PBKDF2 with fewer rounds than _CryptoExtras' 210,000 floor: it runs on every
        // full authentication and must stay near MySQL's cost (a few milliseconds).
        let key = try? KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256,
                                                     outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.map { $0.withUnsafeBytes { Array($0) } } ?? []
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < utf8.count {
            guard let byte = UInt8(String(decoding: utf8[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
