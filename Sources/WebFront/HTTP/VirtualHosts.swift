/// What the Host header (or HTTP/2 `:authority`) decides, before the path is looked at.
public enum VirtualHostDecision: Sendable, Equatable {
    /// The canonical site serves it.
    case site
    /// 301 to the same path and query on the canonical name.
    case redirectToCanonical
    /// 421 Misdirected Request: not a name of ours.
    case misdirected
}

/// The virtual host table: the canonical name, names redirected to it, aliases served
/// like it, and what an unknown name gets. Names compare case-insensitively and
/// without the port (`www.foobar.com:8443` is `www.foobar.com`).
public struct VirtualHosts: Sendable {
    let canonical: String
    let redirects: Set<String>
    let aliases: Set<String>
    let fallback: String?

    public init(canonical: String, redirects: [String], aliases: [String], fallback: String?) {
        self.canonical = canonical.lowercased()
        self.redirects = Set(redirects.map { $0.lowercased() })
        self.aliases = Set(aliases.map { $0.lowercased() })
        self.fallback = fallback?.lowercased()
    }

    public init(configuration: WebFrontConfiguration) {
        self.init(canonical: configuration.canonicalHost, redirects: configuration.redirectHosts,
                  aliases: configuration.aliasHosts, fallback: configuration.defaultHost)
    }

    /// The canonical name (redirect target).
    public var canonicalName: String { canonical }

    /// Decides for a Host header value; a missing or malformed one counts as unknown.
    public func decide(host: String?) -> VirtualHostDecision {
        let name = host.flatMap(Self.hostName(from:))
        if let name, let decision = decide(name: name) { return decision }
        if let fallback, let decision = decide(name: fallback) { return decision }
        return .misdirected
    }

    private func decide(name: String) -> VirtualHostDecision? {
        if name == canonical || aliases.contains(name) { return .site }
        if redirects.contains(name) { return .redirectToCanonical }
        return nil
    }

    /// `Www.Foobar.com:8443` → `www.foobar.com`; `[::1]:8443` → `[::1]`; nil when it is
    /// not a plausible host (empty, too long, or with characters no host name has).
    /// Works on bytes: this runs for every request.
    public static func hostName(from header: String) -> String? {
        let bytes = header.utf8
        guard !bytes.isEmpty, bytes.count <= 255 else { return nil }
        var end = bytes.endIndex
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = bytes[bytes.index(after: close)...]
            guard rest.isEmpty || (rest.first == UInt8(ascii: ":") && rest.dropFirst().allSatisfy(isDigit)) else { return nil }
            end = bytes.index(after: close)
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            guard bytes[bytes.index(after: colon)...].allSatisfy(isDigit) else { return nil }
            end = colon
        }
        var name = bytes[..<end]
        if name.last == UInt8(ascii: ".") { name = name.dropLast() }
        guard !name.isEmpty else { return nil }
        var hasUppercase = false
        for byte in name {
            let ok = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ":")
            if ok { continue }
            guard byte >= 0x41 && byte <= 0x5A else { return nil }
            hasUppercase = true
        }
        let text = String(Substring(name))
        return hasUppercase ? text.lowercased() : text
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
