import ArgumentParser
import Backup
import DBServer
import Foundation
import MySQLClient
import OneboxCore
import PageStore

/// `onebox backup`: an online, consistent backup of the state directory's database as
/// one LZ4 frame file (docs/operations.md). When `onebox db` runs on the directory (it
/// holds the file lock) the backup goes through it: this command connects as root over
/// the Unix socket and sends `BACKUP DATABASE TO '<file>'`, so the server copies a
/// snapshot while its sessions carry on. Otherwise it opens the database file itself.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write an online, consistent backup of the database in a state directory to an LZ4 file."
    )

    @Option(name: .customLong("state-dir"), help: "State directory holding db/onebox.pagestore.")
    var stateDirectory: String

    @Option(help: "The backup file to write (replaced atomically).")
    var output: String

    @Option(help: "The running server's Unix socket. Default: <state-dir>/mysql.sock.")
    var socket: String?

    func run() async throws {
        let state = StateDirectory(stateDirectory)
        let path = state.databaseFile
        let target = Self.absolute(output)
        guard FileManager.default.fileExists(atPath: path) else {
            StandardStreams.writeError("onebox backup: no database at \(path)\n")
            throw ExitCode.failure
        }
        let started = ContinuousClock.now
        do {
            let line: String
            if let database = try Self.openUnlessRunning(path) {
                defer { try? database.close() }
                let source = try database.beginBackup()
                defer { source.end() }
                let summary = try BackupWriter.write(source, to: target, serverVersion: DBServerConfiguration.serverVersion,
                                                     sourcePath: path)
                line = Self.report(target, pages: summary.manifest.pageCount, pageSize: summary.manifest.pageSize,
                                   bytes: summary.fileBytes, lsn: summary.manifest.snapshotLSN, via: "file")
            } else {
                line = try await backupThroughServer(state: state, target: target)
            }
            StandardStreams.writeOut(line + " in " + seconds(since: started) + "\n")
        } catch {
            StandardStreams.writeError("onebox backup: \(error)\n")
            throw ExitCode.failure
        }
    }

    /// The database opened directly, or nil when a running server holds its lock.
    static func openUnlessRunning(_ path: String) throws -> Database? {
        do { return try Database.open(path: path) } catch PageStoreError.locked { return nil }
    }

    private func backupThroughServer(state: StateDirectory, target: String) async throws -> String {
        let socketPath = Self.absolute(socket ?? state.path + "/mysql.sock")
        var configuration = MySQLConnectionConfiguration(
            address: .unix(path: socketPath), username: "root", password: try Self.rootPassword(state))
        configuration.queryTimeout = .seconds(24 * 3600)
        let connection: MySQLConnection
        do { connection = try await MySQLConnection.connect(configuration: configuration) } catch {
            throw ValidationError("the database is in use (a server holds its lock) but \(socketPath) does not answer: \(error)")
        }
        let result: MySQLResultSet
        do {
            result = try await connection.query("BACKUP DATABASE TO '\(Self.quoted(target))'")
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
        guard let row = result.rows.first, row.values.count >= 4 else { throw ValidationError("the server sent no backup summary") }
        let pages = Int((try? row.decode(UInt64.self, at: 1)) ?? 0)
        let bytes = Int64((try? row.decode(UInt64.self, at: 2)) ?? 0)
        let lsn = (try? row.decode(UInt64.self, at: 3)) ?? 0
        return Self.report(target, pages: pages, pageSize: nil, bytes: bytes, lsn: lsn, via: "server at \(socketPath)")
    }

    /// $ONEBOX_ROOT_PASSWORD, else <state-dir>/secrets/root-password.
    static func rootPassword(_ state: StateDirectory) throws -> String {
        if let given = ProcessInfo.processInfo.environment["ONEBOX_ROOT_PASSWORD"], !given.isEmpty { return given }
        let file = state.secretsDirectory + "/root-password"
        guard let saved = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("no root password: set ONEBOX_ROOT_PASSWORD or provide \(file)")
        }
        return saved.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func quoted(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("'", with: "''")
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func report(_ file: String, pages: Int, pageSize: Int?, bytes: Int64, lsn: UInt64, via: String) -> String {
        "backup \(file): \(pages) pages, \(bytes) bytes, snapshot LSN \(lsn), via \(via)"
    }
}
