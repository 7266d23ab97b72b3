import Foundation
import Testing

/// `onebox web` serving the site: TLS, HTTP/1.1 and HTTP/2, virtual hosts, static files.
@Suite(.serialized) struct WebStaticTests {
    @Test func servesTheSiteOverHTTP1AndHTTP2() throws {
        let web = try WebFixture()
        let h1 = try web.curl("/", ["--http1.1"])
        #expect(h1.status == 200)
        #expect(h1.httpVersion == "1.1")
        #expect(h1.text.contains("foobar.com"))
        #expect(h1.headers["content-type"] == "text/html; charset=utf-8")
        #expect(h1.headers["strict-transport-security"] == "max-age=31536000")
        #expect(h1.headers["server"] == "onebox")

        let h2 = try web.curl("/static/style.css", ["--http2"])
        #expect(h2.status == 200)
        #expect(h2.httpVersion == "2")
        #expect(h2.headers["cache-control"] == "public, max-age=31536000, immutable")
        #expect(h2.headers["content-type"] == "text/css; charset=utf-8")

        #expect(try web.curl("/static/logo.svg").headers["content-type"] == "image/svg+xml")
        #expect(try web.curl("/favicon.ico").headers["content-type"] == "image/x-icon")
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        #expect(try web.curl("/missing.html").status == 404)
    }

    @Test func keepAliveAndPipelining() throws {
        let web = try WebFixture()
        // One connection, three requests written at once: three answers in order.
        // The last one asks to close, so the server ends the exchange.
        let request = (1...3).map { "GET /robots.txt?\($0) HTTP/1.1\r\nHost: www.foobar.com\r\n\($0 == 3 ? "Connection: close\r\n" : "")\r\n" }.joined()
        let result = try runShell("printf '\(request.replacingOccurrences(of: "\r\n", with: "\\r\\n"))' | timeout -s KILL 10 openssl s_client -quiet -connect 127.0.0.1:\(web.httpsPort) -servername www.foobar.com 2>/dev/null; true")
        #expect(result.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 3)
    }

    @Test func virtualHosts() throws {
        let web = try WebFixture()
        let redirect = try web.curl("/static/style.css?x=1", host: "foobar.com")
        #expect(redirect.status == 301)
        #expect(redirect.headers["location"] == "https://www.foobar.com:\(web.httpsPort)/static/style.css?x=1")
        #expect(try web.curl("/", host: "evil.example").status == 421)
        #expect(try web.curl("/", host: "evil.example", ["--http2"]).status == 421)
    }

