import Synchronization

/// Time one request spent waiting on the database, for the request log. The request
/// middleware binds a fresh accumulator; `BlogStore` adds to whatever is bound.
final class DatabaseTime: Sendable {
    private let total = Mutex<Duration>(.zero)

    @TaskLocal static var current: DatabaseTime?

    func add(_ duration: Duration) { total.withLock { $0 += duration } }
    var elapsed: Duration { total.withLock { $0 } }

    /// Runs `body`, adding its duration to the request's database time.
    static func measure<T>(_ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { current?.add(ContinuousClock.now - start) }
        return try await body()
    }
}
