import Foundation
import Logging
import MySQLClient
import OneboxCore

/// `onebox serve`: runs db, app workers, web and dns as child processes (`onebox <role>`),
/// started and awaited in that order, restarted with backoff when one dies, replaced one
/// by one on reload, and stopped in reverse order.
///
/// Events arrive from threads (a child's ready line, its exit) and from signals; they
/// all land on this actor, which performs the I/O. Each slot (`db`, `app-2`, `web`) keeps
/// its lifecycle in a `SlotStateMachine`: which process serves it, whether it is ready,
/// its crashes and backoff; an exit of any other pid of the slot (a replaced process we
/// asked to stop, a replacement that failed) never counts as a crash.
public actor Supervisor {
    struct Slot {
        let name: String
        let role: String
        let log: LogFile
        var lifecycle: SlotStateMachine<ChildProcess>
        var readyLines: [ReadyLine] = []
        /// Flags that bind the addresses the first process reported (ports chosen by the kernel stay put).
        var pinnedFlags: [String] = []

        /// The process serving the slot now, if any.
        var process: ChildProcess? { lifecycle.current }
    }

    var configuration: SupervisorConfiguration
    let reloadSettings: @Sendable () async throws -> SupervisorConfiguration
    let environment: [String: String]
    let logger: Logger
    var slots: [String: Slot] = [:]
    var order: [String] = []
    /// Lines seen so far from processes still starting, and whoever waits for them.
    var pendingReady: [pid_t: [(number: Int, line: ReadyLine)]] = [:]
    var readyWaiters: [pid_t: CheckedContinuation<[ReadyLine], any Error>] = [:]
    var exitWaiters: [pid_t: [CheckedContinuation<Void, Never>]] = [:]
    var exited: Set<pid_t> = []
    /// Replacements still starting (reload, upgrade): not yet their slot's process, but
    /// stopped with everything else if serve stops meanwhile.
    var transient: [pid_t: ChildProcess] = [:]
    var state = "starting"
    let startedAt = Date()
    var isStarting = true
    var isStopping = false
    var isReloading = false
    var reloadAgain = false
    var stopRequested: CheckedContinuation<Void, Never>?
    var stopWasRequested = false

    /// - Parameters:
    ///   - reloadSettings: reads the configuration layers again (SIGHUP).
    ///   - environment: the children's environment (serve's own, minus nothing).
    public init(configuration: SupervisorConfiguration, environment: [String: String], logger: Logger,
                reloadSettings: @escaping @Sendable () async throws -> SupervisorConfiguration) {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        self.reloadSettings = reloadSettings
    }

    /// Starts everything, serves until `requestStop()`, then stops everything.
    /// Throws when the stack cannot start (after stopping what had started).
    public func run() async throws {
        Self.closeInheritedDescriptorsOnExec()
        try prepareStateDirectory()
        do {
            try await startAll()
        } catch {
            logger.error("start-up failed; stopping what was started", metadata: ["error": "\(error)"])
            await stopAll()
            removePidFile()
            throw error
        }
        isStarting = false
        state = "running"
        writeStatus()
        announce()
        if !stopWasRequested {
            await withCheckedContinuation { stopRequested = $0 }
        }
        await stopAll()
        removePidFile()
    }

    /// SIGTERM/SIGINT: stop in reverse order (after any start-up in progress fails or ends).
    public func requestStop() {
        guard !stopWasRequested else { return }
        stopWasRequested = true
        logger.notice("stopping: dns, web, app, db in that order")
        if isStarting {
            // Abort the start: fail whoever waits for a ready line.
            for (pid, waiter) in readyWaiters {
                waiter.resume(throwing: SupervisorError.notRunning("stop requested during start-up"))
                readyWaiters[pid] = nil
            }
        }
        stopRequested?.resume()
        stopRequested = nil
    }

    // MARK: - Start

    /// Marks every descriptor serve inherited close-on-exec, so children get only their
    /// own 0, 1 and 2. A parent's descriptor held open by a child outliving serve would
    /// otherwise keep the parent waiting (Foundation's Process watches such a socket).
    static func closeInheritedDescriptorsOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let descriptor = Int32(entry), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    func prepareStateDirectory() throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: configuration.stateDirectory.path, withIntermediateDirectories: true)
            try manager.createDirectory(atPath: configuration.logsDirectory, withIntermediateDirectories: true)
        } catch {
            throw SupervisorError.io(path: configuration.stateDirectory.path, reason: "\(error)")
        }
        if let text = try? String(contentsOfFile: configuration.pidFile, encoding: .utf8),
           let pid = Int32(text.trimmingWhitespace()), pid != getpid(), kill(pid, 0) == 0 {
            throw SupervisorError.notRunning("onebox serve is already running on \(configuration.stateDirectory.path) (pid \(pid))")
        }
        do {
            try "\(getpid())\n".write(toFile: configuration.pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw SupervisorError.io(path: configuration.pidFile, reason: "\(error)")
        }
        if !manager.fileExists(atPath: configuration.csrfSecretFile) {
            try PrivateFile.write(StateInitializer.generatePassword(length: 48) + "\n", to: configuration.csrfSecretFile)
        }
        var names: [(String, String)] = []
        for role in configuration.roles {
            if role == "app" {
                names += (1...configuration.appWorkers).map { ("app-\($0)", "app") }
            } else {
                names.append((role, role))
            }
        }
        for (name, role) in names {
            let log = try LogFile(path: configuration.logsDirectory + "/\(name).log")
            slots[name] = Slot(name: name, role: role, log: log, lifecycle: SlotStateMachine(backoff: configuration.backoff))
            order.append(name)
        }
    }

    func startAll() async throws {
        if slots["db"] != nil {
            try await start("db")
            if !configuration.externalDatabase,
               !FileManager.default.fileExists(atPath: configuration.initialisedMarker) {
                logger.notice("first start of this state directory: creating the app account and loading \(configuration.schemaFile)")
                try await StateInitializer(configuration: configuration, database: databaseAddress(), logger: logger).run()
            }
        }
        let workers = order.filter { slots[$0]?.role == "app" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in workers {
                group.addTask { try await self.start(name) }
            }
            try await group.waitForAll()
        }
        for name in ["web", "dns"] where slots[name] != nil {
            try await start(name)
        }
    }

    /// Spawns the slot's process and waits for its ready lines.
    func start(_ name: String) async throws {
        guard !stopWasRequested else { throw SupervisorError.notRunning("stop requested during start-up") }
        let process = try spawn(name)
        slots[name]!.lifecycle.spawned(process)
        writeStatus()
        let lines = try await waitUntilReady(process, name: name)
        markReady(name, process: process, lines: lines)
    }

    /// The process's ready lines arrived; it serves the slot from now on, unless it is no
    /// longer the slot's current process.
    func markReady(_ name: String, process: ChildProcess, lines: [ReadyLine]) {
        guard slots[name]?.lifecycle.becameReady(pid: process.pid) == true else { return }
        record(lines, of: process, for: name)
    }

    /// Keeps the ready lines of the slot's (new) current process.
    func record(_ lines: [ReadyLine], of process: ChildProcess, for name: String) {
        guard var slot = slots[name] else { return }
        slot.readyLines = lines
        if slot.pinnedFlags.isEmpty && slot.role != "app" {
            slot.pinnedFlags = lines.flatMap(\.listenFlag)
        }
        slots[name] = slot
        logger.info("\(name) ready", metadata: ["pid": "\(process.pid)", "urls": "\(lines.map(\.url).joined(separator: " "))"])
        writeStatus()
    }

    func spawn(_ name: String) throws(SupervisorError) -> ChildProcess {
        let slot = slots[name]!
        let (arguments, extraEnvironment) = commandLine(for: slot)
        let log = slot.log
        log.append("---- \(ISO8601DateFormatter().string(from: Date())) onebox serve starts: onebox \(arguments.joined(separator: " "))\n")
        return try ChildProcess.spawn(
            executable: configuration.executable, arguments: arguments,
            environment: environment.merging(extraEnvironment) { _, new in new }, log: log,
            onLine: { [weak self] pid, number, line in
                guard let self, let ready = ReadyLine(line) else { return }
                Task { await self.received(ready, number: number, pid: pid) }
            },
            onExit: { [weak self] pid, status in
                guard let self else { return }
                Task { await self.childExited(name: name, pid: pid, status: status) }
            })
    }
}
