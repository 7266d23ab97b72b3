import Dispatch
import Foundation

/// Routes the supervisor's signals to it: SIGTERM/SIGINT stop, SIGHUP reloads, SIGUSR2
/// upgrades, SIGUSR1 reopens logs. The signals are ignored first (so their default
/// action never ends the process) and read through dispatch sources.
public final class SignalEvents {
    private let sources: [any DispatchSourceSignal]

    public init(supervisor: Supervisor) {
        let queue = DispatchQueue(label: "onebox.serve.signals")
        var sources: [any DispatchSourceSignal] = []
        let actions: [(Int32, @Sendable () -> Void)] = [
            (SIGTERM, { Task { await supervisor.requestStop() } }),
            (SIGINT, { Task { await supervisor.requestStop() } }),
            (SIGHUP, { Task { await supervisor.reload(upgrade: false) } }),
            (SIGUSR2, { Task { await supervisor.reload(upgrade: true) } }),
            (SIGUSR1, { Task { await supervisor.reopenLogs() } }),
        ]
        signal(SIGPIPE, SIG_IGN)
        for (number, action) in actions {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: action)
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
