import Foundation
import Logging
import MySQLClient
import OneboxCore

extension Supervisor {
    /// `onebox <role> ...` for a slot, and what its environment adds.
    func commandLine(for slot: Slot) -> (arguments: [String], environment: [String: String]) {
        let state = configuration.stateDirectory.path
        var arguments = [slot.role]
        if let file = configuration.configFile { arguments += ["--config", file] }
        // The role watches its stdin (serve's lifeline) and stops when serve is gone.
        var environment: [String: String] = ["ONEBOX_SUPERVISOR_PID": "\(getpid())"]
        switch slot.role {
        case "db":
            arguments += ["--state-dir", state] + slot.pinnedFlags
        case "app":
            let index = Int(slot.name.dropFirst("app-".count))!
            arguments += ["--state-dir", state, "--listen", "unix:" + configuration.appSocket(index)]
            if !configuration.externalDatabase {
                arguments += ["--database", appDatabaseURL()]
                environment["ONEBOX_APP_DATABASE_PASSWORD_FILE"] = configuration.appPasswordFile
            }
            // One CSRF key for all workers: a form served by one is posted to another.
            if environment["ONEBOX_APP_CSRF_SECRET"] == nil, self.environment["ONEBOX_APP_CSRF_SECRET"] == nil,
               let secret = try? String(contentsOfFile: configuration.csrfSecretFile, encoding: .utf8) {
                environment["ONEBOX_APP_CSRF_SECRET"] = secret.trimmingWhitespace()
            }
        case "web":
            arguments += ["--state-dir", state] + slot.pinnedFlags
            let workers = order.filter { slots[$0]?.role == "app" }.map { "unix:" + configuration.appSocket(Int($0.dropFirst(4))!) }
            for upstream in configuration.extraUpstreams + workers {
                arguments += ["--upstream", upstream]
            }
        default:
            arguments += slot.pinnedFlags
        }
        return (arguments, environment)
    }

    /// The app account's URL: the database's socket when it has one, else its first TCP address.
    func appDatabaseURL() -> String {
        switch databaseAddress() {
        case .unix(let path): "mysql://\(StateInitializer.appUser)@unix(\(path))/foobar"
        case .tcp(let host, let port): "mysql://\(StateInitializer.appUser)@\(host.contains(":") ? "[\(host)]" : host):\(port)/foobar"
        }
    }

    func databaseAddress() -> MySQLConnectionConfiguration.Address {
        let lines = slots["db"]?.readyLines ?? []
        if let socket = lines.first(where: { $0.scheme == "unix" }) { return .unix(path: socket.address) }
        if let tcp = lines.first(where: { $0.scheme == "mysql" }),
           let address = try? ListenAddress(parsing: tcp.address), case .tcp(let host, let port) = address {
            return .tcp(host: host, port: port)
        }
        return .unix(path: configuration.stateDirectory.path + "/mysql.sock")
    }

    // MARK: - Readiness

    /// A ready line; `number` is its line number on the child's stdout (the tasks that
    /// deliver lines may run out of order; the lines are kept in the child's order).
    func received(_ line: ReadyLine, number: Int, pid: pid_t) {
        guard !exited.contains(pid) else { return }
        pendingReady[pid, default: []].append((number, line))
        resumeIfReady(pid)
    }

    private func resumeIfReady(_ pid: pid_t) {
        guard let lines = pendingReady[pid], let role = lines.first?.line.role,
              lines.count >= configuration.expectedReadyLines[role] ?? 1,
              let waiter = readyWaiters.removeValue(forKey: pid) else { return }
        pendingReady[pid] = nil
        waiter.resume(returning: lines.sorted { $0.number < $1.number }.map(\.line))
    }

