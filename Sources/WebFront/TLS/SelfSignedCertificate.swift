import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate used when none is configured: ECDSA P-256, self-signed, for the
/// site's names, made on first start and kept in `<state-dir>/tls/` (`self-signed.crt`,
/// `self-signed.key` at mode 0600) so every restart serves the same one. Regenerated
/// when it has expired or no longer covers the configured names.
public enum SelfSignedCertificate {
    /// How long a generated certificate is valid.
    public static let validity: TimeInterval = 397 * 86_400

    /// Returns the certificate and key files for `names`, generating them when needed.
    public static func ensure(directory: String, names: [String]) throws(WebFrontError) -> (certificate: String, key: String) {
        let certificatePath = directory + "/self-signed.crt"
        let keyPath = directory + "/self-signed.key"
        if let existing = try? String(contentsOfFile: certificatePath, encoding: .utf8),
           FileManager.default.fileExists(atPath: keyPath),
           let certificate = try? Certificate(pemEncoded: existing),
           certificate.notValidAfter > Date().addingTimeInterval(86_400),
           Set(names).isSubset(of: Set(TLSCertificateStore.dnsNames(of: certificate))) {
            return (certificatePath, keyPath)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let (certificatePEM, keyPEM) = try make(names: names)
            // The key is created 0600 before any byte is written to it.
            guard FileManager.default.createFile(atPath: keyPath + ".tmp", contents: nil,
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw WebFrontError.certificateUnusable(path: keyPath, reason: "cannot create the file")
            }
            try keyPEM.write(toFile: keyPath + ".tmp", atomically: false, encoding: .utf8)
            try certificatePEM.write(toFile: certificatePath + ".tmp", atomically: false, encoding: .utf8)
            _ = rename(keyPath + ".tmp", keyPath)
            _ = rename(certificatePath + ".tmp", certificatePath)
            return (certificatePath, keyPath)
        } catch let error as WebFrontError {
            throw error
        } catch {
            throw .certificateUnusable(path: certificatePath, reason: "cannot generate a self-signed certificate: \(error)")
        }
    }

    /// A fresh key and certificate in PEM.
    public static func make(names: [String]) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("onebox")
            CommonName(names.first ?? "localhost")
        }
        let now = Date()
        var alternativeNames: [GeneralName] = []
        for name in names {
            if let address = ipAddressBytes(name) {
                alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
            } else {
                alternativeNames.append(.dnsName(name))
            }
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(alternativeNames)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// The four bytes of a dotted IPv4 literal, or nil.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }
}
