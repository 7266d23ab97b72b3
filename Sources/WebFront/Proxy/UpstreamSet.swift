import Synchronization

/// How the next upstream is chosen.
public enum UpstreamBalance: String, Sendable {
    /// In turn (nginx's default).
    case roundRobin = "round-robin"
    /// The one with the fewest requests in flight from this front; ties in turn
    /// (nginx's `least_conn`).
    case leastConnections = "least-connections"
}

/// The upstreams in rotation, the requests in flight to each, and what passive health
/// checking learned about them.
///
/// An upstream that fails to connect, resets, or times out is skipped for
/// `failTimeout`; if every upstream is marked failed, the marks are ignored (better a
/// try than a certain 502). Shared by all event loops; a pick holds the upstream (for
/// least-connections) until `release`.
final class UpstreamSet: Sendable {
    let addresses: [UpstreamAddress]
    let failTimeout: Duration
    let balance: UpstreamBalance
    private let next = Atomic<Int>(0)
    /// Whether any upstream may be marked failed: lets `markHealthy`, called for every
    /// response, skip the lock both loops would contend for while all is well.
    private let mayHaveFailures = Atomic<Bool>(false)

    private struct State {
        var failedUntil: [ContinuousClock.Instant?]
        var inFlight: [Int]
    }
    private let state: Mutex<State>

    init(addresses: [UpstreamAddress], failTimeout: Duration, balance: UpstreamBalance = .roundRobin) {
        self.addresses = addresses
        self.failTimeout = failTimeout
        self.balance = balance
        self.state = Mutex(State(failedUntil: Array(repeating: nil, count: addresses.count),
                                 inFlight: Array(repeating: 0, count: addresses.count)))
    }

    var isEmpty: Bool { addresses.isEmpty }

    /// Picks the upstream for the next attempt and holds it until `release`. Never one
    /// in `excluding` (already tried) unless nothing else is left; healthy ones first.
    func pick(excluding: Set<Int> = []) -> Int? {
        guard !addresses.isEmpty else { return nil }
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
        let now = ContinuousClock.now
        return state.withLock { state in
            // Rank: 0 healthy, 1 marked failed, 2 already tried; then fewest in flight
            // (least-connections only); then turn order from `start`.
            var best: (index: Int, rank: Int, load: Int)?
            for offset in 0..<addresses.count {
                let index = (start + offset) % addresses.count
                let rank = excluding.contains(index) ? 2 : (state.failedUntil[index].map { $0 > now } == true ? 1 : 0)
                let load = balance == .leastConnections ? state.inFlight[index] : 0
                if let current = best, (current.rank, current.load) <= (rank, load) { continue }
                best = (index, rank, load)
            }
            guard let chosen = best?.index else { return nil }
            state.inFlight[chosen] += 1
            return chosen
        }
    }

    /// The attempt on `index` is over (answered, failed, or abandoned).
    func release(_ index: Int) {
        state.withLock { $0.inFlight[index] = max(0, $0.inFlight[index] - 1) }
    }

    /// Requests in flight to `index` (for tests and status).
    func inFlight(_ index: Int) -> Int {
        state.withLock { $0.inFlight[index] }
    }

    func markFailed(_ index: Int) {
        guard failTimeout > .zero else { return }
        let until = ContinuousClock.now + failTimeout
        state.withLock { state in
            state.failedUntil[index] = until
            mayHaveFailures.store(true, ordering: .relaxed)
        }
    }

    func markHealthy(_ index: Int) {
        guard mayHaveFailures.load(ordering: .relaxed) else { return }
        state.withLock { state in
            if state.failedUntil[index] != nil { state.failedUntil[index] = nil }
            if state.failedUntil.allSatisfy({ $0 == nil }) { mayHaveFailures.store(false, ordering: .relaxed) }
        }
    }
}
