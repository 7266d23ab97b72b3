import _CryptoExtras
import Testing
@testable import MySQLWire

@Suite struct AuthenticationTests {
    let nonce = Array("abcdefghijklmnopqrst".utf8)

    // Vectors computed independently with Python's hashlib.
    @Test func nativePasswordVector() {
        let token = MySQLNativePassword.scramble(password: Array("secret".utf8), nonce: nonce)
        #expect(toHex(token) == "8817c50fa779daef010ee7577825b0847df9842e")
        #expect(MySQLNativePassword.authenticationString(password: Array("secret".utf8)) == "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7")
    }

    @Test func nativePasswordVerification() {
        let stored = MySQLNativePassword.authenticationString(password: Array("s3cr3t".utf8))
        let good = MySQLNativePassword.scramble(password: Array("s3cr3t".utf8), nonce: nonce)
        let bad = MySQLNativePassword.scramble(password: Array("s3cr3T".utf8), nonce: nonce)
        #expect(MySQLNativePassword.verify(token: good, nonce: nonce, authenticationString: stored))
        #expect(!MySQLNativePassword.verify(token: bad, nonce: nonce, authenticationString: stored))
        #expect(!MySQLNativePassword.verify(token: [], nonce: nonce, authenticationString: stored))
        #expect(!MySQLNativePassword.verify(token: Array(good.prefix(19)), nonce: nonce, authenticationString: stored))
        #expect(MySQLNativePassword.verify(token: [], nonce: nonce, authenticationString: ""))
        #expect(!MySQLNativePassword.verify(token: good, nonce: nonce, authenticationString: ""))
        #expect(!MySQLNativePassword.verify(token: good, nonce: nonce, authenticationString: "garbage"))
    }

    @Test func cachingSHA2FastPathVector() {
        let token = CachingSHA2Password.scramble(password: Array("secret".utf8), nonce: nonce)
        #expect(toHex(token) == "c76e2898612a4cf042c77fa8c4702c4c64c0c2c557c53c4d75595aaa6abae809")
        let entry = CachingSHA2Password.cacheEntry(password: Array("secret".utf8))
        #expect(toHex(entry) == "3881219d087dd9c634373fd33dfa33a2cb6bfc6c520b64b8bb60ef2ceb534ae7")
        #expect(CachingSHA2Password.verifyFast(token: token, nonce: nonce, cacheEntry: entry))
        let wrong = CachingSHA2Password.scramble(password: Array("secreT".utf8), nonce: nonce)
        #expect(!CachingSHA2Password.verifyFast(token: wrong, nonce: nonce, cacheEntry: entry))
        // Hashing in the wrong order (nonce first) must not verify: that bug silently degrades to full auth.
        #expect(!CachingSHA2Password.verifyFast(token: Array(token.reversed()), nonce: nonce, cacheEntry: entry))
    }

    @Test func rsaFullAuthenticationRoundTrip() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let password = Array("pässwörd with a long tail to cross the twenty byte nonce".utf8)
        let cipher = try CachingSHA2Password.encryptPassword(password, nonce: nonce, publicKeyPEM: key.publicKey.pemRepresentation)
        #expect(cipher.count == 256)
        #expect(try CachingSHA2Password.decryptPassword(cipher, nonce: nonce, privateKey: key) == password)
        let otherNonce = Array("ABCDEFGHIJKLMNOPQRST".utf8)
        #expect(try CachingSHA2Password.decryptPassword(cipher, nonce: otherNonce, privateKey: key) != password)
        #expect(throws: (any Error).self) { try CachingSHA2Password.decryptPassword(Array(cipher.dropLast()), nonce: nonce, privateKey: key) }
    }

    @Test func clearTextFullAuthenticationStripsTheNUL() {
        #expect(CachingSHA2Password.clearTextPassword(Array("pw\0".utf8)) == Array("pw".utf8))
    }
}