    /// Waits for the process's ready lines; fails when it exits first or takes longer than
    /// `serve.start-timeout`.
    func waitUntilReady(_ process: ChildProcess, name: String) async throws -> [ReadyLine] {
        let pid = process.pid
        let timeout = configuration.startTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.readyTimedOut(pid, name: name)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            readyWaiters[pid] = continuation
            resumeIfReady(pid)
        }
    }

    private func readyTimedOut(_ pid: pid_t, name: String) {
        guard let waiter = readyWaiters.removeValue(forKey: pid) else { return }
        let log = slots[name]!.log.path
        waiter.resume(throwing: SupervisorError.childNotReady(
            name: name, seconds: Int(configuration.startTimeout.components.seconds), logPath: log, logTail: Self.tail(of: log)))
        // A child that hangs in its start is of no use: the exit then counts as a crash.
        kill(pid, SIGKILL)
    }

    // MARK: - Exits and restarts

    func childExited(name: String, pid: pid_t, status: ExitStatus) {
        exited.insert(pid)
        pendingReady[pid] = nil
        if let waiter = readyWaiters.removeValue(forKey: pid) {
            let log = slots[name]!.log.path
            waiter.resume(throwing: SupervisorError.childExitedBeforeReady(
                name: name, status: "\(status)", logPath: log, logTail: Self.tail(of: log)))
        }
        for waiter in exitWaiters.removeValue(forKey: pid) ?? [] {
            waiter.resume()
        }
        guard var slot = slots[name] else { return }
        let action = slot.lifecycle.exited(pid: pid, status: "\(status)", at: .now, restartAllowed: !(isStopping || isStarting))
        slots[name] = slot
        switch action {
        case .ignore:
            return   // a replaced process, or a replacement that failed before it took over
        case .stayDown:
            writeStatus()
        case .restart(let delay, let uptime, let crashes, let isCrashLoop):
            let metadata: Logger.Metadata = [
                "pid": "\(pid)", "uptime": "\(uptime)", "restart": "\(slot.lifecycle.restarts)",
                "delay": "\(delay)", "log": "\(slot.log.path)"]
            if isCrashLoop {
                logger.error("\(name) \(status); it has crashed \(crashes) times in a row (each within \(slot.lifecycle.backoff.stableAfter) of its start): restarting every \(delay) until it stays up", metadata: metadata)
            } else {
                logger.warning("\(name) \(status) unexpectedly; restarting", metadata: metadata)
            }
            writeStatus()
            restart(name, after: delay)
        }
    }

    private func restart(_ name: String, after delay: Duration) {
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.restart(name)
        }
    }

    func restart(_ name: String) async {
        guard !isStopping, slots[name]?.lifecycle.isWaitingToRestart == true else { return }
        let process: ChildProcess
        do {
            process = try spawn(name)
        } catch {
            logger.error("cannot restart \(name): \(error)")
            // Try again later, as if it had crashed at once.
            restart(name, after: slots[name]!.lifecycle.spawnFailed())
            return
        }
        slots[name]!.lifecycle.spawned(process)
        writeStatus()
        do {
            let lines = try await waitUntilReady(process, name: name)
            markReady(name, process: process, lines: lines)
        } catch {
            // Its exit is handled by childExited, which schedules the next attempt.
            logger.warning("\(name) did not come back: \(error)")
        }
    }

    // MARK: - Stop

    /// Stops the slot's current process: SIGTERM, then SIGKILL after `serve.stop-timeout`.
    func stop(_ name: String) async {
        guard let process = slots[name]?.lifecycle.stopRequested() else {
            writeStatus()
            return
        }
        writeStatus()
        await terminate(process, name: name)
        slots[name]?.lifecycle.stopped()
        writeStatus()
    }

    /// SIGTERM to a process that is no longer its slot's current one, and wait for its exit.
    func terminate(_ process: ChildProcess, name: String) async {
        let pid = process.pid
        guard !exited.contains(pid) else { return }
        process.send(SIGTERM)
        let timeout = configuration.stopTimeout
        let killer = Task { [logger] in
            try await Task.sleep(for: timeout)
            logger.error("\(name) (pid \(pid)) did not stop within \(timeout) of SIGTERM; sending SIGKILL")
            kill(pid, SIGKILL)
        }
        await withCheckedContinuation { continuation in
            if exited.contains(pid) { continuation.resume() } else { exitWaiters[pid, default: []].append(continuation) }
        }
        killer.cancel()
    }

    /// dns, web, the app workers (together), db: each stopped gracefully, in that order.
    func stopAll() async {
        isStopping = true
        state = "stopping"
        writeStatus()
        // Replacements a reload was starting go first: they serve nothing yet.
        for (pid, process) in transient {
            await terminate(process, name: "replacement pid \(pid)")
        }
        for name in ["dns", "web"] where slots[name] != nil {
            await stop(name)
        }
        let workers = order.filter { slots[$0]?.role == "app" }
        await withTaskGroup(of: Void.self) { group in
            for name in workers {
                group.addTask { await self.stop(name) }
            }
        }
        if slots["db"] != nil { await stop("db") }
        state = "stopped"
        writeStatus()
        logger.notice("all roles stopped")
    }

    // MARK: - Status

    func writeStatus() {
        let children = order.compactMap { name -> SupervisorStatus.Child? in
            guard let slot = slots[name] else { return nil }
            return SupervisorStatus.Child(
                name: name, role: slot.role, state: slot.lifecycle.stateName, pid: slot.process?.pid,
                startedAt: slot.process?.startedAtDate, ready: slot.lifecycle.isReady, restarts: slot.lifecycle.restarts,
                urls: slot.readyLines.map(\.url), lastExit: slot.lifecycle.lastExit)
        }
        let status = SupervisorStatus(pid: getpid(), state: state, startedAt: startedAt, updatedAt: Date(), children: children)
        do {
            try status.write(to: configuration.statusFile)
        } catch {
            logger.warning("cannot write the status file: \(error)")
        }
    }

    func removePidFile() {
        unlink(configuration.pidFile)
    }

    /// The ready lines of every child on stdout (the roles' own, then `ready serve URL`),
    /// and the summary for a person on stderr.
    func announce() {
        var webURL: String?
        for name in order {
            for line in slots[name]?.readyLines ?? [] {
                Readiness.announce(role: line.role, url: line.url)
                if line.role == "web", line.scheme == "https", webURL == nil { webURL = line.url }
            }
        }
        let state = configuration.stateDirectory.path
        var summary = "\nonebox is serving \(configuration.siteName) (state directory \(state))\n"
        if let webURL, let ready = ReadyLine(Substring("ready web \(webURL)")) {
            let (host, port) = Self.split(ready.address)
            summary += "  site:     https://\(configuration.siteName):\(port)/\n"
            summary += "            curl -k --resolve \(configuration.siteName):\(port):\(host) https://\(configuration.siteName):\(port)/\n"
            Readiness.announce(role: "serve", url: "https://\(configuration.siteName):\(port)/")
        } else {
            Readiness.announce(role: "serve", url: "unix://" + configuration.statusFile)
        }
        if let db = slots["db"]?.readyLines {
            let password = environment["ONEBOX_ROOT_PASSWORD"] != nil ? "\"$ONEBOX_ROOT_PASSWORD\"" : "\"$(cat \(configuration.rootPasswordFile))\""
            if let socket = db.first(where: { $0.scheme == "unix" }) {
                summary += "  database: mariadb --socket=\(socket.address) -uroot -p\(password)\n"
            }
            if let tcp = db.first(where: { $0.scheme == "mysql" }) {
                let (host, port) = Self.split(tcp.address)
                summary += "            mariadb -h\(host) -P\(port) -uroot -p\(password) foobar\n"
            }
            summary += "            the app's account: foobar, password in \(configuration.appPasswordFile)\n"
        }
        if let dns = slots["dns"]?.readyLines.first {
            let (host, port) = Self.split(dns.address)
            summary += "  dns:      dig @\(host) -p \(port) \(configuration.siteName)\n"
        }
        summary += "  logs:     \(configuration.logsDirectory)/<role>.log (kill -USR1 \(getpid()) reopens them)\n"
        summary += "  data:     \(state)/db/   secrets: \(configuration.stateDirectory.secretsDirectory)/\n"
        let onebox = Self.commandName(executable: configuration.executable)
        summary += "  status:   \(onebox) status --state-dir \(state)\n"
        summary += "  reload:   \(onebox) reload --state-dir \(state)\n\n"
        StandardStreams.writeError(summary)
    }

    /// How a person in this working directory runs this binary: `onebox` when that is what
    /// PATH finds, else its path (relative below the working directory, as Tools/run's
    /// `.build/…/release/onebox`), so the printed lines work when pasted.
    static func commandName(executable: String) -> String {
        let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("onebox").resolvingSymlinksInPath().path
            if candidate == resolved, FileManager.default.isExecutableFile(atPath: candidate) { return "onebox" }
            if FileManager.default.isExecutableFile(atPath: candidate) { break }
        }
        let current = FileManager.default.currentDirectoryPath + "/"
        return executable.hasPrefix(current) ? String(executable.dropFirst(current.count)) : executable
    }

    static func split(_ address: String) -> (host: String, port: String) {
        guard let colon = address.lastIndex(of: ":") else { return (address, "") }
        var host = String(address[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        return (host, String(address[address.index(after: colon)...]))
    }

    /// The last lines of a log, for a start-up failure message.
    static func tail(of path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).map { "  | " + $0 }.joined(separator: "\n")
    }
}
