import Synchronization

/// A named limit on open connections, shared by a listener's accept path.
/// `acquire()` on accept, `release()` when the connection closes.
public final class ConnectionLimit: Sendable {
    /// The most connections allowed at once.
    public let maximum: Int
    private let open = Atomic<Int>(0)

    public init(maximum: Int) {
        precondition(maximum > 0, "ConnectionLimit needs a positive maximum, got \(maximum)")
        self.maximum = maximum
    }

    /// Takes a slot; false when the limit is reached (the caller closes the connection).
    public func acquire() -> Bool {
        if open.add(1, ordering: .relaxed).newValue <= maximum { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    /// Gives back a slot taken by a successful `acquire()`.
    public func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// Connections open now.
    public var current: Int { open.load(ordering: .relaxed) }
}
