import Testing
import PageStore
import Dispatch
import Synchronization

/// Speculative write transactions: concurrent writers on their own snapshots, replayed
/// onto the newest state at commit (`rebase`).
@Suite struct SpeculativeWriteTests {
    func makeDB(_ fs: SimulatedFileSystem = SimulatedFileSystem()) throws -> Database {
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.write { tx in _ = try tx.createTree(named: "t") }
        return db
    }

    func all(_ db: Database) throws -> [[UInt8]: [UInt8]] {
        try db.read { tx in
            var out: [[UInt8]: [UInt8]] = [:]
            for (k, v) in try contents(tx.tree(named: "t")!) { out[k] = v }
            return out
        }
    }

    @Test func concurrentWritersBothCommitAndTheLaterOneIsReplayed() throws {
        let db = try makeDB()
        let a = try db.beginSpeculativeWrite()
        let b = try db.beginSpeculativeWrite()
        try a.tree(named: "t")!.put(key(1), bytes("a"))
        try b.tree(named: "t")!.put(key(2), bytes("b"))
        // each sees only its own change
        #expect(try a.tree(named: "t")!.get(key(2)) == nil)
        #expect(try b.tree(named: "t")!.get(key(1)) == nil)
        try a.commit()
        #expect(b.isStale)
        try b.commit()
        #expect(try all(db) == [key(1): bytes("a"), key(2): bytes("b")])
        _ = try db.verify()
        try db.close()
    }

    @Test func rebaseKeepsOwnChangesAndSavepoints() throws {
        let db = try makeDB()
        let a = try db.beginSpeculativeWrite()
        let t = try a.tree(named: "t")!
        try t.put(key(1), bytes("one"))
        let sp = try a.savepoint()
        try t.put(key(2), bytes("two"))
        #expect(try t.delete(key(1)))
        try db.write { tx in try tx.tree(named: "t")!.put(key(3), bytes("three")) }
        #expect(a.isStale)
        try a.rebase()
        #expect(!a.isStale)
        #expect(try t.get(key(3)) == bytes("three"))   // the newest state
        #expect(try t.get(key(2)) == bytes("two"))     // plus its own changes
        #expect(try t.get(key(1)) == nil)
        try a.rollback(to: sp)                         // the savepoint survived the rebase
        #expect(try t.get(key(1)) == bytes("one"))
        #expect(try t.get(key(2)) == nil)
        try a.release(sp)
        try a.commit()
        #expect(try all(db) == [key(1): bytes("one"), key(3): bytes("three")])
        try db.close()
    }

    @Test func beforeChangeSeesEveryChangedKeyAndCanRefuse() throws {
        let db = try makeDB()
        let a = try db.beginSpeculativeWrite()
        let seen = Mutex<[String]>([])
        struct Refused: Error {}
        a.beforeChange = { tree, k in
            seen.withLock { $0.append("\(tree):\(k.last!)") }
            if k == key(9) { throw Refused() }
        }
        let t = try a.tree(named: "t")!
        try t.put(key(1), bytes("x"))
        #expect(try t.insert(key(1), bytes("y")) == false)   // present: still locked
        #expect(try t.update(key(2), bytes("y")) == false)   // absent: still locked
        #expect(try t.delete(key(3)) == false)
        #expect(throws: Refused.self) { try t.put(key(9), bytes("z")) }
        #expect(try t.get(key(9)) == nil)
        #expect(seen.withLock { $0 }.contains("t:1") && seen.withLock { $0 }.contains("t:2") && seen.withLock { $0 }.contains("t:3"))
        #expect(throws: PageStoreError.treeChangeInSpeculativeWrite("u")) { try a.createTree(named: "u") }
        // the finishing writes of a commit run without the hook
        try a.publishCommit { tx in try tx.tree(named: "t")!.put(key(9), bytes("final")) }.waitDurable()
        #expect(try all(db) == [key(1): bytes("x"), key(9): bytes("final")])
        try db.close()
    }

    @Test func rollbackLeavesNoTraceAndFreesTheSnapshot() throws {
        let db = try makeDB()
        let a = try db.beginSpeculativeWrite()
        for i in 0..<500 { try a.tree(named: "t")!.put(key(i), value(i, length: 100)) }
        a.rollback()
        #expect(try all(db).isEmpty)
        #expect(db.statistics.activeReaders == 0)
        try db.checkpoint()
        _ = try db.verify()
        try db.close()
    }

    /// Four threads, each owning a key range, run transactions that insert, overwrite and
    /// delete (page splits, merges and page allocation from the free list all happen in
    /// private copies that get replayed): the result equals the model, the file verifies,
    /// and it survives a reopen.
    @Test func concurrentDisjointWritersMatchTheModel() throws {
        let fs = SimulatedFileSystem()
        let db = try makeDB(fs)
        let threads = 4, transactions = 40
        let models = Mutex([[Int: [UInt8]]](repeating: [:], count: threads))
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            var rng = SplitMix64(seed: UInt64(worker) + 7)
            var model: [Int: [UInt8]] = [:]
            for n in 0..<transactions {
                do {
                    let tx = try db.beginSpeculativeWrite()
                    let t = try tx.tree(named: "t")!
                    var pending = model
                    for _ in 0..<Int(rng.next() % 30 + 1) {
                        let k = worker * 10_000 + Int(rng.next() % 400)
                        if rng.next() % 4 == 0 {
                            _ = try t.delete(key(k))
                            pending[k] = nil
                        } else {
                            let v = value(k &+ n, length: Int(rng.next() % 300) + 1)
                            try t.put(key(k), v)
                            pending[k] = v
                        }
                    }
                    if rng.next() % 5 == 0 {
                        tx.rollback()
                    } else {
                        if rng.next() % 3 == 0 && tx.isStale { try tx.rebase() }
                        try tx.commit()
                        model = pending
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker) transaction \(n): \(error)") }
                    return
                }
            }
            models.withLock { $0[worker] = model }
        }
        #expect(failures.withLock { $0 } == [])
        var expected: [[UInt8]: [UInt8]] = [:]
        for m in models.withLock({ $0 }) { for (k, v) in m { expected[key(k)] = v } }
        #expect(try all(db) == expected)
        _ = try db.verify()
        try db.close()
        let again = try Database.open(path: "/db", options: smallOptions(fs))
        #expect(try all(again) == expected)
        _ = try again.verify()
        try again.close()
    }
}
