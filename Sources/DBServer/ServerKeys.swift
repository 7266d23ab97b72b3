import _CryptoExtras
import Foundation
import OneboxCore

/// The RSA key pair for caching_sha2_password's key exchange without TLS: 2048 bits,
/// generated on first start into `<state-dir>/tls/db-rsa.key` (mode 0600) and reused,
/// so clients that pinned the public key keep working across restarts.
struct ServerKeys: @unchecked Sendable {
    let privateKey: _RSA.Encryption.PrivateKey
    let publicKeyPEM: String

    static func loadOrCreate(directory: String) throws -> ServerKeys {
        let path = directory + "/db-rsa.key"
        if let pem = try? String(contentsOfFile: path, encoding: .utf8) {
            do {
                let key = try _RSA.Encryption.PrivateKey(pemRepresentation: pem)
                return ServerKeys(privateKey: key, publicKeyPEM: key.publicKey.pemRepresentation + "\n")
            } catch {
                throw DBServerError.secretUnusable(path: path, reason: "not an RSA private key in PEM: \(error)")
            }
        }
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        do {
            try PrivateFile.write(key.pemRepresentation + "\n", to: path)
        } catch {
            throw DBServerError.secretUnusable(path: path, reason: "cannot write the generated RSA key: \(error)")
        }
        return ServerKeys(privateKey: key, publicKeyPEM: key.publicKey.pemRepresentation + "\n")
    }
}
