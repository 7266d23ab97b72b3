import Synchronization

/// The responder now in service. Reloads swap in a new immutable responder; queries
/// in flight finish on the one they started with, so a reload drops nothing.
final class DNSResponderBox: Sendable {
    private let responder: Mutex<DNSResponder>

    init(_ responder: DNSResponder) {
        self.responder = Mutex(responder)
    }

    var current: DNSResponder {
        responder.withLock { $0 }
    }

    func replace(with newResponder: DNSResponder) {
        responder.withLock { $0 = newResponder }
    }
}
