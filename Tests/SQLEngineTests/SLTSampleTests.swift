import Foundation
import SQLLogicTest
import Testing

/// Runs a sample of shared/slt/quick.txt in-process (the full corpus runs through the
/// release-built `slt` tool: docs/mysql-compatibility.md). Every file must pass ≥ 99%, counting
/// the records of shared/slt/mariadb-failures.txt (where the corpus, from SQLite, disagrees with
/// MySQL — e.g. MySQL's views are updatable) as passed when they fail.
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
        let known = Self.knownDisagreements(path)
        let mysqlCorrect = r.failedLines.filter(known.contains).count
        #expect(Double(r.passed + mysqlCorrect) >= 0.99 * Double(total), "\(path): \(r.passed)/\(total)\n\(r.failures.prefix(5).joined(separator: "\n"))")
    }

    /// Lines of `path`'s records listed in shared/slt/mariadb-failures.txt (`path:line  # why`).
    static func knownDisagreements(_ path: String) -> Set<Int> {
        guard let text = try? String(contentsOfFile: sltDirectory + "/mariadb-failures.txt", encoding: .utf8) else { return [] }
        let relative = path.hasPrefix("corpus/") ? String(path.dropFirst("corpus/".count)) : path
        var lines = Set<Int>()
        for entry in text.split(separator: "\n") {
            let ref = entry.split(separator: "#", maxSplits: 1).first?.split(separator: " ").first.map(String.init) ?? ""
            guard let colon = ref.lastIndex(of: ":"), ref[..<colon] == relative, let n = Int(ref[ref.index(after: colon)...]) else { continue }
            lines.insert(n)
        }
        return lines
    }
}
