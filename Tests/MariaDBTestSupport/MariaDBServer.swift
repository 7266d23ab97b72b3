import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private MariaDB server for one test run: its own data directory in a temp dir,
/// a loopback TCP port and a Unix socket, a self-signed TLS certificate, and a user
/// `onebox` (password `onebox-test`, all privileges) reachable over both.
///
/// The server runs under a small shell watchdog reading the test process's pipe: when
/// the test process ends — normally or not — the pipe closes and the watchdog stops
/// mariadbd, so no server outlives its tests. Needs apt `mariadb-server mariadb-client
/// openssl` (Tools/setup-system test).
public final class MariaDBServer: TestDatabaseServer, @unchecked Sendable {
    public var kind: TestDatabaseKind { .mariadb }
    public let directory: URL
    public let port: Int
    public var socketPath: String { directory.appendingPathComponent("mysql.sock").path }
    public var dataDirectory: URL { directory.appendingPathComponent("data") }
    public var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
    public let user = "onebox"
    public let password = "onebox-test"
    public let rootPassword = "root-test"
    private let watched = WatchedProcess()
    private static let sharedServer = StartedOnce { try MariaDBServer.start() }
    private let extraArguments: [String]

    /// Installs and starts a fresh server; `extraArguments` go to mariadbd.
    public static func start(extraArguments: [String] = []) throws -> MariaDBServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onebox-mariadb-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = MariaDBServer(directory: directory, port: try freeTCPPort(), extraArguments: extraArguments)
        do {
            try server.install()
            try server.launch()
            try server.provision()
        } catch {
            server.stop(keepingData: false)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return server
    }

    private init(directory: URL, port: Int, extraArguments: [String]) {
        self.directory = directory
        self.port = port
        self.extraArguments = extraArguments
    }

    deinit { stop(keepingData: false) }

    /// The server every test of a process shares (each test makes its own database).
    public static func shared() async throws -> MariaDBServer {
        try await sharedServer.server()
    }

    /// Stops the server (SIGTERM) and waits for it to exit. The data directory stays
    /// for `restart()` unless `keepingData` is false.
    public func stop(keepingData: Bool) {
        watched.stop()
        if !keepingData { try? FileManager.default.removeItem(at: directory) }
    }

    /// Stops and starts the server on the same data directory, port and socket.
    public func restart() throws {
        stop()
        try launch()
    }

    public var isRunning: Bool { watched.isRunning }

    // MARK: - setup

    private var errorLog: URL { directory.appendingPathComponent("error.log") }

    /// Temporary tables go here, not to the shared /tmp where concurrent servers and
    /// cleaners meet.
    private var temporaryDirectory: String { directory.appendingPathComponent("tmp").path }

    private func install() throws {
        try FileManager.default.createDirectory(atPath: temporaryDirectory, withIntermediateDirectories: true)
        let (status, output) = try Self.run("/usr/bin/mariadb-install-db", [
            "--no-defaults", "--datadir=\(dataDirectory.path)", "--auth-root-authentication-method=normal",
            "--skip-test-db", "--skip-name-resolve", "--tmpdir=\(temporaryDirectory)",
        ] + Self.userArguments)
        guard status == 0 else { throw MariaDBServerError.commandFailed("mariadb-install-db: \(output)") }
        let (tlsStatus, tlsOutput) = try Self.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-keyout", directory.appendingPathComponent("key.pem").path, "-out", certificateFile,
        ])
        guard tlsStatus == 0 else { throw MariaDBServerError.commandFailed("openssl: \(tlsOutput)") }
    }

    private func launch() throws {
        try? FileManager.default.removeItem(at: errorLog)
        let arguments = [
            "--no-defaults", "--datadir=\(dataDirectory.path)", "--socket=\(socketPath)", "--port=\(port)",
            "--bind-address=127.0.0.1", "--tmpdir=\(temporaryDirectory)", "--pid-file=\(directory.appendingPathComponent("mariadb.pid").path)",
            "--log-error=\(errorLog.path)", "--skip-log-bin", "--skip-name-resolve",
            "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M", "--max-connections=300",
            "--max-allowed-packet=64M",
            "--ssl-cert=\(certificateFile)", "--ssl-key=\(directory.appendingPathComponent("key.pem").path)",
        ] + Self.userArguments + extraArguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try watched.run(process, directory: directory, doneMarker: ("Shutdown complete", errorLog))
        // Ready when the log says so (after recovery and after the listeners are up).
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let log = try? String(contentsOf: errorLog, encoding: .utf8), log.contains("ready for connections") { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        stop(keepingData: false)
        throw MariaDBServerError.notReady(log: String(log.suffix(2000)))
    }

    private func provision() throws {
        // Root logs in without a password right after install; give it one, then make
        // the test user for TCP and the socket.
        let sql = "ALTER USER 'root'@'localhost' IDENTIFIED BY '\(rootPassword)';"
        let (status, output) = try Self.run("/usr/bin/mariadb", ["--no-defaults", "-uroot", "-S", socketPath],
                                            input: Data(sql.utf8))
        guard status == 0 else { throw MariaDBServerError.commandFailed("provisioning: \(output)") }
        try provisionTestUser()
    }

    private static var userArguments: [String] { getuid() == 0 ? ["--user=root"] : [] }

    /// A TCP port nothing listens on now (the kernel's choice for port 0).
    public static func freeTCPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MariaDBServerError.commandFailed("socket()") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw MariaDBServerError.commandFailed("bind()") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            try inputPipe.fileHandleForWriting.write(contentsOf: input)
            try inputPipe.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

public enum MariaDBServerError: Error, CustomStringConvertible {
    case commandFailed(String)
    case notReady(log: String)
    case oneboxNotReady(log: String)

    public var description: String {
        switch self {
        case .commandFailed(let what): "test database server: \(what)"
        case .notReady(let log): "MariaDB test server did not become ready:\n\(log)"
        case .oneboxNotReady(let log): "onebox db did not become ready:\n\(log)"
        }
    }
}
