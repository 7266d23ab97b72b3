import NIOCore

/// Merges the flushes an HTTP/2 connection receives from outside its own reads into one
/// per event-loop tick, placed just before `NIOHTTP2Handler`.
///
/// NIOHTTP2 already holds the flushes of streams answered while the connection reads
/// (a static file) until the read batch ends. A proxied response is written when its
/// *upstream* connection reads, though, and every stream's end flushed the connection
/// at once: with many streams in flight each response became its own `SSL_write` and
/// `write(2)`. Here a flush outside the connection's read batch is deferred to a task,
/// which the event loop runs after the I/O events of the current tick — so the
/// responses of every upstream that answered in that tick leave in one write.
///
/// Invariants: a flush inside a read batch (between `channelRead` and the end of
/// `channelReadComplete`) passes at once; at most one deferred flush is scheduled; a
/// deferred flush runs in the same tick as the flush it stands for, before any later
/// I/O, so latency does not grow by more than the rest of that tick's work.
final class FlushCoalescer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private var isReading = false
    private var isFlushScheduled = false
    private var isAttached = false

    func handlerAdded(context: ChannelHandlerContext) {
        isAttached = true
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isAttached = false
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        // A deferred flush would no longer find us: hand it on while we still can.
        if isFlushScheduled {
            isFlushScheduled = false
            context.flush()
        }
        context.leavePipeline(removalToken: removalToken)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        isReading = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = true
        context.fireChannelReadComplete()
        isReading = false
    }

    func flush(context: ChannelHandlerContext) {
        if isReading {
            context.flush()
            return
        }
        guard !isFlushScheduled else { return }
        isFlushScheduled = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (coalescer, context) = loopBound.value
            guard coalescer.isFlushScheduled, coalescer.isAttached else { return }
            coalescer.isFlushScheduled = false
            context.flush()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Whatever was written goes first, as it would without this handler.
        if isFlushScheduled {
            isFlushScheduled = false
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}
