#if canImport(Glibc)
import Glibc
#endif

/// A mutex for short, hot critical sections shared by many threads (the buffer pool, the
/// engine's catalog): a glibc adaptive pthread mutex, which spins briefly and lets a
/// running thread take a just-released lock ahead of sleeping waiters.
///
/// Why not `Synchronization.Mutex`: on Linux (Swift 6.3) it is a priority-inheritance
/// futex, and the kernel hands a contended PI lock straight to the next sleeping waiter.
/// With more busy threads than cores every unlock then waits for a wake-up and a context
/// switch before anyone can lock again (a lock convoy): measured as sysbench point selects
/// falling from 1 to 8 threads (swiftlang/swift#88440 describes the same).
public final class UnfairMutex<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value  // guarded by mutex

    public init(_ value: Value) {
        self.value = value
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
