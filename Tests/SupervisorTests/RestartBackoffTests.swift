import Supervisor
import Testing

@Suite struct RestartBackoffTests {
    @Test func doublesFromInitialUpToTheCap() {
        var backoff = RestartBackoff(initial: .milliseconds(100), maximum: .seconds(1), stableAfter: .seconds(10))
        let delays = (0..<7).map { _ in backoff.recordCrash(uptime: .milliseconds(50)) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                           .seconds(1), .seconds(1), .seconds(1)])
        #expect(backoff.consecutiveCrashes == 7)
    }

    @Test func aChildThatStayedUpStartsTheSeriesAgain() {
        var backoff = RestartBackoff(initial: .milliseconds(100), maximum: .seconds(5), stableAfter: .seconds(10))
        for _ in 0..<4 { _ = backoff.recordCrash(uptime: .seconds(1)) }
        #expect(backoff.consecutiveCrashes == 4)
        #expect(backoff.recordCrash(uptime: .seconds(11)) == .milliseconds(100))
        #expect(backoff.consecutiveCrashes == 1)
    }

    @Test func crashLoopIsReportedFromTheThresholdOn() {
        var backoff = RestartBackoff()
        for crash in 1...RestartBackoff.crashLoopThreshold {
            #expect(!backoff.isCrashLooping, "after \(crash - 1) crashes")
            _ = backoff.recordCrash(uptime: .zero)
        }
        #expect(backoff.isCrashLooping)
    }

    @Test func manyCrashesNeverOverflow() {
        var backoff = RestartBackoff(initial: .milliseconds(10), maximum: .seconds(3))
        var last = Duration.zero
        for _ in 0..<10_000 { last = backoff.recordCrash(uptime: .zero) }
        #expect(last == .seconds(3))
    }
}
