import Testing
import PageStore

/// Random operations against a model (a Swift dictionary kept in key order when
/// compared), with commits, rollbacks, cursors and close/reopen in between. Every
/// failure names its seed.
@Suite struct ModelTests {
    struct Model {
        var committed: [[UInt8]: [UInt8]] = [:]
        var pending: [[UInt8]: [UInt8]] = [:]
        func sortedKeys(_ d: [[UInt8]: [UInt8]]) -> [[UInt8]] { d.keys.sorted { $0.lexicographicallyPrecedes($1) } }
    }

    static func randomValue(_ rng: inout SplitMix64, _ n: Int) -> [UInt8] {
        let r = rng.next() % 100
        let length: Int
        if r < 70 { length = Int(rng.next() % 60) } else if r < 92 { length = 100 + Int(rng.next() % 900) } else if r < 97 {
            length = 1000 + Int(rng.next() % 3000)
        } else { length = 5000 + Int(rng.next() % 30000) }
        return value(n, length: length, compressible: rng.next() & 1 == 0, seed: rng.next())
    }

    static func randomKey(_ rng: inout SplitMix64, space: Int) -> [UInt8] {
        let n = Int(rng.next() % UInt64(space))
        // Variable-length keys sharing prefixes stress separators and ordering.
        switch n % 4 {
        case 0: return key(n)
        case 1: return key(n, prefix: "k") + [UInt8](repeating: UInt8(n % 251), count: n % 40)
        case 2: return Array("user/\(n)".utf8)
        default: return [UInt8](repeating: UInt8(n % 256), count: 1 + n % 300)
        }
    }

    func check(_ tree: Tree, against model: [[UInt8]: [UInt8]], seed: UInt64) throws {
        let expected = Model().sortedKeys(model)
        let actual = try contents(tree)
        #expect(actual.count == expected.count, "seed \(seed)")
        for (i, (k, v)) in actual.enumerated() where i < expected.count {
            if k != expected[i] || v != model[k] {
                Issue.record("seed \(seed): mismatch at \(i)")
                return
            }
        }
    }

    @discardableResult
    func run(seed: UInt64, operations: Int, keySpace: Int, pageSize: Int = 4096, allowWipe: Bool = true, verifyEachCommit: Bool = false) throws -> VerificationReport {
        var rng = SplitMix64(seed: seed)
        var fs = SimulatedFileSystem()
        var options = smallOptions(fs, pageSize: pageSize, poolPages: 64)
        options.autoCheckpointFrames = 100
        options.verifyAfterCommit = verifyEachCommit
        var db = try Database.open(path: "/db", options: options)
        try db.write { try $0.createTree(named: "t") }
        var model = Model()
        var tx = try db.beginWrite()
        var tree = try tx.tree(named: "t")!
        var done = 0
        var savepoints: [(Savepoint, [[UInt8]: [UInt8]])] = []
        while done < operations {
            done += 1
            let r = rng.next() % 1000
            if r < 450 {
                let k = Self.randomKey(&rng, space: keySpace)
                let v = Self.randomValue(&rng, done)
                try tree.put(k, v)
                model.pending[k] = v
            } else if r < 800 {
                // delete: usually a present key
                let k: [UInt8]
                if !model.pending.isEmpty && rng.next() % 4 != 0 {
                    k = model.pending.keys[model.pending.index(model.pending.startIndex, offsetBy: Int(rng.next() % UInt64(model.pending.count)))]
                } else { k = Self.randomKey(&rng, space: keySpace) }
                let existed = try tree.delete(k)
                #expect(existed == (model.pending[k] != nil), "seed \(seed) op \(done)")
                model.pending[k] = nil
            } else if r < 900 {
                let k = Self.randomKey(&rng, space: keySpace)
                #expect(try tree.get(k) == model.pending[k], "seed \(seed) op \(done)")
            } else if r < 915 {
                savepoints.append((try tx.savepoint(), model.pending))
            } else if r < 925 {
                if let (sp, saved) = savepoints.last {
                    if rng.next() % 3 == 0 {
                        try tx.release(sp)
                        savepoints.removeLast()
                    } else {
                        try tx.rollback(to: sp)
                        model.pending = saved
                        tree = try tx.tree(named: "t")!
                    }
                }
            } else if r < 960 {
                savepoints.removeAll()
                try tx.commit()
                model.committed = model.pending
                tx = try db.beginWrite()
                tree = try tx.tree(named: "t")!
            } else if r < 975 {
                savepoints.removeAll()
                tx.rollback()
                model.pending = model.committed
                tx = try db.beginWrite()
                tree = try tx.tree(named: "t")!
            } else if r < 985 && allowWipe {
                // delete everything (to empty), through a cursor
                let c = tree.makeCursor()
                var ok = try c.first()
                while ok {
                    try tree.delete(c.key)
                    ok = try c.next()
                }
                model.pending = [:]
                try check(tree, against: [:], seed: seed)
            } else if r < 993 {
                savepoints.removeAll()
                try tx.commit()
                model.committed = model.pending
                if rng.next() & 1 == 0 {
                    try db.close()
                } else {
                    // A process crash: the files as they are, the old instance abandoned.
                    fs = fs.snapshotCurrent()
                    options.fileSystem = fs
                }
                db = try Database.open(path: "/db", options: options)
                try check(try db.beginRead().tree(named: "t")!, against: model.committed, seed: seed)
                _ = try db.verify()
                tx = try db.beginWrite()
                tree = try tx.tree(named: "t")!
            } else {
                try check(tree, against: model.pending, seed: seed)
            }
        }
        try tx.commit()
        model.committed = model.pending
        try db.read { tx throws in try check(tx.tree(named: "t")!, against: model.committed, seed: seed) }
        let report = try db.verify()
        #expect(report.trees.first?.keys == model.committed.count, "seed \(seed)")
        try db.close()
        return report
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomOperations(seed: UInt64) throws {
        try run(seed: seed, operations: 2500, keySpace: 800)
    }

    @Test func manyKeysDeepTree() throws {
        let report = try run(seed: 99, operations: 5000, keySpace: 3000, pageSize: 4096, allowWipe: false)
        #expect(report.overflowPages > 0)
    }

    /// Long shared-prefix keys keep fan-out low: a three-level tree from a few thousand
    /// keys, filled and emptied in random order, merging all the way back to one leaf.
    @Test func deepTreeFillAndDrain() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs, pageSize: 4096, poolPages: 64))
        let prefix = [UInt8](repeating: 0x61, count: 180)
        var order = Array(0..<4000)
        var rng = SplitMix64(seed: 3)
        order.shuffle(using: &rng)
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in order { try t.put(prefix + key(i), value(i, length: 8)) }
        }
        let full = try db.verify()
        #expect(full.trees[0].depth >= 3, "\(full)")
        order.shuffle(using: &rng)
        for chunk in 0..<4 {
            try db.write { tx in
                let t = try tx.tree(named: "t")!
                for i in order[(chunk * 1000)..<((chunk + 1) * 1000)] { #expect(try t.delete(prefix + key(i))) }
            }
            let r = try db.verify()
            #expect(r.trees[0].keys == 4000 - 1000 * (chunk + 1))
        }
        let empty = try db.verify()
        #expect(empty.trees[0].depth == 1)
        #expect(empty.trees[0].pages == 1)
        #expect(empty.freePages == full.pageCount - 3)
        try db.close()
    }

    /// Whole-file verification after every commit: no commit may leave a broken tree,
    /// free list or page accounting behind, even transiently between checks.
    @Test func verifyAfterEveryCommit() throws {
        try run(seed: 5, operations: 1500, keySpace: 500, verifyEachCommit: true)
    }

    @Test func largePages() throws {
        try run(seed: 7, operations: 1500, keySpace: 600, pageSize: 65536)
    }
}

