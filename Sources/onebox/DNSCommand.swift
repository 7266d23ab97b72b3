import ArgumentParser
import DNSServer
import Logging

/// `onebox dns`: the authoritative DNS responder for the zones in Data/zones.
struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Authoritative DNS over UDP and TCP for every zone file in the zones directory."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "HOST:PORT to answer on, UDP and TCP; repeat for several. Default: dns.listen or 127.0.0.1:8053.")
    var listen: [String] = []

    @Option(help: "Directory of *.zone files. Default: dns.zones or Data/zones.")
    var zones: String?

    func run() async throws {
        try await runRole("dns") {
            let settings = try await common.loadSettings(flags: [
                "dns.listen": listen.isEmpty ? nil : listen.joined(separator: ","),
                "dns.zones": zones,
            ])
            let logger = Logger(label: "dns")
            let service = try DNSService(configuration: DNSServerConfiguration(settings: settings), logger: logger)
            try await runServices([service], settings: settings, logger: logger)
        }
    }
}
