import Synchronization

// The buffer pool and the page-version index, under one mutex.
//
// A page version is identified by (page number, version), where version is the commit
// LSN of a log frame, or 0 for "the image in the data file". Versions are immutable:
// a cached frame never changes while it is cached, so readers need no page latches —
// only a pin, which keeps the frame from eviction. Writers never modify cached frames;
// they work on private copies (WriteTransaction) and publish new versions at commit.
//
// A reader with snapshot S reads page P as the latest log version with LSN ≤ S, else
// the data-file image. Checkpoint copies versions ≤ the oldest snapshot to the data
// file, so no live reader ever needs a data-file image that a checkpoint overwrote.

struct PageKey: Hashable {
    var page: UInt32
    var version: UInt64

    // One hasher round instead of two: this hash is on every page access.
    func hash(into hasher: inout Hasher) {
        hasher.combine(version &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(page))
    }
}

struct PageVersion {
    var lsn: UInt64
    var frame: Int32  // index of the log frame in the current log generation
}

final class PageCache: @unchecked Sendable {
    struct State {
        var table: [PageKey: Int32] = [:]
        var keys: [PageKey?]
        var pins: [Int32]
        var referenced: [Bool]
        var hand = 0
        var versions: [UInt32: [PageVersion]] = [:]
        var readers: [UInt64: Int] = [:]
        var committed = LSN.zero
        var backfilled = LSN.zero
        var stats = Statistics()

        @inline(__always)
        func lookup(_ page: UInt32, _ snapshot: LSN) -> (PageKey, Int32?) {
            if !versions.isEmpty, let list = versions[page] {
                var i = list.count - 1
                while i >= 0 {
                    if list[i].lsn <= snapshot.rawValue { return (PageKey(page: page, version: list[i].lsn), list[i].frame) }
                    i -= 1
                }
            }
            return (PageKey(page: page, version: 0), nil)
        }

        /// Clock: an unpinned frame whose reference bit is clear; unlinks its key.
        mutating func victim() -> Int32? {
            let n = keys.count
            for _ in 0..<(2 * n + 1) {
                let f = hand
                hand = hand + 1 == n ? 0 : hand + 1
                if pins[f] != 0 { continue }
                if referenced[f] { referenced[f] = false; continue }
                if let key = keys[f] {
                    if table[key] == Int32(f) { table[key] = nil }
                    keys[f] = nil
                    stats.evictions += 1
                }
                return Int32(f)
            }
            return nil
        }
    }

    let pageSize: Int
    let frameCount: Int
    let memory: UnsafeMutableRawPointer
    let dataFile: any StorageFile
    let wal: WriteAheadLog
    /// Held shared while reading a log frame, exclusively while restarting the log.
    let walGate = ReadWriteLock()
    let state: UnfairMutex<State>

    init(pageSize: Int, budget: Int, dataFile: any StorageFile, wal: WriteAheadLog) {
        self.pageSize = pageSize
        frameCount = budget / pageSize
        memory = UnsafeMutableRawPointer.allocate(byteCount: frameCount * pageSize, alignment: 4096)
        self.dataFile = dataFile
        self.wal = wal
        var s = State(keys: Array(repeating: nil, count: frameCount), pins: Array(repeating: 0, count: frameCount),
                      referenced: Array(repeating: false, count: frameCount))
        s.stats.frames = frameCount
        state = UnfairMutex(s)
    }

    deinit { memory.deallocate() }

    @inline(__always) func pointer(_ frame: Int32) -> UnsafeMutableRawPointer { memory + Int(frame) * pageSize }

    /// Pins the version of `page` visible at `snapshot`; the caller must `unpin` it.
    /// With `mayLoad: false` a page that is not cached throws `wouldBlock` instead of
    /// being read from disk.
    func pin(_ page: PageNumber, snapshot: LSN, mayLoad: Bool = true) throws -> Int32 {
        let hit = state.withLock { s -> Int32? in
            let (key, _) = s.lookup(page.rawValue, snapshot)
            guard let f = s.table[key] else { return nil }
            s.pins[Int(f)] += 1
            s.referenced[Int(f)] = true
            s.stats.hits += 1
            return f
        }
        if let hit { return hit }
        guard mayLoad else { throw PageStoreError.wouldBlock }
        return try load(page, snapshot: snapshot)
    }

