import Synchronization

/// A token bucket per client: `burst` actions at once, then one more per `refillInterval`.
/// At most `maximumClients` buckets are kept; beyond that, buckets that have refilled
/// completely (they carry no information) are dropped, and if none has, the oldest.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let burst: Int
    let refillInterval: Duration
    let maximumClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(burst: Int, refillInterval: Duration, maximumClients: Int) {
        precondition(burst > 0 && maximumClients > 0 && refillInterval > .zero, "RateLimiter limits must be positive")
        self.burst = burst
        self.refillInterval = refillInterval
        self.maximumClients = maximumClients
    }

    /// Takes one token for `client`; returns nil when allowed, else the time until a token is due.
    func acquire(_ client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let perToken = refillInterval / 1
        return buckets.withLock { buckets -> Duration? in
            var bucket = buckets[client] ?? Bucket(tokens: Double(burst), updated: now)
            let refilled = (now - bucket.updated) / perToken
            bucket.tokens = min(Double(burst), bucket.tokens + refilled)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                if buckets[client] == nil, buckets.count >= maximumClients { evict(&buckets, now: now) }
                buckets[client] = bucket
                return nil
            }
            buckets[client] = bucket
            return perToken * (1 - bucket.tokens)
        }
    }

    private func evict(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let full = buckets.filter { Double(burst) <= $0.value.tokens + (now - $0.value.updated) / refillInterval }
        if !full.isEmpty {
            for key in full.keys { buckets[key] = nil }
        } else if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
            buckets[oldest.key] = nil
        }
    }

    var clientCount: Int { buckets.withLock { $0.count } }
}
