import Backup
import Foundation
import LZ4
import PageStore
import Testing

/// Backup files end to end on real files: write, verify, restore, corrupt.
@Suite struct BackupFileTests {
    @Test func roundTripOfAPopulatedDatabase() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try populated(dir + "/source.db")
        let summary = try BackupWriter.write(try db.beginBackup(), to: dir + "/b.lz4", serverVersion: "test", sourcePath: db.path,
                                             chunkPages: 7)
        // Written after the snapshot: not in the backup.
        try db.write { try $0.tree(named: "t")!.put(key(999_999), Array("later".utf8)) }
        try db.close()
        #expect(summary.manifest.pageCount > 3 * 7)  // several chunks of 7 pages
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.lz4.partial"))

        let manifest = try BackupRestorer.restore(from: dir + "/b.lz4", into: dir + "/state", databaseFile: dir + "/state/db/x.db")
        #expect(manifest == summary.manifest)
        let copy = try Database.open(path: dir + "/state/db/x.db")
        defer { try? copy.close() }
        let report = try copy.verify()
        #expect(report.trees.map(\.name) == ["t", "u"])
        try copy.read { tx in
            let t = try #require(try tx.tree(named: "t"))
            for i in stride(from: 0, to: 4000, by: 1) where i % 3 != 0 {
                #expect(try t.get(key(i)) == value(i))
            }
            #expect(try t.get(key(3)) == nil)
            #expect(try t.get(key(999_999)) == nil)
            #expect(try tx.tree(named: "u")!.get(Array("big".utf8)) == Array(repeating: 7, count: 100_000))
        }
    }

    @Test func everyCorruptByteIsDetected() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try populated(dir + "/source.db")
        _ = try BackupWriter.write(try db.beginBackup(), to: dir + "/b.lz4", serverVersion: "test", sourcePath: db.path)
        try db.close()
        let original = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.lz4"))
        // The frame header, the manifest, page data, the trailer, the frame's checksum.
        let positions = [5, 20, original.count / 3, original.count / 2, original.count - 30, original.count - 2]
        for (n, position) in positions.enumerated() {
            var damaged = original
            damaged[position] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: dir + "/bad.lz4"))
            let target = dir + "/state\(n)"
            #expect(throws: BackupError.self) {
                _ = try BackupRestorer.restore(from: dir + "/bad.lz4", into: target, databaseFile: target + "/db/x.db")
            }
            #expect(!FileManager.default.fileExists(atPath: target + "/db/x.db"))
            #expect(!FileManager.default.fileExists(atPath: target + "/db/x.db.restoring"))
            #expect(!FileManager.default.fileExists(atPath: target))  // left as it was: missing
            #expect(throws: BackupError.self) { _ = try BackupRestorer.verify(dir + "/bad.lz4") }
        }
        // Truncated anywhere.
        for cut in [10, original.count / 2, original.count - 1] {
            try original.prefix(cut).write(to: URL(fileURLWithPath: dir + "/short.lz4"))
            #expect(throws: BackupError.self) { _ = try BackupRestorer.verify(dir + "/short.lz4") }
        }
        // Something after the frame.
        try (original + Data([0x04, 0x22, 0x4D, 0x18])).write(to: URL(fileURLWithPath: dir + "/long.lz4"))
        #expect(throws: BackupError.self) { _ = try BackupRestorer.verify(dir + "/long.lz4") }
        #expect(try BackupRestorer.verify(dir + "/b.lz4").pageCount > 0)
    }

    @Test func aCorruptChunkIsNamedInTheError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try populated(dir + "/source.db")
        _ = try BackupWriter.write(try db.beginBackup(), to: dir + "/b.lz4", serverVersion: "test", sourcePath: db.path)
        try db.close()
        // Damage the decompressed stream, then recompress it with a valid frame: only
        // the chunk's own CRC-32C can tell.
        var plain = try Array(LZ4Frame.decompress(Data(contentsOf: URL(fileURLWithPath: dir + "/b.lz4"))))
        plain[plain.count / 2] ^= 1
        try Data(LZ4Frame.compress(plain)).write(to: URL(fileURLWithPath: dir + "/bad.lz4"))
        do {
            _ = try BackupRestorer.verify(dir + "/bad.lz4")
            Issue.record("corruption not detected")
        } catch let error as BackupError {
            #expect("\(error)".contains("CRC-32C mismatch"))
            #expect("\(error)".contains("chunk"))
        }
    }

    @Test func restoreRefusesANonEmptyDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try populated(dir + "/source.db")
        _ = try BackupWriter.write(try db.beginBackup(), to: dir + "/b.lz4", serverVersion: "test", sourcePath: db.path)
        try db.close()
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/state/keep", contents: Data("x".utf8))
        #expect(throws: BackupError.targetNotEmpty(path: dir + "/state")) {
            _ = try BackupRestorer.restore(from: dir + "/b.lz4", into: dir + "/state", databaseFile: dir + "/state/db/x.db")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/state") == ["keep"])
    }

    @Test func notABackupIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(LZ4Frame.compress(Array("hello, world".utf8))).write(to: URL(fileURLWithPath: dir + "/x.lz4"))
        #expect(throws: BackupError.self) { _ = try BackupRestorer.verify(dir + "/x.lz4") }
        try Data("plain text".utf8).write(to: URL(fileURLWithPath: dir + "/y"))
        #expect(throws: BackupError.self) { _ = try BackupRestorer.verify(dir + "/y") }
    }

    // MARK: helpers

    func populated(_ path: String) throws -> Database {
        let db = try Database.open(path: path)
        try db.write { tx in
            let t = try tx.createTree(named: "t")
            for i in 0..<4000 { try t.put(key(i), value(i)) }
            for i in stride(from: 0, to: 4000, by: 3) { try t.delete(key(i)) }  // free pages
            try tx.createTree(named: "u").put(Array("big".utf8), Array(repeating: 7, count: 100_000))
        }
        return db
    }

    func key(_ i: Int) -> [UInt8] { Array(String(format: "k%08d", i).utf8) }
    func value(_ i: Int) -> [UInt8] { Array(String(repeating: "v\(i),", count: 20).utf8) }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "onebox-backup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
