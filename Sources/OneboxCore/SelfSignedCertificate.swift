import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate a role uses when none is configured (the web front, the database's
/// TLS): ECDSA P-256, self-signed, for the given names, made on first start and kept in
/// `<state-dir>/tls/` (`self-signed.crt`, `self-signed.key` at mode 0600) so every
/// restart serves the same one. Regenerated when it has expired or no longer covers
/// the names asked for.
public enum SelfSignedCertificate {
    /// How long a generated certificate is valid.
    public static let validity: TimeInterval = 397 * 86_400

    /// Returns the certificate and key files for `names`, generating them when needed.
    public static func ensure(directory: String, names: [String], baseName: String = "self-signed") throws(CertificateFileError) -> (certificate: String, key: String) {
        let certificatePath = directory + "/" + baseName + ".crt"
        let keyPath = directory + "/" + baseName + ".key"
        if let existing = try? String(contentsOfFile: certificatePath, encoding: .utf8),
           FileManager.default.fileExists(atPath: keyPath),
           let certificate = try? Certificate(pemEncoded: existing),
           certificate.notValidAfter > Date().addingTimeInterval(86_400),
           Set(names.map { $0.lowercased() }).isSubset(of: Set(dnsNames(of: certificate))) {
            return (certificatePath, keyPath)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let (certificatePEM, keyPEM) = try make(names: names)
            try PrivateFile.write(keyPEM, to: keyPath)
            try certificatePEM.write(toFile: certificatePath + ".tmp", atomically: false, encoding: .utf8)
            _ = rename(certificatePath + ".tmp", certificatePath)
            return (certificatePath, keyPath)
        } catch {
            throw CertificateFileError(path: certificatePath, reason: "cannot generate a self-signed certificate: \(error)")
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
            // keyCertSign: the certificate signs itself, and BoringSSL (swift-nio-ssl clients)
            // accepts a self-signed certificate as its own trust root only with it.
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
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

    /// The DNS names (lower case) and IPv4 literals a certificate covers.
    public static func dnsNames(of certificate: Certificate) -> [String] {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let dns): names.append(dns.lowercased())
                case .ipAddress(let bytes) where bytes.bytes.count == 4:
                    names.append(bytes.bytes.map(String.init).joined(separator: "."))
                default: break
                }
            }
        }
        return names
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

/// A certificate or key file that cannot be made or used.
public struct CertificateFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
