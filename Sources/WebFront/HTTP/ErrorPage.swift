import NIOCore
import NIOHTTP1

/// The small HTML pages the front answers with itself (redirects, 4xx, 502/504).
public enum ErrorPage {
    /// `<h1>404 Not Found</h1>` and so on; the reason phrase is ours, never client text.
    public static func body(for status: HTTPResponseStatus) -> String {
        let title = "\(status.code) \(status.reasonPhrase)"
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(title)</title></head>"
            + "<body><h1>\(title)</h1><hr><p>onebox</p></body></html>\n"
    }

    /// The page as a buffer, with its headers (`Content-Type`, `Content-Length`).
    public static func make(_ status: HTTPResponseStatus, allocator: ByteBufferAllocator) -> (HTTPHeaders, ByteBuffer) {
        let text = body(for: status)
        let buffer = allocator.buffer(string: text)
        let headers: HTTPHeaders = [
            "Content-Type": "text/html; charset=utf-8",
            "Content-Length": String(buffer.readableBytes),
            "Cache-Control": "no-store",
        ]
        return (headers, buffer)
    }
}
