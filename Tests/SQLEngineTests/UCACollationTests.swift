import Foundation
import Testing
@testable import SQLEngine

/// utf8mb4_0900_ai_ci (DUCET 9.0.0) and utf8mb4_unicode_ci (UCA 4.0.0): orderings MySQL's
/// manual and mysql-test's ctype_uca tests show, sort keys that order as the comparisons do,
/// and a database made before the UCA tables opening with its index keys rebuilt.
@Suite struct UCACollationTests {
    /// MySQL 8.0's ORDER BY under utf8mb4_0900_ai_ci: punctuation, then symbols (currency
    /// among them), digits, Latin letters (accents and case ignored, 'ß' = 'ss', 'æ' = 'ae'),
    /// Greek, Cyrillic, Hangul, Han (implicit weights, code point order).
    @Test func ducetOrder() {
        let ordered = [" ", "\t", "_", "-", ",", ";", ":", "!", "?", ".", "'", "\"", "(", ")", "[", "]", "{", "}", "@", "*", "/",
                       "\\", "&", "#", "%", "`", "^", "+", "<", "=", ">", "|", "~", "$", "€", "0", "1", "9",
                       "a", "b", "z", "α", "ω", "а", "я", "가", "나", "一", "中"]
        for (x, y) in zip(ordered, ordered.dropFirst()) {
            #expect(Collation.general.compare(Array(x.utf8), Array(y.utf8)) < 0, "\(x) < \(y)")
        }
        let words = ["x1", "a_b", "Zeta", "ab", "x-1", "a-b", "(paren", "10", "9", "€uro", "éclair", "eclipse", "Æsir", "straße", "strasse2"]
        let sorted = words.sorted { Collation.general.compare(Array($0.utf8), Array($1.utf8)) < 0 }
        #expect(sorted == ["(paren", "€uro", "10", "9", "a_b", "a-b", "ab", "Æsir", "éclair", "eclipse", "straße", "strasse2", "x-1", "x1", "Zeta"])
    }

