import Foundation
import MariaDBTestSupport
import Testing

/// `onebox serve`: the whole stack as one command, driven with real clients (dig, curl,
/// mariadb, mariadb-dump, wrk). Serialized: each test runs five processes and a load.
@Suite(.serialized) struct ServeTests {
    /// Where the end-to-end test leaves the browser's DOM dump and screenshots:
    /// `$ONEBOX_TEST_ARTIFACTS/serve-end-to-end` (default `.build/test-artifacts/serve-end-to-end`).
    static var artifacts: URL {
        let base = ProcessInfo.processInfo.environment["ONEBOX_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? OneboxProcess.packageRoot.appendingPathComponent(".build/test-artifacts")
        return base.appendingPathComponent("serve-end-to-end")
    }

    /// The reader's path: dig asks onebox's DNS for www.foobar.com; headless Chromium, with
    /// the name mapped to the address DNS answered, opens the home page, clicks a post,
    /// posts a comment through the form and sees it after the redirect; then the operator's
    /// tools (mariadb, mariadb-dump, onebox backup/restore/status, log rotation, SIGTERM).
    /// The site's public address is 127.0.0.2 (dns.public-ipv4, and the front listens
    /// there), so a browser that reached the site used the address from DNS.
    @Test func endToEnd() throws {
        let chromium = try #require(WebBrowserTests.chromium, "needs Debian's chromium (Tools/setup-system test installs it)")
        let siteAddress = "127.0.0.2"
        let serve = try ServeFixture(extraEnvironment: ["ONEBOX_DNS_PUBLIC_IPV4": siteAddress,
                                                        "ONEBOX_WEB_HTTPS": "\(siteAddress):0"])
        let roles = Set(serve.process.readyLines.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
        #expect(roles == ["db", "app", "web", "dns", "serve"])
        #expect(serve.process.readyLines.last == "ready serve https://www.foobar.com:\(serve.httpsPort)/")

        // DNS: www.foobar.com is a CNAME to foobar.com, which has the A record.
        let answer = try Dig.query(port: serve.dnsPort, "www.foobar.com")
        #expect(answer.status == "NOERROR", "\(answer)")
        #expect(answer.answerData("CNAME") == ["foobar.com."])
        let address = try #require(answer.answerData("A").first, "no A record in\n\(answer)")
        #expect(answer.answerData("A") == [siteAddress])

        // The static files come from the front itself (curl sees the status and type).
        let style = try serve.curl("/static/style.css")
        #expect(style.status == 200 && style.headers["content-type"]?.hasPrefix("text/css") == true, "\(style.headers)")

        // The browser: home page, the post's link, the comment form, the redirect back.
        let out = Self.artifacts
        try? FileManager.default.removeItem(at: out)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let author = "Chromium Reader"
        let text = "End to end through onebox serve & its DNS \(UUID().uuidString)"
        let run = try runProcess("/usr/bin/python3", [
            OneboxProcess.packageRoot.appendingPathComponent("Tools/browser-comment.py").path,
            "--chromium", chromium, "--address", address, "--port", String(serve.httpsPort), "--from-home", "--post", "1",
            "--author", author, "--body", text, "--out", out.path,
        ])
        try #require(run.status == 0, "browser: \(run.output)\nserve: \(serve.process.errorText.suffix(3000))")
        let browser = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let home = try #require(browser["home"] as? [String: Any], "\(browser)")
        #expect(home["url"] as? String == "https://www.foobar.com/")
        let titles = (home["posts"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        for title in ["Hello from one box", "Write-ahead logging in four paragraphs", "Plain HTML is fast HTML"] {
            #expect(titles.contains(title), "\(title) not among the home page's posts \(titles)")
        }
        #expect(browser["postTitle"] as? String == "Hello from one box")
        let url = try #require(browser["url"] as? String)
        let commentID = try #require(browser["commentId"] as? String, "\(browser)")
        #expect(url == "https://www.foobar.com/posts/1#\(commentID)", "after the 303: \(url)")
        let shown = browser["commentText"] as? String ?? ""
        #expect(shown.contains(author) && shown.contains(text), "the new comment shows \(shown)")
        let dom = try String(contentsOfFile: try #require(browser["dom"] as? String), encoding: .utf8)
        #expect(dom.contains("<p>\(text.replacingOccurrences(of: "&", with: "&amp;"))</p>"), "the DOM holds the comment")
        for key in ["screenshot", "commentScreenshot"] {
            let shot = try #require(browser[key] as? String, "\(key) in \(browser)")
            #expect(try Self.distinctColours(shot) > 2, "blank screenshot \(shot)")
        }
        #expect(try Self.distinctColours(try #require(home["screenshot"] as? String)) > 2, "blank home page screenshot")

        // The database as root: the comment is there, and mariadb-dump carries it.
        let id = try #require(Int(commentID.dropFirst("comment-".count)), "\(commentID)")
        let found = try serve.mariadb("SELECT post_id, author, body FROM foobar.comments WHERE id = \(id)")
        #expect(found.status == 0, "\(found.output)")
        #expect(found.output.contains("1\t\(author)\t\(text)"), "\(found.output)")
        let dump = try runTool("mariadb-dump", ["--socket=\(serve.databaseSocket)", "-uroot", "-p\(serve.rootPassword)", "foobar"])
        #expect(dump.status == 0, "\(dump.output.prefix(2000))")
        #expect(dump.output.contains("CREATE TABLE `comments`"))
        #expect(dump.output.contains(text))

        // onebox backup through the running server; onebox restore into a second state
        // directory, which passes onebox check and serves the comment from its own db.
        let backupFile = serve.directory.appendingPathComponent("site.backup")
        let backup = try runTool(OneboxProcess.binary, ["backup", "--state-dir", serve.state.path, "--output", backupFile.path])
        #expect(backup.status == 0, "\(backup.output)")
        let restored = serve.directory.appendingPathComponent("restored")
        let restore = try runTool(OneboxProcess.binary, ["restore", "--input", backupFile.path, "--state-dir", restored.path])
        #expect(restore.status == 0, "\(restore.output)")
        let check = try runTool(OneboxProcess.binary, ["check", "--state-dir", restored.path])
        #expect(check.status == 0, "\(check.output)")
        let restoredSocket = serve.directory.appendingPathComponent("restored.sock").path
        let restoredDB = try OneboxProcess(["db", "--state-dir", restored.path, "--listen", "none", "--socket", restoredSocket],
                                           directory: serve.directory)
        let restoredRow = try runTool("mariadb", ["--socket=\(restoredSocket)", "-uroot", "-p\(serve.rootPassword)", "-N", "-B",
                                            "-e", "SELECT author, body FROM foobar.comments WHERE body = '\(text)'"])
        #expect(restoredRow.output.contains("\(author)\t\(text)"), "\(restoredRow.output)")
        _ = restoredDB.stop()
        // The state that belongs with the database came back too: the same secrets (the
        // restored app account's password is the restored secrets/app-password), 0600, the
        // certificate, and serve.initialised (so serve does not reload the starter schema).
        for file in ["secrets/app-password", "secrets/csrf-secret", "serve.initialised"] {
            let original = FileManager.default.contents(atPath: serve.state.appendingPathComponent(file).path)
            #expect(original != nil && FileManager.default.contents(atPath: restored.appendingPathComponent(file).path) == original, "\(file)")
        }
        let restoredMode = try FileManager.default.attributesOfItem(atPath: restored.appendingPathComponent("secrets/app-password").path)
        #expect((restoredMode[.posixPermissions] as? Int) == 0o600)
        let tlsFiles = (try? FileManager.default.contentsOfDirectory(atPath: serve.state.appendingPathComponent("tls").path)) ?? []
        for name in tlsFiles {
            #expect(FileManager.default.contents(atPath: restored.appendingPathComponent("tls/" + name).path)
                    == FileManager.default.contents(atPath: serve.state.appendingPathComponent("tls/" + name).path), "tls/\(name)")
        }

        // The app's account: its own password file (0600), foobar.* only.
        let passwordFile = serve.state.appendingPathComponent("secrets/app-password").path
        let attributes = try FileManager.default.attributesOfItem(atPath: passwordFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let appPassword = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(appPassword.count >= 32)
        let own = try serve.mariadb("SELECT COUNT(*) FROM foobar.posts", user: "foobar", password: appPassword)
        #expect(own.status == 0 && own.output.trimmingCharacters(in: .whitespacesAndNewlines) == "4", "\(own.output)")
        let grants = try serve.mariadb("SHOW GRANTS", user: "foobar", password: appPassword)
        // MySQL 8's form: USAGE globally, then the database grant
        #expect(grants.output.trimmingCharacters(in: .whitespacesAndNewlines) ==
                "GRANT USAGE ON *.* TO `foobar`@`localhost`\nGRANT ALL PRIVILEGES ON `foobar`.* TO `foobar`@`localhost`",
                "\(grants.output)")
        for (statement, code) in [("CREATE DATABASE notallowed", "1044"), ("SELECT user FROM mysql.user", "1142")] {
            let other = try serve.mariadb(statement, user: "foobar", password: appPassword)
            #expect(other.status != 0, "\(statement)")
            #expect(other.output.contains(code), "\(statement): \(other.output)")
        }

        // onebox status: every role ready.
        let status = try serve.status()
        #expect(status.status == 0, "\(status.output)")
        for name in ["db", "app-1", "app-2", "web", "dns"] {
            #expect(status.output.split(separator: "\n").contains { $0.hasPrefix(name + " ") && $0.contains(" yes ") },
                    "\(name) in\n\(status.output)")
        }

        // Log rotation: the files are renamed, SIGUSR1 has serve reopen them; new lines go to new files.
        let logs = serve.state.appendingPathComponent("logs")
        for name in ["app-1", "app-2", "access"] {
            try FileManager.default.moveItem(at: logs.appendingPathComponent("\(name).log"),
                                             to: logs.appendingPathComponent("\(name).log.1"))
        }
        serve.process.send(SIGUSR1)
        serve.waitUntil("the logs are reopened") {
            ["app-1", "app-2"].allSatisfy { FileManager.default.fileExists(atPath: logs.appendingPathComponent("\($0).log").path) }
        }
        for _ in 0..<4 { #expect(try serve.curl("/api/posts").status == 200) }
        serve.waitUntil("requests are logged in the new files") {
            let sizes = ["app-1", "app-2", "access"].map {
                (try? FileManager.default.attributesOfItem(atPath: logs.appendingPathComponent("\($0).log").path)[.size] as? Int) ?? 0
            }
            return sizes[0] + sizes[1] > 0 && sizes[2] > 0
        }

        // SIGTERM stops everything gracefully; a second start reuses the state (no second initialisation).
        #expect(serve.process.stop() == 0, "\(serve.process.errorText.suffix(2000))")
        #expect(try serve.status().status == 3)
        let again = try ServeFixture(state: serve.state)
        #expect(!again.process.errorText.contains("first start of this state directory"))
        #expect(try again.curl("/posts/1").text.contains(text.replacingOccurrences(of: "&", with: "&amp;")))
        #expect(again.process.stop() == 0)
        #expect(ServeFixture.processes(using: serve.state.path).isEmpty, "children left behind")
    }

    /// How many distinct colours a screenshot has (Tools/png-colors.py): a blank page has one.
    static func distinctColours(_ png: String) throws -> Int {
        let analysis = try runTool("python3", [OneboxProcess.packageRoot.appendingPathComponent("Tools/png-colors.py").path, png, "d9480f"]).output
        return analysis.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("distinct=") }
            .flatMap { Int($0.dropFirst("distinct=".count)) } ?? 0
    }

    @Test func killedChildrenComeBackAndAcknowledgedCommentsSurvive() throws {
        let serve = try ServeFixture(extraEnvironment: ["ONEBOX_SERVE_RESTART_BACKOFF_MAX": "1"])
        let load = try WrkRun(port: serve.httpsPort, seconds: 12)
        var acknowledged: [String] = []
        var failedPosts = 0
        for name in ["db", "app-1", "web", "app-2", "dns"] {
            let before = serve.pids()
            let pid = try #require(before[name], "\(name) has a pid")
            kill(pid_t(pid), SIGKILL)
            // Comments posted while the stack heals: only the acknowledged (303) ones must survive.
            for index in 0..<3 {
                let text = "chaos \(name) \(index) \(UUID().uuidString)"
                if let result = try? serve.postComment(post: 2, author: "Chaos", body: text), result.status == 303 {
                    acknowledged.append(text)
                } else {
                    failedPosts += 1
                }
            }
            serve.waitUntil("\(name) is back") { serve.allReady(replacing: [name: pid]) }
        }
        let result = load.finish()
        print("chaos: \(result.requests) requests; \(result.non2xx) non-2xx (502/503 while db or a worker restarted); "
              + "socket errors: \(result.connectErrors) connect (wrk retrying at once while the front restarted), "
              + "\(result.readErrors) read, \(result.writeErrors) write, \(result.timeouts) timeouts; "
              + "\(acknowledged.count) comments acknowledged, \(failedPosts) refused while healing")
        #expect(result.requests > 0, "\(result)")
        // Bounded: most requests succeed; no request hangs (wrk's 10 s timeout) — the front answers or refuses.
        #expect(result.non2xx * 2 < result.requests, "\(result)")
        #expect(result.timeouts == 0, "\(result)")

        // Back in full: every role ready (each restarted once), the site answers, DNS on the same port.
        let children = serve.children()
        for name in ["db", "app-1", "app-2", "web", "dns"] {
            #expect(children[name]?["restarts"] as? Int == 1, "\(name): \(children[name] ?? [:])")
        }
        #expect(try serve.curl("/").status == 200)
        #expect(try Dig.query(port: serve.dnsPort, "foobar.com").answerData("A") == ["127.0.0.1"])
        #expect(!acknowledged.isEmpty)
        let stored = try serve.mariadb("SELECT body FROM foobar.comments WHERE author = 'Chaos'")
        let bodies = Set(stored.output.split(separator: "\n").map(String.init))
        for text in acknowledged {
            #expect(bodies.contains(text), "acknowledged comment lost: \(text)")
        }
        #expect(serve.process.stop() == 0)
    }

    @Test func reloadAndUpgradeDropNoRequest() throws {
        let serve = try ServeFixture()
        let load = try WrkRun(port: serve.httpsPort, seconds: 10, connections: 6)
        // New connections too: each request on its own connection, through the front's hand-over.
        let fresh = try WrkRun(port: serve.httpsPort, path: "/healthz", seconds: 10, connections: 4,
                               extraHeaders: ["Connection: close"])
        // Two reloads (app workers replaced one by one) and one upgrade (the front too).
        for signal in [SIGHUP, SIGUSR2, SIGHUP] {
            let before = serve.pids()
            serve.process.send(signal)
            let replaced = signal == SIGUSR2 ? ["web", "app-1", "app-2"] : ["app-1", "app-2"]
            serve.waitUntil("reload done") {
                serve.serveState == "running" && serve.allReady(replacing: before.filter { replaced.contains($0.key) })
            }
            #expect(serve.pids()["db"] == before["db"] && serve.pids()["dns"] == before["dns"])
        }
        for (kind, result) in [("keep-alive", load.finish()), ("new connections", fresh.finish())] {
            print("reload under \(kind) load: \(result.requests) requests, \(result.non2xx) non-2xx, \(result.socketErrors) socket errors")
            #expect(result.requests > 0, "\(kind): \(result)")
            #expect(result.non2xx == 0, "\(kind): \(result)")
            #expect(result.socketErrors == 0, "\(kind): \(result)")
        }
        // A stop that arrives while a reload is starting new workers stops them too.
        let reload = try runTool(OneboxProcess.binary, ["reload", "--state-dir", serve.state.path])
        #expect(reload.status == 0 && reload.output.contains("SIGHUP"), "\(reload.output)")
        #expect(serve.process.stop() == 0)
        #expect(ServeFixture.processes(using: serve.state.path).isEmpty, "children left behind")
    }

    /// How the site grows: the blog's database dumped from onebox with mariadb-dump, loaded
    /// into MariaDB, and serve run without its db role, the app pointed at MariaDB.
    @Test func databaseMovesToMariaDB() async throws {
        let serve = try ServeFixture()
        let text = "moved to MariaDB \(UUID().uuidString)"
        #expect(try serve.postComment(post: 3, author: "Mover", body: text).status == 303)
        let dump = try runTool("mariadb-dump", ["--socket=\(serve.databaseSocket)", "-uroot", "-p\(serve.rootPassword)",
                                                "--no-tablespaces", "--skip-triggers", "--single-transaction", "foobar"])
        #expect(dump.status == 0, "\(dump.output.prefix(2000))")
        #expect(serve.process.stop() == 0)

        let mariadb = try await MariaDBServer.shared()
        let database = try mariadb.makeDatabase("moved")
        // onebox names its default collation as MySQL 8 does (utf8mb4_0900_ai_ci, even for a
        // column declared utf8mb4_unicode_ci); MariaDB 10.11 does not know that name.
        try mariadb.runSQL(dump.output.replacingOccurrences(of: "utf8mb4_0900_ai_ci", with: "utf8mb4_unicode_ci"),
                           database: database)
        try mariadb.runSQL("GRANT ALL PRIVILEGES ON `\(database)`.* TO '\(mariadb.user)'@'%'")
        let moved = try ServeFixture(extraEnvironment: [
            "ONEBOX_SERVE_ROLES": "app,web,dns",
            "ONEBOX_APP_DATABASE": mariadb.url(database: database),
        ], withDatabase: false)
        #expect(!moved.process.errorText.contains("first start of this state directory"), "no account made: the database is external")
        #expect(moved.children()["db"] == nil)
        let page = try moved.curl("/posts/3")
        #expect(page.status == 200)
        #expect(page.text.contains(text), "the comment made on onebox's database is served from MariaDB")
        let again = "written to MariaDB \(UUID().uuidString)"
        #expect(try moved.postComment(post: 3, author: "Mover", body: again).status == 303)
        #expect(try mariadb.runSQL("SELECT COUNT(*) FROM comments WHERE body = '\(again)'", database: database)
                    .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(moved.process.stop() == 0)
    }

    /// serve killed with SIGKILL: every role sees its lifeline close and stops by itself;
    /// the next serve starts over the stale pid file.
    @Test func killedServeLeavesNoRoleBehind() throws {
        let serve = try ServeFixture()
        #expect(!ServeFixture.processes(using: serve.state.path).isEmpty)
        serve.process.send(SIGKILL)
        _ = serve.process.stop()
        serve.waitUntil("every role has stopped") { ServeFixture.processes(using: serve.state.path).isEmpty }
        let again = try ServeFixture(state: serve.state)
        #expect(try again.curl("/").status == 200)
        #expect(again.process.stop() == 0)
    }

    @Test func startUpFailureIsOneClearLine() throws {
        let directory = try makeTemporaryDirectory("serve-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ServeFixture.environment(extra: ["ONEBOX_APP_TEMPLATES": directory.appendingPathComponent("none").path])
        #expect(throws: OneboxProcessError.self) {
            _ = try OneboxProcess(["serve", "--state-dir", directory.appendingPathComponent("state").path],
                                  environment: environment, readyCount: ServeFixture.readyLineCount)
        }
        // The state directory is initialised (db came up), the failure names the app and its log.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OneboxProcess.binary)
        process.arguments = ["serve", "--state-dir", directory.appendingPathComponent("state").path]
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONEBOX_") }
        env["ONEBOX_CONFIG"] = ""
        process.environment = env.merging(environment) { _, new in new }
        process.currentDirectoryURL = OneboxProcess.packageRoot
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("onebox serve: app-"), "\(text)")
        #expect(text.contains("before it was ready (log: "), "\(text)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("state/serve.initialised").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("state/serve.pid").path))
    }
}
