import Testing
import PageStore

@Suite struct CorruptionTests {
    func populated() throws -> SimulatedFileSystem {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<1500 { try t.put(key(i), value(i, length: 60)) }
            try t.put(bytes("blob"), value(1, length: 20000))
        }
        try db.close()  // everything checkpointed into the data file
        return fs
    }

    @Test func flippedPageIsReportedByNumber() throws {
        let base = try populated()
        let pages = base.fileSize("/db") / 4096
        for page in 1..<pages {
            let fs = base.snapshotCurrent()
            fs.corrupt("/db", at: page * 4096 + 100 + (page * 37) % 3000, count: 1, seed: UInt64(page))
            let db = try Database.open(path: "/db", options: smallOptions(fs))
            do {
                _ = try db.verify()
                Issue.record("corruption of page \(page) not detected")
            } catch let PageStoreError.verificationFailed(problems) {
                #expect(problems.contains { $0.contains("page \(page):") || $0.contains("corrupt page \(page)") }, "\(problems)")
            }
            try? db.close()
        }
    }

    @Test func corruptHeaderPageFailsOpen() throws {
        let fs = try populated()
        fs.corrupt("/db", at: 200, count: 4, seed: 1)
        do {
            _ = try Database.open(path: "/db", options: smallOptions(fs))
            Issue.record("opened a database with a corrupt header page")
        } catch let PageStoreError.corruptPage(p, _) {
            #expect(p == PageNumber(0))
        }
        let garbage = try populated()
        garbage.corrupt("/db", at: 24, count: 8, seed: 2)  // the magic
        #expect(throws: PageStoreError.self) { _ = try Database.open(path: "/db", options: smallOptions(garbage)) }
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let base = try populated()
        let size = base.fileSize("/db")
        var rng = SplitMix64(seed: 77)
        for round in 0..<60 {
            let fs = base.snapshotCurrent()
            for _ in 0..<(1 + round % 4) {
                fs.corrupt("/db", at: Int(rng.next() % UInt64(size)), count: 1 + Int(rng.next() % 16), seed: rng.next())
            }
            guard let db = try? Database.open(path: "/db", options: smallOptions(fs)) else { continue }
            _ = try? db.verify()
            _ = try? db.read { tx in try contents(tx.tree(named: "t")!) }
            try? db.close()
        }
    }

    @Test func corruptLogTailIsDiscarded() throws {
        let fs = SimulatedFileSystem()
        do {
            let db = try Database.open(path: "/db", options: smallOptions(fs))
            try db.write { try $0.createTree(named: "t").put(bytes("a"), bytes("1")) }
            try db.write { try $0.tree(named: "t")!.put(bytes("b"), bytes("2")) }
            // no close: both commits live in the log only
        }
        let walSize = fs.fileSize("/db-wal")
        // Damage the last frame (the second commit): recovery keeps the first.
        fs.corrupt("/db-wal", at: walSize - 100, count: 4, seed: 9)
        let db = try Database.open(path: "/db", options: smallOptions(fs))
        try db.read { tx throws in
            let t = try #require(try tx.tree(named: "t"))
            #expect(try t.get(bytes("a")) == bytes("1"))
            #expect(try t.get(bytes("b")) == nil)
        }
        _ = try db.verify()
        try db.close()
    }
}

/// Pages whose checksum was recomputed after damage (a hostile or buggy writer): the
/// structure checks must still turn them into errors, never out-of-bounds access.
@Suite struct ForgedPageTests {
    func forge(_ fs: SimulatedFileSystem, page: Int, _ mutate: (UnsafeMutableRawPointer) -> Void) throws {
        let f = try fs.open("/db", create: false)
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = try buffer.withUnsafeMutableBytes { try f.read(into: $0, at: Int64(page * 4096)) }
        buffer.withUnsafeMutableBytes { b in
            mutate(b.baseAddress!)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[4...]))
            b.storeBytes(of: crc.littleEndian, toByteOffset: 0, as: UInt32.self)
        }
        try buffer.withUnsafeBytes { try f.write($0, at: Int64(page * 4096)) }
        try f.sync()
    }

    @Test func forgedNodesAreErrors() throws {
        let base = try CorruptionTests().populated()
        let pages = base.fileSize("/db") / 4096
        var rng = SplitMix64(seed: 1)
        for page in 1..<pages {
            for variant in 0..<3 {
                let fs = base.snapshotCurrent()
                try forge(fs, page: page) { p in
                    switch variant {
                    case 0: p.storeBytes(of: UInt16(60000).littleEndian, toByteOffset: 24, as: UInt16.self)  // count
                    case 1: p.storeBytes(of: UInt16(4090).littleEndian, toByteOffset: 40, as: UInt16.self)   // slot 0
                    default:
                        for _ in 0..<8 { p.storeBytes(of: UInt8(truncatingIfNeeded: rng.next()), toByteOffset: 24 + Int(rng.next() % 4000), as: UInt8.self) }
                    }
                }
                let db = try Database.open(path: "/db", options: smallOptions(fs))
                _ = try? db.verify()
                _ = try? db.read { tx in try contents(tx.tree(named: "t")!) }
                _ = try? db.write { tx in
                    let t = try tx.tree(named: "t")!
                    for i in 0..<200 { try t.delete(key(i * 7)) }
                    for i in 0..<200 { try t.put(key(i * 5 + 100_000), value(i, length: 300)) }
                }
                try? db.close()
            }
        }
    }
}
