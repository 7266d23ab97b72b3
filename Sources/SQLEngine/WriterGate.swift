#if canImport(Glibc)
import Glibc
#endif

/// The SQL layer's writer lock, in front of PageStore's: PageStore's `beginWrite()` waits
/// forever, MySQL's writers give up after `innodb_lock_wait_timeout` (error 1205). Whoever
/// holds the gate is the only caller of `beginWrite()`, so that call never blocks. It may be
/// released on another thread than took it (a session moves between threads).
final class WriterGate: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var holder: UInt32?   // guarded by mutex

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    /// Waits up to `seconds` (or until `isCancelled` says so); false on timeout or cancel.
    func acquire(for session: UInt32, seconds: Int, isCancelled: () -> Bool) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var waited = 0
        let limitMs = max(0, seconds) * 1000
        while holder != nil {
            if waited >= limitMs || isCancelled() { return false }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let step = min(100, limitMs - waited)
            var ns = Int(now.tv_nsec) + step * 1_000_000
            var deadline = timespec(tv_sec: now.tv_sec + ns / 1_000_000_000, tv_nsec: 0)
            ns %= 1_000_000_000
            deadline.tv_nsec = ns
            pthread_cond_timedwait(cond, mutex, &deadline)
            waited += step
        }
        holder = session
        return true
    }

    func release() {
        pthread_mutex_lock(mutex)
        holder = nil
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

    var currentHolder: UInt32? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return holder
    }
}
