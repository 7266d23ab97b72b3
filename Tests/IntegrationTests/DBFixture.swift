import Foundation
import Testing

/// A running `onebox db` on an ephemeral TCP port and a Unix socket in its own state
/// directory, with a known root password, plus helpers to drive it with real clients.
final class DBFixture: @unchecked Sendable {
    static let rootPassword = "Root-Pa55word"

    let directory: URL
    let state: URL
    let socketPath: String
    private(set) var process: OneboxProcess
    private(set) var port: Int

    let environment: [String: String]

    init(rootPassword: String? = DBFixture.rootPassword, environment: [String: String] = [:]) throws {
        directory = try makeTemporaryDirectory("onebox-db")
        state = directory.appendingPathComponent("state")
        socketPath = directory.appendingPathComponent("mysql.sock").path
        self.environment = environment
        process = try Self.start(state: state, socket: socketPath, directory: directory, rootPassword: rootPassword,
                                 environment: environment)
        port = Self.port(of: process)
    }

    private static func start(state: URL, socket: String, directory: URL, rootPassword: String?,
                              environment given: [String: String]) throws -> OneboxProcess {
        var environment = given
        if let rootPassword { environment["ONEBOX_ROOT_PASSWORD"] = rootPassword }
        return try OneboxProcess(["db", "--state-dir", state.path, "--listen", "127.0.0.1:0", "--socket", socket],
                                 environment: environment, directory: directory, readyCount: 2)
    }

    private static func port(of process: OneboxProcess) -> Int {
        process.readyLines.compactMap { line -> Int? in
            guard let url = URL(string: String(line.split(separator: " ").last ?? "")), url.scheme == "mysql" else { return nil }
            return url.port
        }.first ?? 0
    }

    /// Stops the server (SIGKILL when `crash`) and starts it again on the same state directory.
    func restart(crash: Bool) throws {
        if crash {
            process.send(SIGKILL)
            process.process.waitUntilExit()
        } else {
            process.stop()
        }
        process = try Self.start(state: state, socket: socketPath, directory: directory, rootPassword: Self.rootPassword,
                                 environment: environment)
        port = Self.port(of: process)
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs the `mariadb` CLI against the TCP port (`--batch` output unless `extra` says
    /// otherwise) and returns its exit status and combined output.
    @discardableResult
    func mariadb(_ extra: [String], user: String = "root", password: String? = DBFixture.rootPassword,
                 input: String? = nil, socket: Bool = false) throws -> (status: Int32, output: String) {
        var arguments = ["--no-defaults", "--user=\(user)", "--connect-timeout=20"]
        if let password { arguments.append("--password=\(password)") }
        arguments += socket ? ["--socket=\(socketPath)"] : ["--host=127.0.0.1", "--port=\(port)", "--protocol=TCP"]
        return try runProcess("/usr/bin/mariadb", arguments + extra, input: input)
    }

    /// Runs a Python script with the system interpreter (python3-pymysql), or another
    /// one, and the server's address in the environment (DB_PORT, DB_SOCKET, DB_PASSWORD).
    func python(_ script: String, interpreter: String = "/usr/bin/python3") throws -> (status: Int32, output: String) {
        let file = directory.appendingPathComponent("script-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        return try runProcess(interpreter, [file.path], environment: [
            "DB_PORT": String(port), "DB_SOCKET": socketPath, "DB_PASSWORD": Self.rootPassword,
        ])
    }
}

/// Runs a program to completion with optional standard input; output is stdout + stderr.
func runProcess(_ executable: String, _ arguments: [String], input: String? = nil,
                environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Is the real MySQL client installed (Tools/setup-system test)?
let mariadbInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/mariadb")
let pyMySQLInstalled = FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/pymysql/__init__.py")
/// The virtual environment Tools/setup-system test makes with mysql-connector-python.
let connectorPython = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent(".build/test-python/bin/python").path
