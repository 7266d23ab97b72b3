#if canImport(Glibc)
import Glibc
#endif

/// A mutex with a condition variable (Synchronization.Mutex has none). Used for the
/// writer lock, which a transaction may release on a different thread than took it,
/// for waiting on group-commit fsyncs, and by SQLEngine's writer gate and row locks.
public final class ConditionLock: @unchecked Sendable {
    // The pthread objects live at stable heap addresses for the lifetime of the object.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a broadcast; the mutex must be held.
    public func wait() { pthread_cond_wait(cond, mutex) }
    /// Waits for a broadcast or `milliseconds`; the mutex must be held.
    public func wait(milliseconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var ns = Int(now.tv_nsec) + (milliseconds % 1000) * 1_000_000
        var deadline = timespec(tv_sec: now.tv_sec + milliseconds / 1000 + ns / 1_000_000_000, tv_nsec: 0)
        ns %= 1_000_000_000
        deadline.tv_nsec = ns
        pthread_cond_timedwait(cond, mutex, &deadline)
    }
    public func broadcast() { pthread_cond_broadcast(cond) }

    @inline(__always) public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// The single-writer lock. Unlike a pthread mutex it may be released by any thread,
/// because an explicit `beginWrite()`/`commit()` pair may run on different threads.
final class WriterLock: @unchecked Sendable {
    private let state = ConditionLock()
    private var isHeld = false  // guarded by state

    func acquire() {
        state.lock()
        while isHeld { state.wait() }
        isHeld = true
        state.unlock()
    }

    func release() {
        state.lock()
        precondition(isHeld, "WriterLock released while not held")
        isHeld = false
        state.broadcast()
        state.unlock()
    }
}

/// A reader-writer lock. Readers hold it shared while they read a log frame; a log
/// restart (which overwrites frames from the start) holds it exclusively.
final class ReadWriteLock: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    init() { pthread_rwlock_init(lock, nil) }
    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }
    func lockShared() { pthread_rwlock_rdlock(lock) }
    func lockExclusive() { pthread_rwlock_wrlock(lock) }
    func unlock() { pthread_rwlock_unlock(lock) }
}
