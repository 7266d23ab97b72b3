import Foundation
import Testing

/// `onebox serve` on a fresh temporary state directory, every port 0, two app workers;
/// the test talks to it through the addresses on its ready lines.
final class ServeFixture: @unchecked Sendable {
    let directory: URL
    let state: URL
    let process: OneboxProcess
    let httpsPort: Int
    /// The address the front's HTTPS listener is on (127.0.0.1 unless the test set ONEBOX_WEB_HTTPS).
    let httpsAddress: String
    let dnsPort: Int
    let databaseSocket: String
    let environment: [String: String]

    static let workers = 2
    /// db (TCP + socket), each worker, web (HTTPS + HTTP), dns, and serve's own line.
    static let readyLineCount = 2 + workers + 2 + 1 + 1

    static func environment(extra: [String: String] = [:]) -> [String: String] {
        [
            "ONEBOX_DB_LISTEN": "127.0.0.1:0",
            "ONEBOX_WEB_HTTPS": "127.0.0.1:0",
            "ONEBOX_WEB_HTTP": "127.0.0.1:0",
            "ONEBOX_DNS_LISTEN": "127.0.0.1:0",
            "ONEBOX_SERVE_APP_WORKERS": "\(workers)",
            // Small pools: two workers and a test's load need few connections.
            "ONEBOX_APP_DB_POOL_SIZE": "4",
            // A test's comments come fast from one client.
            "ONEBOX_APP_RATE_LIMIT_COMMENT_BURST": "1000",
        ].merging(extra) { _, new in new }
    }

    /// Starts serve on `state` (a new one under a fresh directory when nil).
    /// Children serve runs (db, web, dns and the workers; fewer with serve.roles).
    let childCount: Int

    init(state existing: URL? = nil, extraEnvironment: [String: String] = [:], withDatabase: Bool = true) throws {
        directory = try makeTemporaryDirectory("serve")
        state = existing ?? directory.appendingPathComponent("state")
        environment = Self.environment(extra: extraEnvironment)
        childCount = 2 + Self.workers + (withDatabase ? 1 : 0)
        process = try OneboxProcess(["serve", "--state-dir", state.path], environment: environment,
                                    readyCount: Self.readyLineCount - (withDatabase ? 0 : 2), timeout: .seconds(180))
        httpsPort = try Self.port(process, "web", "https")
        httpsAddress = try Self.url(process, "web", "https").host ?? "127.0.0.1"
        dnsPort = try Self.port(process, "dns", "dns")
        databaseSocket = state.appendingPathComponent("mysql.sock").path
    }

