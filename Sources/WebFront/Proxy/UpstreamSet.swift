import Synchronization

/// The upstreams in rotation and what passive health checking learned about them.
///
/// Requests go round-robin. An upstream that fails to connect, resets, or times out is
/// skipped for `failTimeout`; if every upstream is marked failed, round-robin ignores
/// the marks (better a try than a certain 502). Shared by all event loops.
final class UpstreamSet: Sendable {
    let addresses: [UpstreamAddress]
    let failTimeout: Duration
    private let next = Atomic<Int>(0)
    private let failedUntil: Mutex<[ContinuousClock.Instant?]>

    init(addresses: [UpstreamAddress], failTimeout: Duration) {
        self.addresses = addresses
        self.failTimeout = failTimeout
        self.failedUntil = Mutex(Array(repeating: nil, count: addresses.count))
    }

    var isEmpty: Bool { addresses.isEmpty }

    /// The next upstream to try, never one in `excluding` unless nothing else is left.
    func pick(excluding: Set<Int> = []) -> Int? {
        guard !addresses.isEmpty else { return nil }
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        let now = ContinuousClock.now
        let marks = failedUntil.withLock { $0 }
        var fallback: Int?
        var excludedFallback: Int?
        for offset in 0..<addresses.count {
            let index = ((start & Int.max) + offset) % addresses.count
            if excluding.contains(index) {
                if excludedFallback == nil { excludedFallback = index }
                continue
            }
            if let until = marks[index], until > now {
                if fallback == nil { fallback = index }
                continue
            }
            return index
        }
        return fallback ?? excludedFallback
    }

    func markFailed(_ index: Int) {
        guard failTimeout > .zero else { return }
        let until = ContinuousClock.now + failTimeout
        failedUntil.withLock { $0[index] = until }
    }

    func markHealthy(_ index: Int) {
        failedUntil.withLock { marks in
            if marks[index] != nil { marks[index] = nil }
        }
    }
}
