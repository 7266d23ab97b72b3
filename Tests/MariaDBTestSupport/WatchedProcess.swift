import Foundation

/// A test server's process under a shell watchdog, so no server outlives its tests.
///
/// The watchdog waits on a pipe from this test process: "quit" dismisses it; EOF (this
/// process ended without stopping the server) makes it SIGTERM the server, wait up to a
/// minute for it to exit (or for `doneMarker` to appear in `doneLog`), and remove the
/// server's directory. It uses no `wait`: children inherit a signal mask with SIGCHLD
/// blocked from the test runner's threads, which hangs a shell's `wait`.
final class WatchedProcess: @unchecked Sendable {
    private let lock = NSLock()
    private var process: Process?
    private var watchdogInput: Pipe?

    var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// Runs `process` and its watchdog; `directory` is removed if the tests end without `stop()`.
    func run(_ process: Process, directory: URL, doneMarker: (text: String, log: URL)? = nil) throws {
        try process.run()
        let doneTest = doneMarker.map { " && ! grep -q '\($0.text)' '\($0.log.path)'" } ?? ""
        let script = """
            read -r line; [ "$line" = quit ] && exit 0
            kill -TERM "$1" 2>/dev/null; i=0
            while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]\(doneTest); do sleep 0.2; i=$((i+1)); done
            rm -rf "$2"
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "test-server-watchdog", String(process.processIdentifier), directory.path]
        let input = Pipe()
        watchdog.standardInput = input
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        lock.withLock {
            self.process = process
            self.watchdogInput = input
        }
    }

    /// Dismisses the watchdog (it must not kill or delete anything now), then stops the
    /// server with SIGTERM and waits for it to exit.
    func stop() {
        let (process, input) = lock.withLock {
            defer { self.process = nil; self.watchdogInput = nil }
            return (self.process, self.watchdogInput)
        }
        try? input?.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        try? input?.fileHandleForWriting.close()
        if let process {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }
}

/// Starts a server once per test process, for the tests that share it.
actor StartedOnce<Server: Sendable> {
    private let start: @Sendable () throws -> Server
    private var starting: Task<Server, any Error>?

    init(_ start: @escaping @Sendable () throws -> Server) { self.start = start }

    func server() async throws -> Server {
        if let starting { return try await starting.value }
        let start = self.start
        let task = Task { try await offTheCooperativePool(start) }
        starting = task
        return try await task.value
    }
}

/// Runs blocking work (starting a server and polling for its readiness, `Process` waits)
/// on a thread of its own. On two cores Swift's cooperative pool has two threads: a test
/// that blocks them stalls every other test's tasks, whose checkout timeouts then fire.
public func offTheCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
