import Synchronization

/// The `Date` header value, formatted once per second for everyone.
enum DateHeader {
    private static let cache = Mutex<(second: Int, text: String)>((0, ""))

    static func current() -> String {
        let now = HTTPDate.now()
        return cache.withLock { cached in
            if cached.second != now {
                cached = (now, HTTPDate.format(epochSeconds: now))
            }
            return cached.text
        }
    }
}
