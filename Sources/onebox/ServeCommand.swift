import ArgumentParser
import Foundation
import Logging
import OneboxCore
import Supervisor

/// `onebox serve`: the whole stack — db, app workers, web, dns — as supervised children.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run every role as a supervised child process: initialise, restart on crash, reload without dropping requests."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("state-dir"), help: "State directory (database, secrets, certificates, sockets, logs). Default: state-dir or var.")
    var stateDirectory: String?

    func run() async throws {
        try await runRole("serve") {
            let flags: [String: String?] = ["state-dir": stateDirectory]
            let settings = try await common.loadSettings(flags: flags)
            let configFile = common.config
            let executable = Self.executablePath()
            let configuration = try SupervisorConfiguration(settings: settings, configFile: configFile, executable: executable)
            let supervisor = Supervisor(
                configuration: configuration, environment: ProcessInfo.processInfo.environment,
                logger: Logger(label: "serve"),
                reloadSettings: {
                    let settings = try await OneboxSettings.load(
                        configFile: configFile, flags: flags.compactMapValues { $0 },
                        environment: ProcessInfo.processInfo.environment)
                    return try SupervisorConfiguration(settings: settings, configFile: configFile, executable: executable)
                })
            let signals = SignalEvents(supervisor: supervisor)
            try await supervisor.run()
            withExtendedLifetime(signals) {}
        }
    }

    /// The path this binary was started from: children run whatever is at that path,
    /// so a new binary installed there is what a reload or a restart starts.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
        }
        return CommandLine.arguments[0]
    }
}
