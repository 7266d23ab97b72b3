import Foundation
import Testing

/// A running `onebox web` on ephemeral ports with its own state directory and a copy of
/// Data/site plus test files: an index.html, a 3 MiB file (streamed, not cached), a dotfile, and a
/// symlink that points outside the site.
final class WebFixture: @unchecked Sendable {
    let directory: URL
    let site: URL
    let state: URL
    let process: OneboxProcess
    let httpsPort: Int
    let httpPort: Int

    init(arguments: [String] = [], environment: [String: String] = [:], upstreams: [String] = ["none"]) throws {
        directory = try makeTemporaryDirectory("onebox-web")
        site = directory.appendingPathComponent("site")
        state = directory.appendingPathComponent("state")
        let files = FileManager.default
        try files.copyItem(at: OneboxProcess.packageRoot.appendingPathComponent("Data/site"), to: site)
        var big = Data(count: 3 * 1024 * 1024)
        for index in stride(from: 0, to: big.count, by: 4096) { big[index] = UInt8(truncatingIfNeeded: index / 4096) }
        try big.write(to: site.appendingPathComponent("big.bin"))
        // The site has no index.html (the blog's / is the home page); the static tests want one.
        try "<!doctype html><title>foobar.com</title><h1>foobar.com</h1>\n"
            .write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "secret".write(to: site.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "outside".write(to: directory.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try files.createSymbolicLink(atPath: site.appendingPathComponent("escape.txt").path, withDestinationPath: "../outside.txt")
        try files.createSymbolicLink(atPath: site.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")

        var args = ["web", "--https", "127.0.0.1:0", "--http", "127.0.0.1:0", "--site", site.path, "--state-dir", state.path]
        for upstream in upstreams { args += ["--upstream", upstream] }
        process = try OneboxProcess(args + arguments, environment: environment, directory: directory, readyCount: 2)
        httpsPort = process.url(of: "web").flatMap { $0.scheme == "https" ? $0.port : nil } ?? 0
        httpPort = process.readyLines.compactMap { line -> Int? in
            guard let url = URL(string: String(line.split(separator: " ").last ?? "")), url.scheme == "http" else { return nil }
            return url.port
        }.first ?? 0
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `https://www.foobar.com:PORT` + path, resolved to loopback by curl's --resolve.
    func url(_ path: String, host: String = "www.foobar.com") -> String { "https://\(host):\(httpsPort)\(path)" }

    /// Runs curl against the front (insecure: the certificate is self-signed) and returns
    /// (status, headers lower-cased, body).
    func curl(_ path: String, host: String = "www.foobar.com", _ extra: [String] = []) throws -> CurlResult {
        let headerFile = directory.appendingPathComponent("headers-\(UUID().uuidString)")
        let bodyFile = directory.appendingPathComponent("body-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: headerFile)
            try? FileManager.default.removeItem(at: bodyFile)
        }
        let resolves = ["www.foobar.com", "foobar.com", "evil.example"].flatMap { ["--resolve", "\($0):\(httpsPort):127.0.0.1"] }
        let result = try runTool("curl", ["-sS", "-k", "--max-time", "20", "-D", headerFile.path, "-o", bodyFile.path,
                                          "-w", "%{http_code} %{http_version}"] + resolves + extra + [url(path, host: host)])
        let parts = result.output.split(separator: " ")
        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        var headers: [String: String] = [:]
        for line in headerText.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResult(status: Int(parts.first ?? "") ?? 0, httpVersion: parts.count > 1 ? String(parts[1]) : "",
                          headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data(), exitStatus: result.status, output: result.output)
    }
}

struct CurlResult {
    var status: Int
    var httpVersion: String
    var headers: [String: String]
    var body: Data
    var exitStatus: Int32
    var output: String
    var text: String { String(decoding: body, as: UTF8.self) }
}