    private enum Miss {
        case hit(Int32)
        case load(PageKey, Int32?, Int32)
        case exhausted
    }

    private func load(_ page: PageNumber, snapshot: LSN) throws -> Int32 {
        walGate.lockShared()
        defer { walGate.unlock() }
        let miss = state.withLock { s -> Miss in
            let (key, walFrame) = s.lookup(page.rawValue, snapshot)
            if let f = s.table[key] {
                s.pins[Int(f)] += 1
                s.referenced[Int(f)] = true
                s.stats.hits += 1
                return .hit(f)
            }
            s.stats.misses += 1
            guard let v = s.victim() else { return .exhausted }
            s.pins[Int(v)] = 1
            return .load(key, walFrame, v)
        }
        switch miss {
        case let .hit(f): return f
        case .exhausted: throw PageStoreError.bufferPoolExhausted(frames: frameCount)
        case let .load(key, walFrame, v):
            let dst = pointer(v)
            do {
                if let walFrame {
                    try wal.readPage(frame: Int(walFrame), page: page, into: dst)
                } else {
                    try readDataPage(page, into: dst)
                }
            } catch {
                state.withLock { $0.pins[Int(v)] = 0 }
                throw error
            }
            return state.withLock { s -> Int32 in
                if let existing = s.table[key] {  // another thread loaded it meanwhile
                    s.pins[Int(v)] = 0
                    s.pins[Int(existing)] += 1
                    return existing
                }
                s.table[key] = v
                s.keys[Int(v)] = key
                s.referenced[Int(v)] = true
                return v
            }
        }
    }

    func readDataPage(_ page: PageNumber, into dst: UnsafeMutableRawPointer) throws {
        let ok = try dataFile.readFully(into: UnsafeMutableRawBufferPointer(start: dst, count: pageSize),
                                        at: Int64(page.rawValue) * Int64(pageSize))
        guard ok else { throw PageStoreError.corruptPage(page, reason: "beyond the end of the data file") }
        try PageLayout.verify(dst, pageSize: pageSize, expected: page)
    }

    func unpin(_ frame: Int32) {
        state.withLock { s in
            s.pins[Int(frame)] -= 1
            assert(s.pins[Int(frame)] >= 0, "unpin of an unpinned frame")
        }
    }

    // MARK: snapshots

    func beginSnapshot() -> LSN {
        state.withLock { s in
            s.readers[s.committed.rawValue, default: 0] += 1
            s.stats.activeReaders += 1
            return s.committed
        }
    }

    /// Registers one more reader of `snapshot`, which a reader still holds (so its page
    /// versions are still kept): the new reader sees exactly what that one sees.
    func joinSnapshot(_ snapshot: LSN) -> LSN {
        state.withLock { s in
            precondition(s.readers[snapshot.rawValue, default: 0] > 0, "joining a snapshot no reader holds")
            s.readers[snapshot.rawValue, default: 0] += 1
            s.stats.activeReaders += 1
            return snapshot
        }
    }

    func endSnapshot(_ snapshot: LSN) {
        state.withLock { s in
            let n = s.readers[snapshot.rawValue, default: 0] - 1
            s.readers[snapshot.rawValue] = n > 0 ? n : nil
            s.stats.activeReaders -= 1
        }
    }

    var committed: LSN { state.withLock { $0.committed } }

    // MARK: commit and checkpoint (callers hold the writer lock)

    /// Registers recovered frames at open.
    func registerRecovered(_ frames: [WriteAheadLog.RecoveredFrame], committed: LSN) {
        state.withLock { s in
            for f in frames { s.versions[f.page.rawValue, default: []].append(PageVersion(lsn: f.lsn.rawValue, frame: Int32(f.index))) }
            s.committed = committed
            s.stats.committedLSN = committed
        }
    }

