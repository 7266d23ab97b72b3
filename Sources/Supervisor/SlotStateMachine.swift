import Foundation

/// What the state machine needs to know of a child process.
protocol SupervisedChild: Sendable {
    var pid: pid_t { get }
    var startedAt: ContinuousClock.Instant { get }
}

extension ChildProcess: SupervisedChild {}

/// One slot's lifecycle (`db`, `app-2`, `web`, `dns`) as a value-type state machine:
/// events in, actions out, no I/O. The `Supervisor` actor spawns, signals and sleeps as
/// told and reports back what happened.
///
/// A slot is served by one process at a time, its `current` child. Events about any other
/// pid of the slot — a replaced process that was asked to stop, a replacement that failed
/// before it took over — change nothing here:
///
///     stopped ──spawned──▶ starting ──becameReady──▶ ready ──replaced(by:)──▶ ready
///        ▲                    │                        │
///        │   exited (no restart: serve starting or stopping)
///        │                    ▼                        ▼
///        └──────────────── stopped ◀──stopped── stopping ◀──stopRequested
///                     exited (crash) ──▶ restarting ──spawned──▶ starting
struct SlotStateMachine<Child: SupervisedChild> {
    enum State {
        case stopped
        case starting(Child)
        case ready(Child)
        /// Waiting out the backoff before the next start.
        case restarting
        case stopping(Child)
    }

    /// What the supervisor does after an exit.
    enum ExitAction: Equatable {
        /// Not this slot's current process: nothing to do.
        case ignore
        /// The slot is down and stays down (serve is starting or stopping).
        case stayDown
        /// A crash: start it again after `delay`.
        case restart(after: Duration, uptime: Duration, crashesInARow: Int, isCrashLoop: Bool)
    }

    private(set) var state: State = .stopped
    private(set) var backoff: RestartBackoff
    /// Crashes since serve started (each one restarted).
    private(set) var restarts = 0
    /// How the last current process ended (`exited 1`, `killed by signal 9`).
    private(set) var lastExit: String?

    init(backoff: RestartBackoff) {
        self.backoff = backoff
    }

    /// The process serving the slot, if any (starting, ready or being stopped).
    var current: Child? {
        switch state {
        case .starting(let child), .ready(let child), .stopping(let child): child
        case .stopped, .restarting: nil
        }
    }

    var isReady: Bool {
        if case .ready = state { return true }
        return false
    }

    var isWaitingToRestart: Bool {
        if case .restarting = state { return true }
        return false
    }

    /// The state's name in `onebox status`.
    var stateName: String {
        switch state {
        case .stopped: "stopped"
        case .starting: "starting"
        case .ready: "ready"
        case .restarting: "restarting"
        case .stopping: "stopping"
        }
    }

    /// New backoff settings (a reload); the crash count in a row is kept.
    mutating func updateBackoff(initial: Duration, maximum: Duration, stableAfter: Duration) {
        backoff.initial = initial
        backoff.maximum = maximum
        backoff.stableAfter = stableAfter
    }

    // MARK: - Events

    /// A process was started for the slot (first start or a restart).
    mutating func spawned(_ child: Child) {
        switch state {
        case .stopped, .restarting:
            state = .starting(child)
        case .starting(let other), .ready(let other), .stopping(let other):
            preconditionFailure("slot spawned pid \(child.pid) while pid \(other.pid) is \(stateName)")
        }
    }

    /// Starting a process for the slot failed (spawn error): try again after the returned delay.
    mutating func spawnFailed() -> Duration {
        guard case .restarting = state else {
            preconditionFailure("a restart failed to spawn while the slot is \(stateName)")
        }
        return backoff.recordCrash(uptime: .zero)
    }

    /// The process printed its ready lines. False when it is no longer the slot's current
    /// process (it was replaced or exited meanwhile).
    mutating func becameReady(pid: pid_t) -> Bool {
        guard case .starting(let child) = state, child.pid == pid else { return false }
        state = .ready(child)
        return true
    }

    /// A reload's replacement, ready, takes over from `old`. False when `old` is no longer
    /// the slot's ready process (it died and its restart took the slot meanwhile).
    mutating func replaced(_ old: pid_t, by fresh: Child) -> Bool {
        guard case .ready(let child) = state, child.pid == old else { return false }
        state = .ready(fresh)
        return true
    }

    /// A process of the slot exited; `restartAllowed` is false while serve starts or stops.
    mutating func exited(pid: pid_t, status: String, at now: ContinuousClock.Instant, restartAllowed: Bool) -> ExitAction {
        switch state {
        case .stopping(let child) where child.pid == pid:
            lastExit = status
            state = .stopped
            return .stayDown
        case .starting(let child) where child.pid == pid, .ready(let child) where child.pid == pid:
            lastExit = status
            guard restartAllowed else {
                state = .stopped
                return .stayDown
            }
            let uptime = now - child.startedAt
            let delay = backoff.recordCrash(uptime: uptime)
            restarts += 1
            state = .restarting
            return .restart(after: delay, uptime: uptime, crashesInARow: backoff.consecutiveCrashes,
                            isCrashLoop: backoff.isCrashLooping)
        default:
            return .ignore
        }
    }

    /// Serve stops the slot: returns the process to terminate, if one is running. A slot
    /// waiting to restart is simply down from now on.
    mutating func stopRequested() -> Child? {
        switch state {
        case .starting(let child), .ready(let child):
            state = .stopping(child)
            return child
        case .restarting:
            state = .stopped
            return nil
        case .stopped, .stopping:
            return nil
        }
    }

    /// The process asked to stop is gone.
    mutating func stopped() {
        if case .stopping = state { state = .stopped }
    }
}
