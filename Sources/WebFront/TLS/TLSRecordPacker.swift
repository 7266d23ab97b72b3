import NIOCore

/// Packs the plaintext written between two flushes into full TLS records, placed just
/// after `NIOSSLHandler`. NIOSSL passes every write to its own `SSL_write`, and every
/// `SSL_write` ends a record: an HTTP/1 response head, its body and its end would be
/// three records, and an HTTP/2 DATA frame two (its 9-byte header, then its payload).
/// Each record costs a sealing pass, 22 bytes on the wire (TLS 1.3 with AES-GCM), and
/// a decryption at the client. nginx copies into a 16 KiB buffer for the same reason
/// (`ssl_buffer_size`).
///
/// Invariants: `pending` holds fewer than `recordSize` bytes, all written after the
/// last write passed on; a write of a whole multiple of `recordSize` with nothing
/// pending passes without a copy, so big bodies are copied only at their edges.
/// Memory: at most one record's plaintext per connection beyond what NIOSSL holds.
/// The promise of a write completes once its last byte went down the pipeline and was
/// written, as it would without this handler; order is kept exactly.
final class TLSRecordPacker: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The largest TLS plaintext record (RFC 8446 §5.1).
    static let recordSize = 16 * 1024

    private var pending: ByteBuffer?
    /// Promises of writes whose last bytes are in `pending`.
    private var pendingPromises: [EventLoopPromise<Void>] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(var buffer) = unwrapOutboundIn(data) else {
            // A file region cannot be copied here (it never occurs under TLS): keep order.
            emitPending(context: context)
            context.write(data, promise: promise)
            return
        }
        if var packed = pending {
            pending = nil
            let count = min(Self.recordSize - packed.readableBytes, buffer.readableBytes)
            packed.writeImmutableBuffer(buffer.readSlice(length: count)!)
            pending = packed
            if packed.readableBytes == Self.recordSize {
                if buffer.readableBytes == 0, let promise { pendingPromises.append(promise) }
                emitPending(context: context)
            }
            if buffer.readableBytes == 0 {
                if pending != nil, let promise { pendingPromises.append(promise) }
                return
            }
        }
        // Nothing pending now: whole records go as they are, the rest waits for company.
        let whole = buffer.readableBytes - buffer.readableBytes % Self.recordSize
        let rest = buffer.readableBytes - whole
        if whole > 0 || rest == 0 {
            let slice = rest == 0 ? buffer : buffer.readSlice(length: whole)!
            context.write(wrapOutboundOut(.byteBuffer(slice)), promise: rest == 0 ? promise : nil)
            if rest == 0 { return }
        }
        var packed = context.channel.allocator.buffer(capacity: Self.recordSize)
        packed.writeImmutableBuffer(buffer.readSlice(length: rest)!)
        pending = packed
        if let promise { pendingPromises.append(promise) }
    }

    func flush(context: ChannelHandlerContext) {
        emitPending(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // NIOSSL decides what becomes of unflushed writes on close; it must see them all.
        emitPending(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        pending = nil
        let promises = pendingPromises
        pendingPromises = []
        for promise in promises { promise.fail(ChannelError.ioOnClosedChannel) }
    }

    private func emitPending(context: ChannelHandlerContext) {
        guard let packed = pending else { return }
        pending = nil
        let promise: EventLoopPromise<Void>?
        switch pendingPromises.count {
        case 0:
            promise = nil
        case 1:
            promise = pendingPromises[0]
        default:
            let combined = context.eventLoop.makePromise(of: Void.self)
            for waiting in pendingPromises { combined.futureResult.cascade(to: waiting) }
            promise = combined
        }
        pendingPromises.removeAll(keepingCapacity: true)
        context.write(wrapOutboundOut(.byteBuffer(packed)), promise: promise)
    }
}
