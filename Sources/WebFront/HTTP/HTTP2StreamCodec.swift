import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// Turns one HTTP/2 stream's frames into the request parts the request handler reads, and
/// its response parts into frames (in place of NIO's `HTTP2FramePayloadToHTTP1ServerCodec`).
///
/// What it does differently: a response's last frame carries END_STREAM — the latest
/// HEADERS or DATA payload is held until the next part, a flush or the end, so a response
/// written as head, body, end goes out as two frames, not three (NIO's codec ends every
/// stream with an extra empty DATA frame); response field names are lower-cased only when
/// they hold an upper-case letter; connection-specific fields (RFC 9113 §8.2.2) are
/// dropped. Requests: the pseudo-fields become method, target and `host` (from
/// `:authority` when the client sent no `host`). NIOHTTP2's header-block validation (on
/// by default, and relied on here) has already refused names that are not lower-case
/// tokens, values with CR, LF or NUL, and pseudo-field values with controls or spaces —
/// which is what lets `ProxyHeaders` write them into an HTTP/1.1 request as they are.
final class HTTP2StreamCodec: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTP2Frame.FramePayload

    struct MissingPseudoField: Error {
        let name: String
    }

    private var isRequestHeadSeen = false
    /// The latest response frame and its promise, held for END_STREAM.
    private var held: (payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>?)?

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if isRequestHeadSeen {
                // Trailers end the request; their fields are not used.
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                return
            }
            isRequestHeadSeen = true
            do {
                context.fireChannelRead(wrapInboundOut(.head(try Self.requestHead(headers.headers))))
            } catch {
                context.fireErrorCaught(error)
                return
            }
            if headers.endStream { context.fireChannelRead(wrapInboundOut(.end(nil))) }
        case .data(let data):
            guard case .byteBuffer(let bytes) = data.data else { return }
            if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(bytes))) }
            if data.endStream { context.fireChannelRead(wrapInboundOut(.end(nil))) }
        default:
            break
        }
    }

    static func requestHead(_ block: HPACKHeaders) throws -> HTTPRequestHead {
        var method: String?
        var path: String?
        var authority: String?
        var hasScheme = false
        var hasHost = false
        var headers = HTTPHeaders()
        headers.reserveCapacity(block.count)
        for (name, value, _) in block {
            if name.utf8.first == UInt8(ascii: ":") {
                switch name {
                case ":method": method = value
                case ":path": path = value
                case ":authority": authority = value
                case ":scheme": hasScheme = true
                default: break
                }
                continue
            }
            if name == "host" { hasHost = true }
            headers.add(name: name, value: value)
        }
        guard let method else { throw MissingPseudoField(name: ":method") }
        guard let path else { throw MissingPseudoField(name: ":path") }
        guard hasScheme else { throw MissingPseudoField(name: ":scheme") }
        if !hasHost, let authority { headers.add(name: "host", value: authority) }
        return HTTPRequestHead(version: HTTPVersion(major: 2, minor: 0), method: HTTPMethod(rawValue: method), uri: path, headers: headers)
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            sendHeld(context: context)
            held = (.headers(.init(headers: Self.responseFields(head))), promise)
        case .body(let body):
            sendHeld(context: context)
            held = (.data(.init(data: body)), promise)
        case .end(let trailers):
            if let trailers {
                sendHeld(context: context)
                context.write(wrapOutboundOut(.headers(.init(headers: Self.fields(trailers, status: nil), endStream: true))), promise: promise)
            } else if let (payload, heldPromise) = held {
                held = nil
                let last: HTTP2Frame.FramePayload
                switch payload {
                case .headers(var headers):
                    headers.endStream = true
                    last = .headers(headers)
                case .data(var data):
                    data.endStream = true
                    last = .data(data)
                default:
                    last = payload
                }
                heldPromise?.futureResult.cascade(to: promise)
                context.write(wrapOutboundOut(last), promise: heldPromise ?? promise)
            } else {
                context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))), promise: promise)
            }
        }
    }

    func flush(context: ChannelHandlerContext) {
        sendHeld(context: context)
        context.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let (_, promise) = held {
            held = nil
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    private func sendHeld(context: ChannelHandlerContext) {
        guard let (payload, promise) = held else { return }
        held = nil
        context.write(wrapOutboundOut(payload), promise: promise)
    }

    /// `:status` and the fields, as HTTP/2 wants them.
    static func responseFields(_ head: HTTPResponseHead) -> HPACKHeaders {
        fields(head.headers, status: head.status.code)
    }

    static func fields(_ headers: HTTPHeaders, status: UInt?) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(headers.count + 1)
        if let status { block.add(name: ":status", value: String(status)) }
        for (name, value) in headers {
            if isConnectionSpecific(name) { continue }
            block.add(name: hasUpperCase(name) ? name.lowercased() : name, value: value)
        }
        return block
    }

    private static func hasUpperCase(_ name: String) -> Bool {
        name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// Fields HTTP/2 forbids (RFC 9113 §8.2.2).
    private static func isConnectionSpecific(_ name: String) -> Bool {
        switch name.utf8.count {
        case 7: ProxyHeaders.equalsLowercased(name, "upgrade")
        case 10: ProxyHeaders.equalsLowercased(name, "connection") || ProxyHeaders.equalsLowercased(name, "keep-alive")
        case 16: ProxyHeaders.equalsLowercased(name, "proxy-connection")
        case 17: ProxyHeaders.equalsLowercased(name, "transfer-encoding")
        default: false
        }
    }
}
