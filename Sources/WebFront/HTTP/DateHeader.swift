import Synchronization

/// The `Date` header value, formatted once per second for everyone.
enum DateHeader {
    private static let cache = PerSecondText(HTTPDate.format(epochSeconds:))

    static func current() -> String {
        cache.text(for: HTTPDate.now())
    }
}

/// A text that depends only on a second (the `Date` header, the access log's time),
/// formatted once and reused while requests keep asking for the same second.
final class PerSecondText: Sendable {
    private let cache = Mutex<(second: Int, text: String)>((Int.min, ""))
    private let format: @Sendable (Int) -> String

    init(_ format: @escaping @Sendable (Int) -> String) {
        self.format = format
    }

    func text(for second: Int) -> String {
        if let cached = cache.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        let text = format(second)
        cache.withLock { $0 = (second, text) }
        return text
    }
}
