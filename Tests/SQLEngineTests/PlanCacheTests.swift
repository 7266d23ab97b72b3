import Foundation
import Testing
@testable import SQLEngine

private func execute(_ s: Session, _ stmt: PreparedStatement, _ parameters: [SQLValue]) throws -> [[String]] {
    rowsText(try s.execute(stmt, parameters: parameters))
}

private func prepare(_ s: Session, _ sql: String) throws -> PreparedStatement {
    try s.prepare(Array(sql.utf8))
}

@Suite struct PlanCacheTests {
    @Test func reusedPlanSeesNewParametersAndNewSnapshots() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT, c VARCHAR(10), KEY k_1 (k))")
        try run(s, "INSERT INTO t VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 20, 'c')")
        let point = try prepare(s, "SELECT c FROM t WHERE id = ?")
        #expect(try execute(s, point, [.int(1)]) == [["a"]])
        #expect(try execute(s, point, [.int(3)]) == [["c"]])
        #expect(try execute(s, point, [.int(4)]) == [])
        #expect(s.planCacheHits == 2)
        // another session's commit is visible to the next execution of the cached plan
        let other = engine.makeSession(connectionID: 2, user: "root", host: "localhost")
        defer { other.close() }
        try run(other, "INSERT INTO d.t VALUES (4, 40, 'd')")
        #expect(try execute(s, point, [.int(4)]) == [["d"]])
        let range = try prepare(s, "SELECT id FROM t WHERE k BETWEEN ? AND ? ORDER BY id")
        #expect(try execute(s, range, [.int(15), .int(25)]) == [["2"], ["3"]])
        #expect(try execute(s, range, [.int(0), .int(100)]) == [["1"], ["2"], ["3"], ["4"]])
        // a parameter of another type compiles a new plan, with the same answers
        #expect(try execute(s, point, [.string(Array("2".utf8))]) == [["b"]])
        #expect(try execute(s, point, [.double(2.5)]) == [])
    }

    @Test func ddlInvalidatesCachedPlans() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT, KEY k_1 (k))")
        try run(s, "INSERT INTO t VALUES (1, 10), (2, 20)")
        let star = try prepare(s, "SELECT * FROM t WHERE k = ?")
        #expect(try execute(s, star, [.int(20)]) == [["2", "20"]])
        #expect(try execute(s, star, [.int(20)]) == [["2", "20"]])
        let hits = s.planCacheHits
        // DDL from another session changes the catalog version
        let other = engine.makeSession(connectionID: 2, user: "root", host: "localhost")
        defer { other.close() }
        try run(other, "ALTER TABLE d.t ADD COLUMN extra INT DEFAULT 7")
        #expect(try execute(s, star, [.int(20)]) == [["2", "20", "7"]])
        try run(other, "DROP INDEX k_1 ON d.t")
        #expect(try execute(s, star, [.int(10)]) == [["1", "10", "7"]])
        try run(other, "DROP TABLE d.t")
        #expect(throws: SQLError.self) { try s.execute(star, parameters: [.int(10)]) }
        #expect(s.planCacheHits == hits)
    }

    @Test func plansThatDependOnOneExecutionAreNotKept() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY)")
        try run(s, "INSERT INTO t VALUES (1), (2), (3), (4)")
        let sub = try prepare(s, "SELECT (SELECT MAX(id) FROM t WHERE id < ?)")
        #expect(try execute(s, sub, [.int(3)]) == [["2"]])
        #expect(try execute(s, sub, [.int(4)]) == [["3"]])
        try run(s, "SET @x = 2")
        let variable = try prepare(s, "SELECT id FROM t WHERE id = @x + ?")
        #expect(try execute(s, variable, [.int(0)]) == [["2"]])
        try run(s, "SET @x = 3")
        #expect(try execute(s, variable, [.int(0)]) == [["3"]])
        let escape = try prepare(s, "SELECT id FROM t WHERE 'ab' LIKE ? ESCAPE ? AND id = 1")
        #expect(try execute(s, escape, [.string(Array("a|%".utf8)), .string(Array("|".utf8))]) == [])
        #expect(try execute(s, escape, [.string(Array("a%".utf8)), .string(Array("|".utf8))]) == [["1"]])
        #expect(s.planCacheHits == 0)
    }

    /// Writers move amounts between rows in transactions; readers re-run one cached plan
    /// and must see a consistent snapshot (the same total) every time.
    @Test func cachedPlansReadConsistentSnapshotsUnderConcurrentWriters() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE a (id INT PRIMARY KEY, n INT)")
        try run(s, "INSERT INTO a VALUES " + (1...20).map { "(\($0), 100)" }.joined(separator: ", "))
        let totals = UnfairLockedArray()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let session = engine.makeSession(connectionID: UInt32(10 + i), user: "root", host: "localhost")
            defer { session.close() }
            try? session.useDatabase("d")
            if i < 2 {
                for k in 0..<30 {
                    let from = (k * 7 + i) % 20 + 1, to = (k * 3 + i + 5) % 20 + 1
                    _ = try? run(session, "BEGIN; UPDATE a SET n = n - 1 WHERE id = \(from); UPDATE a SET n = n + 1 WHERE id = \(to); COMMIT")
                }
            } else {
                guard let sum = try? session.prepare(Array("SELECT SUM(n) FROM a WHERE id BETWEEN ? AND ?".utf8)) else { return }
                for _ in 0..<60 {
                    if let r = try? session.execute(sum, parameters: [.int(1), .int(20)]) { totals.append(rowsText(r).first?.first ?? "?") }
                }
                totals.append("hits \(session.planCacheHits)")
            }
        }
        let all = totals.values
        #expect(all.filter { !$0.hasPrefix("hits") } == Array(repeating: "2000", count: 120))
        #expect(all.filter { $0.hasPrefix("hits") } == ["hits 59", "hits 59"])
    }

    @Test func textProtocolExecuteReusesToo() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, c CHAR(3))")
        try run(s, "INSERT INTO t VALUES (1, 'x'), (2, 'y')")
        try run(s, "PREPARE p FROM 'SELECT c FROM t WHERE id = ?'")
        try run(s, "SET @i = 1")
        #expect(rowsText(try run(s, "EXECUTE p USING @i")) == [["x"]])
        try run(s, "SET @i = 2")
        #expect(rowsText(try run(s, "EXECUTE p USING @i")) == [["y"]])
    }
}

