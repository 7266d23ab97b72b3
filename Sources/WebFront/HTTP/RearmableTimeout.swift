import NIOCore

/// A timeout that is re-armed far more often than it expires: the keep-alive and body
/// timers of a connection (re-armed on every request) and the proxy's read timeout
/// (re-armed on every upstream read).
///
/// Re-arming only moves the deadline. The scheduled task is replaced only when the new
/// deadline comes before the task would fire; a task that fires before the deadline
/// schedules itself again for the rest. A busy keep-alive connection thus schedules
/// about one task per timeout period instead of a `scheduleTask` and a `cancel` (a
/// heap insertion and a linear-time heap removal in NIO) per request. nginx moves its
/// timers lazily for the same reason.
///
/// Used on its event loop only.
final class RearmableTimeout {
    private let eventLoop: any EventLoop
    private let onExpiry: () -> Void
    private var task: Scheduled<Void>?
    /// When `task` fires.
    private var taskFiresAt = NIODeadline.distantFuture
    /// When the timeout expires; nil while disarmed.
    private(set) var deadline: NIODeadline?

    /// `onExpiry` runs on `eventLoop` when an armed deadline passes; it must not hold
    /// its owner strongly (the owner holds this timeout).
    init(eventLoop: any EventLoop, onExpiry: @escaping () -> Void) {
        self.eventLoop = eventLoop
        self.onExpiry = onExpiry
    }

    /// Expires `amount` from now unless re-armed or disarmed before.
    func arm(in amount: TimeAmount) {
        let deadline = eventLoop.now + amount
        self.deadline = deadline
        if task != nil && taskFiresAt <= deadline { return }
        task?.cancel()
        schedule(at: deadline)
    }

    /// No expiry until armed again. A pending task stays and finds nothing to do.
    func disarm() {
        deadline = nil
    }

    /// Disarms and drops the pending task (the owner goes away).
    func cancel() {
        deadline = nil
        task?.cancel()
        task = nil
    }

    private func schedule(at deadline: NIODeadline) {
        taskFiresAt = deadline
        let timeout = NIOLoopBound(self, eventLoop: eventLoop)
        task = eventLoop.scheduleTask(deadline: deadline) {
            timeout.value.taskFired()
        }
    }

    private func taskFired() {
        task = nil
        taskFiresAt = .distantFuture
        guard let deadline else { return }
        if deadline > eventLoop.now {
            schedule(at: deadline)
            return
        }
        self.deadline = nil
        onExpiry()
    }
}
