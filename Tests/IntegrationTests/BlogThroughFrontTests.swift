import Foundation
import Testing

/// The whole stack as a reader meets it: `onebox db`, `onebox app` (on a Unix socket,
/// against the db's socket, the schema loaded with the `mariadb` CLI) and `onebox web`
/// (upstream = the app's socket, site = Data/site) run as separate processes; headless
/// Chromium opens https://www.foobar.com/posts/2, types a comment into the form, submits
/// it, and after the 303 the page shows the comment. The DOM dump and the screenshots
/// stay as test artifacts in `$ONEBOX_TEST_ARTIFACTS/blog-through-front` (default
/// `.build/test-artifacts/blog-through-front`).
@Suite struct BlogThroughFrontTests {
    static var artifacts: URL {
        let base = ProcessInfo.processInfo.environment["ONEBOX_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? OneboxProcess.packageRoot.appendingPathComponent(".build/test-artifacts")
        return base.appendingPathComponent("blog-through-front")
    }

    @Test(.enabled(if: WebBrowserTests.chromium != nil && mariadbInstalled, "needs Debian's chromium and the mariadb CLI"))
    func readerPostsACommentThroughTheFront() throws {
        let db = try DBFixture()
        let schema = try String(contentsOf: OneboxProcess.packageRoot.appendingPathComponent("Data/schema/foobar.sql"), encoding: .utf8)
        let loaded = try db.mariadb([], input: schema, socket: true)
        try #require(loaded.status == 0, "schema: \(loaded.output)")

        let directory = try makeTemporaryDirectory("onebox-e2e")
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try OneboxProcess([
            "app", "--listen", "unix:\(directory.path)/app.sock",
            "--database", "mysql://root:\(DBFixture.rootPassword)@unix(\(db.socketPath))/foobar",
            "--templates", OneboxProcess.packageRoot.appendingPathComponent("Data/templates").path,
            "--state-dir", directory.appendingPathComponent("app-state").path,
        ], directory: directory)
        defer { app.stop() }
        let appSocket = try #require(app.url(of: "app")?.path)
        let web = try WebFixture(upstreams: ["unix:\(appSocket)"])

        let out = Self.artifacts
        try? FileManager.default.removeItem(at: out)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let author = "Chromium Reader"
        let body = "Read through the front <b>not bold</b> & escaped.\n\nSecond paragraph \(UUID().uuidString.prefix(8))."
        let run = try runProcess("/usr/bin/python3", [
            OneboxProcess.packageRoot.appendingPathComponent("Tools/browser-comment.py").path,
            "--chromium", WebBrowserTests.chromium!, "--port", String(web.httpsPort), "--post", "2",
            "--author", author, "--body", body, "--out", out.path,
        ])
        try #require(run.status == 0, "browser: \(run.output)\napp: \(app.errorText)\nweb: \(web.process.errorText)")
        let state = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])

        // After the 303 the browser is on the post again, at the new comment's anchor.
        let url = try #require(state["url"] as? String)
        #expect(url.hasPrefix("https://www.foobar.com/posts/2#comment-"), "\(url)")
        let commentID = try #require(state["commentId"] as? String)
        #expect(url.hasSuffix("#\(commentID)"))
        let text = state["commentText"] as? String ?? ""
        #expect(text.contains(author))
        #expect(text.contains("Read through the front <b>not bold</b> & escaped."), "shown as text: \(text)")
        #expect(text.contains(body.components(separatedBy: "\n\n")[1]))

        // The DOM dump holds it escaped, as two paragraphs, and no <b> element came from it.
        let dom = try String(contentsOfFile: try #require(state["dom"] as? String), encoding: .utf8)
        #expect(dom.contains("<strong>Chromium Reader</strong>"))
        #expect(dom.contains("<p>Read through the front &lt;b&gt;not bold&lt;/b&gt; &amp; escaped.</p>"))
        #expect(!dom.contains("<b>not bold</b>"))
        #expect(dom.contains(#"<link rel="stylesheet" href="/static/style.css">"#))

        // The comment is on screen: inside the viewport after the anchor scroll, and its
        // own screenshot is not blank.
        let rect = try #require(state["rect"] as? [String: Double])
        let viewportHeight = try #require(state["viewportHeight"] as? Double)
        #expect(rect["height"]! > 0 && rect["width"]! > 0)
        #expect(rect["y"]! >= 0 && rect["y"]! < viewportHeight, "comment at \(rect), viewport \(viewportHeight)")
        let page = try #require(state["screenshot"] as? String)
        let comment = try #require(state["commentScreenshot"] as? String)
        for shot in [page, comment] {
            let analysis = try runTool("python3", [OneboxProcess.packageRoot.appendingPathComponent("Tools/png-colors.py").path, shot, "d9480f"]).output
            let distinct = analysis.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("distinct=") }
                .flatMap { Int($0.dropFirst("distinct=".count)) } ?? 0
            #expect(distinct > 2, "blank screenshot \(shot): \(analysis)")
        }

        // And the database has it, once.
        let stored = try db.mariadb(["--batch", "--skip-column-names", "-e",
                                     "SELECT author, body FROM foobar.comments WHERE id = \(commentID.dropFirst("comment-".count))"])
        #expect(stored.output.hasPrefix("Chromium Reader\tRead through the front <b>not bold</b> & escaped."), "\(stored.output)")
    }
}