    /// The URL on the first ready line of `role` with `scheme`.
    static func url(_ process: OneboxProcess, _ role: String, _ scheme: String) throws -> URL {
        try #require(process.readyLines.compactMap { line -> URL? in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[1] == role, parts[2].hasPrefix(scheme + "://") else { return nil }
            return URL(string: String(parts[2]))
        }.first, "no ready line for \(role) \(scheme)")
    }

    /// The port on the first ready line of `role` with `scheme`.
    static func port(_ process: OneboxProcess, _ role: String, _ scheme: String) throws -> Int {
        try #require(try url(process, role, scheme).port)
    }

    /// Pids of live processes whose command line names `path` (children of a serve on it).
    static func processes(using path: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  !stat.contains(") Z ") else { return nil }
            return String(decoding: data, as: UTF8.self).contains(path) ? pid : nil
        }
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var rootPassword: String {
        (try? String(contentsOf: state.appendingPathComponent("secrets/root-password"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// curl through the front, with www.foobar.com resolved to the front's address.
    func curl(_ path: String, _ extra: [String] = []) throws -> CurlResult {
        let id = UUID().uuidString
        let headerFile = directory.appendingPathComponent("h-\(id)")
        let bodyFile = directory.appendingPathComponent("b-\(id)")
        defer {
            try? FileManager.default.removeItem(at: headerFile)
            try? FileManager.default.removeItem(at: bodyFile)
        }
        let arguments = ["-sS", "-k", "--max-time", "30", "--resolve", "www.foobar.com:\(httpsPort):\(httpsAddress)",
                         "-D", headerFile.path, "-o", bodyFile.path, "-w", "%{http_code} %{http_version}"]
        let result = try runTool("curl", arguments + extra + ["https://www.foobar.com:\(httpsPort)" + path])
        let parts = result.output.split(separator: " ")
        var headers: [String: String] = [:]
        for line in ((try? String(contentsOf: headerFile, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResult(status: Int(parts.first ?? "") ?? 0, httpVersion: parts.count > 1 ? String(parts[1]) : "",
                          headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data(),
                          exitStatus: result.status, output: result.output)
    }

    /// Opens the post like a browser (cookie into `jar`) and posts a comment with the
    /// form's CSRF token; returns the POST's result.
    func postComment(post: Int, author: String, body: String) throws -> CurlResult {
        let jar = directory.appendingPathComponent("jar-\(UUID().uuidString)").path
        let page = try curl("/posts/\(post)", ["-c", jar, "-b", jar])
        guard page.status == 200,
              let range = page.text.range(of: #"name="csrf_token" value="([0-9a-f]{64})""#, options: .regularExpression) else {
            return page
        }
        let token = String(page.text[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
        return try curl("/posts/\(post)/comments", ["-b", jar, "-c", jar, "--data-urlencode", "author=\(author)",
                                                    "--data-urlencode", "body=\(body)", "--data-urlencode", "csrf_token=\(token)"])
    }

    /// `mariadb` as root over the Unix socket; returns status and output.
    func mariadb(_ sql: String, user: String = "root", password: String? = nil) throws -> (status: Int32, output: String) {
        try runTool("mariadb", ["--socket=\(databaseSocket)", "-u\(user)", "-p\(password ?? rootPassword)", "-N", "-B", "-e", sql])
    }

    /// `onebox status` on this state directory.
    func status() throws -> (status: Int32, output: String) {
        try runTool(OneboxProcess.binary, ["status", "--state-dir", state.path])
    }

    /// The status file's children, by name.
    func children() -> [String: [String: Any]] {
        guard let data = try? Data(contentsOf: state.appendingPathComponent("serve.status")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let children = object["children"] as? [[String: Any]] else { return [:] }
        return Dictionary(children.compactMap { child in (child["name"] as? String).map { ($0, child) } }) { first, _ in first }
    }

    var serveState: String {
        guard let data = try? Data(contentsOf: state.appendingPathComponent("serve.status")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "" }
        return object["state"] as? String ?? ""
    }

    /// Waits until `condition` holds (the stack is event-driven; no fixed sleeps), or
    /// records an issue after `limit`.
    func waitUntil(_ what: String, limit: Duration = .seconds(90), _ condition: () throws -> Bool) rethrows {
        let deadline = ContinuousClock.now + limit
        while try !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting until \(what)\n\(process.errorText.suffix(3000))")
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Every child ready, with a pid that differs from `oldPIDs` for the names given.
    func allReady(replacing oldPIDs: [String: Int] = [:]) -> Bool {
        let children = children()
        guard children.count == childCount else { return false }
        return children.allSatisfy { name, child in
            guard child["ready"] as? Bool == true, let pid = child["pid"] as? Int else { return false }
            return oldPIDs[name].map { $0 != pid } ?? true
        }
    }

    func pids() -> [String: Int] {
        children().compactMapValues { $0["pid"] as? Int }
    }
}

/// What a wrk run reported.
struct WrkResult: CustomStringConvertible {
    var requests = 0
    var non2xx = 0
    var connectErrors = 0
    var readErrors = 0
    var writeErrors = 0
    var timeouts = 0
    let output: String

    var socketErrors: Int { connectErrors + readErrors + writeErrors + timeouts }
    var description: String { output }

    init(output: String) {
        self.output = output
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.contains(" requests in ") { requests = Int(line.prefix { $0.isNumber }) ?? 0 }
            if line.hasPrefix("Non-2xx or 3xx responses:") { non2xx = Int(line.split(separator: " ").last ?? "") ?? 0 }
            if line.hasPrefix("Socket errors:") {
                let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                if numbers.count == 4 { (connectErrors, readErrors, writeErrors, timeouts) = (numbers[0], numbers[1], numbers[2], numbers[3]) }
            }
        }
    }
}

/// wrk against the front for `seconds`, started in the background; `finish()` waits for it.
final class WrkRun: @unchecked Sendable {
    let process = Process()
    let pipe = Pipe()

    init(port: Int, path: String = "/", seconds: Int, connections: Int = 8, extraHeaders: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s"]
            + extraHeaders.flatMap { ["-H", $0] } + ["https://127.0.0.1:\(port)\(path)"]
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
    }

    func finish() -> WrkResult {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return WrkResult(output: String(decoding: data, as: UTF8.self))
    }
}
