import ArgumentParser
import Foundation
import OneboxCore
import Supervisor

/// `onebox status`: what `onebox serve` on a state directory is running, from its status
/// file and pid file. Exit status 0 when it runs and every role is ready, 1 when some
/// role is not ready, 3 when serve is not running (as `systemctl status` does).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each role of `onebox serve`: pid, uptime, ready, restarts."
    )

    @Option(name: .customLong("state-dir"), help: "State directory of the running `onebox serve`.")
    var stateDirectory: String = "var"

    func run() async throws {
        let state = StateDirectory(stateDirectory)
        let pid = ServePID.read(state)
        let statusFile = state.path + "/serve.status"
        guard FileManager.default.fileExists(atPath: statusFile) else {
            StandardStreams.writeError("onebox status: no onebox serve has run on \(state.path) (no \(statusFile))\n")
            throw ExitCode(3)
        }
        let status: SupervisorStatus
        do {
            status = try SupervisorStatus.read(from: statusFile)
        } catch {
            StandardStreams.writeError("onebox status: \(error)\n")
            throw ExitCode(3)
        }
        let isRunning = pid == status.pid && kill(status.pid, 0) == 0
        StandardStreams.writeOut(status.render(isRunning: isRunning))
        if !isRunning { throw ExitCode(3) }
        if status.children.contains(where: { !$0.ready }) { throw ExitCode(1) }
    }
}

/// `onebox reload`: SIGHUP to the `onebox serve` of a state directory (with `--upgrade`,
/// SIGUSR2: the front is replaced too, for a new binary).
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Reload `onebox serve`: configuration, zones, certificates; app workers replaced without dropping requests."
    )

    @Option(name: .customLong("state-dir"), help: "State directory of the running `onebox serve`.")
    var stateDirectory: String = "var"

    @Flag(help: "Also replace the front (and the app workers) with the binary now installed at the same path.")
    var upgrade = false

    func run() async throws {
        let state = StateDirectory(stateDirectory)
        guard let pid = ServePID.read(state), kill(pid, 0) == 0 else {
            StandardStreams.writeError("onebox reload: onebox serve is not running on \(state.path)\n")
            throw ExitCode(3)
        }
        kill(pid, upgrade ? SIGUSR2 : SIGHUP)
        StandardStreams.writeOut("sent \(upgrade ? "SIGUSR2 (upgrade)" : "SIGHUP (reload)") to onebox serve pid \(pid); `onebox status --state-dir \(state.path)` shows the new pids\n")
    }
}

enum ServePID {
    static func read(_ state: StateDirectory) -> Int32? {
        guard let text = try? String(contentsOfFile: state.path + "/serve.pid", encoding: .utf8) else { return nil }
        return Int32(text.trimmingWhitespace())
    }
}