    @Test func plainHTTPRedirectsToHTTPS() throws {
        let web = try WebFixture()
        let result = try runTool("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Host: www.foobar.com",
                                          "http://127.0.0.1:\(web.httpPort)/a/b?c=d"])
        #expect(result.output == "301 https://www.foobar.com:\(web.httpsPort)/a/b?c=d")
        let apex = try runTool("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Host: foobar.com",
                                        "http://127.0.0.1:\(web.httpPort)/"])
        #expect(apex.output == "301 https://www.foobar.com:\(web.httpsPort)/")
    }

    @Test func traversalAndHiddenFilesAreRefused() throws {
        let web = try WebFixture()
        for path in ["/../../../../etc/passwd", "/static/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                     "/static/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e%5c%2e%2e%5cetc%5cpasswd"] {
            let result = try web.curl(path, ["--path-as-is"])
            #expect(result.status == 400, "\(path) gave \(result.status)")
            #expect(!result.text.contains("root:"))
        }
        for path in ["/.env", "/%2eenv", "/escape.txt", "/passwd"] {
            let result = try web.curl(path, ["--path-as-is"])
            #expect(result.status == 404, "\(path) gave \(result.status)")
            #expect(!result.text.contains("secret") && !result.text.contains("outside") && !result.text.contains("root:"))
        }
    }

    @Test func directoriesRedirectAndServeIndex() throws {
        let web = try WebFixture()
        try FileManager.default.createDirectory(at: web.site.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "docs index".write(to: web.site.appendingPathComponent("docs/index.html"), atomically: true, encoding: .utf8)
        let redirect = try web.curl("/docs?q=1")
        #expect(redirect.status == 301)
        #expect(redirect.headers["location"] == "/docs/?q=1")
        #expect(try web.curl("/docs/").text == "docs index")
        #expect(try web.curl("/static/").status == 404)
    }

    @Test func conditionalRequests() throws {
        let web = try WebFixture()
        let first = try web.curl("/static/style.css")
        let etag = try #require(first.headers["etag"])
        let lastModified = try #require(first.headers["last-modified"])
        #expect(try web.curl("/static/style.css", ["-H", "If-None-Match: \(etag)"]).status == 304)
        #expect(try web.curl("/static/style.css", ["-H", "If-Modified-Since: \(lastModified)"]).status == 304)
        #expect(try web.curl("/static/style.css", ["-H", "If-None-Match: \"nope\""]).status == 200)
        #expect(try web.curl("/static/style.css", ["-H", "If-Match: \"nope\""]).status == 412)
    }

    @Test func rangesOnCachedAndStreamedFiles() throws {
        let web = try WebFixture()
        let whole = try Data(contentsOf: web.site.appendingPathComponent("static/style.css"))
        for path in ["/static/style.css", "/big.bin"] {
            let source = try Data(contentsOf: web.site.appendingPathComponent(String(path.dropFirst())))
            let single = try web.curl(path, ["-H", "Range: bytes=10-19"])
            #expect(single.status == 206)
            #expect(single.body == source.subdata(in: 10..<20))
            #expect(single.headers["content-range"] == "bytes 10-19/\(source.count)")
            let suffix = try web.curl(path, ["-H", "Range: bytes=-5"])
            #expect(suffix.body == source.suffix(5))
            let multi = try web.curl(path, ["-H", "Range: bytes=0-1,5-6"])
            #expect(multi.status == 206)
            #expect(multi.headers["content-type"]?.hasPrefix("multipart/byteranges; boundary=") == true)
            #expect(multi.text.contains("Content-Range: bytes 5-6/\(source.count)"))
            let unsatisfiable = try web.curl(path, ["-H", "Range: bytes=\(source.count + 10)-"])
            #expect(unsatisfiable.status == 416)
            #expect(unsatisfiable.headers["content-range"] == "bytes */\(source.count)")
            let stale = try web.curl(path, ["-H", "Range: bytes=0-1", "-H", "If-Range: \"stale\""])
            #expect(stale.status == 200)
            #expect(stale.body.count == source.count)
        }
        #expect(whole.count > 0)
    }

    @Test func bigFileStreamsWhole() throws {
        let web = try WebFixture()
        let source = try Data(contentsOf: web.site.appendingPathComponent("big.bin"))
        let h1 = try web.curl("/big.bin", ["--http1.1"])
        #expect(h1.status == 200)
        #expect(h1.body == source)
        let h2 = try web.curl("/big.bin", ["--http2"])
        #expect(h2.body == source)
        let head = try web.curl("/big.bin", ["-I"])
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == String(source.count))
        #expect(head.body.count < 1024)   // curl -I writes the headers where the body would go
    }

    @Test func gzip() throws {
        let web = try WebFixture()
        let plain = try Data(contentsOf: web.site.appendingPathComponent("static/style.css"))
        let compressed = try web.curl("/static/style.css", ["--compressed"])
        #expect(compressed.headers["content-encoding"] == "gzip")
        #expect(compressed.headers["vary"] == "Accept-Encoding")
        #expect(compressed.body == plain)   // curl decoded it
        #expect(Int(compressed.headers["content-length"] ?? "") ?? .max < plain.count)
        #expect(try web.curl("/static/style.css").headers["content-encoding"] == nil)
        // A precompressed sibling is preferred to compressing on the fly.
        try String(repeating: "console.log('plain');\n", count: 50).write(to: web.site.appendingPathComponent("static/app.js"), atomically: true, encoding: .utf8)
        _ = try runShell("printf 'from-the-gz-file' | gzip -c > '\(web.site.path)/static/app.js.gz'")
        let sibling = try web.curl("/static/app.js", ["--compressed"])
        #expect(sibling.headers["content-encoding"] == "gzip")
        #expect(sibling.text == "from-the-gz-file")
        #expect(try web.curl("/static/app.js").text.hasPrefix("console.log"))
    }

    @Test func editedFilesAreServedFresh() throws {
        // With the default revalidate-interval (1 s) a checked file is served from
        // memory without a stat for that long; the edit shows right after.
        let web = try WebFixture()
        let file = web.site.appendingPathComponent("robots.txt")
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        try "changed and longer than before, so the size differs".write(to: file, atomically: true, encoding: .utf8)
        var text = ""
        for _ in 0..<50 {
            text = try web.curl("/robots.txt").text
            if text.hasPrefix("changed") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(text.hasPrefix("changed"))
    }

    @Test func editedFilesAreServedAtOnceWithoutRevalidateInterval() throws {
        let web = try WebFixture(environment: ["ONEBOX_WEB_STATIC_REVALIDATE_INTERVAL": "0"])
        let file = web.site.appendingPathComponent("robots.txt")
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        try "changed and longer than before, so the size differs".write(to: file, atomically: true, encoding: .utf8)
        #expect(try web.curl("/robots.txt").text.hasPrefix("changed"))
    }

    @Test func requestLimits() throws {
        let web = try WebFixture()
        #expect(try web.curl("/" + String(repeating: "a", count: 9000)).status == 414)
        let bigHeaders = (0..<40).flatMap { ["-H", "X-Filler-\($0): " + String(repeating: "b", count: 1000)] }
        #expect(try web.curl("/", ["--http1.1"] + bigHeaders).status == 431)
        let body = web.directory.appendingPathComponent("body.bin")
        try Data(count: 2 * 1024 * 1024).write(to: body)
        #expect(try web.curl("/", ["--http1.1", "--data-binary", "@\(body.path)"]).status == 413)
    }

    @Test func slowClientsAreCutOff() throws {
        let web = try WebFixture(environment: ["ONEBOX_WEB_LIMITS_HEADER_TIMEOUT": "1"])
        // Slowloris: a head that never ends is cut after the header timeout, while the client would wait 6 s.
        let output = try runShell("""
            (printf 'GET / HTTP/1.1\\r\\n'; sleep 1; printf 'X-A: 1\\r\\n'; sleep 5) | \
            (start=$(date +%s%N); timeout -s KILL 10 openssl s_client -quiet -connect 127.0.0.1:\(web.httpsPort) >/dev/null 2>&1; \
             echo "elapsed=$(( ($(date +%s%N) - start) / 1000000 ))")
            """)
        let elapsed = Int(output.components(separatedBy: "elapsed=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? .max
        #expect(elapsed < 4000, "\(output)")
    }

    @Test func maxConnectionsHolds() throws {
        let web = try WebFixture(environment: ["ONEBOX_WEB_LIMITS_MAX_CONNECTIONS": "2"])
        // Two idle connections fill the limit; a third is closed on accept; the front stays up.
        let third = try runShell("""
            (sleep 4 | timeout -s KILL 6 openssl s_client -quiet -connect 127.0.0.1:\(web.httpsPort) >/dev/null 2>&1 &)
            (sleep 4 | timeout -s KILL 6 openssl s_client -quiet -connect 127.0.0.1:\(web.httpsPort) >/dev/null 2>&1 &)
            sleep 1.5
            curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:\(web.httpsPort)/robots.txt; true
            """)
        #expect(third.hasPrefix("000"))
        Thread.sleep(forTimeInterval: 4)
        #expect(try web.curl("/robots.txt").status == 200)
    }

    @Test func tlsVersionsAndALPN() throws {
        let web = try WebFixture()
        let target = "127.0.0.1:\(web.httpsPort)"
        let h2 = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -servername www.foobar.com -alpn h2,http/1.1 2>&1")
        #expect(h2.contains("ALPN protocol: h2"))
        let h1 = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -servername www.foobar.com -alpn http/1.1 2>&1")
        #expect(h1.contains("ALPN protocol: http/1.1"))
        let tls12 = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -tls1_2 2>&1")
        #expect(tls12.contains("Protocol  : TLSv1.2") || tls12.contains("TLSv1.2"))
        let tls13 = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -tls1_3 2>&1")
        #expect(tls13.contains("TLSv1.3"))
        let tls11 = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' 2>&1")
        #expect(!tls11.contains("Cipher is ECDHE") || tls11.contains("alert"))
        #expect(tls11.contains("alert") || tls11.contains("no protocols available") || tls11.contains("handshake failure") || tls11.contains("Cipher is (NONE)"))
        let subject = try runShell("echo | timeout -s KILL 10 openssl s_client -connect \(target) -servername www.foobar.com 2>/dev/null | openssl x509 -noout -ext subjectAltName")
        #expect(subject.contains("DNS:www.foobar.com"))
        #expect(subject.contains("DNS:foobar.com"))
        // The generated key is private to the owner.
        let attributes = try FileManager.default.attributesOfItem(atPath: web.state.appendingPathComponent("tls/self-signed.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func accessLogReloadAndGracefulStop() throws {
        let web = try WebFixture()
        _ = try web.curl("/robots.txt", ["-A", "test-agent"])
        web.process.send(SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while !web.process.errorText.contains("reloaded") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(web.process.errorText.contains("reloaded"))
        #expect(try web.curl("/robots.txt").status == 200)
        // A request refused by the HTTP/1 parser is logged too (as nginx does), with its request line.
        #expect(try web.curl("/no-host", ["--http1.1", "-H", "Host:"]).status == 400)
        #expect(web.process.stop() == 0)
        let log = try String(contentsOf: web.state.appendingPathComponent("logs/access.log"), encoding: .utf8)
        #expect(log.contains("\"GET /robots.txt HTTP/1.1\" 200 ") || log.contains("\"GET /robots.txt HTTP/2.0\" 200 "))
        #expect(log.contains("\"test-agent\""))
        #expect(log.contains("\"GET /no-host HTTP/1.1\" 400 "), "\(log)")
    }
}

/// Runs a shell pipeline and returns what it printed.
func runShell(_ script: String) throws -> String {
    try runTool("bash", ["-c", script]).output
}
