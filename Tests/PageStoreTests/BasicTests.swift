import Testing
@testable import PageStore

@Suite struct BasicTests {
    @Test func createPutGetReopen() throws {
        let fs = SimulatedFileSystem()
        do {
            let db = try Database.open(path: "/db", options: smallOptions(fs))
            try db.write { tx in
                let t = try tx.createTree(named: "users")
                try t.put(bytes("alice"), bytes("1"))
                try t.put(bytes("bob"), bytes("2"))
            }
            try db.read { tx throws in
                let t = try #require(try tx.tree(named: "users"))
                #expect(try t.get(bytes("alice")) == bytes("1"))
                #expect(try t.get(bytes("carol")) == nil)
            }
            try db.close()
        }
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "users"))
            #expect(try t.get(bytes("bob")) == bytes("2"))
            #expect(try tx.treeNames() == ["users"])
        }
        _ = try db.verify()
        try db.close()
    }

    @Test func realFilesReopenWithoutClose() throws {
        let dir = temporaryDirectory()
        defer { removeDirectory(dir) }
        var o = Options()
        o.pageSize = 8192
        do {
            let db = try Database.open(path: dir + "/data.db", options: o)
            try db.write { tx in
                let t = try tx.createTree(named: "t")
                for i in 0..<2000 { try t.put(key(i), value(i, length: 50)) }
            }
            // no close: the log must carry the commit
        }
        let db = try Database.open(path: dir + "/data.db", options: o)
        #expect(db.pageSize == 8192)
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            for i in stride(from: 0, to: 2000, by: 37) { #expect(try t.get(key(i)) == value(i, length: 50)) }
        }
        let report = try db.verify()
        #expect(report.trees.first?.keys == 2000)
        try db.close()
    }

    @Test func rollbackLeavesNoTrace() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.write { tx in try tx.createTree(named: "t").put(bytes("a"), bytes("1")) }
        let before = try db.verify()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.write { tx in
                let t = try #require(try tx.tree(named: "t"))
                for i in 0..<500 { try t.put(key(i), value(i, length: 100)) }
                try tx.createTree(named: "u")
                throw Boom()
            }
        }
        let tx = try db.beginWrite()
        try tx.tree(named: "t")!.put(bytes("b"), bytes("2"))
        tx.rollback()
        try db.read { tx throws in
            #expect(try tx.treeNames() == ["t"])
            #expect(try contents(tx.tree(named: "t")!).map(\.0) == [bytes("a")])
        }
        let after = try db.verify()
        #expect(after.pageCount == before.pageCount)
        try db.close()
    }

    @Test func limitsHaveNamedErrors() throws {
        let fs = SimulatedFileSystem()
        var o = smallOptions(fs)
        o.maxTransactionPages = 20
        let db = try Database.open(path: "/db", options: o)
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            let big = [UInt8](repeating: 1, count: t.maxKeySize + 1)
            #expect(throws: PageStoreError.keyTooLarge(size: big.count, limit: t.maxKeySize)) { try t.put(big, []) }
            try t.put([UInt8](repeating: 2, count: t.maxKeySize), [])
        }
        #expect(throws: PageStoreError.self) {
            try db.write { tx in
                let t = try tx.tree(named: "t")!
                for i in 0..<5000 { try t.put(key(i), value(i, length: 100)) }
            }
        }
        do {
            try db.write { tx in
                let t = try tx.tree(named: "t")!
                for i in 0..<5000 { try t.put(key(i), value(i, length: 100)) }
            }
        } catch let e as PageStoreError {
            guard case let .transactionTooLarge(_, limit) = e else { Issue.record("wrong error \(e)"); return }
            #expect(limit == 20)
        }
        #expect(throws: PageStoreError.treeExists("t")) { try db.write { try $0.createTree(named: "t") } }
        #expect(throws: PageStoreError.treeNotFound("x")) { try db.write { try $0.dropTree(named: "x") } }
        try db.read { tx throws in
            #expect(throws: PageStoreError.readOnlyTransaction) { try tx.tree(named: "t")!.put([1], [1]) }
        }
        _ = try db.verify()
        try db.close()
    }

    @Test func overflowValuesCompressedAndNot() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        let plain = value(1, length: 100_000)
        let text = value(2, length: 100_000, compressible: true)
        try db.write { tx in
            let t = try tx.createTree(named: "blobs")
            try t.put(bytes("plain"), plain)
            try t.put(bytes("text"), text)
            try t.put(bytes("empty"), [])
        }
        let report = try db.verify()
        // 100 kB of noise needs 25 pages of 4 KiB; the repetitive text compresses to a few.
        #expect(report.overflowPages < 25 + 5)
        #expect(report.overflowPages >= 25)
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "blobs"))
            #expect(try t.get(bytes("plain")) == plain)
            #expect(try t.get(bytes("text")) == text)
            #expect(try t.get(bytes("empty")) == [])
        }
        try db.write { tx in
            let t = try #require(try tx.tree(named: "blobs"))
            try t.put(bytes("plain"), bytes("small now"))
            #expect(try t.delete(bytes("text")))
        }
        let after = try db.verify()
        #expect(after.overflowPages == 0)
        #expect(after.freePages > 25)
        try db.close()
    }

    @Test func dropTreeFreesEverything() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<3000 { try t.put(key(i), value(i, length: i % 50 == 0 ? 9000 : 40)) }
        }
        let full = try db.verify()
        try db.write { try $0.dropTree(named: "t") }
        let empty = try db.verify()
        #expect(empty.trees.isEmpty)
        #expect(empty.freePages == full.pageCount - 2)
        // Freed pages are reused before the file grows.
        try db.write { tx in
            let t = try tx.createTree(named: "again")
            for i in 0..<1000 { try t.put(key(i), value(i, length: 40)) }
        }
        #expect(try db.verify().pageCount == full.pageCount)
        try db.close()
    }

    @Test func pageSizesFrom4KTo64K() throws {
        for size in [4096, 16384, 65536] {
            let fs = SimulatedFileSystem()
            let db = try Database.open(path: "/db", options: smallOptions(fs, pageSize: size, poolPages: 32))
            try db.write { tx in
                let t = try tx.createTree(named: "t")
                for i in 0..<1500 { try t.put(key(i), value(i, length: 60)) }
                try t.put(bytes("big"), value(7, length: 3 * size))
            }
            try db.close()
            let again = try Database.open(path: "/db", options: smallOptions(fs, pageSize: 4096, poolPages: 32))
            #expect(again.pageSize == size)
            try again.read { tx throws in
                #expect(try tx.tree(named: "t")!.get(key(777)) == value(777, length: 60))
                #expect(try tx.tree(named: "t")!.get(bytes("big")) == value(7, length: 3 * size))
            }
            _ = try again.verify()
            try again.close()
        }
        #expect(throws: PageStoreError.self) { _ = try Database.open(path: "/x", options: smallOptions(SimulatedFileSystem(), pageSize: 3000)) }
    }
}

