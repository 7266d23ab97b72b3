import ArgumentParser
import Foundation
import Logging
import OneboxCore
import ServiceLifecycle

/// Options every role takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "Configuration file (YAML). Default: Data/onebox.yaml when present, or $ONEBOX_CONFIG.")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Default: log.level or info.")
    var logLevel: String?

    /// Loads the layered settings with `flags` as the top layer and sets up logging.
    func loadSettings(flags: [String: String?]) async throws -> OneboxSettings {
        Self.followSupervisor()
        var given = flags.compactMapValues { $0 }
        if let logLevel { given["log.level"] = logLevel }
        let settings = try await OneboxSettings.load(
            configFile: config, flags: given, environment: ProcessInfo.processInfo.environment)
        OneboxLogHandler.bootstrap(level: try OneboxLogHandler.level(named: settings.string("log.level", default: "info")))
        return settings
    }
}

/// Runs `body`; a start-up failure becomes one clear line on stderr and exit status 1,
/// as the command-line contract promises.
func runRole(_ role: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        StandardStreams.writeError("onebox \(role): \(error)\n")
        throw ExitCode.failure
    }
}

/// Runs services under one ServiceGroup that shuts down gracefully on SIGTERM or SIGINT,
/// with the role's MemoryTrimmer (`memory.trim-interval`, `memory.trim-threshold`) beside them.
func runServices(_ services: [any Service], settings: OneboxSettings, logger: Logger) async throws {
    let trimmer = try MemoryTrimmer(settings: settings)
    let all: [any Service] = trimmer.isEnabled ? [MemoryTrimService(trimmer: trimmer, logger: logger)] + services : services
    let group = ServiceGroup(configuration: .init(
        services: all.map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
    try await group.run()
}

extension CommonOptions {
    /// A role started by `onebox serve` (which sets ONEBOX_SUPERVISOR_PID) gets a pipe from
    /// serve as its stdin, which nothing ever writes to: end of file means serve is gone
    /// (even killed with SIGKILL), and the role then stops gracefully rather than run on
    /// unsupervised.
    static func followSupervisor() {
        guard ProcessInfo.processInfo.environment["ONEBOX_SUPERVISOR_PID"] != nil else { return }
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(0, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
            }
            kill(getpid(), SIGTERM)
        }
    }
}

/// The MemoryTrimmer as a Service: checks until the group shuts down.
struct MemoryTrimService: Service {
    let trimmer: MemoryTrimmer
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await trimmer.run(logger: logger) }
    }
}
