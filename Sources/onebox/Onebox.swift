import ArgumentParser

/// The one executable: each subcommand runs one role, or (`serve`) all of them supervised.
/// The command line is a contract (docs/architecture.md); change it with care.
@main
struct Onebox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onebox",
        abstract: "The whole single-server web stack of www.foobar.com in one binary.",
        subcommands: [ServeCommand.self, StatusCommand.self, ReloadCommand.self, DNSCommand.self, WebCommand.self,
                      DBCommand.self, AppCommand.self, CheckCommand.self, BackupCommand.self, RestoreCommand.self]
    )
}