/// Many trees created, filled, dropped and recreated (DDL), with savepoints and
/// rollbacks, against a model of the whole catalog.
@Suite struct CatalogModelTests {
    @Test(arguments: [21, 22] as [UInt64])
    func treesComeAndGo(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs, poolPages: 48))
        var committed: [String: [[UInt8]: [UInt8]]] = [:]
        for round in 0..<150 {
            var model = committed
            let tx = try db.beginWrite()
            var saved: (Savepoint, [String: [[UInt8]: [UInt8]]])?
            for _ in 0..<(1 + Int(rng.next() % 10)) {
                let name = "t\(rng.next() % 4)"
                switch rng.next() % 10 {
                case 0, 1:
                    if model[name] == nil {
                        try tx.createTree(named: name)
                        model[name] = [:]
                    } else {
                        #expect(throws: PageStoreError.treeExists(name)) { try tx.createTree(named: name) }
                    }
                case 2:
                    if model[name] != nil {
                        try tx.dropTree(named: name)
                        model[name] = nil
                    }
                case 3:
                    saved = (try tx.savepoint(), model)
                case 4:
                    if let (sp, m) = saved {
                        try tx.rollback(to: sp)
                        model = m
                    }
                default:
                    guard model[name] != nil, let t = try tx.tree(named: name) else { continue }
                    for _ in 0..<(Int(rng.next() % 80)) {
                        let k = key(Int(rng.next() % 400))
                        if rng.next() % 3 == 0 {
                            try t.delete(k)
                            model[name]![k] = nil
                        } else {
                            let v = value(round, length: rng.next() % 20 == 0 ? 9000 : Int(rng.next() % 200), seed: rng.next())
                            try t.put(k, v)
                            model[name]![k] = v
                        }
                    }
                }
            }
            if rng.next() % 5 == 0 {
                tx.rollback()
            } else {
                try tx.commit()
                committed = model
            }
            try db.read { tx throws in
                #expect(try tx.treeNames() == committed.keys.sorted(), "seed \(seed) round \(round)")
                for (name, contentsModel) in committed {
                    let t = try #require(try tx.tree(named: name))
                    let found = try contents(t)
                    #expect(found.count == contentsModel.count, "seed \(seed) round \(round) tree \(name)")
                    for (k, v) in found where contentsModel[k] != v {
                        Issue.record("seed \(seed) round \(round) tree \(name): wrong value")
                        break
                    }
                }
            }
            _ = try db.verify()
        }
        try db.close()
    }
}