    /// mysql-test's ctype_unicode900 result: `ORDER BY ch COLLATE utf8mb4_0900_ai_ci` over
    /// whitespace, punctuation, symbols, currency, Latin, Greek, Cyrillic, Glagolitic,
    /// Georgian, Armenian and Hiragana; and 'a' < 'a ' < 'a\t' (the space weighs least).
    @Test func mysqlTestOrder() {
        let codes: [UInt32] = [0x20, 0x09, 0x5F, 0x2DC, 0x2180, 0x24, 0x20A0, 0x61, 0xA723, 0x2AD, 0x3B1, 0x1FA9, 0x3F7,
                               0x430, 0x46A, 0x4C0, 0x2C30, 0x10D0, 0x561, 0x3041]
        let strings = codes.map { Array(String(Unicode.Scalar($0)!).utf8) }
        for (x, y) in zip(strings, strings.dropFirst()) { #expect(Collation.general.compare(x, y) < 0, "\(x) < \(y)") }
        #expect(Collation.general.compare(Array("a".utf8), Array("a ".utf8)) < 0)
        #expect(Collation.general.compare(Array("a ".utf8), Array("a\t".utf8)) < 0)
    }

    @Test func ducetEqualities() {
        func eq(_ a: String, _ b: String, _ c: Collation = .general) -> Bool { c.compare(Array(a.utf8), Array(b.utf8)) == 0 }
        #expect(eq("a", "A") && eq("a", "À") && eq("a", "á") && eq("Å", "a"))
        #expect(eq("ß", "ss") && eq("æ", "AE") && eq("œ", "oe") && eq("ﬁ", "fi") && eq("ǆ", "dž"))
        #expect(eq("ά", "α") && eq("Ω", "ω") && eq("ё", "е"))
        #expect(!eq("Й", "и") && eq("И\u{306}", "и"))   // Й is a letter of its own; no contractions: the breve is ignorable
        #expect(eq("a\u{0}b", "ab") && eq("e\u{301}", "é"))          // ignorables: NUL, combining accent
        #expect(!eq("a", "a "))                                       // NO PAD
        #expect(!eq("🍣", "🍺") && !eq("😀", "😁"))                    // the sushi-beer problem, fixed in 0900
        #expect(!eq("ß", "s"))
        #expect(Collation.general.compare(Array("o".utf8), Array("ø".utf8)) == 0)   // DUCET: ø = o at level 1
        #expect(Collation.general.compare(Array("\u{9FD6}".utf8), Array("\u{9FD5}".utf8)) > 0)  // added in Unicode 10: FBC0, after Han
        #expect(Collation.general.compare(Array("\u{1F970}".utf8), Array("\u{1F600}".utf8)) > 0)  // 🥰 (Unicode 11) unassigned in 9.0
    }

    /// utf8mb4_unicode_ci: UCA 4.0.0, PAD SPACE, supplementary characters all equal.
    @Test func unicode400() {
        func cmp(_ a: String, _ b: String) -> Int { Collation.unicodeCI.compare(Array(a.utf8), Array(b.utf8)) }
        #expect(cmp("a", "a  ") == 0 && cmp("", "   ") == 0)
        #expect(cmp("a\t", "a") < 0 && cmp("a \n", "a") < 0 && cmp("a", "a b") < 0)   // padded with spaces
        #expect(cmp("🍣", "🍺") == 0 && cmp("😀", "\u{10000}") == 0)
        #expect(cmp("ß", "ss") == 0 && cmp("Æ", "ae") > 0 && cmp("_", "-") < 0 && cmp("9", "a") < 0)
        #expect(cmp("一", "中") < 0 && cmp("中", "😀") < 0)
    }

    /// A sort key orders (memcmp) exactly as `compare`, and PAD SPACE keys as MySQL's padded
    /// comparison of the weights (a model written from the definition).
    @Test func sortKeysAgreeWithComparison() {
        let alphabet = ["a", "A", "b", " ", "  ", "\t", "\n", "ß", "s", "é", "e\u{301}", "\u{0}", "-", "_", "1", "中", "가", "😀", "🍺", "ø", "\u{FFFD}"]
        var state: UInt64 = 0x9E3779B97F4A7C15
        func random(_ n: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(n))
        }
        func make() -> [UInt8] { Array((0..<random(6)).map { _ in alphabet[random(alphabet.count)] }.joined().utf8) }
        func padded(_ a: [UInt8], _ b: [UInt8]) -> Int {
            let t = UCAWeightTable.unicode400
            func weights(_ s: [UInt8]) -> [Int] {
                s.withUnsafeBufferPointer { p in
                    var scanner = UCAScanner(t, p)
                    var out: [Int] = []
                    while case let w = scanner.next(), w >= 0 { out.append(w) }
                    return out
                }
            }
            let wa = weights(a), wb = weights(b), space = Int(t.spaceWeight)
            for i in 0..<max(wa.count, wb.count) {
                let x = i < wa.count ? wa[i] : space, y = i < wb.count ? wb[i] : space
                if x != y { return x < y ? -1 : 1 }
            }
            return 0
        }
        for _ in 0..<3000 {
            let a = make(), b = make()
            let general = Collation.general.compare(a, b)
            #expect(general == compareBytes(Collation.general.sortKey(a), Collation.general.sortKey(b)), "\(a) \(b)")
            let unicode = compareBytes(Collation.unicodeCI.sortKey(a), Collation.unicodeCI.sortKey(b))
            #expect(unicode == padded(a, b), "\(a) \(b)")
            #expect(Collation.unicodeCI.compare(a, b) == unicode, "\(a) \(b)")
            #expect((Collation.unicodeCI.sortKey(a) == Collation.unicodeCI.sortKey(b)) == (unicode == 0))
        }
    }