@Suite struct LockingTests {
    @Test func secondOpenIsRefused() throws {
        let dir = temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try Database.open(path: dir + "/x.db")
        #expect(throws: PageStoreError.locked(path: dir + "/x.db")) { _ = try Database.open(path: dir + "/x.db") }
        try db.close()
        let again = try Database.open(path: dir + "/x.db")
        try again.close()
    }
}

@Suite struct BackupTests {
    @Test func onlineBackupIsAConsistentSnapshot() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<3000 { try t.put(key(i), value(i, length: 80)) }
            try t.put(bytes("blob"), value(1, length: 50000))
            for i in 0..<1000 { try t.delete(key(3 * i)) }  // leaves free pages behind
        }
        let writer = try db.beginWrite()  // a writer in progress does not disturb the backup
        try writer.tree(named: "t")!.put(bytes("uncommitted"), [1])
        let pages = try db.backup(to: "/copy")
        writer.rollback()
        #expect(pages > 10)
        let copy = try Database.open(path: "/copy", options: smallOptions(fs))
        let report = try copy.verify()
        #expect(report.trees[0].keys == 2001)
        try copy.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            #expect(try t.get(bytes("blob")) == value(1, length: 50000))
            #expect(try t.get(bytes("uncommitted")) == nil)
            #expect(try t.get(key(4)) == value(4, length: 80))
        }
        try copy.close()
        try db.close()
    }
}

