import Foundation
import Hummingbird
import Logging
import MySQLClient
import NIOCore
import NIOPosix
import OneboxCore
import ServiceLifecycle

/// The app role: the foobar.com blog on Hummingbird, its templates and its database
/// pool, run as one Service. On start it prints `ready app unix://PATH` or
/// `ready app http://HOST:PORT`; SIGHUP reloads the templates; on graceful shutdown (SIGTERM) it stops accepting,
/// finishes the requests in flight, then closes the pool.
public struct AppService: Service {
    let configuration: AppConfiguration
    let logger: Logger

    public init(configuration: AppConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Makes NIO's event loop threads Swift Concurrency's global executor for the rest of
    /// the process, before the app starts. A request otherwise hops threads at every
    /// await: from the event loop that read it to a concurrency pool thread for the
    /// handler, to the database connection's event loop and back for each statement,
    /// and to the event loop again for the response; on a small machine these handoffs
    /// (futex wake-ups and context switches) cost as much as the page. A continuation
    /// resumed on an event loop now runs on that same thread. Nothing in the app blocks
    /// a thread (the database is reached only through NIO), which this requires.
    /// Process-wide and once only: `onebox app` calls it first thing (`app.tasks-on-event-loops`).
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    public func run() async throws {
        let application = try await makeApplication()
        try await application.runService()
    }

    /// Builds the application; templates are loaded and checked here, so a broken
    /// template stops the start with a clear message. The database is not required to
    /// be up: /healthz reports it, and pages answer 503 until it is.
    func makeApplication() async throws -> some ApplicationProtocol {
        // Until the reloader traps SIGHUP, one must not end the process (its default action).
        signal(SIGHUP, SIG_IGN)
        let pages = PageRendererBox(try await PageRenderer(directory: configuration.templatesDirectory))
        let pool = MySQLConnectionPool(configuration: configuration.database, options: configuration.pool,
                                       logger: Logger(label: "app.db"))
        let store = BlogStore(pool: pool, maximumCommentsPerPost: configuration.maximumCommentsPerPost)
        let router = Router(context: BlogRequestContext.self)
        let api = BlogAPIRoutes(store: store)
        router.add(middleware: RequestLogMiddleware(pageBox: pages, api: api))
        BlogRoutes(store: store, pageBox: pages, csrf: CSRFProtection(secret: configuration.csrfSecret),
                   commentLimiter: RateLimiter(burst: configuration.commentBurst,
                                               refillInterval: configuration.commentRefillInterval,
                                               maximumClients: configuration.rateLimitMaximumClients),
                   maximumBodySize: configuration.maximumBodySize).add(to: router)
        api.add(to: router)

        let address: BindAddress
        let readyURL: @Sendable (any Channel) -> String
        switch configuration.listen {
        case .tcp(let host, let port):
            address = .hostname(host, port: port)
            readyURL = { channel in
                let bound = channel.localAddress?.port ?? port
                return "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
            }
        case .unix(let path):
            // Bound under a temporary name and renamed over the path once listening: the
            // path always names a listening socket, the old worker's until the rename and
            // ours after, so a replacement worker (onebox serve's reload) refuses no connection.
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            let temporary = absolute + ".\(getpid()).new"
            try Self.prepareSocketPath(absolute, temporary: temporary)
            address = .unixDomainSocket(path: temporary)
            readyURL = { _ in
                guard rename(temporary, absolute) == 0 else {
                    return "unix://\(temporary)"
                }
                return "unix://\(absolute)"
            }
        }
        let logger = self.logger
        logger.info("app starting", metadata: ["listen": "\(configuration.listen)",
                                               "database": "\(configuration.database.redactedDescription)"])
        return Application(
            router: router,
            configuration: .init(address: address, serverName: nil, backlog: 1024),
            services: [PoolShutdown(pool: pool),
                       TemplateReloader(box: pages, directory: configuration.templatesDirectory, logger: logger)],
            onServerRunning: { channel in Readiness.announce(role: "app", url: readyURL(channel)) },
            logger: logger)
    }

    /// Creates the socket's directory and removes a stale temporary socket; refuses to
    /// replace anything at `path` that is not a socket (an existing socket, stale or
    /// another worker's, is replaced by the rename once we listen).
    static func prepareSocketPath(_ path: String, temporary: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unlink(temporary)
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw AppServerError.listen("\(path) exists and is not a socket; not removing it")
        }
    }
}

/// Closes the database pool when the application shuts down (after the HTTP server,
/// which Hummingbird stops first so in-flight requests still have their connections).
struct PoolShutdown: Service {
    let pool: MySQLConnectionPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.shutdown()
    }
}
