import NIOSSL

/// Where and how to connect: address, credentials, TLS, limits.
///
/// The URL form (DESIGN.md's contract) is
/// `mysql://USER:PASSWORD@HOST:PORT/DB` or `mysql://USER:PASSWORD@unix(/path/to.sock)/DB`,
/// with optional query items `ssl-mode=disabled|preferred|required|verify-ca|verify-identity`,
/// `ssl-ca=PATH`, `multi-statements=true`, `connect-timeout=SECONDS`, `query-timeout=SECONDS`.
/// User and password are percent-decoded.
public struct MySQLConnectionConfiguration: Sendable {
    /// A TCP host and port, or a Unix socket path.
    public enum Address: Sendable, Hashable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): "unix(\(path))"
            }
        }
    }

    /// When to use TLS. A Unix socket is local and never uses TLS; it counts as a
    /// secure transport for caching_sha2_password, as in libmysqlclient.
    public enum TLSMode: String, Sendable {
        /// Never.
        case disabled
        /// When the server offers it, without verifying the certificate.
        case preferred
        /// Always, without verifying the certificate; fail when the server has no TLS.
        case required
        /// Always, verifying the chain against `tlsCertificateAuthorityFile` (or the system roots).
        case verifyCA = "verify-ca"
        /// As `verifyCA`, and the certificate must name the host.
        case verifyIdentity = "verify-identity"
    }

    public var address: Address
    public var username: String
    public var password: String
    /// The default database (schema), or nil.
    public var database: String?
    public var tlsMode: TLSMode
    /// PEM file of the certificate authorities for `verifyCA`/`verifyIdentity`.
    public var tlsCertificateAuthorityFile: String?
    /// The server's RSA public key (PEM) for caching_sha2_password full authentication
    /// without TLS; when nil the client asks the server for it.
    public var serverPublicKeyPEM: String?
    /// Send several statements separated by `;` in one query (CLIENT_MULTI_STATEMENTS).
    public var allowsMultipleStatements: Bool
    /// TCP/socket connect plus the whole handshake.
    public var connectTimeout: Duration
    /// One command, from sending it to its last result packet.
    public var queryTimeout: Duration
    /// Prepared statements kept open per connection (least recently used ones are closed).
    public var statementCacheCapacity: Int
    /// The largest packet accepted from the server (max_allowed_packet on our side).
    public var maximumPacketSize: Int

    public init(address: Address, username: String, password: String = "", database: String? = nil,
                tlsMode: TLSMode = .preferred) {
        self.address = address
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.tlsCertificateAuthorityFile = nil
        self.serverPublicKeyPEM = nil
        self.allowsMultipleStatements = false
        self.connectTimeout = .seconds(10)
        self.queryTimeout = .seconds(30)
        self.statementCacheCapacity = 256
        self.maximumPacketSize = 64 << 20
    }

    /// Parses a `mysql://` URL (see the type's description).
    public init(url text: String) throws(MySQLClientError) {
        let prefix = "mysql://"
        guard text.hasPrefix(prefix) else { throw .invalidConfiguration("URL '\(text)' does not start with mysql://") }
        var rest = Substring(text.dropFirst(prefix.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        // Credentials end at the last '@' before the host part; a unix(...) path may contain '@'.
        let hostStart = rest.range(of: "@unix(")?.lowerBound ?? rest.lastIndex(of: "@")
        guard let at = hostStart else { throw .invalidConfiguration("URL '\(text)' has no USER@ part") }
        let credentials = rest[..<at]
        var hostPart = rest[rest.index(after: at)...]
        let user: Substring
        let password: Substring
        if let colon = credentials.firstIndex(of: ":") {
            user = credentials[..<colon]
            password = credentials[credentials.index(after: colon)...]
        } else {
            user = credentials
            password = ""
        }
        guard let username = Self.percentDecode(user), let decodedPassword = Self.percentDecode(password), !username.isEmpty else {
            throw .invalidConfiguration("URL '\(text)' has an empty or badly escaped user or password")
        }
        let address: Address
        if hostPart.hasPrefix("unix(") {
            guard let close = hostPart.firstIndex(of: ")") else { throw .invalidConfiguration("URL '\(text)': unix( without )") }
            let path = hostPart[hostPart.index(hostPart.startIndex, offsetBy: 5)..<close]
            guard !path.isEmpty else { throw .invalidConfiguration("URL '\(text)': empty socket path") }
            address = .unix(path: String(path))
            hostPart = hostPart[hostPart.index(after: close)...]
        } else {
            let end = hostPart.firstIndex(of: "/") ?? hostPart.endIndex
            let hostPort = hostPart[..<end]
            hostPart = hostPart[end...]
            var host = Substring(hostPort)
            var port = 3306
            if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
                host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let value = Int(after.dropFirst()), (1...65535).contains(value) else {
                        throw .invalidConfiguration("URL '\(text)': bad port")
                    }
                    port = value
                }
            } else if let colon = hostPort.lastIndex(of: ":") {
                host = hostPort[..<colon]
                guard let value = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(value) else {
                    throw .invalidConfiguration("URL '\(text)': bad port")
                }
                port = value
            }
            guard !host.isEmpty else { throw .invalidConfiguration("URL '\(text)' has no host") }
            address = .tcp(host: String(host), port: port)
        }
        var database: String?
        if hostPart.hasPrefix("/") {
            let name = hostPart.dropFirst()
            if !name.isEmpty {
                guard let decoded = Self.percentDecode(name) else { throw .invalidConfiguration("URL '\(text)': bad database name") }
                database = decoded
            }
        } else if !hostPart.isEmpty {
            throw .invalidConfiguration("URL '\(text)': unexpected '\(hostPart)' after the host")
        }
        self.init(address: address, username: username, password: decodedPassword, database: database)
        for item in query.split(separator: "&") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1)
            let key = String(pair[0])
            let value = pair.count > 1 ? Self.percentDecode(pair[1]) ?? "" : ""
            switch key {
            case "ssl-mode", "sslmode", "tls":
                guard let mode = TLSMode(rawValue: value.lowercased().replacingUnderscores()) else {
                    throw .invalidConfiguration("ssl-mode '\(value)': expected disabled, preferred, required, verify-ca or verify-identity")
                }
                tlsMode = mode
            case "ssl-ca": tlsCertificateAuthorityFile = value
            case "multi-statements": allowsMultipleStatements = ["1", "true", "yes", "on"].contains(value.lowercased())
            case "connect-timeout", "query-timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
                    throw .invalidConfiguration("\(key) '\(value)': expected seconds")
                }
                let duration = Duration.milliseconds(Int64(seconds * 1000))
                if key == "connect-timeout" { connectTimeout = duration } else { queryTimeout = duration }
            default:
                throw .invalidConfiguration("unknown URL option '\(key)'")
            }
        }
    }

    /// The URL form with the password hidden, for logs.
    public var redactedDescription: String {
        let host: String
        switch address {
        case .tcp: host = address.description
        case .unix(let path): host = "unix(\(path))"
        }
        return "mysql://\(username):***@\(host)/\(database ?? "")"
    }

    private static func percentDecode(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
