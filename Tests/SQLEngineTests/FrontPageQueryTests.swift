import Testing
@testable import SQLEngine

/// The statements a blog's front page runs, and the engine paths they take: a prepared
/// `ORDER BY ... LIMIT ? OFFSET ?` whose plan is reused, SUBSTRING/LEFT/RIGHT that walk only
/// the characters they return, and IN lists answered by index seeks without a per-row re-check.
@Suite struct FrontPageQueryTests {
    private func execute(_ s: Session, _ stmt: PreparedStatement, _ parameters: [SQLValue]) throws -> [[String]] {
        rowsText(try s.execute(stmt, parameters: parameters))
    }

    @Test func limitAndOffsetParametersReuseThePlan() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, at INT, KEY at_id (at, id))")
        try run(s, "INSERT INTO t VALUES (1, 10), (2, 30), (3, 20), (4, 30), (5, 5)")
        let page = try s.prepare(Array("SELECT id FROM t ORDER BY at DESC, id DESC LIMIT ? OFFSET ?".utf8))
        #expect(try execute(s, page, [.int(2), .int(0)]) == [["4"], ["2"]])
        #expect(try execute(s, page, [.int(2), .int(2)]) == [["3"], ["1"]])
        #expect(try execute(s, page, [.int(10), .int(3)]) == [["1"], ["5"]])
        #expect(try execute(s, page, [.int(0), .int(0)]) == [])
        #expect(try execute(s, page, [.uint(1), .uint(4)]) == [["5"]])
        #expect(s.planCacheHits == 3)
        // a negative count is MySQL's error, from the reused plan too
        #expect(throws: SQLError.self) { try s.execute(page, parameters: [.int(-1), .int(0)]) }
        #expect(try execute(s, page, [.int(1), .int(0)]) == [["4"]])
        // a parenthesised query's LIMIT ? (applied over its finished rows)
        let union = try s.prepare(Array("(SELECT id FROM t WHERE id < 3) UNION (SELECT id FROM t WHERE id > 3) ORDER BY id LIMIT ? OFFSET ?".utf8))
        #expect(try execute(s, union, [.int(2), .int(1)]) == [["2"], ["4"]])
        #expect(try execute(s, union, [.int(5), .int(3)]) == [["5"]])
    }

    @Test func substringLeftAndRightCountCharacters() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        func row(_ select: String) throws -> [String] { rowsText(try run(s, "SELECT " + select)).first ?? [] }
        #expect(try row("SUBSTRING('héllo wörld', 2, 4), SUBSTRING('héllo', -3), SUBSTRING('héllo', -3, 2), SUBSTRING('héllo', 0)")
                == ["éllo", "llo", "ll", ""])
        #expect(try row("SUBSTRING('héllo', 6), SUBSTRING('héllo', 5), SUBSTRING('héllo', -6), SUBSTRING('héllo', 2, 0), SUBSTRING('héllo', 2, -1)")
                == ["", "o", "", "", ""])
        #expect(try row("SUBSTRING('a€😀b', 2, 2), SUBSTRING('a€😀b', 3), SUBSTRING('abc', 1, 9223372036854775807), SUBSTRING(NULL, 1, 2)")
                == ["€😀", "😀b", "abc", "NULL"])
        #expect(try row("LEFT('héllo', 2), LEFT('héllo', 0), LEFT('héllo', 99), RIGHT('héllo', 4), RIGHT('héllo', 99), RIGHT('héllo', 0), LEFT('héllo', -1)")
                == ["hé", "", "héllo", "éllo", "héllo", "", ""])
        #expect(try row("SUBSTRING('héllo' FROM 2 FOR 2), SUBSTR('héllo', 3), MID('héllo', 2, 3)") == ["él", "llo", "éll"])
        // binary strings count bytes (MariaDB 10.11's answers)
        #expect(try row("HEX(SUBSTRING(CAST('héllo' AS BINARY), 2, 2)), HEX(LEFT(CAST('héllo' AS BINARY), 2)), HEX(RIGHT(CAST('héllo' AS BINARY), 5)), HEX(SUBSTRING(CAST('abc' AS BINARY), -2))")
                == ["C3A9", "68C3", "C3A96C6C6F", "6263"])
        // a TEXT column, prefix of a long value
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE p (id INT PRIMARY KEY, body TEXT)")
        try run(s, "INSERT INTO p VALUES (1, CONCAT(REPEAT('é', 500), 'tail')), (2, 'short')")
        #expect(rowsText(try run(s, "SELECT CHAR_LENGTH(SUBSTRING(body, 1, 400)), LENGTH(SUBSTRING(body, 1, 400)), SUBSTRING(body, 499) FROM p ORDER BY id"))
                == [["400", "800", "éétail"], ["5", "5", ""]])
    }

    @Test func inListsOnIntegerKeysAreExactSeeks() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE c (id INT PRIMARY KEY, post_id BIGINT UNSIGNED NOT NULL, n INT, KEY idx_post (post_id, n))")
        try run(s, "INSERT INTO c VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1), (4, 3, 1), (5, 3, 2), (6, 3, 3), (7, 18446744073709551615, 1)")
        let counts = try s.prepare(Array("SELECT post_id, COUNT(*) FROM c WHERE post_id IN (?, ?, ?, ?, ?) GROUP BY post_id ORDER BY post_id".utf8))
        #expect(try execute(s, counts, [.int(3), .int(1), .int(3), .int(9), .int(-1)]) == [["1", "2"], ["3", "3"]])
        #expect(try execute(s, counts, [.int(2), .int(9), .int(2), .int(2), .int(2)]) == [["2", "1"]])
        #expect(try execute(s, counts, [.int(1), .int(1), .int(1), .int(1), .int(1)]) == [["1", "2"]])
        #expect(s.planCacheHits == 2)
        #expect(try execute(s, counts, [.int(3), .null, .int(1), .int(1), .int(1)]) == [["1", "2"], ["3", "3"]])
        #expect(try execute(s, counts, [.uint(18446744073709551615), .int(1), .int(1), .int(1), .int(1)]) == [["1", "2"], ["18446744073709551615", "1"]])
        // an equality and an IN list on the same key column: both still hold
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE post_id = 3 AND post_id IN (1, 2)")) == [])
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE post_id IN (1, 2) AND post_id = 1 ORDER BY id")) == [["1"], ["2"]])
        // the second key column's condition is still checked on each row
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE post_id IN (1, 3) AND n IN (2, 3) ORDER BY id")) == [["2"], ["5"], ["6"]])
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE post_id IN (1, 3) AND n > 1 ORDER BY id")) == [["2"], ["5"], ["6"]])
        // probes that are not integers keep the per-row comparison
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE post_id IN ('2', 2.0, 1.5) ORDER BY id")) == [["3"]])
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE id = 2 AND post_id = 1")) == [["2"]])
        #expect(rowsText(try run(s, "SELECT id FROM c WHERE id IN (2, 3) AND post_id = 1")) == [["2"]])
        // a join probing an integer key with the outer row's value
        try run(s, "CREATE TABLE p (id INT PRIMARY KEY, title VARCHAR(10)); INSERT INTO p VALUES (1, 'one'), (2, 'two'), (3, 'three')")
        #expect(rowsText(try run(s, "SELECT p.title, c.id FROM c JOIN p ON p.id = c.post_id WHERE c.n = 1 ORDER BY c.id"))
                == [["one", "1"], ["two", "3"], ["three", "4"]])
        #expect(rowsText(try run(s, "SELECT p.title, COUNT(c.id) FROM p LEFT JOIN c ON c.post_id = p.id AND c.n > 1 GROUP BY p.title ORDER BY p.title"))
                == [["one", "1"], ["three", "2"], ["two", "0"]])
        // EXPLAIN still names the index as possible and says the level has a WHERE, as MySQL does
        let explain = rowsText(try run(s, "EXPLAIN SELECT post_id, COUNT(*) FROM c WHERE post_id IN (1, 3) GROUP BY post_id"))
        let line = explain.first?.joined(separator: " ") ?? ""
        #expect(line.contains("range") && line.contains("idx_post idx_post") && line.contains("Using where; Using index"), "\(line)")
    }
}
