import AppServer
import ArgumentParser
import Logging

/// `onebox app`: the foobar.com blog (the uWSGI role), behind the front.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "The foobar.com blog: pages, comment form and JSON API over the MySQL database."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "unix:PATH or HOST:PORT to serve HTTP/1.1 on. Default: app.listen or unix:<state-dir>/app.sock.")
    var listen: String?

    @Option(help: "mysql://USER:PASSWORD@HOST:PORT/DB or mysql://USER:PASSWORD@unix(/path.sock)/DB. Default: app.database.")
    var database: String?

    @Option(help: "Directory of the Mustache templates. Default: app.templates or Data/templates.")
    var templates: String?

    @Option(name: .customLong("state-dir"), help: "State directory (default socket and database password). Default: state-dir or var.")
    var stateDirectory: String?

    func run() async throws {
        try await runRole("app") {
            let settings = try await common.loadSettings(flags: [
                "state-dir": stateDirectory,
                "app.listen": listen,
                "app.database": database,
                "app.templates": templates,
            ])
            let logger = Logger(label: "app")
            let configuration = try AppConfiguration(settings: settings)
            if configuration.runsTasksOnEventLoops, !AppService.runTasksOnEventLoops() {
                logger.notice("Swift Concurrency keeps its own threads (NIO could not take over its global executor)")
            }
            let service = AppService(configuration: configuration, logger: logger)
            try await runServices([service], settings: settings, logger: logger)
        }
    }
}
