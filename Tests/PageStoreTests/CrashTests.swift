import Testing
import PageStore
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Crash and I/O-fault tests through `SimulatedFileSystem`: a seeded workload runs
/// until a scheduled fault; the surviving files (unsynced writes kept, dropped or torn
/// per the seed) are reopened, optionally crashing during recovery too, and must hold
/// every acknowledged commit and nothing uncommitted. Reproduce a failure from the
/// (workload, crash point, image seed) triple in its message.
@Suite struct CrashTests {
    typealias State = [[UInt8]: [UInt8]]

    struct Outcome {
        var acknowledged: State = [:]
        var inFlight: State?
        var commits = 0
    }

    static func options(_ fs: any FileSystem) -> Options {
        var o = smallOptions(fs, pageSize: 4096, poolPages: 32)
        o.autoCheckpointFrames = 24
        return o
    }

    /// Runs the workload of `seed` until it ends or an operation fails.
    static func workload(seed: UInt64, fs: SimulatedFileSystem, transactions: Int = 14) -> Outcome {
        var rng = SplitMix64(seed: seed)
        var outcome = Outcome()
        do {
            let db = try Database.open(path: "/db", options: options(fs))
            for t in 0..<transactions {
                var candidate = outcome.acknowledged
                let tx = try db.beginWrite()
                let tree = try tx.openOrCreateTree(named: "t")
                for _ in 0..<(1 + Int(rng.next() % 12)) {
                    let k = key(Int(rng.next() % 200))
                    if rng.next() % 4 == 0 {
                        try tree.delete(k)
                        candidate[k] = nil
                    } else {
                        let big = rng.next() % 15 == 0
                        let v = value(t, length: big ? 6000 : Int(rng.next() % 300), compressible: rng.next() & 1 == 0, seed: rng.next())
                        try tree.put(k, v)
                        candidate[k] = v
                    }
                }
                outcome.inFlight = candidate
                try tx.commit()
                outcome.acknowledged = candidate
                outcome.inFlight = nil
                outcome.commits += 1
                if rng.next() % 6 == 0 { try db.checkpoint() }
            }
            try db.close()
        } catch {}
        return outcome
    }

    static func read(_ fs: SimulatedFileSystem) throws -> State {
        let db = try Database.open(path: "/db", options: options(fs))
        defer { try? db.close() }
        _ = try db.verify()
        return try db.read { tx -> State in
            guard let t = try tx.tree(named: "t") else { return [:] }
            var s: State = [:]
            for (k, v) in try contents(t) { s[k] = v }
            return s
        }
    }

    static func check(_ outcome: Outcome, _ fs: SimulatedFileSystem, _ context: String) {
        do {
            let found = try read(fs)
            let ok = found == outcome.acknowledged || (outcome.inFlight != nil && found == outcome.inFlight!)
            #expect(ok, "\(context): recovered \(found.count) keys; acknowledged \(outcome.acknowledged.count), in flight \(outcome.inFlight?.count ?? -1)")
        } catch {
            Issue.record("\(context): reopen failed: \(error)")
        }
    }

    /// PAGESTORE_CRASH_WORKLOADS=N runs N workloads instead of 6 (soak).
    static let workloads: [UInt64] = {
        let n = getenv("PAGESTORE_CRASH_WORKLOADS").flatMap { Int(String(cString: $0)) } ?? 6
        return (0..<UInt64(n)).map { 11 + $0 }
    }()

    @Test(arguments: workloads)
    func crashAtManyPoints(workloadSeed: UInt64) throws {
        let probe = SimulatedFileSystem()
        let full = Self.workload(seed: workloadSeed, fs: probe)
        #expect(full.commits == 14)
        let total = probe.operationCount
        // PAGESTORE_CRASH_POINTS=2000 turns this into a soak run (thousands of crash points).
        let points = getenv("PAGESTORE_CRASH_POINTS").flatMap { Int(String(cString: $0)) } ?? 45
        let step = max(1, total / points)
        for point in stride(from: 1, through: total, by: step) {
            let fs = SimulatedFileSystem()
            fs.schedule(.crash, atOperation: point)
            let outcome = Self.workload(seed: workloadSeed, fs: fs)
            for imageSeed in [UInt64(point), UInt64(point) &* 7919] {
                var image = fs.crashImage(seed: imageSeed)
                let context = "workload \(workloadSeed), crash at op \(point), image \(imageSeed)"
                if imageSeed % 2 == 1 {
                    // Crash again during recovery, then recover from that.
                    image.schedule(.crash, atOperation: 1 + Int(imageSeed % 9))
                    _ = try? Database.open(path: "/db", options: Self.options(image))
                    image = image.crashImage(seed: imageSeed &+ 1)
                }
                Self.check(outcome, image, context)
            }
        }
    }