    func setCommitted(_ lsn: LSN) { state.withLock { $0.committed = lsn; $0.stats.committedLSN = lsn } }

    /// Makes a commit visible: its pages become versions `lsn`, and (up to a quarter of
    /// the pool) are copied into the cache so the next reader does not reread them.
    /// A cached older version that no reader can see any more is overwritten in place,
    /// so a stream of commits does not fill the pool with dead versions.
    func publish(lsn: LSN, firstFrame: Int, pages: [(PageNumber, UnsafeMutableRawPointer)]) {
        state.withLock { s in
            let cacheable = frameCount / 4
            let newestReader = s.readers.keys.max()
            for (i, (page, image)) in pages.enumerated() {
                let (oldKey, _) = s.lookup(page.rawValue, s.committed)
                s.versions[page.rawValue, default: []].append(PageVersion(lsn: lsn.rawValue, frame: Int32(firstFrame + i)))
                guard i < cacheable else { continue }
                var frame: Int32?
                if let old = s.table[oldKey], s.pins[Int(old)] == 0, newestReader.map({ $0 < oldKey.version }) ?? true {
                    s.table[oldKey] = nil
                    frame = old
                } else {
                    frame = s.victim()
                }
                guard let v = frame else { continue }
                pointer(v).copyMemory(from: image, byteCount: pageSize)
                let key = PageKey(page: page.rawValue, version: lsn.rawValue)
                s.table[key] = v
                s.keys[Int(v)] = key
                s.referenced[Int(v)] = true
            }
            s.committed = lsn
            s.stats.committedLSN = lsn
            s.stats.commits += 1
            s.stats.logFrames = wal.frameCount
        }
    }

    /// The newest LSN a checkpoint may copy: no reader may need an older data-file image.
    func checkpointTarget() -> LSN {
        state.withLock { s in
            var t = s.committed
            for r in s.readers.keys where r < t.rawValue { t = LSN(r) }
            return t
        }
    }

    /// Pages whose newest version ≤ target is newer than what the data file holds.
    func backfillPlan(upTo target: LSN) -> [(PageNumber, LSN)] {
        state.withLock { s in
            var plan: [(PageNumber, LSN)] = []
            for (page, list) in s.versions {
                guard let v = list.last(where: { $0.lsn <= target.rawValue }), v.lsn > s.backfilled.rawValue else { continue }
                plan.append((PageNumber(page), LSN(v.lsn)))
            }
            plan.sort { $0.0 < $1.0 }
            return plan
        }
    }

    /// After the data file holding `pages` is fsynced: their old data-file images leave the cache.
    func finishBackfill(pages: [(PageNumber, LSN)], target: LSN) {
        state.withLock { s in
            for (page, _) in pages {
                let key = PageKey(page: page.rawValue, version: 0)
                if let f = s.table[key] {
                    s.table[key] = nil
                    s.keys[Int(f)] = nil
                }
            }
            s.backfilled = target
            if !pages.isEmpty { s.stats.checkpoints += 1 }
        }
    }

    /// True when every committed version is in the data file and the log can restart.
    var isFullyBackfilled: Bool { state.withLock { $0.backfilled == $0.committed } }

    /// Forgets every log version (the log is about to restart). The cached newest
    /// version of each page is exactly its data-file image now, so it is re-keyed.
    func dropLogVersions() {
        state.withLock { s in
            for (page, list) in s.versions {
                guard let newest = list.last else { continue }
                let baseKey = PageKey(page: page, version: 0)
                if let stale = s.table[baseKey] {
                    s.table[baseKey] = nil
                    s.keys[Int(stale)] = nil
                }
                let key = PageKey(page: page, version: newest.lsn)
                if let f = s.table[key] {
                    s.table[key] = nil
                    s.table[baseKey] = f
                    s.keys[Int(f)] = baseKey
                }
            }
            s.versions.removeAll(keepingCapacity: true)
            s.stats.logFrames = 0
        }
    }

    var statistics: Statistics {
        var st = state.withLock { $0.stats }
        st.logSyncs = wal.syncCount
        return st
    }
}