    @Test func likeMatchesCharacterWeights() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(rowsText(try run(s, "SELECT 'é' LIKE 'e', 'Straße' LIKE 'stra_e', 'ß' LIKE 'ss', 'ά' LIKE 'α%', '中' LIKE '_', 'x' LIKE 'X'"))
                == [["1", "1", "0", "1", "1", "1"]])
        // MariaDB and MySQL: supplementary characters are all equal under 4.0.0, but LIKE compares their code points
        #expect(rowsText(try run(s, "SELECT 'é' LIKE 'e' COLLATE utf8mb4_unicode_ci, '🍣' LIKE '🍺' COLLATE utf8mb4_unicode_ci, '🍣' LIKE '🍣' COLLATE utf8mb4_unicode_ci, '🍣' LIKE '🍺'"))
                == [["1", "0", "1", "0"]])
    }

    /// Index order, range scans and GROUP BY under both collations agree with sorting the values.
    @Test func indexesUseTheWeights() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE t (w VARCHAR(20) PRIMARY KEY, u VARCHAR(20) COLLATE utf8mb4_unicode_ci, KEY (u));
            INSERT INTO t VALUES ('a_b', 'a_b'), ('ab', 'ab '), ('a-b', 'a-b'), ('x1', 'x1'), ('x-1', 'x-1'), ('Zeta', 'zeta'), ('€', '€'), ('10', '10'), ('9', '9'), ('中', '中'), ('Ω', 'Ω')
            """)
        #expect(rowsText(try run(s, "SELECT w FROM t ORDER BY w")).flatMap { $0 } == ["€", "10", "9", "a_b", "a-b", "ab", "x-1", "x1", "Zeta", "Ω", "中"])
        #expect(rowsText(try run(s, "SELECT w FROM t WHERE w > 'a' AND w < 'y' ORDER BY w")).flatMap { $0 } == ["a_b", "a-b", "ab", "x-1", "x1"])
        #expect(rowsText(try run(s, "SELECT u FROM t WHERE u BETWEEN '0' AND 'AB' ORDER BY u")).flatMap { $0 } == ["10", "9", "a_b", "a-b", "ab "])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE u = 'AB'")) == [["1"]])
        #expect(sqlError(s, "INSERT INTO t VALUES ('ZETA', 'q')")?.code == 1062)
        #expect(sqlError(s, "INSERT INTO t VALUES ('zeta ', 'q')") == nil)   // NO PAD: a different key
    }

    /// A database written by a build with the old weights (Fixtures/collation-weights-1.pagestore.gz,
    /// made by onebox before the UCA tables: tables `legacy.words` with a VARCHAR primary key and
    /// utf8mb4_unicode_ci/utf8mb4_bin indexes, `notes` with a secondary text index, `nopk` with a
    /// hidden primary key, `clash` whose unique values 'straße' and 'strasse' are equal now).
    @Test func olderDatabaseIsRebuiltOnOpen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/collation-weights-1.pagestore.gz")
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", fixture.path]
        FileManager.default.createFile(atPath: dir + "/data.pagestore", contents: nil)
        gunzip.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/data.pagestore"))
        try gunzip.run()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)

        let expected = ["(paren", "€uro", "10", "9", "a_b", "a-b", "ab", "Æsir", "b", "éclair", "eclipse", "straße", "strasse2", "x-1", "x1", "Zeta", "ά", "ω", "一", "中"]
        for round in 0..<2 {
            let engine = try Engine.open(path: dir + "/data.pagestore", options: EngineOptions())
            let s = engine.makeSession(connectionID: 1, user: "root", host: "localhost")
            defer { s.close(); try? engine.close() }
            let notes = engine.openNotes
            if round == 0 {
                for table in ["words", "notes", "nopk"] { #expect(notes.contains { $0.contains("rebuilt the indexes of legacy.\(table) ") }) }
            } else {
                #expect(!notes.contains { $0.contains("rebuilt") })
            }
            #expect(notes.contains { $0.contains("cannot rebuild the indexes of legacy.clash") })
            #expect(engine.catalog.collationWeights == Collation.weightsVersion)
            #expect(engine.catalog.staleKeyTables == [engine.catalog.table("legacy", "clash")!.id])
            try run(s, "USE legacy")
            #expect(rowsText(try run(s, "SELECT w FROM words ORDER BY w")).flatMap { $0 } == expected)
            #expect(rowsText(try run(s, "SELECT title FROM notes FORCE INDEX (by_title) ORDER BY title")).flatMap { $0 } == expected)
            #expect(rowsText(try run(s, "SELECT title FROM nopk WHERE title >= 'a' AND title < 'c' ORDER BY title")).flatMap { $0 } == ["a_b", "a-b", "ab", "Æsir", "b"])
            #expect(rowsText(try run(s, "SELECT n FROM words WHERE w = 'STRASSE'")) == [["17"]])
            #expect(rowsText(try run(s, "SELECT w FROM words WHERE u > 'x' ORDER BY u")).flatMap { $0 } == ["x-1", "x1", "Zeta", "ά", "ω", "一", "中"])
            #expect(rowsText(try run(s, "SELECT w FROM words WHERE b < 'a' ORDER BY b")).flatMap { $0 } == ["(paren", "10", "9", "Zeta"])
            _ = try engine.database.verify()
        }
    }
}
