import ArgumentParser
import DBServer
import Foundation
import Logging
import OneboxCore

/// `onebox db`: the MySQL-compatible database server.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The MySQL-compatible database: MySQL protocol over TCP and a Unix socket, data in the state directory."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("state-dir"), help: "State directory (database file, keys, certificate, secrets). Default: state-dir or var.")
    var stateDirectory: String?

    @Option(help: "HOST:PORT for MySQL over TCP; repeat for several, 'none' for no TCP listener. Default: db.listen or 127.0.0.1:3306.")
    var listen: [String] = []

    @Option(help: "Unix socket path, or 'none'. Default: db.socket or <state-dir>/mysql.sock.")
    var socket: String?

    func run() async throws {
        try await runRole("db") {
            let settings = try await common.loadSettings(flags: [
                "state-dir": stateDirectory,
                "db.listen": listen.isEmpty ? nil : listen.joined(separator: ","),
                "db.socket": socket,
            ])
            let logger = Logger(label: "db")
            let service = try DBService(
                configuration: DBServerConfiguration(settings: settings),
                rootPassword: ProcessInfo.processInfo.environment["ONEBOX_ROOT_PASSWORD"], logger: logger)
            try await runServices([service], settings: settings, logger: logger)
        }
    }
}