@Suite struct IndexOrderTests {
    private func explain(_ s: Session, _ sql: String) throws -> [String] {
        guard case .rows(_, let rows) = try run(s, "EXPLAIN " + sql), let r = rows.first else { return [] }
        return [4, 6, 11].map { r[$0].textBytes.map { String(decoding: $0, as: UTF8.self) } ?? "NULL" }
    }

    /// A secondary index that holds every column a query reads is read without looking the
    /// rows up ("Using index"), and gives exactly the values the rows hold: every decodable
    /// type, NULLs, negative and extreme values, primary-key columns from the entry's tail.
    @Test func coveringIndexReadsGiveTheRowsValues() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE c (id INT, id2 SMALLINT, a INT, u BIGINT UNSIGNED, d DATETIME(3), dt DATE, tm TIME(2), y YEAR, b BIT(5),
              ts TIMESTAMP NULL, s VARCHAR(10), PRIMARY KEY (id, id2),
              KEY ka (a), KEY kd (d, u), KEY kt (dt, tm, y, b), KEY kts (ts), KEY ks (s));
            INSERT INTO c VALUES (1, -1, -5, 18446744073709551615, '2020-01-01 10:00:00.123', '2020-01-01', '-12:30:00.5', 1999, b'10101', '2021-02-03 04:05:06', 'x'),
              (2, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 'Y'),
              (3, 32767, 7, 5, '1999-12-31 23:59:59.999', '1000-01-01', '838:59:59', 2155, b'0', '1970-01-02 00:00:00', 'z'),
              (4, -32768, -2147483648, 9, '2020-01-01 10:00:00.123', '2020-01-01', '00:00:00', 2000, b'11111', NULL, 'x');
            CREATE TABLE plain AS SELECT * FROM c
            """)
        let queries = [
            ("SELECT a, id, id2 FROM c WHERE a IN (-5, 7, -2147483648)", "ORDER BY a, id"),
            ("SELECT a, COUNT(*) FROM c WHERE a < 0", "GROUP BY a ORDER BY a"),
            ("SELECT d, u, id FROM c WHERE d >= '1999-01-01'", "ORDER BY d, u"),
            ("SELECT dt, tm, y, b + 0, id2 FROM c WHERE dt > '0999-01-01'", "ORDER BY dt DESC, tm DESC"),
            ("SELECT ts FROM c WHERE ts > '1970-01-01 00:00:00'", "ORDER BY ts"),
        ]
        for (query, order) in queries {
            #expect(try explain(s, query)[2].hasSuffix("Using index"), "\(query)")
            // the same query on a copy without secondary indexes reads rows, and agrees
            let table = query.replacingOccurrences(of: "FROM c", with: "FROM plain")
            #expect(!(try explain(s, table)[2].contains("Using index")), "\(table)")
            #expect(rowsText(try run(s, query + " " + order)) == rowsText(try run(s, table + " " + order)), "\(query)")
        }
        #expect(rowsText(try run(s, "SELECT a, id, id2 FROM c WHERE a IN (-5, 7, -2147483648) ORDER BY a, id"))
                == [["-2147483648", "4", "-32768"], ["-5", "1", "-1"], ["7", "3", "32767"]])
        // a text column in the index, or a column outside it, means reading the row
        #expect(!(try explain(s, "SELECT s FROM c WHERE s = 'x'")[2].contains("Using index")))
        #expect(!(try explain(s, "SELECT a, s FROM c WHERE a = 7")[2].contains("Using index")))
    }

    /// `col IS NULL` seeks the index's NULL keys (soft-delete columns, tree roots) instead of
    /// scanning, and finds exactly the rows a scan finds — also in a unique index (which holds
    /// any number of NULLs), a composite one, with a range after it, and as a prepared statement.
    @Test func isNullSeeksTheIndex() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE t (id INT PRIMARY KEY, deleted_at DATETIME NULL, u INT NULL, p INT NULL, q INT,
              KEY kd (deleted_at), UNIQUE KEY ku (u), KEY kpq (p, q));
            CREATE TABLE plain (id INT PRIMARY KEY, deleted_at DATETIME NULL, u INT NULL, p INT NULL, q INT)
            """)
        var values: [String] = []
        for id in 1...200 {
            let deleted = id % 3 == 0 ? "'2026-01-\(id % 28 + 1) 00:00:00'" : "NULL"
            let u = id % 4 == 0 ? "\(id)" : "NULL"
            let p = id % 5 == 0 ? "NULL" : "\(id % 7)"
            values.append("(\(id), \(deleted), \(u), \(p), \(id % 11))")
        }
        try run(s, "INSERT INTO t VALUES " + values.joined(separator: ", ") + "; INSERT INTO plain SELECT * FROM t")
        let queries = [
            ("SELECT id FROM t WHERE deleted_at IS NULL", "kd"),
            ("SELECT id FROM t WHERE u IS NULL", "ku"),
            ("SELECT id FROM t WHERE p IS NULL AND q = 3", "kpq"),
            ("SELECT id FROM t WHERE p IS NULL AND q > 5", "kpq"),
            ("SELECT id FROM t WHERE deleted_at IS NULL AND id > 150", nil),
        ]
        for (query, key) in queries {
            let plan = try explain(s, query)
            if let key {
                #expect(plan[0] == "ref" || plan[0] == "range", "\(query): \(plan)")
                #expect(plan[1] == key, "\(query): \(plan)")
            }
            let scan = query.replacingOccurrences(of: "FROM t", with: "FROM plain")
            let expected = rowsText(try run(s, scan + " ORDER BY id"))
            #expect(!expected.isEmpty)
            #expect(rowsText(try run(s, query + " ORDER BY id")) == expected, "\(query)")
        }
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE u IS NULL")) == [["150"]])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE id IS NULL")) == [["0"]])
        // an equality and IS NULL on one column: nothing, whichever the seek uses
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE p = 3 AND p IS NULL")) == [["0"]])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE p IS NULL AND p = 3")) == [["0"]])
        // IS NOT NULL and a LEFT JOIN's anti-join (WHERE on the inner table) are not seeks on NULL
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE u IS NOT NULL")) == [["50"]])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM plain a LEFT JOIN t b ON b.u = a.id WHERE b.u IS NULL")) == [["150"]])
        let prepared = try s.prepare(Array("SELECT COUNT(*) FROM t WHERE deleted_at IS NULL AND id <= ?".utf8))
        #expect(rowsText(try s.execute(prepared, parameters: [.int(100)])) == [["67"]])
        #expect(rowsText(try s.execute(prepared, parameters: [.int(200)])) == [["134"]])
        // the NULL rows follow updates
        try run(s, "UPDATE t SET deleted_at = NOW() WHERE id <= 100 AND deleted_at IS NULL")
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE deleted_at IS NULL")) == [["67"]])
    }

    @Test func orderByLimitReadsTheIndexInOrder() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT, c VARCHAR(10), f DOUBLE, KEY k_1 (k), KEY c_1 (c))")
        var g = SystemRandomNumberGenerator()
        var rows: [(Int, Int?, String)] = []
        for id in 1...300 {
            let k: Int? = Int.random(in: 0..<8, using: &g) == 0 ? nil : Int.random(in: 0..<50, using: &g)
            let c = ["apple", "Apple", "banana", "BANANA", "cherry", "b", "B", ""][Int.random(in: 0..<8, using: &g)]
            rows.append((id, k, c))
        }
        for chunk in stride(from: 0, to: rows.count, by: 50) {
            let values = rows[chunk..<min(chunk + 50, rows.count)].map { "(\($0.0), \($0.1.map(String.init) ?? "NULL"), '\($0.2)', 0)" }
            try run(s, "INSERT INTO t (id, k, c, f) VALUES " + values.joined(separator: ", "))
        }
        #expect(try explain(s, "SELECT id FROM t ORDER BY id LIMIT 5") == ["index", "PRIMARY", ""])
        #expect(try explain(s, "SELECT id FROM t ORDER BY id DESC LIMIT 5") == ["index", "PRIMARY", "Backward index scan"])
        #expect(try explain(s, "SELECT id FROM t WHERE id BETWEEN 10 AND 20 ORDER BY id DESC") == ["range", "PRIMARY", "Using where; Backward index scan"])
        #expect(try explain(s, "SELECT id FROM t WHERE id = 10") == ["const", "PRIMARY", "Using where"])
        #expect(try explain(s, "SELECT id FROM t WHERE k = 10") == ["ref", "k_1", "Using where; Using index"])
        #expect(try explain(s, "SELECT k FROM t ORDER BY k LIMIT 5") == ["index", "k_1", "Using index"])
        #expect(try explain(s, "SELECT k FROM t ORDER BY k") == ["ALL", "NULL", "Using filesort"])
        #expect(try explain(s, "SELECT id FROM t ORDER BY f LIMIT 5") == ["ALL", "NULL", "Using filesort"])
        #expect(try explain(s, "SELECT id FROM t ORDER BY id, k LIMIT 5")[2] == "Using filesort")
        // the index order and the sort agree, NULLs, duplicates and case-insensitive text included
        for (column, limit) in [("id", 7), ("k", 40), ("c", 60), ("k", 300)] {
            for direction in ["", " DESC"] {
                let viaIndex = rowsText(try run(s, "SELECT \(column) FROM t ORDER BY \(column)\(direction) LIMIT \(limit)"))
                let sorted = rowsText(try run(s, "SELECT \(column) FROM t ORDER BY \(column)\(direction), f LIMIT \(limit)"))
                #expect(viaIndex.map { $0[0].lowercased() } == sorted.map { $0[0].lowercased() }, "\(column)\(direction)")
            }
        }
        let kRange = rowsText(try run(s, "SELECT id FROM t WHERE id > 250 ORDER BY id DESC LIMIT 3"))
        #expect(kRange == [["300"], ["299"], ["298"]])
        let all = rowsText(try run(s, "SELECT id FROM t WHERE id >= 295 ORDER BY id DESC"))
        #expect(all == (295...300).reversed().map { [String($0)] })
    }
}

