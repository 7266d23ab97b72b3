import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `onebox db` for one test run, started like `MariaDBServer`: its own state
/// directory in a temp dir, a loopback TCP port and a Unix socket, root's password from
/// `ONEBOX_ROOT_PASSWORD`, the self-signed certificate it makes on first start, and the
/// test user `onebox` made through the `mariadb` CLI.
///
/// The binary is `$ONEBOX_BINARY` (Tools/test sets it), else `.build/debug/onebox`. As
/// with MariaDB, a shell watchdog reading the test process's pipe stops the server and
/// removes its directory when the test process ends without stopping it.
public final class OneboxDBServer: TestDatabaseServer, @unchecked Sendable {
    public var kind: TestDatabaseKind { .onebox }
    public let directory: URL
    public let port: Int
    public var socketPath: String { directory.appendingPathComponent("mysql.sock").path }
    public var stateDirectory: URL { directory.appendingPathComponent("state") }
    public var certificateFile: String { stateDirectory.appendingPathComponent("tls/db-self-signed.crt").path }
    public let user = "onebox"
    public let password = "onebox-test"
    public let rootPassword = "root-test"
    private let lock = NSLock()
    private var process: Process?
    private var watchdogInput: Pipe?

    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ONEBOX_BINARY"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/onebox").path
    }

    /// Starts a fresh server and makes the test user.
    public static func start() throws -> OneboxDBServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onebox-db-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = OneboxDBServer(directory: directory, port: try MariaDBServer.freeTCPPort())
        do {
            try server.launch()
            try server.provisionTestUser()
        } catch {
            server.stop(keepingData: false)
            throw error
        }
        return server
    }

    /// The server every test of a process shares (each test makes its own database).
    public static func shared() async throws -> OneboxDBServer {
        try await SharedOneboxServer.instance.server()
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    deinit { stop(keepingData: false) }

    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    public func stop(keepingData: Bool) {
        lock.lock()
        let process = self.process
        let input = watchdogInput
        self.process = nil
        self.watchdogInput = nil
        lock.unlock()
        try? input?.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        try? input?.fileHandleForWriting.close()
        if let process {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        if !keepingData { try? FileManager.default.removeItem(at: directory) }
    }

    public func restart() throws {
        stop()
        try launch()
    }

    /// What the server wrote to stderr (its log), for failure messages.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("stderr.log"), encoding: .utf8)) ?? ""
    }

    private func launch() throws {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw MariaDBServerError.commandFailed("no onebox binary at \(binary) (build it, or set ONEBOX_BINARY)")
        }
        let stdoutFile = directory.appendingPathComponent("stdout.log")
        let stderrFile = directory.appendingPathComponent("stderr.log")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["db", "--state-dir", stateDirectory.path, "--listen", "127.0.0.1:\(port)", "--socket", socketPath]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONEBOX_") }
        environment["ONEBOX_CONFIG"] = ""
        environment["ONEBOX_ROOT_PASSWORD"] = rootPassword
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        let script = """
            read -r line; [ "$line" = quit ] && exit 0
            kill -TERM "$1" 2>/dev/null; i=0
            while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
            rm -rf "$2"
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "onebox-db-watchdog", String(process.processIdentifier), directory.path]
        let input = Pipe()
        watchdog.standardInput = input
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        lock.withLock {
            self.process = process
            self.watchdogInput = input
        }
        // Ready once both listeners (TCP and the socket) printed their line.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let out = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
            if out.split(separator: "\n").filter({ $0.hasPrefix("ready db ") }).count >= 2 { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let log = self.log
        stop(keepingData: true)
        throw MariaDBServerError.oneboxNotReady(log: String(log.suffix(2000)))
    }
}

/// Starts the shared `onebox db` once per test process.
actor SharedOneboxServer {
    static let instance = SharedOneboxServer()
    private var starting: Task<OneboxDBServer, any Error>?

    func server() async throws -> OneboxDBServer {
        if let starting { return try await starting.value }
        let task = Task.detached { try OneboxDBServer.start() }
        starting = task
        return try await task.value
    }
}
