import Foundation
import MariaDBTestSupport
import Testing

/// A running `onebox app` on an ephemeral TCP port (or a Unix socket) against a
/// database loaded from Data/schema/foobar.sql on a private MariaDB server or `onebox db`.
final class AppFixture: @unchecked Sendable {
    let directory: URL
    let process: OneboxProcess
    let database: String
    let server: any TestDatabaseServer
    /// `http://127.0.0.1:PORT`, or nil when listening on a Unix socket.
    let baseURL: String?
    let socketPath: String?

    /// Loads the blog's schema and starter posts into a fresh database with a unique name.
    static func makeBlogDatabase(on server: any TestDatabaseServer) throws -> String {
        let name = "foobar_\(UUID().uuidString.prefix(8).lowercased())"
        let schema = try String(contentsOf: OneboxProcess.packageRoot.appendingPathComponent("Data/schema/foobar.sql"), encoding: .utf8)
            .replacingOccurrences(of: "CREATE DATABASE IF NOT EXISTS foobar ", with: "CREATE DATABASE \(name) ")
            .replacingOccurrences(of: "USE foobar;", with: "USE \(name);")
        try server.runSQL(schema)
        return name
    }

    init(_ kind: TestDatabaseKind, server: (any TestDatabaseServer)? = nil, unixSocket: Bool = false,
         environment: [String: String] = [:]) async throws {
        if let server {
            self.server = server
        } else {
            self.server = try await kind.shared()
        }
        directory = try makeTemporaryDirectory("onebox-app")
        database = try Self.makeBlogDatabase(on: self.server)
        let listen = unixSocket ? "unix:\(directory.path)/app.sock" : "127.0.0.1:0"
        process = try OneboxProcess([
            "app", "--listen", listen, "--database", self.server.url(database: database),
            "--templates", OneboxProcess.packageRoot.appendingPathComponent("Data/templates").path,
            "--state-dir", directory.appendingPathComponent("state").path,
        ], environment: environment, directory: directory)
        let url = process.url(of: "app")
        if unixSocket {
            socketPath = url?.path
            baseURL = nil
        } else {
            socketPath = nil
            baseURL = url.map { "http://127.0.0.1:\($0.port ?? 0)" }
        }
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// curl against the app; `extra` goes before the URL (methods, headers, cookie jars).
    func curl(_ path: String, _ extra: [String] = []) throws -> CurlResult {
        let headerFile = directory.appendingPathComponent("h-\(UUID().uuidString)")
        let bodyFile = directory.appendingPathComponent("b-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: headerFile)
            try? FileManager.default.removeItem(at: bodyFile)
        }
        var arguments = ["-sS", "--max-time", "20", "-D", headerFile.path, "-o", bodyFile.path, "-w", "%{http_code} %{http_version}"]
        if let socketPath { arguments += ["--unix-socket", socketPath] }
        let result = try runTool("curl", arguments + extra + [(baseURL ?? "http://localhost") + path])
        let parts = result.output.split(separator: " ")
        var headers: [String: String] = [:]
        for line in ((try? String(contentsOf: headerFile, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResult(status: Int(parts.first ?? "") ?? 0, httpVersion: parts.count > 1 ? String(parts[1]) : "",
                          headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data(), exitStatus: result.status,
                          output: result.output)
    }

    /// A cookie jar file for one simulated browser.
    func makeCookieJar() -> String { directory.appendingPathComponent("jar-\(UUID().uuidString)").path }

    /// Opens a post like a browser and returns the form's CSRF token (the cookie lands in `jar`).
    func csrfToken(post: Int, jar: String) throws -> String {
        let page = try curl("/posts/\(post)", ["-c", jar, "-b", jar])
        #expect(page.status == 200)
        guard let range = page.text.range(of: #"name="csrf_token" value="([0-9a-f]{64})""#, options: .regularExpression) else {
            Issue.record("no CSRF token in the page")
            return ""
        }
        return String(page.text[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
    }

    /// POSTs the comment form.
    func postComment(post: Int, author: String, body: String, token: String, jar: String?,
                     extra: [String] = []) throws -> CurlResult {
        var arguments = ["--data-urlencode", "author=\(author)", "--data-urlencode", "body=\(body)",
                         "--data-urlencode", "csrf_token=\(token)"] + extra
        if let jar { arguments += ["-b", jar, "-c", jar] }
        return try curl("/posts/\(post)/comments", arguments)
    }
}
