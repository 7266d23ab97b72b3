import ArgumentParser
import Foundation
import Logging
import OneboxCore
import WebFront

/// `onebox web`: the HTTPS front — TLS, HTTP/1.1 and HTTP/2, static files, reverse proxy.
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "The HTTPS front: static files from the site directory, everything else proxied to the app."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("state-dir"), help: "State directory (generated certificate, logs). Default: state-dir or var.")
    var stateDirectory: String?

    @Option(help: "HOST:PORT for HTTPS; repeat for several. Default: web.https or 127.0.0.1:8443.")
    var https: [String] = []

    @Option(help: "HOST:PORT for plain HTTP (301 to HTTPS); repeat for several, 'none' for no listener. Default: web.http or 127.0.0.1:8080.")
    var http: [String] = []

    @Option(help: "Directory of static files. Default: web.site or Data/site.")
    var site: String?

    @Option(help: "Upstream for what is not a static file: unix:PATH, HOST:PORT or http://HOST:PORT; repeat for several, 'none' for no proxy. Default: web.upstreams or unix:<state-dir>/app.sock.")
    var upstream: [String] = []

    @Option(help: "PEM certificate chain. Default: web.tls.cert, else a self-signed one in <state-dir>/tls.")
    var cert: String?

    @Option(help: "PEM private key for --cert. Default: web.tls.key.")
    var key: String?

    func validate() throws {
        if (cert == nil) != (key == nil) {
            throw ValidationError("--cert and --key go together")
        }
    }

    func run() async throws {
        try await runRole("web") {
            let flags: [String: String?] = [
                "state-dir": stateDirectory,
                "web.https": https.isEmpty ? nil : https.joined(separator: ","),
                "web.http": http.isEmpty ? nil : http.joined(separator: ","),
                "web.site": site,
                "web.upstreams": upstream.isEmpty ? nil : upstream.joined(separator: ","),
                "web.tls.cert": cert,
                "web.tls.key": key,
            ]
            let settings = try await common.loadSettings(flags: flags)
            let logger = Logger(label: "web")
            let configFile = common.config
            let service = try WebService(
                configuration: WebFrontConfiguration(settings: settings), logger: logger,
                reloadConfiguration: {
                    // The same layers, read again: the file and the environment may have changed.
                    let settings = try await OneboxSettings.load(
                        configFile: configFile, flags: flags.compactMapValues { $0 },
                        environment: ProcessInfo.processInfo.environment)
                    return try WebFrontConfiguration(settings: settings)
                })
            try await runServices([service], settings: settings, logger: logger)
        }
    }
}
