import Foundation
import Testing
@testable import Supervisor

/// The slot lifecycle without processes: pids and clocks are made up.
@Suite struct SlotStateMachineTests {
    struct FakeChild: SupervisedChild {
        let pid: pid_t
        let startedAt: ContinuousClock.Instant
    }

    let t0 = ContinuousClock.now
    func child(_ pid: pid_t, startedAt offset: Duration = .zero) -> FakeChild { FakeChild(pid: pid, startedAt: t0 + offset) }
    func machine() -> SlotStateMachine<FakeChild> {
        SlotStateMachine(backoff: RestartBackoff(initial: .milliseconds(100), maximum: .seconds(1), stableAfter: .seconds(10)))
    }

    @Test func startsAndBecomesReady() {
        var slot = machine()
        #expect(slot.stateName == "stopped" && slot.current == nil)
        slot.spawned(child(10))
        #expect(slot.stateName == "starting" && slot.current?.pid == 10 && !slot.isReady)
        let otherReady = slot.becameReady(pid: 11)
        #expect(!otherReady)
        let ownReady = slot.becameReady(pid: 10)
        #expect(ownReady)
        #expect(slot.stateName == "ready" && slot.isReady)
    }

    @Test func aCrashIsRestartedWithGrowingBackoff() {
        var slot = machine()
        slot.spawned(child(10))
        _ = slot.becameReady(pid: 10)
        let firstCrash = slot.exited(pid: 10, status: "killed by signal 9", at: t0 + .seconds(1), restartAllowed: true)
        #expect(firstCrash == .restart(after: .milliseconds(100), uptime: .seconds(1), crashesInARow: 1, isCrashLoop: false))
        #expect(slot.stateName == "restarting" && slot.isWaitingToRestart && slot.current == nil)
        #expect(slot.lastExit == "killed by signal 9" && slot.restarts == 1)
        slot.spawned(child(11, startedAt: .seconds(2)))
        let secondCrash = slot.exited(pid: 11, status: "exited 1", at: t0 + .seconds(3), restartAllowed: true)
        #expect(secondCrash == .restart(after: .milliseconds(200), uptime: .seconds(1), crashesInARow: 2, isCrashLoop: false))
        // A spawn error counts as a crash at once.
        let afterSpawnError = slot.spawnFailed()
        #expect(afterSpawnError == .milliseconds(400))
        #expect(slot.isWaitingToRestart)
    }

    @Test func aCrashLoopIsReportedAndAStableRunStartsAgain() {
        var slot = machine()
        var action = SlotStateMachine<FakeChild>.ExitAction.ignore
        for pid in pid_t(1)...5 {
            slot.spawned(child(pid))
            action = slot.exited(pid: pid, status: "exited 1", at: t0 + .milliseconds(10), restartAllowed: true)
        }
        #expect(action == .restart(after: .seconds(1), uptime: .milliseconds(10), crashesInARow: 5, isCrashLoop: true))
        slot.spawned(child(6))
        _ = slot.becameReady(pid: 6)
        let afterStableRun = slot.exited(pid: 6, status: "exited 1", at: t0 + .seconds(60), restartAllowed: true)
        #expect(afterStableRun == .restart(after: .milliseconds(100), uptime: .seconds(60), crashesInARow: 1, isCrashLoop: false))
    }

    @Test func exitsOfOtherPidsChangeNothing() {
        var slot = machine()
        slot.spawned(child(10))
        _ = slot.becameReady(pid: 10)
        // A reload's replacement that failed before it took over, then the old one after a replacement.
        let failedReplacement = slot.exited(pid: 20, status: "exited 1", at: t0, restartAllowed: true)
        #expect(failedReplacement == .ignore)
        let tookOver = slot.replaced(10, by: child(21))
        #expect(tookOver)
        #expect(slot.current?.pid == 21 && slot.isReady)
        let oldExit = slot.exited(pid: 10, status: "exited 0", at: t0, restartAllowed: true)
        #expect(oldExit == .ignore)
        #expect(slot.restarts == 0 && slot.lastExit == nil)
        // A replacement cannot take over from a process that is no longer the ready one.
        let staleTakeOver = slot.replaced(10, by: child(22))
        #expect(!staleTakeOver)
    }

    @Test func noRestartWhileServeStartsOrStops() {
        var slot = machine()
        slot.spawned(child(10))
        let exitDuringStart = slot.exited(pid: 10, status: "exited 1", at: t0, restartAllowed: false)
        #expect(exitDuringStart == .stayDown)
        #expect(slot.stateName == "stopped" && slot.restarts == 0 && slot.lastExit == "exited 1")
    }

    @Test func stoppingTerminatesTheCurrentProcessOnly() {
        var slot = machine()
        slot.spawned(child(10))
        _ = slot.becameReady(pid: 10)
        let toTerminate = slot.stopRequested()
        #expect(toTerminate?.pid == 10)
        #expect(slot.stateName == "stopping" && slot.current?.pid == 10)
        let secondStop = slot.stopRequested()
        #expect(secondStop == nil)
        let stoppedExit = slot.exited(pid: 10, status: "exited 0", at: t0, restartAllowed: false)
        #expect(stoppedExit == .stayDown)
        slot.stopped()
        #expect(slot.stateName == "stopped" && slot.restarts == 0)
        // A slot waiting out its backoff is simply down.
        var crashed = machine()
        crashed.spawned(child(30))
        _ = crashed.exited(pid: 30, status: "exited 1", at: t0, restartAllowed: true)
        let nothingToTerminate = crashed.stopRequested()
        #expect(nothingToTerminate == nil)
        #expect(crashed.stateName == "stopped" && !crashed.isWaitingToRestart)
    }

    @Test func reloadedBackoffKeepsTheCountInARow() {
        var slot = machine()
        slot.spawned(child(1))
        _ = slot.exited(pid: 1, status: "exited 1", at: t0, restartAllowed: true)
        slot.updateBackoff(initial: .seconds(1), maximum: .seconds(8), stableAfter: .seconds(30))
        slot.spawned(child(2))
        let nextCrash = slot.exited(pid: 2, status: "exited 1", at: t0, restartAllowed: true)
        #expect(nextCrash == .restart(after: .seconds(2), uptime: .zero, crashesInARow: 2, isCrashLoop: false))
    }
}
