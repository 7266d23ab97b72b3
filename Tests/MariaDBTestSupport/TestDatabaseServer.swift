import Foundation

/// A MySQL-compatible server the client and app tests run against: a private MariaDB
/// (`MariaDBServer`) or the real `onebox db` binary (`OneboxDBServer`). Both have a user
/// `onebox` (password `onebox-test`, all privileges) over TCP and a Unix socket, a root
/// account the `mariadb` CLI uses for set-up, and a TLS certificate.
public protocol TestDatabaseServer: AnyObject, Sendable {
    var kind: TestDatabaseKind { get }
    var port: Int { get }
    var socketPath: String { get }
    /// The server's certificate (PEM), a trust root for `ssl-mode=verify-ca`.
    var certificateFile: String { get }
    var user: String { get }
    var password: String { get }
    var rootPassword: String { get }
    var isRunning: Bool { get }
    /// Stops the server and waits for it to exit; the data stays for `restart()` unless
    /// `keepingData` is false.
    func stop(keepingData: Bool)
    /// Starts the server again on the same data, port and socket.
    func restart() throws
}

/// Which server a parametrised test runs against.
public enum TestDatabaseKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case mariadb
    case onebox

    /// The server every test of this process shares for this kind (each test makes its own database).
    public func shared() async throws -> any TestDatabaseServer {
        switch self {
        case .mariadb: try await MariaDBServer.shared()
        case .onebox: try await OneboxDBServer.shared()
        }
    }

    /// A fresh server of its own, for tests that stop and restart it.
    public func start() throws -> any TestDatabaseServer {
        switch self {
        case .mariadb: try MariaDBServer.start()
        case .onebox: try OneboxDBServer.start()
        }
    }

    /// `start()` for async tests, off the cooperative pool.
    public func start() async throws -> any TestDatabaseServer {
        try await offTheCooperativePool { try start() }
    }

    public var description: String { rawValue }
}

extension TestDatabaseServer {
    public func stop() { stop(keepingData: true) }

    /// `restart()` for async tests, off the cooperative pool.
    public func restart() async throws {
        try await offTheCooperativePool { try self.restart() }
    }

    /// `mysql://onebox:...@127.0.0.1:PORT/DB` (or the Unix socket form).
    public func url(database: String? = nil, overSocket: Bool = false, options: String = "") -> String {
        let host = overSocket ? "unix(\(socketPath))" : "127.0.0.1:\(port)"
        return "mysql://\(user):\(password)@\(host)/\(database ?? "")" + (options.isEmpty ? "" : "?" + options)
    }

    /// A new, empty database with a unique name.
    public func makeDatabase(_ prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try runSQL("CREATE DATABASE `\(name)`")
        return name
    }

    /// Runs SQL as root through the `mariadb` client over the socket; returns its output.
    @discardableResult
    public func runSQL(_ sql: String, database: String? = nil) throws -> String {
        var arguments = ["--no-defaults", "-uroot", "-p\(rootPassword)", "-S", socketPath, "--batch", "--skip-column-names"]
        if let database { arguments.append(database) }
        let (status, output) = try MariaDBServer.run("/usr/bin/mariadb", arguments, input: Data(sql.utf8))
        guard status == 0 else { throw MariaDBServerError.commandFailed("mariadb: \(output)") }
        return output
    }

    /// Loads an SQL file (a schema, a dump) as root.
    public func load(file: String, database: String? = nil) throws {
        try runSQL(try String(contentsOfFile: file, encoding: .utf8), database: database)
    }

    /// Creates the test user for TCP and the socket with every privilege.
    func provisionTestUser() throws {
        try runSQL("""
            CREATE USER '\(user)'@'%' IDENTIFIED BY '\(password)';
            CREATE USER '\(user)'@'localhost' IDENTIFIED BY '\(password)';
            GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'%' WITH GRANT OPTION;
            GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'localhost' WITH GRANT OPTION;
            """)
    }
}
