import NIOSSL
import Synchronization

/// The TLS context new connections take. SIGHUP swaps in a new one; connections
/// already up keep the context they started with, so none is dropped.
final class TLSContextBox: Sendable {
    private let context: Mutex<NIOSSLContext>

    init(_ context: NIOSSLContext) { self.context = Mutex(context) }

    var current: NIOSSLContext { context.withLock { $0 } }

    func replace(with new: NIOSSLContext) { context.withLock { $0 = new } }
}
