import Foundation
import PageStore
import Testing

/// `onebox check` on a real PageStore file: clean, corrupt, and missing.
@Suite struct CheckCommandTests {
    /// A closed database with one tree of 5,000 rows (several pages deep).
    static func makeDatabase(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("db/onebox.pagestore").path
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        let database = try Database.open(path: path)
        try database.write { tx in
            let tree = try tx.createTree(named: "rows")
            for index in 0..<5_000 {
                try tree.put(Array("key-\(100_000 + index)".utf8), Array(repeating: UInt8(index & 0xFF), count: 100))
            }
        }
        try database.close()
        return path
    }

    @Test func aCleanDatabasePassesAndACorruptOneFailsNamingThePage() throws {
        let directory = try makeTemporaryDirectory("check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.makeDatabase(in: directory)

        let clean = try runTool(OneboxProcess.binary, ["check", "--state-dir", directory.path])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("rows: keys=5000"), "\(clean.output)")

        // Flip one byte in the middle of page 3.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(3 * 16384 + 8000))
        let byte = try #require(try handle.read(upToCount: 1)).first ?? 0
        try handle.seek(toOffset: UInt64(3 * 16384 + 8000))
        try handle.write(contentsOf: [byte ^ 0xFF])
        try handle.close()

        let corrupt = try runTool(OneboxProcess.binary, ["check", "--state-dir", directory.path])
        #expect(corrupt.status != 0)
        #expect(corrupt.output.contains("3"), "\(corrupt.output)")
    }

    @Test func aMissingDatabaseIsAnErrorNotANewFile() throws {
        let directory = try makeTemporaryDirectory("check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runTool(OneboxProcess.binary, ["check", "--state-dir", directory.path])
        #expect(result.status != 0)
        #expect(result.output.contains("no database"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("db/onebox.pagestore").path))
    }
}
