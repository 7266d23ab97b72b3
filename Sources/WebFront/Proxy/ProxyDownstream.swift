import NIOCore
import NIOHTTP1

/// The client side of a proxied request, as the exchange sees it (the request handler).
protocol ProxyDownstream: AnyObject {
    var downstreamIsWritable: Bool { get }
    /// The response head; `headers` is consumed (the front adds its own fields without a copy).
    func proxySendHead(status: HTTPResponseStatus, headers: consuming HTTPHeaders)
    /// Writes a piece of the response body; it goes out at the next `proxyFlush` or the end.
    func proxySendBody(_ buffer: ByteBuffer)
    /// Sends what was written: the upstream's read batch is over.
    func proxyFlush()
    func proxySendEnd(upstreamTime: Duration)
    /// Answers with an error page; no response head was sent before.
    func proxyFail(_ status: HTTPResponseStatus, upstreamTime: Duration?)
    /// Cuts the client connection (or HTTP/2 stream) in the middle of a response.
    func proxyAbort()
    /// Stops or restarts reading the client's request body (back-pressure).
    func proxySetRequestReadingPaused(_ paused: Bool)
}
