import Testing
import PageStore

@Suite struct CursorTests {
    /// Even numbers 0, 2, ..., 2(n-1) in a tree deep enough to have several levels.
    func makeDB(n: Int) throws -> Database {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem()))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<n { try t.put(key(2 * i), value(i, length: 30)) }
        }
        return db
    }

    @Test func seekModesAgainstModel() throws {
        let n = 3000
        let db = try makeDB(n: n)
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            let c = t.makeCursor()
            for target in [-1, 0, 1, 2, 3, 1001, 1002, 2 * n - 3, 2 * n - 2, 2 * n - 1, 2 * n, 5 * n] {
                let k = target < 0 ? [] : key(target)
                func expect(_ mode: SeekMode, _ want: Int?) throws {
                    let found = try c.seek(k, mode)
                    if let want {
                        #expect(found && c.key == key(want), "\(mode) \(target)")
                        #expect(try c.value() == value(want / 2, length: 30))
                    } else {
                        #expect(!found, "\(mode) \(target)")
                    }
                }
                let t = max(target, -1)
                let ge = t <= 0 ? 0 : (t % 2 == 0 ? t : t + 1)
                let gt = t < 0 ? 0 : (t % 2 == 0 ? t + 2 : t + 1)
                let le = t % 2 == 0 ? t : t - 1
                let lt = t % 2 == 0 ? t - 2 : t - 1
                let maxKey = 2 * (n - 1)
                try expect(.greaterOrEqual, ge <= maxKey ? ge : nil)
                try expect(.greater, gt <= maxKey ? gt : nil)
                try expect(.lessOrEqual, le >= 0 ? min(le, maxKey) : nil)
                try expect(.less, lt >= 0 ? min(lt, maxKey) : nil)
            }
        }
        try db.close()
    }

    @Test func scanBothWaysAndTurnAround() throws {
        let n = 2500
        let db = try makeDB(n: n)
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            let c = t.makeCursor()
            var seen = 0
            var ok = try c.first()
            while ok { #expect(c.key == key(2 * seen)); seen += 1; ok = try c.next() }
            #expect(seen == n)
            ok = try c.last()
            while ok { seen -= 1; #expect(c.key == key(2 * seen)); ok = try c.previous() }
            #expect(seen == 0)
            // Zig-zag across leaf boundaries.
            #expect(try c.seek(key(1000)))
            for _ in 0..<300 { try c.next() }
            #expect(c.key == key(1600))
            for _ in 0..<500 { try c.previous() }
            #expect(c.key == key(600))
        }
        try db.close()
    }

    @Test func zeroCopyAccess() throws {
        let db = try makeDB(n: 100)
        try db.write { tx in try tx.tree(named: "t")!.put(bytes("big"), value(9, length: 20000)) }
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            #expect(try t.withValue(key(20)) { $0.map(Array.init) } == value(10, length: 30))
            #expect(try t.withValue(key(21)) { $0 == nil })
            #expect(try t.withValue(bytes("big")) { $0.map(Array.init) } == value(9, length: 20000))
            let c = t.makeCursor()
            var ok = try c.first()
            var n = 0
            while ok {
                try c.withCurrent { k, v throws in
                    #expect(Array(k) == c.key)
                    #expect(Array(v) == (try c.value()))
                }
                n += 1
                ok = try c.next()
            }
            #expect(n == 101)
        }
        try db.close()
    }

    @Test func emptyTreeAndSingleKey() throws {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem()))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            let c = t.makeCursor()
            #expect(try !c.first())
            #expect(try !c.last())
            #expect(try !c.seek([], .greaterOrEqual))
            try t.put(bytes("only"), bytes("1"))
            #expect(try c.first() && c.key == bytes("only"))
            #expect(try !c.next())
            #expect(try c.seek(bytes("zzz"), .less) && c.key == bytes("only"))
            #expect(try !c.seek(bytes("only"), .less))
        }
        try db.close()
    }

    @Test func cursorSurvivesChangesInWriteTransaction() throws {
        let db = try makeDB(n: 1000)
        try db.write { tx in
            let t = try #require(try tx.tree(named: "t"))
            let c = t.makeCursor()
            var ok = try c.first()
            var visited = 0
            while ok {
                visited += 1
                // Delete every visited key and insert a key just after it (odd): the
                // cursor must visit the inserted keys too, each once.
                let k = c.key
                try t.delete(k)
                let n = Int(k.suffix(4).reduce(0) { $0 << 8 | Int($1) })
                if n % 2 == 0 && n < 200 { try t.put(key(n + 1), []) }
                ok = try c.next()
            }
            #expect(visited == 1000 + 100)
            #expect(try contents(t).isEmpty)
        }
        _ = try db.verify()
        try db.close()
    }

    @Test func readerSeesSnapshotWhileWriterChanges() throws {
        let db = try makeDB(n: 500)
        let reader = try db.beginRead()
        let c = try #require(try reader.tree(named: "t")).makeCursor()
        #expect(try c.first())
        try db.write { tx in
            let t = try #require(try tx.tree(named: "t"))
            for i in 0..<500 { try t.delete(key(2 * i)) }
        }
        try db.checkpoint()  // may not copy past the reader's snapshot
        var count = 1
        while try c.next() { count += 1 }
        #expect(count == 500)
        reader.end()
        try db.read { tx throws in #expect(try contents(tx.tree(named: "t")!).isEmpty) }
        try db.checkpoint()
        #expect(db.statistics.logFrames == 0)
        _ = try db.verify()
        try db.close()
    }
}
