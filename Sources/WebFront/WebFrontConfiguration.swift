import OneboxCore

/// Everything `onebox web` is told by configuration (keys under `web.`, plus the
/// shared `state-dir`; Data/onebox-web.yaml explains each one and its default).
public struct WebFrontConfiguration: Sendable {
    /// HTTPS listeners (TLS 1.2/1.3, ALPN h2 and http/1.1).
    public var https: [ListenAddress] = [.tcp(host: "127.0.0.1", port: 8443)]
    /// Plain-HTTP listeners; every request gets a 301 to the same URL on HTTPS. May be empty.
    public var http: [ListenAddress] = [.tcp(host: "127.0.0.1", port: 8080)]
    /// The port written into redirects to HTTPS; nil means the first HTTPS listener's
    /// actual port (443 is left out of the URL).
    public var publicHTTPSPort: Int?
    /// The state directory: generated certificates (`tls/`), logs, the app's socket.
    public var stateDirectory = "var"
    /// The site's static files.
    public var siteDirectory = "Data/site"

    /// The canonical host name: the site is served under it.
    public var canonicalHost = "www.foobar.com"
    /// Names answered with a 301 to the same URL on the canonical host.
    public var redirectHosts: [String] = ["foobar.com"]
    /// Further names served like the canonical one (IP literals, `localhost` for tests).
    public var aliasHosts: [String] = ["localhost", "127.0.0.1", "[::1]"]
    /// An unknown Host is handled as this name; nil answers 421 Misdirected Request.
    public var defaultHost: String?

    /// PEM certificate chain and key; nil means the self-signed pair in `<state>/tls/`.
    public var certificateFile: String?
    public var keyFile: String?
    /// Extra `NAME.crt` + `NAME.key` pairs chosen by SNI against their names.
    public var certificateDirectory: String?
    /// `Strict-Transport-Security: max-age=...` on HTTPS responses; 0 leaves it out.
    public var hstsMaxAge = 31_536_000

    /// Upstreams for everything that is not a static file; empty means 404 instead.
    public var upstreams: [UpstreamAddress] = []
    public var proxyConnectTimeout: Duration = .seconds(5)
    public var proxyReadTimeout: Duration = .seconds(60)
    public var proxySendTimeout: Duration = .seconds(60)
    /// Round-robin or least-connections.
    public var proxyBalance: UpstreamBalance = .roundRobin
    /// How long an upstream that failed to connect is skipped.
    public var proxyFailTimeout: Duration = .seconds(10)
    /// Idle keep-alive connections kept per upstream and event loop.
    public var proxyKeepaliveConnections = 32
    /// Idle connections beyond `proxyKeepaliveConnections` are closed after this long
    /// unused (zero: at once, as nginx does), so that bursts of concurrent requests
    /// (HTTP/2) reuse connections instead of opening new ones.
    public var proxySurplusIdleTimeout: Duration = .seconds(2)

    /// Path prefixes whose files are immutable (fingerprinted): cached a year.
    public var longCachePrefixes: [String] = ["/static/"]
    /// Cache-Control for other static files.
    public var defaultCacheControl = "no-cache"
    /// On-the-fly gzip of compressible static files (`.gz` siblings are used regardless).
    public var gzip = true
    /// Files up to this size are kept in memory, validated by inode, size and mtime.
    public var fileCacheMaxFileSize = 256 * 1024
    /// The memory cache's total budget.
    public var fileCacheMaxBytes = 64 * 1024 * 1024
    /// How long a cached file, once checked with `stat`, is served without checking
    /// again (nginx's `open_file_cache_valid`); zero checks on every request.
    public var fileCacheRevalidateInterval: Duration = .seconds(1)
    /// Big files are read and sent in chunks of this size.
    public var fileChunkSize = 64 * 1024

    /// `client_max_body_size`: larger request bodies get 413.
    public var maxBodySize = 1024 * 1024
    /// Request line URI longer than this: 414.
    public var maxURILength = 8 * 1024
    /// All request headers together larger than this: 431.
    public var maxHeaderBytes = 32 * 1024
    /// Concurrent client connections (HTTPS and HTTP); more are closed on accept.
    public var maxConnections = 10_000
    /// Time to receive a whole request head on a new connection.
    public var headerTimeout: Duration = .seconds(30)
    /// Time between two reads of a request body.
    public var bodyTimeout: Duration = .seconds(60)
    /// An idle keep-alive connection is closed after this.
    public var keepaliveTimeout: Duration = .seconds(75)
    /// Concurrent HTTP/2 streams per connection.
    public var http2MaxConcurrentStreams = 128

    /// Access log destination: a file path, `stderr`, or `off`; nil means `<state>/logs/access.log`.
    public var accessLog: String?

    public init() {}

    /// The access log path after defaults: `off` disables it.
    public var accessLogDestination: String {
        accessLog ?? "\(stateDirectory)/logs/access.log"
    }

    /// Reads the `web.*` keys; a malformed value is an error naming its key.
    public init(settings: OneboxSettings) throws(OneboxConfigurationError) {
        let defaults = WebFrontConfiguration()
        https = try Self.addresses(settings, "web.https", defaults.https)
        guard !https.isEmpty else { throw .invalidValue(key: "web.https", value: "", expected: "at least one HOST:PORT") }
        http = try Self.addresses(settings, "web.http", defaults.http)
        if let port = settings.optionalString("web.public-https-port") {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw .invalidValue(key: "web.public-https-port", value: port, expected: "a port from 1 to 65535")
            }
            publicHTTPSPort = value
        }
        stateDirectory = settings.string("state-dir", default: defaults.stateDirectory)
        siteDirectory = settings.string("web.site", default: defaults.siteDirectory)

