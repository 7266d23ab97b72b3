import Foundation
import SQLLogicTest
import Testing

/// Runs a sample of shared/slt/quick.txt in-process (the full corpus runs through the
/// release-built `slt` tool: docs/mysql-compatibility.md). Every file must pass ≥ 99%.
@Suite struct SLTSampleTests {
    static var sltDirectory: String {
        if let env = ProcessInfo.processInfo.environment["SLT_DIR"] { return env }
        // Tests/SQLEngineTests/<file> → repository root → ../shared/slt
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sibling = repo.deletingLastPathComponent().appendingPathComponent("shared/slt").path
        if FileManager.default.fileExists(atPath: sibling) { return sibling }
        return "/work/shared/slt"
    }

    /// The small files of quick.txt (evidence/ and one random/ file); debug builds stay fast.
    static let sample = [
        "corpus/evidence/in1.test", "corpus/evidence/in2.test", "corpus/evidence/slt_lang_createview.test",
        "corpus/evidence/slt_lang_droptable.test", "corpus/evidence/slt_lang_dropview.test", "corpus/evidence/slt_lang_replace.test",
        "corpus/evidence/slt_lang_update.test", "corpus/index/between/10/slt_good_1.test",
    ]

    @Test(arguments: sample)
    func file(_ path: String) throws {
        let full = Self.sltDirectory + "/" + path
        try #require(FileManager.default.fileExists(atPath: full), "sqllogictest corpus not found at \(full) (set SLT_DIR)")
        let r = SLTRunner.run(file: full)
        #expect(r.error == nil)
        let total = r.passed + r.failed
        #expect(total > 0)
        #expect(Double(r.passed) >= 0.99 * Double(total), "\(path): \(r.passed)/\(total)\n\(r.failures.prefix(5).joined(separator: "\n"))")
    }
}
