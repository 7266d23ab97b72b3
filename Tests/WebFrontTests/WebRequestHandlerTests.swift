import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import WebFront

/// The request handler and the redirect handler on an EmbeddedChannel: routing,
/// virtual hosts, static files, limits, without sockets or TLS.
@Suite struct WebRequestHandlerTests {
    struct Response {
        var head: HTTPResponseHead
        var body: String
    }

    static func makeRuntime() throws -> (WebRuntimeBox, URL) {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("onebox-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static"), withIntermediateDirectories: true)
        try "<h1>home</h1>".write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "body { color: red; }".write(to: site.appendingPathComponent("static/a.css"), atomically: true, encoding: .utf8)
        var configuration = WebFrontConfiguration()
        configuration.siteDirectory = site.path
        configuration.accessLog = "off"
        configuration.upstreams = []
        return (WebRuntimeBox(try WebRuntime(configuration: configuration), httpsPort: 8443), site)
    }

    static func exchange(_ channel: EmbeddedChannel, _ head: HTTPRequestHead) throws -> Response {
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let responseHead) = try #require(try channel.readOutbound(as: HTTPServerResponsePart.self)) else {
            throw TestFailure.noHead
        }
        var body = ""
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .body(.byteBuffer(let buffer)): body += String(buffer: buffer)
            case .end: return Response(head: responseHead, body: body)
            default: break
            }
        }
        throw TestFailure.noEnd
    }

    enum TestFailure: Error { case noHead, noEnd }

    func makeChannel() throws -> (EmbeddedChannel, URL) {
        let (runtimes, site) = try Self.makeRuntime()
        let handler = WebRequestHandler(runtimes: runtimes, connection: ConnectionInfo(clientAddress: "127.0.0.1", isHTTP2: false),
                                        pools: UpstreamPools())
        let channel = EmbeddedChannel(handler: handler)
        return (channel, site)
    }

    @Test func servesFilesAndHonoursValidators() throws {
        let (channel, site) = try makeChannel()
        defer { try? FileManager.default.removeItem(at: site) }
        let home = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "www.foobar.com"]))
        #expect(home.head.status == .ok)
        #expect(home.body == "<h1>home</h1>")
        #expect(home.head.headers.first(name: "content-type") == "text/html; charset=utf-8")
        #expect(home.head.headers.first(name: "strict-transport-security") == "max-age=31536000")

        let css = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/static/a.css", headers: ["Host": "localhost"]))
        #expect(css.head.headers.first(name: "cache-control") == "public, max-age=31536000, immutable")
        let etag = try #require(css.head.headers.first(name: "etag"))
        let again = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/static/a.css",
                                                               headers: ["Host": "localhost", "If-None-Match": etag]))
        #expect(again.head.status == .notModified)
        #expect(again.body.isEmpty)
        let range = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/static/a.css",
                                                               headers: ["Host": "localhost", "Range": "bytes=0-3"]))
        #expect(range.head.status == .partialContent)
        #expect(range.body == "body")
        let head = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/static/a.css", headers: ["Host": "localhost"]))
        #expect(head.body.isEmpty)
        #expect(head.head.headers.first(name: "content-length") == "20")
    }

    @Test func hostsAndPaths() throws {
        let (channel, site) = try makeChannel()
        defer { try? FileManager.default.removeItem(at: site) }
        let apex = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?b", headers: ["Host": "foobar.com"]))
        #expect(apex.head.status == .movedPermanently)
        #expect(apex.head.headers.first(name: "location") == "https://www.foobar.com:8443/a?b")
        #expect(try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "x.example"])).head.status == .misdirectedRequest)
        #expect(try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [:])).head.status == .misdirectedRequest)
        #expect(try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/../etc/passwd", headers: ["Host": "localhost"])).head.status == .badRequest)
        #expect(try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/nope", headers: ["Host": "localhost"])).head.status == .notFound)
        let directory = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/static", headers: ["Host": "localhost"]))
        #expect(directory.head.status == .movedPermanently)
        #expect(directory.head.headers.first(name: "location") == "/static/")
        let post = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "localhost", "Content-Length": "0"]))
        #expect(post.head.status == .methodNotAllowed)
    }

    @Test func limitsCloseTheConnection() throws {
        let (channel, site) = try makeChannel()
        defer { try? FileManager.default.removeItem(at: site) }
        let long = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/" + String(repeating: "a", count: 9000), headers: ["Host": "localhost"]))
        #expect(long.head.status == .uriTooLong)
        #expect(long.head.headers.first(name: "connection") == "close")
        let (second, site2) = try makeChannel()
        defer { try? FileManager.default.removeItem(at: site2) }
        let big = try Self.exchange(second, HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "localhost", "Content-Length": "99999999"]))
        #expect(big.head.status == .payloadTooLarge)
    }

    @Test func plainHTTPRedirects() throws {
        let (runtimes, site) = try Self.makeRuntime()
        defer { try? FileManager.default.removeItem(at: site) }
        let channel = EmbeddedChannel(handler: HTTPSRedirectHandler(runtimes: runtimes))
        let response = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/x?y=1", headers: ["Host": "www.foobar.com:8080"]))
        #expect(response.head.status == .movedPermanently)
        #expect(response.head.headers.first(name: "location") == "https://www.foobar.com:8443/x?y=1")
        let apex = try Self.exchange(channel, HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "foobar.com"]))
        #expect(apex.head.headers.first(name: "location") == "https://www.foobar.com:8443/")
        let (other, site2) = try Self.makeRuntime()
        defer { try? FileManager.default.removeItem(at: site2) }
        let bad = try Self.exchange(EmbeddedChannel(handler: HTTPSRedirectHandler(runtimes: other)),
                                    HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "bad host\r\nX: y"]))
        #expect(bad.head.status == .badRequest)
    }
}
