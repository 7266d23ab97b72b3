import Foundation
import MySQLClient
import OneboxCore

/// The app role's settings (section `app:` of Data/onebox.yaml; every key is
/// explained there). Built from the layered `OneboxSettings`; a malformed value is an
/// error naming its key.
public struct AppConfiguration: Sendable {
    /// Where the HTTP server listens: a Unix socket (the default, in the state directory) or TCP.
    public var listen: ListenAddress
    /// The blog's database.
    public var database: MySQLConnectionConfiguration
    /// Directory of the *.mustache templates.
    public var templatesDirectory: String
    public var pool: MySQLConnectionPool.Options
    /// Comment posts allowed per client in a burst, and how fast that allowance refills.
    public var commentBurst: Int
    public var commentRefillInterval: Duration
    /// Clients whose rate-limit state is kept at once (the oldest full buckets are dropped beyond).
    public var rateLimitMaximumClients: Int
    /// Key for the CSRF tokens' HMAC; random per start when empty (open forms then expire on restart).
    public var csrfSecret: [UInt8]
    /// The largest request body the app reads (the comment form); larger: 413.
    public var maximumBodySize: Int
    /// Comments shown with a post (newest beyond this are not listed).
    public var maximumCommentsPerPost: Int
    /// Run Swift Concurrency's jobs on NIO's event loop threads (see `AppService.runTasksOnEventLoops()`).
    public var runsTasksOnEventLoops: Bool


    public init(settings: OneboxSettings) throws {
        let stateDirectory = StateDirectory(settings.string("state-dir", default: "var"))
        listen = try ListenAddress(parsing: settings.string("app.listen", default: "unix:\(stateDirectory.path)/app.sock"))
        let url = settings.string("app.database", default: "mysql://root@unix(\(stateDirectory.path)/mysql.sock)/foobar")
        var database: MySQLConnectionConfiguration
        do {
            database = try MySQLConnectionConfiguration(url: url)
        } catch {
            throw OneboxConfigurationError.invalidValue(key: "app.database", value: Self.redact(url), expected: "\(error)")
        }
        // No password in the URL: the one `onebox db` generated in the state directory, if any.
        let passwordFile = settings.string("app.database-password-file", default: stateDirectory.secretsDirectory + "/root-password")
        if database.password.isEmpty, let secret = try? String(contentsOfFile: passwordFile, encoding: .utf8) {
            database.password = secret.trimmingWhitespace()
        }
        database.connectTimeout = try settings.seconds("app.db.connect-timeout", default: .seconds(5), in: 0.05...600)
        database.queryTimeout = try settings.seconds("app.db.query-timeout", default: .seconds(10), in: 0.05...3600)
        database.statementCacheCapacity = try settings.int("app.db.statement-cache", default: 64, in: 0...10_000)
        self.database = database
        templatesDirectory = settings.string("app.templates", default: "Data/templates")
        pool = MySQLConnectionPool.Options(
            maximumConnections: try settings.int("app.db.pool-size", default: 16, in: 1...1000),
            maximumWaiters: try settings.int("app.db.pool-max-waiters", default: 4096, in: 1...1_000_000),
            checkoutTimeout: try settings.seconds("app.db.checkout-timeout", default: .seconds(5), in: 0.01...600),
            healthCheckAfterIdle: try settings.seconds("app.db.health-check-after-idle", default: .seconds(1), in: 0...3600),
            idleTimeout: try settings.seconds("app.db.idle-timeout", default: .seconds(300), in: 1...86_400))
        commentBurst = try settings.int("app.rate-limit.comment-burst", default: 5, in: 1...1_000_000)
        commentRefillInterval = try settings.seconds("app.rate-limit.comment-interval", default: .seconds(10), in: 0.001...86_400)
        rateLimitMaximumClients = try settings.int("app.rate-limit.max-clients", default: 100_000, in: 1...10_000_000)
        csrfSecret = Array(settings.string("app.csrf-secret", default: "").utf8)
        maximumBodySize = try settings.int("app.max-body-size", default: 65_536, in: 1024...16 << 20)
        maximumCommentsPerPost = try settings.int("app.max-comments-per-post", default: 1000, in: 1...1_000_000)
        runsTasksOnEventLoops = try settings.bool("app.tasks-on-event-loops", default: true)
    }

    private static func redact(_ url: String) -> String {
        guard let at = url.range(of: "@", options: .backwards), let scheme = url.range(of: "://"),
              let colon = url[scheme.upperBound..<at.lowerBound].firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at.lowerBound...])
    }
}
