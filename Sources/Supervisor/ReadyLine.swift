/// One `ready <role> <url>` line (docs/architecture.md's readiness contract), and the
/// listen flag that binds the same address again: how the supervisor pins a port the
/// kernel chose (port 0) so that a restarted or replacement child listens where the
/// first one did.
public struct ReadyLine: Sendable, Equatable {
    public var role: String
    public var url: String

    /// Parses `ready ROLE URL`; nil for any other line.
    public init?(_ line: Substring) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "ready" else { return nil }
        role = String(parts[1])
        url = String(parts[2])
    }

    public init(role: String, url: String) {
        self.role = role
        self.url = url
    }

    /// The URL's scheme (`mysql`, `unix`, `https`, `http`, `dns`).
    public var scheme: Substring {
        guard let range = url.range(of: "://") else { return "" }
        return url[..<range.lowerBound]
    }

    /// `HOST:PORT` (IPv6 in brackets) for network URLs, the path for `unix://`.
    public var address: String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        if scheme == "unix" { return String(rest) }
        return String(rest.prefix { $0 != "/" })
    }

    /// The command-line option that listens on this line's address again.
    public var listenFlag: [String] {
        switch (role, scheme) {
        case ("db", "unix"): ["--socket", address]
        case ("db", _), ("dns", _): ["--listen", address]
        case ("web", "https"): ["--https", address]
        case ("web", "http"): ["--http", address]
        case ("app", "unix"): ["--listen", "unix:" + address]
        case ("app", _): ["--listen", address]
        default: []
        }
    }
}
