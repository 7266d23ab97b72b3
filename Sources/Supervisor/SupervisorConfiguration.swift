import Foundation
import OneboxCore

/// What `onebox serve` needs to know (section `serve:` of Data/onebox.yaml, plus the
/// keys of the roles it reads to wire them together). Built from the layered settings;
/// a malformed value is an error naming its key.
public struct SupervisorConfiguration: Sendable {
    /// The roles serve runs, in start order (a subset of db, app, web, dns).
    public var roles: [String]
    /// `onebox app` processes, each on `<state-dir>/app-N.sock`.
    public var appWorkers: Int
    /// The state directory, absolute.
    public var stateDirectory: StateDirectory
    /// The `onebox` binary children run (absolute; re-read on an upgrade).
    public var executable: String
    /// `--config FILE` handed to every child, when one was given.
    public var configFile: String?
    /// The blog's schema and starter posts, loaded on the first start.
    public var schemaFile: String
    /// Set when the app uses a database of its own choosing (an external MariaDB): serve
    /// then neither creates the app account nor passes `--database`.
    public var externalDatabase: Bool
    /// Upstreams the front gets besides the local workers (app servers on other machines).
    public var extraUpstreams: [String]
    public var backoff: RestartBackoff
    /// How long a child may take to print its ready lines.
    public var startTimeout: Duration
    /// How long a child may take to stop after SIGTERM before it gets SIGKILL.
    public var stopTimeout: Duration
    /// Ready lines each role prints once all its listeners are up.
    public var expectedReadyLines: [String: Int]
    /// For the summary: the site's name.
    public var siteName: String

    public static let allRoles = ["db", "app", "web", "dns"]

    public init(settings: OneboxSettings, configFile: String?, executable: String) throws {
        let state = settings.string("state-dir", default: "var")
        let absolute = state.hasPrefix("/") ? state : FileManager.default.currentDirectoryPath + "/" + state
        stateDirectory = StateDirectory((absolute as NSString).standardizingPath)
        self.configFile = configFile.map { $0.isEmpty || $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        self.executable = executable
        let roles = settings.list("serve.roles", default: Self.allRoles)
        for role in roles where !Self.allRoles.contains(role) {
            throw OneboxConfigurationError.invalidValue(key: "serve.roles", value: role, expected: "a list of db, app, web, dns")
        }
        self.roles = Self.allRoles.filter { roles.contains($0) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        appWorkers = try settings.int("serve.app-workers", default: cores, in: 0...256)
        if appWorkers == 0 { self.roles.removeAll { $0 == "app" } }
        schemaFile = settings.string("serve.schema", default: "Data/schema/foobar.sql")
        externalDatabase = settings.optionalString("app.database") != nil
        extraUpstreams = settings.list("web.upstreams", default: []).filter { $0 != "none" }
        backoff = RestartBackoff(
            initial: try settings.seconds("serve.restart-backoff-initial", default: .milliseconds(100), in: 0.01...60),
            maximum: try settings.seconds("serve.restart-backoff-max", default: .seconds(5), in: 0.01...3600),
            stableAfter: try settings.seconds("serve.restart-stable-after", default: .seconds(10), in: 0...86_400))
        guard backoff.maximum >= backoff.initial else {
            throw OneboxConfigurationError.invalidValue(key: "serve.restart-backoff-max", value: "\(backoff.maximum)",
                                                        expected: "at least serve.restart-backoff-initial")
        }
        startTimeout = try settings.seconds("serve.start-timeout", default: .seconds(60), in: 1...3600)
        stopTimeout = try settings.seconds("serve.stop-timeout", default: .seconds(30), in: 1...3600)
        siteName = settings.string("web.canonical-host", default: "www.foobar.com")

        func count(_ key: String, default defaultValue: [String]) -> Int {
            settings.list(key, default: defaultValue).filter { $0 != "none" }.count
        }
        let hasSocket = settings.string("db.socket", default: "default") != "none"
        expectedReadyLines = [
            "db": count("db.listen", default: ["127.0.0.1:3306"]) + (hasSocket ? 1 : 0),
            "app": 1,
            "web": count("web.https", default: ["127.0.0.1:8443"]) + count("web.http", default: ["127.0.0.1:8080"]),
            "dns": count("dns.listen", default: ["127.0.0.1:8053"]),
        ]
    }

    /// The Unix socket of app worker `index` (1-based).
    public func appSocket(_ index: Int) -> String { stateDirectory.path + "/app-\(index).sock" }
    public var logsDirectory: String { stateDirectory.path + "/logs" }
    public var statusFile: String { stateDirectory.path + "/serve.status" }
    public var pidFile: String { stateDirectory.path + "/serve.pid" }
    /// Present once the first start's initialisation completed.
    public var initialisedMarker: String { stateDirectory.path + "/serve.initialised" }
    public var appPasswordFile: String { stateDirectory.secretsDirectory + "/app-password" }
    public var rootPasswordFile: String { stateDirectory.secretsDirectory + "/root-password" }
    public var csrfSecretFile: String { stateDirectory.secretsDirectory + "/csrf-secret" }
}
