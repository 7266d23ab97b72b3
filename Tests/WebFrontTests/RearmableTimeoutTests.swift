import NIOCore
import NIOEmbedded
import Testing
@testable import WebFront

@Suite struct RearmableTimeoutTests {
    @Test func expiresOnceAtTheLatestDeadline() {
        let loop = EmbeddedEventLoop()
        var expiries = 0
        let timeout = RearmableTimeout(eventLoop: loop) { expiries += 1 }
        timeout.arm(in: .seconds(10))
        loop.advanceTime(by: .seconds(6))
        timeout.arm(in: .seconds(10))          // now due at 16 s; the task still fires at 10 s
        loop.advanceTime(by: .seconds(5))      // 11 s: re-scheduled, not expired
        #expect(expiries == 0)
        loop.advanceTime(by: .seconds(5))      // 16 s
        #expect(expiries == 1)
        loop.advanceTime(by: .seconds(60))
        #expect(expiries == 1)
    }

    @Test func aShorterDeadlineReplacesTheTask() {
        let loop = EmbeddedEventLoop()
        var expiries = 0
        let timeout = RearmableTimeout(eventLoop: loop) { expiries += 1 }
        timeout.arm(in: .seconds(75))
        timeout.arm(in: .seconds(30))
        loop.advanceTime(by: .seconds(30))
        #expect(expiries == 1)
    }

    @Test func disarmedOrCancelledNeverExpires() {
        let loop = EmbeddedEventLoop()
        var expiries = 0
        let timeout = RearmableTimeout(eventLoop: loop) { expiries += 1 }
        timeout.arm(in: .seconds(1))
        timeout.disarm()
        loop.advanceTime(by: .seconds(2))
        #expect(expiries == 0)
        timeout.arm(in: .seconds(1))
        timeout.cancel()
        loop.advanceTime(by: .seconds(2))
        #expect(expiries == 0)
        timeout.arm(in: .seconds(1))
        loop.advanceTime(by: .seconds(1))
        #expect(expiries == 1)
    }
}
