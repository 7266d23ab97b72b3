import Foundation
import Testing

/// `onebox web` as a reverse proxy in front of Tools/web-test-upstream.py.
@Suite(.serialized) struct WebProxyTests {
    /// The start of a Python client script: `s`, a TLS connection speaking HTTP/1.1 to the
    /// front on port argv[1], and `host`, its Host field line.
    static let pythonHTTP1Client = """
        import re, socket, ssl, sys
        ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["http/1.1"])
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="www.foobar.com")
        s.settimeout(20)
        host = b"Host: www.foobar.com:" + sys.argv[1].encode() + b"\\r\\n"

        """

    func json(_ result: CurlResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.body) as? [String: Any])
    }

    @Test func proxiesWhatIsNotAStaticFile() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: [upstream.address])
        for flags in [["--http1.1"], ["--http2"]] {
            let result = try web.curl("/echo?q=1", flags + ["-H", "X-Request-Id: spoofed", "-H", "Connection: X-Drop", "-H", "X-Drop: 1"])
            #expect(result.status == 200)
            let info = try json(result)
            let headers = try #require(info["headers"] as? [String: String])
            #expect(info["path"] as? String == "/echo?q=1")
            #expect(headers["x-forwarded-for"] == "127.0.0.1")
            #expect(headers["x-forwarded-proto"] == "https")
            #expect(headers["x-forwarded-host"]?.hasPrefix("www.foobar.com") == true)
            #expect(headers["x-request-id"]?.count == 32)
            if flags == ["--http1.1"] { #expect(headers["x-drop"] == nil) }   // named in Connection: hop-by-hop
            #expect(headers["host"]?.hasPrefix("www.foobar.com") == true)
            #expect(result.headers["server"] == "onebox")
            #expect(result.headers["strict-transport-security"] != nil)
        }
        // Static files still win.
        #expect(try web.curl("/robots.txt").text.contains("User-agent"))
        #expect(try web.curl("/nothing-here").text == "upstream 404\n")
    }

    @Test func streamsBodiesBothWays() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: [upstream.address])
        let bodyFile = web.directory.appendingPathComponent("upload.bin")
        var body = Data(count: 900 * 1024)
        for index in body.indices where index % 7 == 0 { body[index] = UInt8(index % 251) }
        try body.write(to: bodyFile)
        let digest = try runShell("sha256sum '\(bodyFile.path)' | cut -d' ' -f1").trimmingCharacters(in: .whitespacesAndNewlines)
        for flags in [["--http1.1"], ["--http2"], ["--http1.1", "-H", "Transfer-Encoding: chunked"]] {
            let result = try web.curl("/echo", flags + ["--data-binary", "@\(bodyFile.path)"])
            let info = try json(result)
            #expect(info["method"] as? String == "POST")
            #expect(info["length"] as? Int == body.count, "\(flags)")
            #expect(info["sha256"] as? String == digest)
        }
        for flags in [["--http1.1"], ["--http2"]] {
            let stream = try web.curl("/stream", flags)
            #expect(stream.status == 200)
            #expect(stream.body.count == 2 * 1024 * 1024)
        }
    }

    @Test func badGatewayWhenTheUpstreamIsDown() throws {
        let web = try WebFixture(upstreams: ["127.0.0.1:\(unusedPort())"])
        let result = try web.curl("/api/posts")
        #expect(result.status == 502)
        #expect(result.text.contains("502 Bad Gateway"))
        let socket = try WebFixture(upstreams: ["unix:/nonexistent/app.sock"])
        #expect(try socket.curl("/api/posts", ["--http2"]).status == 502)
    }

    @Test func retriesOnAnotherUpstreamAndSkipsTheFailedOne() throws {
        let upstream = try TestUpstream(name: "alive")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: ["127.0.0.1:\(unusedPort())", upstream.address])
        for _ in 0..<6 {
            let result = try web.curl("/echo")
            #expect(result.status == 200)
            #expect(try json(result)["name"] as? String == "alive")
        }
        // POST is not idempotent, but a refused connection sent nothing: it goes elsewhere too.
        #expect(try web.curl("/echo", ["--data", "x=1"]).status == 200)
    }

    @Test func roundRobin() throws {
        let first = try TestUpstream(name: "first")
        defer { first.stop() }
        let second = try TestUpstream(name: "second")
        defer { second.stop() }
        let web = try WebFixture(upstreams: [first.address, second.address])
        var names = Set<String>()
        for _ in 0..<6 { names.insert(try json(try web.curl("/echo"))["name"] as? String ?? "") }
        #expect(names == ["first", "second"])
    }

    @Test func gatewayTimeout() throws {
        let upstream = try TestUpstream(name: "slow")
        defer { upstream.stop() }
        let web = try WebFixture(environment: ["ONEBOX_WEB_PROXY_READ_TIMEOUT": "0.5"], upstreams: [upstream.address])
        let started = Date()
        let result = try web.curl("/slow")
        #expect(result.status == 504)
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func bodyLimitOnProxiedRequests() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(environment: ["ONEBOX_WEB_LIMITS_CLIENT_MAX_BODY_SIZE": "1000"], upstreams: [upstream.address])
        #expect(try web.curl("/echo", ["--data-binary", String(repeating: "x", count: 2000)]).status == 413)
        #expect(try web.curl("/echo", ["--http2", "--data-binary", String(repeating: "x", count: 2000)]).status == 413)
        #expect(try web.curl("/echo", ["--data-binary", String(repeating: "x", count: 500)]).status == 200)
    }

    @Test func keepAlivePoolSurvivesUpstreamRestarts() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: [upstream.address])
        let port = upstream.port
        #expect(try web.curl("/echo").status == 200)
        upstream.stop()
        #expect(try web.curl("/echo").status == 502)
        // Same port again: the stale pooled connection must not turn into an error.
        let again = try TestUpstream(name: "again", port: port)
        defer { again.stop() }
        // The failed mark lasts fail-timeout, but with a single upstream it is tried anyway.
        #expect(try web.curl("/echo").status == 200)
    }

    @Test func concurrentHTTP2StreamsReusePooledConnections() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        // keepalive 2 with 16 streams in flight: the connections beyond it stay pooled
        // (surplus-idle-timeout) instead of being closed when a burst of responses ends
        // and opened again for the next burst of requests.
        let web = try WebFixture(environment: ["ONEBOX_WEB_PROXY_KEEPALIVE": "2", "ONEBOX_WEB_PROXY_SURPLUS_IDLE_TIMEOUT": "600"],
                                 upstreams: [upstream.address])
        let load = try runTool("h2load", ["-n", "400", "-c", "1", "-m", "16", "-H", ":authority: www.foobar.com:\(web.httpsPort)",
                                          "https://127.0.0.1:\(web.httpsPort)/small"])
        #expect(load.output.contains("400 2xx"), "\(load.output)")
        let connections = Int(try web.curl("/connections").text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
        // One connection per request in flight at most (16), whatever the number of bursts,
        // and the one this count came on (curl's connection may be on the other loop).
        #expect(connections <= 17)
    }

    @Test func pipelinedProxiedRequestsAreAnsweredInOrder() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: [upstream.address])
        // Four requests in one TLS write; the last asks to close. The front answers them
        // one after the other, each from the upstream, and then closes. (A pipelined
        // proxied request used to lose its exchange when the previous response ended, and
        // the client waited for ever: hence the client's own timeout.)
        let script = Self.pythonHTTP1Client + """
            s.sendall(b"".join(b"GET /echo?n=%d HTTP/1.1\\r\\n" % i + host + b"\\r\\n" for i in range(3))
                      + b"GET /small HTTP/1.1\\r\\n" + host + b"Connection: close\\r\\n\\r\\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            print(" ".join(p.decode() for p in re.findall(rb'"path": "([^"]*)"', data)), data.count(b"HTTP/1.1 200 OK"), data.endswith(b"hello from one\\n"))
            """
        let run = try runTool("python3", ["-c", script, String(web.httpsPort)])
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == "/echo?n=0 /echo?n=1 /echo?n=2 4 True", "\(run.output)")
    }

    @Test func sequentialProxiedRequestsReuseOneUpstreamConnection() throws {
        let upstream = try TestUpstream(name: "one")
        defer { upstream.stop() }
        let web = try WebFixture(upstreams: [upstream.address])
        // Twenty requests one after the other on one keep-alive connection: each ends both
        // ways (a body-less request's end comes with its head), so its upstream connection
        // goes back to the pool and the next request takes it again.
        let script = Self.pythonHTTP1Client + """
            data = b""
            for i in range(20):
                s.sendall(b"GET /small HTTP/1.1\\r\\n" + host + b"\\r\\n")
                while data.count(b"hello from one\\n") <= i:
                    data += s.recv(65536)
            s.sendall(b"GET /connections HTTP/1.1\\r\\n" + host + b"Connection: close\\r\\n\\r\\n")
            rest = b""
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                rest += chunk
            print(rest.split(b"\\r\\n\\r\\n", 1)[1].decode().strip())
            """
        let run = try runTool("python3", ["-c", script, String(web.httpsPort)])
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(run.output)")
    }
}
