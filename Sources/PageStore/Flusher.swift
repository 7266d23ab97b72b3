#if canImport(Glibc)
import Glibc
#endif

/// The background fsync of the relaxed durability mode.
final class Flusher: @unchecked Sendable {
    private let lock = ConditionLock()
    private var isStopped = false  // guarded by lock
    private var isRunning = true   // guarded by lock

    init(wal: WriteAheadLog, intervalMilliseconds: Int) {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(FlusherContext(flusher: self, wal: wal, interval: intervalMilliseconds))
        pthread_create(&thread, nil, { raw in
            let ctx = Unmanaged<FlusherContext>.fromOpaque(raw!).takeRetainedValue()
            ctx.flusher.run(wal: ctx.wal, interval: ctx.interval)
            return nil
        }, box.toOpaque())
        pthread_detach(thread)
    }

    func run(wal: WriteAheadLog, interval: Int) {
        lock.lock()
        while !isStopped {
            lock.wait(milliseconds: interval)
            if isStopped { break }
            lock.unlock()
            if wal.needsSync { try? wal.waitDurable(wal.currentTicket) }
            lock.lock()
        }
        isRunning = false
        lock.broadcast()
        lock.unlock()
    }

    func stop() {
        lock.lock()
        isStopped = true
        lock.broadcast()
        while isRunning { lock.wait() }
        lock.unlock()
    }
}

final class FlusherContext {
    let flusher: Flusher
    let wal: WriteAheadLog
    let interval: Int
    init(flusher: Flusher, wal: WriteAheadLog, interval: Int) {
        self.flusher = flusher
        self.wal = wal
        self.interval = interval
    }
}