@Suite struct SavepointTests {
    @Test func ddlAndDataUndoneBySavepoint() throws {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem()))
        try db.write { tx in
            let keep = try tx.createTree(named: "keep")
            for i in 0..<300 { try keep.put(key(i), value(i, length: 100)) }
            let sp = try tx.savepoint()
            try tx.createTree(named: "x").put(bytes("a"), bytes("1"))
            try tx.dropTree(named: "keep")
            #expect(try tx.tree(named: "keep") == nil)
            try tx.rollback(to: sp)
            #expect(try tx.tree(named: "x") == nil)
            #expect(try contents(#require(try tx.tree(named: "keep"))).count == 300)
            try tx.createTree(named: "x")  // the name is free again
            // A failing "statement": half its changes made, then undone.
            let statement = try tx.savepoint()
            let t = try #require(try tx.tree(named: "keep"))
            for i in 0..<150 { try t.delete(key(i)) }
            try t.put(bytes("big"), value(1, length: 30000))
            try tx.rollback(to: statement)
            try tx.release(statement)
            #expect(try t.get(bytes("big")) == nil)
            #expect(try t.get(key(0)) == value(0, length: 100))
        }
        let report = try db.verify()
        #expect(report.trees.map(\.name) == ["keep", "x"])
        #expect(report.trees[0].keys == 300)
        try db.close()
    }
}

extension SavepointTests {
    @Test func staleSavepointHandlesAreRefused() throws {
        let db = try Database.open(path: "/db", options: smallOptions(SimulatedFileSystem()))
        try db.write { tx in
            let a = try tx.savepoint()
            let b = try tx.savepoint()
            try tx.rollback(to: a)  // discards b
            #expect(throws: PageStoreError.savepointReleased) { try tx.rollback(to: b) }
            let c = try tx.savepoint()  // reuses b's slot
            try tx.release(a)  // releases c too
            #expect(throws: PageStoreError.savepointReleased) { try tx.rollback(to: c) }
            #expect(throws: PageStoreError.savepointReleased) { try tx.release(a) }
        }
        try db.close()
    }
}

extension BackupTests {
    /// Restoring a backup over a database whose log still holds frames must not replay
    /// the old log onto the restored file.
    @Test func staleLogIsNotReplayedOntoARestoredBackup() throws {
        let fs = SimulatedFileSystem()
        do {
            let db = try Database.open(path: "/db", options: smallOptions(fs))
            try db.write { try $0.createTree(named: "t").put(bytes("v"), bytes("backed up")) }
            try db.backup(to: "/backup")
            try db.write { try $0.tree(named: "t")!.put(bytes("v"), bytes("after the backup")) }
            // no close: the last commit lives in /db-wal only
        }
        // "restore": the backup file replaces the data file, the old log stays.
        let image = fs.snapshotCurrent()
        let backup = try image.open("/backup", create: false)
        let size = try backup.size()
        var copy = [UInt8](repeating: 0, count: Int(size))
        _ = try copy.withUnsafeMutableBytes { try backup.read(into: $0, at: 0) }
        let data = try image.open("/db", create: false)
        try data.truncate(to: 0)
        try copy.withUnsafeBytes { try data.write($0, at: 0) }
        try data.sync()
        let db = try Database.open(path: "/db", options: smallOptions(image))
        try db.read { tx throws in
            #expect(try tx.tree(named: "t")?.get(Array("v".utf8)) == Array("backed up".utf8))
        }
        _ = try db.verify()
        try db.close()
    }
}
