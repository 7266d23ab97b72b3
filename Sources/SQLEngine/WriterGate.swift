import PageStore

/// The SQL layer's gate in front of PageStore's writers. Row-level writers (speculative
/// PageStore transactions with row locks, the usual case) hold it shared from their first
/// write to COMMIT or ROLLBACK; a DDL statement holds it exclusively, so it runs alone
/// with PageStore's writer lock and no transaction has rows of a table being altered or
/// dropped. A waiting exclusive request holds back new shared ones (no DDL starvation).
/// Waits give up after `innodb_lock_wait_timeout` (error 1205) like MySQL's metadata locks.
/// It may be released on another thread than took it (a session moves between threads).
final class WriterGate: @unchecked Sendable {
    private let lock = ConditionLock()
    // guarded by lock
    private var exclusiveHolder: UInt32?
    private var sharedCount = 0
    private var exclusiveWaiting = 0


    /// Waits up to `seconds` (or until `isCancelled` says so); false on timeout or cancel.
    func acquire(for session: UInt32, exclusive: Bool, seconds: Int, isCancelled: () -> Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if exclusive { exclusiveWaiting += 1 }
        defer { if exclusive { exclusiveWaiting -= 1 } }
        var waited = 0
        let limitMs = max(0, seconds) * 1000
        while exclusiveHolder != nil || (exclusive ? sharedCount > 0 : exclusiveWaiting > 0) {
            if waited >= limitMs || isCancelled() { return false }
            let step = min(100, limitMs - waited)
            lock.wait(milliseconds: step)
            waited += step
        }
        if exclusive { exclusiveHolder = session } else { sharedCount += 1 }
        return true
    }

    func release(exclusive: Bool) {
        lock.lock()
        if exclusive {
            precondition(exclusiveHolder != nil, "releasing an exclusive gate nobody holds")
            exclusiveHolder = nil
        } else {
            precondition(sharedCount > 0, "releasing a shared gate nobody holds")
            sharedCount -= 1
        }
        lock.broadcast()
        lock.unlock()
    }
}