/// A thread-safe list of strings for the concurrent test.
final class UnfairLockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct HashJoinTests {
    @Test func hashJoinAgreesWithNestedLoops() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d")
        try run(s, "CREATE TABLE a (id INT PRIMARY KEY, x INT, t VARCHAR(10))")
        try run(s, "CREATE TABLE b (id INT PRIMARY KEY, y BIGINT UNSIGNED, u VARCHAR(10))")
        var g = SystemRandomNumberGenerator()
        let words = ["ab", "AB", "Ab", "cd", "", "x y"]
        func value(_ n: Int) -> String { Int.random(in: 0..<6, using: &g) == 0 ? "NULL" : String(Int.random(in: 0..<n, using: &g)) }
        func word() -> String { Int.random(in: 0..<7, using: &g) == 0 ? "NULL" : "'\(words[Int.random(in: 0..<words.count, using: &g)])'" }
        try run(s, "INSERT INTO a VALUES " + (1...80).map { "(\($0), \(value(15)), \(word()))" }.joined(separator: ", "))
        try run(s, "INSERT INTO b VALUES " + (1...60).map { "(\($0), \(value(15)), \(word()))" }.joined(separator: ", "))
        func explainExtra(_ sql: String) throws -> [String] {
            guard case .rows(_, let rows) = try run(s, "EXPLAIN " + sql) else { return [] }
            return rows.map { $0[11].textBytes.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        }
        let cases: [(hash: String, loops: String)] = [
            ("SELECT a.id, b.id FROM a JOIN b ON a.x = b.y ORDER BY a.id, b.id",
             "SELECT a.id, b.id FROM a JOIN b ON a.x <= b.y AND a.x >= b.y ORDER BY a.id, b.id"),
            ("SELECT a.id, b.id FROM a, b WHERE b.u = a.t AND b.y = a.x ORDER BY a.id, b.id",
             "SELECT a.id, b.id FROM a, b WHERE b.u <= a.t AND b.u >= a.t AND b.y <= a.x AND b.y >= a.x ORDER BY a.id, b.id"),
            ("SELECT a.id, b.id FROM a LEFT JOIN b ON a.t = b.u ORDER BY a.id, b.id",
             "SELECT a.id, b.id FROM a LEFT JOIN b ON a.t <= b.u AND a.t >= b.u ORDER BY a.id, b.id"),
            ("SELECT COUNT(*) FROM a JOIN (SELECT y FROM b) AS d ON d.y = a.x",
             "SELECT COUNT(*) FROM a JOIN (SELECT y FROM b) AS d ON d.y <= a.x AND d.y >= a.x"),
        ]
        for c in cases {
            #expect(try explainExtra(c.hash).last?.contains("hash join") == true, "\(c.hash)")
            #expect(try explainExtra(c.loops).last?.contains("hash join") == false, "\(c.loops)")
            let viaHash = rowsText(try run(s, c.hash)), viaLoops = rowsText(try run(s, c.loops))
            #expect(viaHash == viaLoops, "\(c.hash)")
            #expect(!viaHash.isEmpty)
        }
    }
}
