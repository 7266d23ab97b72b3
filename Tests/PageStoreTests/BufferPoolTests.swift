import Testing
import PageStore

@Suite struct BufferPoolTests {
    @Test func dataTenTimesThePool() throws {
        let fs = SimulatedFileSystem()
        var o = smallOptions(fs, pageSize: 4096, poolPages: 16)
        o.autoCheckpointFrames = 64
        let db = try Database.open(path: "/db", options: o)
        let rows = 6000
        for batch in 0..<6 {
            try db.write { tx in
                let t = try tx.openOrCreateTree(named: "t")
                for i in (batch * rows / 6)..<((batch + 1) * rows / 6) { try t.put(key(i), value(i, length: 100)) }
            }
        }
        let report = try db.verify()
        #expect(report.pageCount >= 10 * 16)
        var rng = SplitMix64(seed: 5)
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            for _ in 0..<2000 {
                let i = Int(rng.next() % UInt64(rows))
                #expect(try t.get(key(i)) == value(i, length: 100))
            }
            #expect(try contents(t).count == rows)
        }
        let s = db.statistics
        #expect(s.frames == 16)
        #expect(s.evictions > 1000)
        #expect(s.misses > 1000)
        #expect(s.hits > 0)
        try db.close()
    }

    @Test func hotDataStaysCached() throws {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem(), poolPages: 256))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<2000 { try t.put(key(i), value(i, length: 50)) }
        }
        try db.checkpoint()
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            for _ in 0..<3 { for i in 0..<2000 { _ = try t.get(key(i)) } }
        }
        let s = db.statistics
        #expect(s.hitRate > 0.95, "\(s)")
        try db.close()
    }
}
