import PageStore

/// Exclusive row locks of concurrent write transactions (InnoDB's record locks, without
/// gap locks). A lock key is a tree name plus a key in it: a clustered row's primary key,
/// a secondary-index entry, or a unique index value (so two inserts of one value meet).
///
/// Write transactions run speculatively on their own snapshot (PageStore's
/// `beginSpeculativeWrite`), so a lock alone is not enough: a row may have been changed
/// by a commit after the transaction's snapshot, before it got the lock. Each commit
/// stamps the keys it held with its LSN (`lastChanged`); a lock on a key stamped after
/// the locker's snapshot comes back `.stale`, and the statement is re-run on a newer
/// snapshot (the lock stays held, so the second run reads the row's final state). That
/// gives each write statement InnoDB's "current read" of the rows it changes.
///
/// Waits end after `innodb_lock_wait_timeout` (1205), on KILL (1317), or at once when
/// waiting would close a cycle of waiters (1213, the requester is the victim).
final class RowLocks: @unchecked Sendable {
    enum Outcome { case held, acquired, stale }

    private let lock = ConditionLock()
    // All guarded by lock.
    private var holders: [[UInt8]: UInt32] = [:]
    private var held: [UInt32: [[UInt8]]] = [:]
    private var waitingFor: [UInt32: [UInt8]] = [:]
    private var lastChanged: [[UInt8]: UInt64] = [:]
    /// Each lock owner's snapshot, for pruning `lastChanged`.
    private var snapshots: [UInt32: UInt64] = [:]
    /// `lastChanged` is pruned when it grows past this many keys.
    static let pruneThreshold = 50_000


    static func key(tree: String, _ key: [UInt8]) -> [UInt8] {
        var k: [UInt8] = []
        k.reserveCapacity(tree.utf8.count + key.count + 2)
        k.append(UInt8(truncatingIfNeeded: tree.utf8.count >> 8))
        k.append(UInt8(truncatingIfNeeded: tree.utf8.count))
        k.append(contentsOf: tree.utf8)
        k.append(contentsOf: key)
        return k
    }

    /// Runs `begin` (which takes the snapshot) with the owner registered, so no stamp the
    /// owner still needs is pruned in between.
    func register<T>(owner: UInt32, _ begin: () throws -> (T, UInt64)) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        let (value, snapshot) = try begin()
        snapshots[owner] = snapshot
        return value
    }

    /// The owner moved to a newer snapshot.
    func moved(owner: UInt32, to snapshot: UInt64) {
        lock.lock()
        snapshots[owner] = snapshot
        lock.unlock()
    }

    /// Locks `key` for `owner`, whose reads are as of `snapshot`.
    func lock(_ key: [UInt8], owner: UInt32, snapshot: UInt64, timeoutSeconds: Int, isCancelled: () -> Bool) throws -> Outcome {
        lock.lock()
        defer { lock.unlock() }
        var waited = 0
        let limitMs = max(0, timeoutSeconds) * 1000
        while let holder = holders[key] {
            if holder == owner { return .held }
            if closesCycle(from: holder, to: owner) { throw SQLError.deadlock }
            if waited >= limitMs { throw SQLError.lockWaitTimeout }
            if isCancelled() { throw SQLError.queryInterrupted }
            waitingFor[owner] = key
            let step = min(100, limitMs - waited)
            lock.wait(milliseconds: step)
            waitingFor[owner] = nil
            waited += step
        }
        holders[key] = owner
        held[owner, default: []].append(key)
        if let stamp = lastChanged[key], stamp > snapshot { return .stale }
        return .acquired
    }

    /// Would `owner` waiting for `holder` close a cycle of waiters?
    private func closesCycle(from holder: UInt32, to owner: UInt32) -> Bool {
        var current = holder
        for _ in 0..<1024 {
            if current == owner { return true }
            guard let k = waitingFor[current], let next = holders[k] else { return false }
            current = next
        }
        return true
    }

    /// Releases every lock of `owner`; with `committedAt`, stamps the keys with that
    /// commit's LSN first (the commit must already be visible to new snapshots).
    func releaseAll(owner: UInt32, committedAt lsn: UInt64?) {
        lock.lock()
        defer { lock.unlock() }
        snapshots[owner] = nil
        guard let keys = held.removeValue(forKey: owner) else { return }
        for k in keys {
            holders[k] = nil
            if let lsn { lastChanged[k] = lsn }
        }
        if lastChanged.count > Self.pruneThreshold {
            // a stamp matters only to an owner whose snapshot is older; owners to come
            // start at the newest commit, which no stamp exceeds
            let oldest = snapshots.values.min() ?? .max
            lastChanged = lastChanged.filter { $0.value > oldest }
        }
        lock.broadcast()
    }

    var lockCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return holders.count
    }
}
