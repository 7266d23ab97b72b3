import Foundation
import MariaDBTestSupport
import Testing

/// `onebox app` as a process against MariaDB and against `onebox db`, driven with curl.
@Suite struct AppIntegrationTests {
    func json(_ result: CurlResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.body) as? [String: Any])
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func frontPageAndPostPage(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        let front = try app.curl("/")
        #expect(front.status == 200)
        #expect(front.headers["content-type"] == "text/html; charset=utf-8")
        #expect(front.text.contains(#"<link rel="stylesheet" href="/static/style.css">"#))
        #expect(front.text.contains(#"<a href="/posts/4">Plain HTML is fast HTML</a>"#))
        #expect(front.text.contains("2 comments"))
        // Newest first.
        let order = ["Plain HTML is fast HTML", "Write-ahead logging", "Why we measure", "Hello from one box"]
            .map { front.text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 }.sorted() == order.compactMap { $0 })

        let post = try app.curl("/posts/3")
        #expect(post.status == 200)
        #expect(post.text.contains("<h1>Write-ahead logging in four paragraphs</h1>"))
        #expect(post.text.components(separatedBy: "\n        <p>").count - 1 == 4, "four paragraphs")
        #expect(post.text.contains("Do you log full page images after a checkpoint, or use a doublewrite buffer?"))
        #expect(post.text.contains(#"<label for="author">Name</label>"#))
        #expect(post.headers["set-cookie"]?.hasPrefix("csrf=") == true)
        #expect(post.headers["set-cookie"]?.contains("HttpOnly") == true)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func missingPagesAre404(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        for path in ["/posts/999999", "/posts/abc", "/posts/0", "/posts/-1", "/no/such/page"] {
            let result = try app.curl(path)
            #expect(result.status == 404, "\(path)")
            #expect(result.text.contains("Page not found"), "\(path)")
        }
        let api = try app.curl("/api/nothing")
        #expect(api.status == 404)
        #expect(api.headers["content-type"] == "application/json; charset=utf-8")
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func commentIsPostedAndEscaped(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        let jar = app.makeCookieJar()
        let token = try app.csrfToken(post: 2, jar: jar)
        let posted = try app.postComment(post: 2, author: "Mallory <b>", body: "<script>alert('x')</script>\n\nSecond & last",
                                         token: token, jar: jar)
        #expect(posted.status == 303)
        let location = try #require(posted.headers["location"])
        #expect(location.hasPrefix("/posts/2#comment-"))
        let page = try app.curl("/posts/2")
        #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!page.text.contains("<script>"))
        #expect(page.text.contains("<strong>Mallory &lt;b&gt;</strong>"))
        #expect(page.text.contains("<p>Second &amp; last</p>"))
        #expect(page.text.contains("2 comments"))
        let front = try app.curl("/")
        #expect(front.text.contains(#"<a href="/posts/2#comments">2 comments</a>"#))
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func invalidCommentIs400WithMessagesAndTheTypedText(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        let jar = app.makeCookieJar()
        let token = try app.csrfToken(post: 1, jar: jar)
        let typed = "I typed this <carefully> & want it back"
        let rejected = try app.postComment(post: 1, author: "   ", body: typed, token: token, jar: jar)
        #expect(rejected.status == 400)
        #expect(rejected.text.contains(#"<p class="field-error" id="author-error">Please enter your name.</p>"#))
        #expect(rejected.text.contains("I typed this &lt;carefully&gt; &amp; want it back</textarea>"))
        #expect(!rejected.text.contains("body-error"))
        let tooLong = try app.postComment(post: 1, author: "Ann", body: String(repeating: "x", count: 5001), token: token, jar: jar)
        #expect(tooLong.status == 400)
        #expect(tooLong.text.contains("A comment can be at most 5000 characters (this one has 5001)."))
        #expect(tooLong.text.contains(#"value="Ann""#))
        // Nothing was stored.
        #expect(try app.server.runSQL("SELECT COUNT(*) FROM comments WHERE post_id = 1", database: app.database)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        let missing = try app.postComment(post: 424242, author: "Ann", body: "Hi", token: token, jar: jar)
        #expect(missing.status == 404)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func forgedFormsAreRejected(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        let jar = app.makeCookieJar()
        let token = try app.csrfToken(post: 1, jar: jar)
        // No cookie at all (another site's form).
        #expect(try app.postComment(post: 1, author: "Eve", body: "hi", token: token, jar: nil).status == 403)
        // The victim's cookie, a guessed token.
        #expect(try app.postComment(post: 1, author: "Eve", body: "hi", token: String(repeating: "0", count: 64), jar: jar).status == 403)
        // Another browser's valid token does not fit this cookie.
        let otherJar = app.makeCookieJar()
        let otherToken = try app.csrfToken(post: 1, jar: otherJar)
        #expect(try app.postComment(post: 1, author: "Eve", body: "hi", token: otherToken, jar: jar).status == 403)
        #expect(try app.postComment(post: 1, author: "Ann", body: "hi", token: token, jar: jar).status == 303)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func floodsGet429PerClient(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind, environment: [
            "ONEBOX_APP_RATE_LIMIT_COMMENT_BURST": "3", "ONEBOX_APP_RATE_LIMIT_COMMENT_INTERVAL": "3600",
        ])
        let jar = app.makeCookieJar()
        let token = try app.csrfToken(post: 1, jar: jar)
        let client = ["-H", "X-Forwarded-For: 198.51.100.1, 203.0.113.7"]
        for i in 0..<3 {
            #expect(try app.postComment(post: 1, author: "Bot", body: "spam \(i)", token: token, jar: jar, extra: client).status == 303)
        }
        let limited = try app.postComment(post: 1, author: "Bot", body: "spam 3", token: token, jar: jar, extra: client)
        #expect(limited.status == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 > 0)
        // Another client (the front's last X-Forwarded-For entry) is not limited.
        let other = ["-H", "X-Forwarded-For: 203.0.113.7, 203.0.113.8"]
        #expect(try app.postComment(post: 1, author: "Ann", body: "hello", token: token, jar: jar, extra: other).status == 303)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func jsonAPI(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind)
        let list = try app.curl("/api/posts")
        #expect(list.status == 200)
        #expect(list.headers["content-type"] == "application/json; charset=utf-8")
        let posts = try #require(try json(list)["posts"] as? [[String: Any]])
        #expect(posts.map { $0["id"] as? Int } == [4, 3, 2, 1])
        #expect(posts[0]["comment_count"] as? Int == 1)
        #expect(posts[0]["created_at"] as? String == "2026-10-20T17:45:00Z")
        let page = try json(try app.curl("/api/posts?limit=2&offset=1"))
        #expect((page["posts"] as? [[String: Any]])?.map { $0["id"] as? Int } == [3, 2])
        #expect(page["limit"] as? Int == 2)
        for bad in ["limit=0", "limit=101", "limit=x", "offset=-1", "offset=1e3"] {
            let result = try app.curl("/api/posts?\(bad)")
            #expect(result.status == 400, "\(bad)")
            #expect(result.headers["content-type"] == "application/json; charset=utf-8")
            let error = try #require(try json(result)["error"] as? [String: Any])
            #expect(error["status"] as? Int == 400)
            #expect((error["message"] as? String)?.isEmpty == false)
        }
        let one = try json(try app.curl("/api/posts/1"))
        #expect(one["title"] as? String == "Hello from one box")
        #expect((one["body"] as? String)?.contains("\n\n") == true)
        #expect((one["comments"] as? [[String: Any]])?.map { $0["author"] as? String } == ["Sam Whitfield", "Maya Okafor"])
        let missing = try app.curl("/api/posts/77777")
        #expect(missing.status == 404)
        #expect(try json(missing)["error"] != nil)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func healthzFollowsTheDatabase(kind: TestDatabaseKind) async throws {
        let server = try await kind.start()
        defer { server.stop(keepingData: false) }
        let app = try await AppFixture(kind, server: server)
        let healthy = try app.curl("/healthz")
        #expect(healthy.status == 200)
        #expect(healthy.text == "ok\n")
        server.stop()
        let down = try app.curl("/healthz")
        #expect(down.status == 503)
        #expect(down.text == "database unavailable\n")
        #expect(try app.curl("/").status == 503)
        #expect(try app.curl("/api/posts").status == 503)
        try await server.restart()
        #expect(try app.curl("/healthz").status == 200)
        #expect(try app.curl("/posts/1").status == 200)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func unixSocketAndCleanShutdown(kind: TestDatabaseKind) async throws {
        let app = try await AppFixture(kind, unixSocket: true)
        let ready = try #require(app.process.readyLines.first)
        #expect(ready.hasPrefix("ready app unix:///"))
        #expect(ready.hasSuffix("/app.sock"))
        #expect(try app.curl("/healthz").status == 200)
        #expect(try app.curl("/posts/1").text.contains("Hello from one box"))
        app.process.send(SIGHUP)  // reloads the templates; the process keeps serving
        #expect(try app.curl("/posts/2").status == 200)
        #expect(app.process.process.isRunning)
        #expect(app.process.stop() == 0)
    }

    @Test func startupFailureIsOneClearLine() throws {
        let directory = try makeTemporaryDirectory("onebox-app-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try OneboxProcess(["app", "--listen", "127.0.0.1:0", "--templates", directory.appendingPathComponent("none").path,
                                   "--database", "mysql://u:p@127.0.0.1:1/x"], directory: directory)
            Issue.record("started without templates")
        } catch OneboxProcessError.exited(let status, let stderr) {
            #expect(status != 0)
            #expect(stderr.contains("onebox app: templates directory"))
        }
        do {
            _ = try OneboxProcess(["app", "--listen", "127.0.0.1:0", "--database", "postgres://x"], directory: directory)
            Issue.record("started with a bad database URL")
        } catch OneboxProcessError.exited(let status, let stderr) {
            #expect(status != 0)
            #expect(stderr.contains("app.database"))
        }
    }
}
