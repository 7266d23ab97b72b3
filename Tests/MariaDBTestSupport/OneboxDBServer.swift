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
    private let watched = WatchedProcess()
    private static let sharedServer = StartedOnce { try OneboxDBServer.start() }

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
        try await sharedServer.server()
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    deinit { stop(keepingData: false) }

    public var isRunning: Bool { watched.isRunning }

    public func stop(keepingData: Bool) {
        watched.stop()
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
        try watched.run(process, directory: directory)
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
