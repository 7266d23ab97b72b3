import Synchronization

/// The server's open connections by id: for KILL, COM_STATISTICS, the connection
/// limit and shutdown. Entries are added when a connection is accepted and removed
/// when its channel closes.
final class ConnectionRegistry: Sendable {
    /// What the registry can do to a connection, from any thread.
    struct Entry: Sendable {
        var user: String?
        /// Closes the connection at once (KILL, end of the shutdown grace).
        var close: @Sendable () -> Void
        /// Closes the connection once its running statement (if any) has answered.
        var closeWhenIdle: @Sendable () -> Void
    }

    let maximum: Int
    private let state = Mutex<(nextID: UInt32, entries: [UInt32: Entry])>((1, [:]))
    private let questionCount = Atomic<UInt64>(0)

    init(maximum: Int) { self.maximum = maximum }

    /// A fresh connection id (never 0), and whether the connection fits under the limit.
    func register(_ entry: Entry) -> (id: UInt32, admitted: Bool) {
        state.withLock { state in
            var id = state.nextID
            while id == 0 || state.entries[id] != nil { id &+= 1 }
            state.nextID = id &+ 1
            guard state.entries.count < maximum else { return (id, false) }
            state.entries[id] = entry
            return (id, true)
        }
    }

    func setUser(_ user: String, for id: UInt32) {
        state.withLock { $0.entries[id]?.user = user }
    }

    func unregister(_ id: UInt32) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    func entry(_ id: UInt32) -> Entry? { state.withLock { $0.entries[id] } }

    var count: Int { state.withLock { $0.entries.count } }

    var all: [Entry] { state.withLock { Array($0.entries.values) } }

    func countQuestion() { questionCount.add(1, ordering: .relaxed) }
    var questions: UInt64 { questionCount.load(ordering: .relaxed) }
}
