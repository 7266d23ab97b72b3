import Foundation
import Logging
import MySQLClient
import OneboxCore

/// The first start of a state directory, once `onebox db` is up (it made root itself):
/// the application account `foobar` with a generated password (written to
/// `secrets/app-password`, mode 0600, before the account exists), granted only
/// `foobar.*`; the blog's schema and starter posts; then the marker file. Every step is
/// safe to repeat, so a start that died half-way simply runs it again.
struct StateInitializer {
    let configuration: SupervisorConfiguration
    /// Where root connects: the database's Unix socket, else its TCP address.
    let database: MySQLConnectionConfiguration.Address
    let logger: Logger

    static let appUser = "foobar"

    func run() async throws {
        let rootPassword = try ProcessInfo.processInfo.environment["ONEBOX_ROOT_PASSWORD"]
            ?? readSecret(configuration.rootPasswordFile)
        let appPassword: String
        if FileManager.default.fileExists(atPath: configuration.appPasswordFile) {
            appPassword = try readSecret(configuration.appPasswordFile)
        } else {
            appPassword = Self.generatePassword()
            try PrivateFile.write(appPassword + "\n", to: configuration.appPasswordFile)
        }
        let schema: String
        do {
            schema = try String(contentsOfFile: configuration.schemaFile, encoding: .utf8)
        } catch {
            throw SupervisorError.initialisation("cannot read the schema \(configuration.schemaFile): \(error)")
        }

        var root = MySQLConnectionConfiguration(address: database, username: "root", password: rootPassword)
        root.allowsMultipleStatements = true
        root.queryTimeout = .seconds(120)
        let connection: MySQLConnection
        do {
            connection = try await MySQLConnection.connect(configuration: root)
        } catch {
            throw SupervisorError.initialisation("cannot connect to the database as root at \(database): \(error)")
        }
        defer { Task { await connection.close() } }
        let user = Self.appUser
        let statements = [
            "CREATE USER IF NOT EXISTS '\(user)'@'localhost' IDENTIFIED BY '\(appPassword)'",
            "ALTER USER '\(user)'@'localhost' IDENTIFIED BY '\(appPassword)'",
            "CREATE USER IF NOT EXISTS '\(user)'@'%' IDENTIFIED BY '\(appPassword)'",
            "ALTER USER '\(user)'@'%' IDENTIFIED BY '\(appPassword)'",
            // A start that died while loading left part of the schema: start it afresh.
            "DROP DATABASE IF EXISTS foobar",
        ]
        for statement in statements {
            do {
                _ = try await connection.queryAll(statement)
            } catch {
                throw SupervisorError.initialisation("\(statement.replacingOccurrences(of: appPassword, with: "***")): \(error)")
            }
        }
        do {
            _ = try await connection.queryAll(schema)
        } catch {
            throw SupervisorError.initialisation("loading \(configuration.schemaFile): \(error)")
        }
        for host in ["localhost", "%"] {
            let grant = "GRANT ALL PRIVILEGES ON foobar.* TO '\(user)'@'\(host)'"
            do {
                _ = try await connection.queryAll(grant)
            } catch {
                throw SupervisorError.initialisation("\(grant): \(error)")
            }
        }
        let posts = try await connection.query("SELECT COUNT(*) FROM foobar.posts")
        let count = try posts.rows.first?.decode(Int.self, at: 0) ?? 0
        try PrivateFile.write("initialised \(ISO8601DateFormatter().string(from: Date()))\n", to: configuration.initialisedMarker)
        logger.notice("state directory initialised", metadata: [
            "app-user": "\(user)", "app-password": "\(configuration.appPasswordFile)", "posts": "\(count)"])
    }

    private func readSecret(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8).trimmingWhitespace()
        } catch {
            throw SupervisorError.initialisation("cannot read \(path): \(error)")
        }
    }

    /// 32 letters and digits from the system's CSPRNG (nothing a SQL literal must escape).
    static func generatePassword(length: Int = 32) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