    @Test(arguments: [EIO, ENOSPC] as [Int32])
    func ioErrorsNeverCorrupt(errno code: Int32) throws {
        for point in stride(from: 3, through: 150, by: 7) {
            let fs = SimulatedFileSystem()
            fs.schedule(.error(errno: code), atOperation: point)
            let outcome = Self.workload(seed: UInt64(point), fs: fs)
            // The process goes on (or restarts) with the files as they are...
            Self.check(outcome, fs.crashImage(seed: 0).durableCopy(of: fs), "errno \(code) at op \(point), process restart")
            // ...or the machine loses power.
            Self.check(outcome, fs.crashImage(seed: UInt64(point)), "errno \(code) at op \(point), power loss")
        }
    }

    @Test func crashWhileCreating() throws {
        for point in 1...4 {
            let fs = SimulatedFileSystem()
            fs.schedule(.crash, atOperation: point)
            _ = try? Database.open(path: "/db", options: Self.options(fs))
            for seed in 0..<4 as Range<UInt64> {
                let image = fs.crashImage(seed: seed)
                Self.check(Outcome(), image, "crash at op \(point) of creation, image \(seed)")
            }
        }
    }

    @Test func relaxedDurabilitySurvivesProcessCrash() throws {
        let fs = SimulatedFileSystem()
        var o = Self.options(fs)
        o.durability = .relaxed(flushIntervalMilliseconds: 50)
        let db = try Database.open(path: "/db", options: o)
        for i in 0..<50 { try db.write { try $0.openOrCreateTree(named: "t").put(key(i), value(i, length: 20)) } }
        // A process crash keeps written-but-unsynced data: copy the current files.
        let image = SimulatedFileSystem().durableCopy(of: fs)
        let found = try Self.read(image)
        #expect(found.count == 50)
        try db.close()
    }
}

extension SimulatedFileSystem {
    /// The files exactly as the process left them (a process crash, not power loss).
    func durableCopy(of other: SimulatedFileSystem) -> SimulatedFileSystem {
        other.snapshotCurrent()
    }
}

/// Group commit under crashes: several threads commit concurrently (sharing fsyncs);
/// after a crash at a seeded operation, every commit a thread saw acknowledged must be
/// there, and each thread's counter must be one it actually tried to commit.
@Suite struct ConcurrentCrashTests {
    @Test func groupCommitKeepsAcknowledgedCommits() throws {
        for point in stride(from: 5, through: 400, by: 13) {
            let fs = SimulatedFileSystem()
            let db = try Database.open(path: "/db", options: CrashTests.options(fs))
            try db.write { try $0.createTree(named: "c") }
            fs.schedule(.crash, atOperation: point)
            let threads = 4
            // Per thread: the last acknowledged counter and the last attempted one.
            let progress = Mutex<[(acked: Int, attempted: Int)]>(Array(repeating: (0, 0), count: threads))
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                for n in 1...40 {
                    progress.withLock { $0[w].attempted = n }
                    do {
                        try db.write { tx in
                            let t = try tx.tree(named: "c")!
                            try t.put(key(w, prefix: "counter"), key(n))
                            try t.put(key(1000 * w + n), value(n, length: n % 3 == 0 ? 5000 : 50))
                        }
                    } catch { return }
                    progress.withLock { $0[w].acked = n }
                }
            }
            let expected = progress.withLock { $0 }
            for imageSeed in [UInt64(point), UInt64(point) + 1] {
                let image = fs.crashImage(seed: imageSeed)
                let context = "crash at op \(point), image \(imageSeed)"
                do {
                    let reopened = try Database.open(path: "/db", options: CrashTests.options(image))
                    _ = try reopened.verify()
                    try reopened.read { tx throws in
                        let t = try #require(try tx.tree(named: "c"), "\(context)")
                        for w in 0..<threads {
                            let found = try t.get(key(w, prefix: "counter")).map { $0.suffix(4).reduce(0) { $0 << 8 | Int($1) } } ?? 0
                            #expect(found >= expected[w].acked && found <= expected[w].attempted,
                                    "\(context): thread \(w) has \(found), acknowledged \(expected[w].acked), attempted \(expected[w].attempted)")
                            for n in stride(from: 1, through: found, by: 1) {
                                #expect(try t.get(key(1000 * w + n)) != nil, "\(context): thread \(w) row \(n) missing")
                            }
                        }
                    }
                    try reopened.close()
                } catch {
                    Issue.record("\(context): \(error)")
                }
            }
        }
    }
}
