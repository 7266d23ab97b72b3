import Synchronization

/// Everything a request needs that configuration decides, built once per (re)load and
/// swapped whole on SIGHUP: connections take the current one per request, so a reload
/// never changes the rules in the middle of a request.
public final class WebRuntime: Sendable {
    public let configuration: WebFrontConfiguration
    public let hosts: VirtualHosts
    public let site: SiteDirectory
    let cache: StaticFileCache
    let upstreams: UpstreamSet
    let accessLog: AccessLog?
    /// `Strict-Transport-Security` value, nil when off.
    let strictTransportSecurity: String?

    public init(configuration: WebFrontConfiguration) throws(WebFrontError) {
        self.configuration = configuration
        self.hosts = VirtualHosts(configuration: configuration)
        self.site = try SiteDirectory(root: configuration.siteDirectory)
        self.cache = StaticFileCache(maxFileSize: configuration.fileCacheMaxFileSize,
                                     maxBytes: configuration.fileCacheMaxBytes, gzip: configuration.gzip,
                                     revalidateInterval: configuration.fileCacheRevalidateInterval)
        self.upstreams = UpstreamSet(addresses: configuration.upstreams, failTimeout: configuration.proxyFailTimeout,
                                      balance: configuration.proxyBalance)
        let destination = configuration.accessLogDestination
        self.accessLog = destination == "off" ? nil : try AccessLog(destination: destination)
        self.strictTransportSecurity = configuration.hstsMaxAge > 0 ? "max-age=\(configuration.hstsMaxAge)" : nil
    }

    /// Cache-Control for a request path.
    func cacheControl(forPath path: String) -> String {
        for prefix in configuration.longCachePrefixes where path.hasPrefix(prefix) {
            return "public, max-age=31536000, immutable"
        }
        return configuration.defaultCacheControl
    }
}

/// The runtime in service, and the HTTPS port redirects point at.
final class WebRuntimeBox: Sendable {
    private let runtime: Mutex<WebRuntime>
    private let port: Atomic<Int>

    init(_ runtime: WebRuntime, httpsPort: Int) {
        self.runtime = Mutex(runtime)
        self.port = Atomic(httpsPort)
    }

    var current: WebRuntime { runtime.withLock { $0 } }

    func replace(with new: WebRuntime) { runtime.withLock { $0 = new } }

    var httpsPort: Int {
        get { port.load(ordering: .relaxed) }
        set { port.store(newValue, ordering: .relaxed) }
    }
}
