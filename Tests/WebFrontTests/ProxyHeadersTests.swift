import NIOCore
import NIOHTTP1
import Testing
@testable import WebFront

@Suite struct ProxyHeadersTests {
    @Test func requestHeadersAreRewritten() {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/posts/1/comments", headers: [
            "Host": "www.foobar.com", "Connection": "keep-alive, X-Secret", "X-Secret": "1", "Keep-Alive": "timeout=5",
            "Transfer-Encoding": "chunked", "X-Forwarded-For": "10.0.0.1", "X-Request-Id": "spoofed", "Cookie": "a=b",
        ])
        let upstream = ProxyHeaders.upstreamRequest(head, clientAddress: "127.0.0.1", scheme: "https", requestID: "abc", hasBody: true)
        let (requestLine, headers) = Self.parse(upstream.head)
        #expect(requestLine == "POST /posts/1/comments HTTP/1.1")
        #expect(upstream.isChunked)
        #expect(!headers.contains(name: "connection"))
        #expect(!headers.contains(name: "keep-alive"))
        #expect(!headers.contains(name: "x-secret"))
        #expect(headers.first(name: "x-forwarded-for") == "10.0.0.1, 127.0.0.1")
        #expect(headers.first(name: "x-forwarded-proto") == "https")
        #expect(headers.first(name: "x-forwarded-host") == "www.foobar.com")
        #expect(headers[canonicalForm: "x-request-id"] == ["abc"])
        #expect(headers.first(name: "transfer-encoding") == "chunked")
        #expect(headers.first(name: "cookie") == "a=b")
        #expect(headers.first(name: "host") == "www.foobar.com")
    }

    /// The request line and fields of a serialised head (which must end with an empty line).
    static func parse(_ head: ByteBuffer) -> (String, HTTPHeaders) {
        let text = String(buffer: head)
        #expect(text.hasSuffix("\r\n\r\n"))
        var lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst()
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            let colon = line.firstIndex(of: ":")!
            headers.add(name: String(line[..<colon]), value: String(line[line.index(colon, offsetBy: 2)...]))
        }
        return (requestLine, headers)
    }

    @Test func hopByHopNamesMatchWithoutRegardToCase() {
        for name in ["Connection", "KEEP-ALIVE", "proxy-connection", "TE", "Trailer", "Transfer-Encoding", "upgrade",
                     "Proxy-Authenticate", "proxy-AUTHORIZATION"] {
            #expect(ProxyHeaders.isHopByHop(name), "\(name)")
        }
        for name in ["Content-Length", "Trailers", "tf", "Connectio", "Keep-Alivf", "X-Upgrade", "", "Proxy-Authorization2"] {
            #expect(!ProxyHeaders.isHopByHop(name), "\(name)")
        }
        #expect(ProxyHeaders.equalsLowercased("X-Request-ID", "x-request-id"))
        #expect(!ProxyHeaders.equalsLowercased("X-Request-I[", "x-request-i{"))
    }

    @Test func connectionNamedForwardedForIsNotAppendedTo() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [
            "Host": "a", "Connection": "X-Forwarded-For", "X-Forwarded-For": "10.0.0.1",
        ])
        let upstream = ProxyHeaders.upstreamRequest(head, clientAddress: "127.0.0.1", scheme: "https", requestID: "abc", hasBody: false)
        let (_, headers) = Self.parse(upstream.head)
        #expect(headers[canonicalForm: "x-forwarded-for"] == ["127.0.0.1"])
        #expect(!headers.contains(name: "transfer-encoding"))
        #expect(!upstream.isChunked)
    }

    @Test func idempotence() {
        #expect(ProxyHeaders.isIdempotent(.GET))
        #expect(ProxyHeaders.isIdempotent(.PUT))
        #expect(!ProxyHeaders.isIdempotent(.POST))
        #expect(!ProxyHeaders.isIdempotent(.PATCH))
        let id = ProxyHeaders.makeRequestID()
        #expect(id.count == 32)
        #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(id != ProxyHeaders.makeRequestID())
    }

    @Test func bodyDetection() {
        #expect(!ProxyHeaders.requestHasBody(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        #expect(ProxyHeaders.requestHasBody(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Content-Length": "3"])))
        #expect(!ProxyHeaders.requestHasBody(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Content-Length": "0"])))
        #expect(ProxyHeaders.requestHasBody(HTTPRequestHead(version: .init(major: 2, minor: 0), method: .POST, uri: "/")))
    }
}
