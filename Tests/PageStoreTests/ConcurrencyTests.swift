import Testing
import PageStore
import Dispatch
import Synchronization

@Suite struct ConcurrencyTests {
    func counter(_ tx: ReadTransaction) throws -> Int {
        guard let v = try tx.tree(named: "c")?.get(bytes("n")) else { return 0 }
        return Int(String(decoding: v, as: UTF8.self))!
    }

    @Test func readModifyWriteLosesNoUpdate() throws {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem()))
        let threads = 4
        let increments = 60
        let errors = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments {
                do {
                    try db.write { tx in
                        let n = try counter(tx)
                        try tx.openOrCreateTree(named: "c").put(bytes("n"), Array(String(n + 1).utf8))
                    }
                } catch { errors.withLock { $0 += 1 } }
            }
        }
        #expect(errors.withLock { $0 } == 0)
        try db.read { tx throws in #expect(try counter(tx) == threads * increments) }
        try db.close()
    }

    @Test func transfersKeepTheTotalInEverySnapshot() throws {
        let fs = SimulatedFileSystem()
        var o = smallOptions(fs, poolPages: 24)
        o.autoCheckpointFrames = 16  // checkpoints and log restarts while readers run
        let db = try Database.open(path: "/db", options: o)
        let accounts = 300
        try db.write { tx in
            let t = try tx.createTree(named: "accounts")
            for a in 0..<accounts { try t.put(key(a), encode(100) + value(a, length: 40)) }
        }
        @Sendable func balance(_ v: [UInt8]) -> Int { v.prefix(8).reduce(0) { $0 << 8 | Int($1) } }
        @Sendable func encode(_ n: Int) -> [UInt8] { withUnsafeBytes(of: Int64(n).bigEndian) { Array($0) } }
        let failures = Mutex<[String]>([])
        let writersDone = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            var rng = SplitMix64(seed: UInt64(worker))
            if worker < 2 {
                for _ in 0..<80 {
                    do {
                        try db.write { tx in
                            let t = try tx.tree(named: "accounts")!
                            let a = key(Int(rng.next() % UInt64(accounts)))
                            let b = key(Int(rng.next() % UInt64(accounts)))
                            let amount = Int(rng.next() % 10)
                            let va = balance(try t.get(a)!)
                            try t.put(a, encode(va - amount) + value(1, length: 40))
                            let vb = balance(try t.get(b)!)
                            try t.put(b, encode(vb + amount) + value(2, length: 40))
                        }
                    } catch { failures.withLock { $0.append("writer: \(error)") } }
                }
                writersDone.add(1, ordering: .sequentiallyConsistent)
            } else {
                var rounds = 0
                while writersDone.load(ordering: .sequentiallyConsistent) < 2 || rounds < 3 {
                    rounds += 1
                    do {
                        try db.read { tx in
                            let t = try tx.tree(named: "accounts")!
                            let first = try contents(t).reduce(0) { $0 + balance($1.1) }
                            // The same snapshot read again, after writers committed more.
                            let second = try contents(t).reduce(0) { $0 + balance($1.1) }
                            if first != 100 * accounts || second != first {
                                failures.withLock { $0.append("snapshot total \(first) then \(second)") }
                            }
                        }
                    } catch { failures.withLock { $0.append("reader: \(error)") } }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        _ = try db.verify()
        #expect(db.statistics.checkpoints > 0)
        try db.close()
    }

    @Test func groupCommitSharesFsyncs() throws {
        let dir = temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try Database.open(path: dir + "/g.db", options: Options(pageSize: 4096))
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            for i in 0..<25 {
                try? db.write { tx in try tx.openOrCreateTree(named: "t\(w)").put(key(i), value(i, length: 10)) }
            }
        }
        try db.read { tx throws in
            for w in 0..<4 { #expect(try contents(tx.tree(named: "t\(w)")!).count == 25) }
        }
        let s = db.statistics
        #expect(s.commits == 100)
        #expect(s.logSyncs <= s.commits + 2)  // never more than one fsync per commit (+ checkpoint)
        try db.close()
    }
}
