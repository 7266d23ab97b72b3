@preconcurrency import Crypto

/// Cross-site request forgery protection, "signed double submit": the browser holds
/// a random value in a SameSite cookie; forms carry HMAC-SHA256(key, value). A forged
/// form from another site can neither read the cookie nor compute the token.
struct CSRFProtection: Sendable {
    static let cookieName = "csrf"
    private let key: SymmetricKey

    /// `secret` empty: a random key for this process.
    init(secret: [UInt8]) {
        key = secret.isEmpty ? SymmetricKey(size: .bits256) : SymmetricKey(data: SHA256.hash(data: secret))
    }

    /// A new cookie value: 16 random bytes in hex.
    static func makeCookieValue() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// True for a value this app could have made (so a garbage cookie is replaced).
    static func isWellFormed(_ cookie: String) -> Bool {
        cookie.utf8.count == 32 && cookie.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The form token for a cookie value.
    func token(for cookie: String) -> String {
        Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(cookie.utf8), using: key)))
    }

    /// Checks a submitted token against the cookie, in constant time.
    func isValid(token: String, cookie: String?) -> Bool {
        guard let cookie, Self.isWellFormed(cookie) else { return false }
        let expected = Array(self.token(for: cookie).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<expected.count { difference |= expected[i] ^ given[i] }
        return difference == 0
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads one cookie from a Cookie header value (`a=1; csrf=abc`).
enum CookieHeader {
    static func value(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: " ") == name {
                return pair[1].trimmingCharacters(in: " \"")
            }
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
