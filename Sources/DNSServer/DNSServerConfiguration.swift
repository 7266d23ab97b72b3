import OneboxCore

/// Everything `onebox dns` is told by configuration (keys under `dns.`, see
/// Data/onebox.yaml for each one's meaning and default).
public struct DNSServerConfiguration: Sendable {
    /// UDP and TCP listen on each of these, on the same port.
    public var listen: [ListenAddress] = [.tcp(host: "127.0.0.1", port: 8053)]
    /// Every `*.zone` file in this directory is served.
    public var zonesDirectory = "Data/zones"
    /// Substituted for `${name}` in zone files (`public_ipv4`, `public_ipv6`).
    public var zoneVariables: [String: String] = ["public_ipv4": "127.0.0.1", "public_ipv6": "::1"]
    /// Our EDNS buffer size and the cap on UDP answers.
    public var udpPayload = 1232
    /// A TCP connection with no query for this long is closed.
    public var tcpIdleTimeout: Duration = .seconds(10)
    /// TCP connections beyond this are closed on accept.
    public var tcpMaxConnections = 1024
    /// Clients allowed to transfer zones (AXFR), as addresses or CIDR prefixes.
    public var transferAllow: [String] = ["127.0.0.0/8", "::1"]
    /// Secondaries told by NOTIFY when a reload changes a zone's serial (HOST:PORT).
    public var notify: [ListenAddress] = []

    public init() {}

    /// Reads the `dns.*` keys; a malformed value is an error naming its key.
    public init(settings: OneboxSettings) throws(OneboxConfigurationError) {
        let defaults = DNSServerConfiguration()
        listen = try settings.list("dns.listen", default: defaults.listen.map(\.description)).map { text throws(OneboxConfigurationError) in
            let address = try ListenAddress(parsing: text)
            guard case .tcp = address else {
                throw .invalidValue(key: "dns.listen", value: text, expected: "HOST:PORT (DNS does not use Unix sockets)")
            }
            return address
        }
        guard !listen.isEmpty else {
            throw .invalidValue(key: "dns.listen", value: "", expected: "at least one HOST:PORT")
        }
        zonesDirectory = settings.string("dns.zones", default: defaults.zonesDirectory)
        zoneVariables = [
            "public_ipv4": settings.string("dns.public-ipv4", default: defaults.zoneVariables["public_ipv4"]!),
            "public_ipv6": settings.string("dns.public-ipv6", default: defaults.zoneVariables["public_ipv6"]!),
        ]
        udpPayload = try settings.int("dns.udp-payload", default: defaults.udpPayload, in: 512...4096)
        tcpIdleTimeout = try settings.seconds("dns.tcp-idle-timeout", default: defaults.tcpIdleTimeout, in: 0.1...3600)
        tcpMaxConnections = try settings.int("dns.tcp-max-connections", default: defaults.tcpMaxConnections, in: 1...1_000_000)
        transferAllow = settings.list("dns.transfer-allow", default: defaults.transferAllow)
        notify = try settings.list("dns.notify", default: []).map { text throws(OneboxConfigurationError) in
            try ListenAddress(parsing: text)
        }
    }
}
