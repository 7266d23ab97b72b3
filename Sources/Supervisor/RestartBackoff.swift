/// When a crashed child is started again: exponential backoff from `initial`, doubling
/// with each crash in a row up to `maximum`. A child that stayed up for `stableAfter`
/// before it crashed starts the series again, so one crash a day restarts at once while
/// a crash loop settles at one attempt every `maximum`.
public struct RestartBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var stableAfter: Duration
    /// Crashes in a row (each within `stableAfter` of its start).
    public private(set) var consecutiveCrashes = 0

    /// From this many crashes in a row on, the supervisor reports a crash loop.
    public static let crashLoopThreshold = 5

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5), stableAfter: Duration = .seconds(10)) {
        precondition(initial > .zero && maximum >= initial, "backoff: need 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
        self.stableAfter = stableAfter
    }

    /// Records a crash of a child that had been up for `uptime`; returns the delay before
    /// the next start.
    public mutating func recordCrash(uptime: Duration) -> Duration {
        if uptime >= stableAfter { consecutiveCrashes = 0 }
        consecutiveCrashes += 1
        var delay = initial
        for _ in 1..<consecutiveCrashes {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    /// Whether the crashes in a row amount to a crash loop worth an error in the log.
    public var isCrashLooping: Bool { consecutiveCrashes >= Self.crashLoopThreshold }
}
