import Foundation
import NIOCore
import NIOSSL
import OneboxCore
import X509

/// The certificates the front serves and the TLS server context built from them.
///
/// The default pair (configured PEM files, or the generated self-signed one) answers
/// any SNI name, including none: benchmarks and IP-literal clients send no name that
/// matches. Extra pairs from the SNI directory (`NAME.crt` + `NAME.key`) are chosen
/// when the client's SNI matches one of their DNS names (exact, or `*.` wildcard one
/// label deep). Every pair is checked — the key must match the certificate — before
/// a context is built, so a bad file on reload leaves the old context serving.
public struct TLSCertificateStore: Sendable {
    /// One loaded pair and the names it covers.
    struct Pair: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
        var names: [String]
        var path: String
    }

    let defaultPair: Pair
    let sniPairs: [Pair]

    /// Loads the configured certificates; generates the self-signed one when none is configured.
    public init(configuration: WebFrontConfiguration) throws(WebFrontError) {
        if let certificate = configuration.certificateFile, let key = configuration.keyFile {
            defaultPair = try Self.load(certificate: certificate, key: key)
        } else {
            var names = [configuration.canonicalHost] + configuration.redirectHosts
            names += configuration.aliasHosts.filter { !$0.hasPrefix("[") }
            let files: (certificate: String, key: String)
            do {
                files = try SelfSignedCertificate.ensure(directory: configuration.stateDirectory + "/tls", names: names)
            } catch {
                throw .certificateUnusable(path: error.path, reason: error.reason)
            }
            defaultPair = try Self.load(certificate: files.certificate, key: files.key)
        }
        var pairs: [Pair] = []
        if let directory = configuration.certificateDirectory {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for entry in entries.sorted() where entry.hasSuffix(".crt") {
                let base = directory + "/" + entry.dropLast(4)
                pairs.append(try Self.load(certificate: base + ".crt", key: base + ".key"))
            }
        }
        sniPairs = pairs
    }

    /// Every configured file, for messages.
    public var paths: [String] { [defaultPair.path] + sniPairs.map(\.path) }

    /// A server context: TLS 1.2 and 1.3 only, AEAD ECDHE suites, ALPN h2 then http/1.1.
    public func makeContext() throws(WebFrontError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: defaultPair.chain.map { .certificate($0) },
            privateKey: .privateKey(defaultPair.key))
        tls.minimumTLSVersion = .tlsv12
        tls.maximumTLSVersion = .tlsv13
        tls.cipherSuites = Self.tls12CipherSuites
        tls.applicationProtocols = ["h2", "http/1.1"]
        if !sniPairs.isEmpty {
            let pairs = sniPairs
            tls.sslContextCallback = { values, promise in
                guard let name = values.serverHostname?.lowercased(),
                      let pair = pairs.first(where: { Self.pair($0, covers: name) }) else {
                    promise.succeed(.noChanges)
                    return
                }
                var override = NIOSSLContextConfigurationOverride()
                override.certificateChain = pair.chain.map { .certificate($0) }
                override.privateKey = .privateKey(pair.key)
                promise.succeed(override)
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .certificateUnusable(path: defaultPair.path, reason: "\(error)")
        }
    }

    /// TLS 1.2 suites: forward-secret AEAD only (TLS 1.3's are fixed by BoringSSL).
    static let tls12CipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    static func pair(_ pair: Pair, covers name: String) -> Bool {
        pair.names.contains { pattern in
            if pattern == name { return true }
            if pattern.hasPrefix("*."), let dot = name.firstIndex(of: ".") {
                return name[dot...] == pattern.dropFirst()
            }
            return false
        }
    }

    static func load(certificate path: String, key keyPath: String) throws(WebFrontError) -> Pair {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let leaf: Certificate
        do {
            chain = try NIOSSLCertificate.fromPEMFile(path)
            guard let first = chain.first else { throw WebFrontError.certificateUnusable(path: path, reason: "no certificate in the file") }
            leaf = try Certificate(derEncoded: try first.toDERBytes())
        } catch let error as WebFrontError {
            throw error
        } catch {
            throw .certificateUnusable(path: path, reason: "\(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
            let parsed = try Certificate.PrivateKey(pemEncoded: pem)
            guard parsed.publicKey == leaf.publicKey else {
                throw WebFrontError.certificateUnusable(path: keyPath, reason: "the key does not match the certificate \(path)")
            }
        } catch let error as WebFrontError {
            throw error
        } catch {
            throw .certificateUnusable(path: keyPath, reason: "\(error)")
        }
        return Pair(chain: chain, key: key, names: dnsNames(of: leaf), path: path)
    }

    /// The DNS names (lower case) and IPv4 literals a certificate covers.
    static func dnsNames(of certificate: Certificate) -> [String] {
        SelfSignedCertificate.dnsNames(of: certificate)
    }
}