        canonicalHost = settings.string("web.canonical-host", default: defaults.canonicalHost).lowercased()
        redirectHosts = settings.list("web.redirect-hosts", default: defaults.redirectHosts).map { $0.lowercased() }
        aliasHosts = settings.list("web.alias-hosts", default: defaults.aliasHosts).map { $0.lowercased() }
        defaultHost = settings.optionalString("web.default-host")?.lowercased()

        certificateFile = settings.optionalString("web.tls.cert")
        keyFile = settings.optionalString("web.tls.key")
        guard (certificateFile == nil) == (keyFile == nil) else {
            throw .invalidValue(key: certificateFile == nil ? "web.tls.cert" : "web.tls.key", value: "",
                                expected: "both web.tls.cert and web.tls.key, or neither")
        }
        certificateDirectory = settings.optionalString("web.tls.sni-directory")
        hstsMaxAge = try settings.int("web.hsts-max-age", default: defaults.hstsMaxAge, in: 0...(2 * 31_536_000))

        let upstreamTexts = settings.list("web.upstreams", default: ["unix:\(stateDirectory)/app.sock"])
        upstreams = try upstreamTexts.filter { $0 != "none" }.map { text throws(OneboxConfigurationError) in
            try UpstreamAddress(parsing: text)
        }
        proxyConnectTimeout = try settings.seconds("web.proxy.connect-timeout", default: defaults.proxyConnectTimeout, in: 0.01...600)
        proxyReadTimeout = try settings.seconds("web.proxy.read-timeout", default: defaults.proxyReadTimeout, in: 0.01...3600)
        proxySendTimeout = try settings.seconds("web.proxy.send-timeout", default: defaults.proxySendTimeout, in: 0.01...3600)
        let balance = settings.string("web.proxy.balance", default: defaults.proxyBalance.rawValue)
        guard let proxyBalance = UpstreamBalance(rawValue: balance) else {
            throw .invalidValue(key: "web.proxy.balance", value: balance, expected: "round-robin or least-connections")
        }
        self.proxyBalance = proxyBalance
        proxyFailTimeout = try settings.seconds("web.proxy.fail-timeout", default: defaults.proxyFailTimeout, in: 0...3600)
        proxyKeepaliveConnections = try settings.int("web.proxy.keepalive", default: defaults.proxyKeepaliveConnections, in: 0...10_000)
        proxySurplusIdleTimeout = try settings.seconds("web.proxy.surplus-idle-timeout", default: defaults.proxySurplusIdleTimeout, in: 0...3600)

        longCachePrefixes = settings.list("web.static.long-cache-prefixes", default: defaults.longCachePrefixes)
        defaultCacheControl = settings.string("web.static.cache-control", default: defaults.defaultCacheControl)
        gzip = try settings.bool("web.static.gzip", default: defaults.gzip)
        fileCacheMaxFileSize = try settings.int("web.static.cache-max-file-size", default: defaults.fileCacheMaxFileSize, in: 0...(64 << 20))
        fileCacheMaxBytes = try settings.int("web.static.cache-max-bytes", default: defaults.fileCacheMaxBytes, in: 0...(16 << 30))
        fileCacheRevalidateInterval = try settings.seconds("web.static.revalidate-interval", default: defaults.fileCacheRevalidateInterval, in: 0...60)
        fileChunkSize = try settings.int("web.static.chunk-size", default: defaults.fileChunkSize, in: 4096...(16 << 20))

        maxBodySize = try settings.int("web.limits.client-max-body-size", default: defaults.maxBodySize, in: 0...(1 << 40))
        maxURILength = try settings.int("web.limits.max-uri-length", default: defaults.maxURILength, in: 256...(64 * 1024))
        maxHeaderBytes = try settings.int("web.limits.max-header-bytes", default: defaults.maxHeaderBytes, in: 1024...(64 * 1024))
        maxConnections = try settings.int("web.limits.max-connections", default: defaults.maxConnections, in: 1...1_000_000)
        headerTimeout = try settings.seconds("web.limits.header-timeout", default: defaults.headerTimeout, in: 0.05...3600)
        bodyTimeout = try settings.seconds("web.limits.body-timeout", default: defaults.bodyTimeout, in: 0.05...3600)
        keepaliveTimeout = try settings.seconds("web.limits.keepalive-timeout", default: defaults.keepaliveTimeout, in: 0.05...3600)
        http2MaxConcurrentStreams = try settings.int("web.limits.http2-max-streams", default: defaults.http2MaxConcurrentStreams, in: 1...10_000)

        accessLog = settings.optionalString("web.access-log")
    }

    private static func addresses(_ settings: OneboxSettings, _ key: String, _ defaults: [ListenAddress]) throws(OneboxConfigurationError) -> [ListenAddress] {
        try settings.list(key, default: defaults.map(\.description)).filter { $0 != "none" }.map { text throws(OneboxConfigurationError) in
            let address = try ListenAddress(parsing: text)
            guard case .tcp = address else {
                throw .invalidValue(key: key, value: text, expected: "HOST:PORT (browsers do not use Unix sockets)")
            }
            return address
        }
    }
}
