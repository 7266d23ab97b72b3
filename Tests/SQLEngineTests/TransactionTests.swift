import Foundation
import Testing
@testable import SQLEngine

@Suite struct TransactionTests {
    @Test func rollbackUndoesAndFailedStatementUndoesOnlyItself() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, v INT)")
        try run(s, "BEGIN; INSERT INTO t VALUES (1, 10); ROLLBACK")
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t")) == [["0"]])
        try run(s, "START TRANSACTION; INSERT INTO t VALUES (1, 10)")
        #expect(s.inTransaction)
        // a multi-row insert failing half-way leaves nothing of itself, keeps the earlier row
        #expect(sqlError(s, "INSERT INTO t VALUES (2, 20), (1, 30)")?.code == 1062)
        try run(s, "COMMIT")
        #expect(rowsText(try run(s, "SELECT id, v FROM t ORDER BY id")) == [["1", "10"]])
    }

    @Test func savepoints() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY)")
        try run(s, "BEGIN; INSERT INTO t VALUES (1); SAVEPOINT a; INSERT INTO t VALUES (2); ROLLBACK TO SAVEPOINT a; INSERT INTO t VALUES (3); COMMIT")
        #expect(rowsText(try run(s, "SELECT id FROM t ORDER BY id")) == [["1"], ["3"]])
        #expect(sqlError(s, "ROLLBACK TO SAVEPOINT nope")?.code == 1305)
    }

    @Test func readersSeeCommittedSnapshotsAndWritersWait() throws {
        let (engine, a, _) = try makeEngine()
        let b = engine.makeSession(connectionID: 2, user: "root", host: "localhost")
        defer { a.close(); b.close(); try? engine.close() }
        try run(a, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, n INT); INSERT INTO t VALUES (1, 0)")
        try b.useDatabase("d")
        try run(a, "BEGIN; UPDATE t SET n = 5 WHERE id = 1")
        // b reads the committed value, not a's uncommitted one
        #expect(rowsText(try run(b, "SELECT n FROM t")) == [["0"]])
        // b's write waits for a's transaction and gives up after innodb_lock_wait_timeout
        try run(b, "SET innodb_lock_wait_timeout = 1")
        #expect(sqlError(b, "UPDATE t SET n = 7")?.code == 1205)
        try run(a, "COMMIT")
        try run(b, "UPDATE t SET n = n + 1")
        #expect(rowsText(try run(a, "SELECT n FROM t")) == [["6"]])
    }

    @Test func concurrentIncrementsLoseNothing() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE c (id INT PRIMARY KEY, n INT); INSERT INTO c VALUES (1, 0)")
        let threads = 4, per = 25
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            let session = engine.makeSession(connectionID: UInt32(10 + i), user: "root", host: "localhost")
            defer { session.close() }
            try? session.useDatabase("d")
            for _ in 0..<per { _ = try? run(session, "UPDATE c SET n = n + 1 WHERE id = 1") }
        }
        #expect(rowsText(try run(s, "SELECT n FROM c")) == [["\(threads * per)"]])
    }

    @Test func dataSurvivesReopen() throws {
        let (engine, s, dir) = try makeEngine()
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(10), KEY (name)); INSERT INTO t (name) VALUES ('x'), ('y')")
        s.close()
        try engine.close()
        let again = try Engine.open(path: dir + "/data.pagestore", options: EngineOptions())
        let s2 = again.makeSession(connectionID: 1, user: "root", host: "localhost")
        defer { s2.close(); try? again.close() }
        try s2.useDatabase("d")
        try run(s2, "INSERT INTO t (name) VALUES ('z')")
        #expect(rowsText(try run(s2, "SELECT id, name FROM t WHERE name >= 'Y' ORDER BY id")) == [["2", "y"], ["3", "z"]])
    }
}

@Suite struct SemanticsTests {
    @Test func foreignKeysCascade() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE p (id INT PRIMARY KEY);
            CREATE TABLE c (id INT PRIMARY KEY, p_id INT NOT NULL, FOREIGN KEY (p_id) REFERENCES p(id) ON DELETE CASCADE);
            CREATE TABLE r (id INT PRIMARY KEY, p_id INT, FOREIGN KEY (p_id) REFERENCES p(id));
            INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (10, 1), (11, 1), (12, 2); INSERT INTO r VALUES (20, 2)
            """)
        #expect(sqlError(s, "INSERT INTO c VALUES (13, 3)")?.code == 1452)
        try run(s, "DELETE FROM p WHERE id = 1")
        #expect(rowsText(try run(s, "SELECT id FROM c ORDER BY id")) == [["12"]])
        #expect(sqlError(s, "DELETE FROM p WHERE id = 2")?.code == 1451)
        try run(s, "SET foreign_key_checks = 0; DELETE FROM p WHERE id = 2")
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM p")) == [["0"]])
    }

    @Test func caseInsensitiveCollationEverywhere() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (name VARCHAR(20), UNIQUE KEY (name)); INSERT INTO t VALUES ('apple'), ('Zebra'), ('Éclair')")
        #expect(sqlError(s, "INSERT INTO t VALUES ('APPLE')")?.code == 1062)
        #expect(rowsText(try run(s, "SELECT name FROM t ORDER BY name")) == [["apple"], ["Éclair"], ["Zebra"]])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE name = 'eclair'")) == [["1"]])
        #expect(rowsText(try run(s, "SELECT 'a' = 'A', 'a' = BINARY 'A', 'a ' = 'a'")) == [["1", "0", "0"]])
    }

    @Test func strictModeAndWarnings() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (a TINYINT NOT NULL, b VARCHAR(3))")
        #expect(sqlError(s, "INSERT INTO t VALUES (300, 'x')")?.code == 1264)
        #expect(sqlError(s, "INSERT INTO t VALUES (1, 'long')")?.code == 1406)
        #expect(sqlError(s, "INSERT INTO t VALUES (NULL, 'x')")?.code == 1048)
        #expect(sqlError(s, "INSERT INTO t (b) VALUES ('x')")?.code == 1364)
        try run(s, "SET sql_mode = ''; INSERT INTO t VALUES (300, 'long')")
        #expect(s.warningCount == 2)
        #expect(rowsText(try run(s, "SELECT a, b FROM t")) == [["127", "lon"]])
    }

    @Test func typesRoundTrip() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE t (i BIGINT UNSIGNED, d DECIMAL(12,3), f DOUBLE, dt DATETIME(3), da DATE, tm TIME, y YEAR, e ENUM('a','b'), bl BLOB, j JSON)
            """)
        try run(s, "INSERT INTO t VALUES (18446744073709551615, -12.5, 1.5e300, '2024-02-29 23:59:59.123', '2024-02-29', '-838:59:59', 2024, 'B', x'00ff', '{\"k\": [1, 2]}')")
        #expect(rowsText(try run(s, "SELECT * FROM t")) == [["18446744073709551615", "-12.500", "1.5e300", "2024-02-29 23:59:59.123000", "2024-02-29", "-838:59:59", "2024", "b", "\u{0}\u{FFFD}", "{\"k\": [1, 2]}"]])
        if case .rows(let cols, let rows) = try run(s, "SELECT dt FROM t") {
            #expect(rows[0][0].textBytes(decimals: cols[0].decimals) == Array("2024-02-29 23:59:59.123".utf8))
        }
        #expect(rowsText(try run(s, "SELECT DATE_ADD(da, INTERVAL 1 DAY), DATE_FORMAT(dt, '%Y/%m/%d %H'), j->>'$.k[1]' FROM t")) == [["2024-03-01", "2024/02/29 23", "2"]])
    }

    @Test func joinsGroupingSubqueries() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, """
            CREATE DATABASE d; USE d;
            CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(20));
            CREATE TABLE comments (id INT PRIMARY KEY, post_id INT, KEY idx_post (post_id));
            INSERT INTO posts VALUES (1, 'a'), (2, 'b'), (3, 'c');
            INSERT INTO comments VALUES (1, 1), (2, 1), (3, 2)
            """)
        #expect(rowsText(try run(s, "SELECT p.id, COUNT(c.id) FROM posts p LEFT JOIN comments c ON c.post_id = p.id GROUP BY p.id ORDER BY p.id DESC LIMIT 2")) == [["3", "0"], ["2", "1"]])
        #expect(rowsText(try run(s, "SELECT title FROM posts WHERE id IN (SELECT post_id FROM comments) ORDER BY 1")) == [["a"], ["b"]])
        #expect(rowsText(try run(s, "SELECT title FROM posts p WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.post_id = p.id)")) == [["c"]])
        #expect(rowsText(try run(s, "SELECT GROUP_CONCAT(id ORDER BY id DESC SEPARATOR '-') FROM comments")) == [["3-2-1"]])
        #expect(rowsText(try run(s, "SELECT id FROM posts UNION SELECT post_id FROM comments ORDER BY 1")) == [["1"], ["2"], ["3"]])
        guard case .rows(_, let plan) = try run(s, "EXPLAIN SELECT * FROM comments WHERE post_id = 1") else { Issue.record("no plan"); return }
        #expect(plan.first?[6] == .string(Array("idx_post".utf8)))
    }

    @Test func windowFunctions() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (g INT, v INT); INSERT INTO t VALUES (1, 10), (1, 20), (1, 20), (2, 5)")
        #expect(rowsText(try run(s, "SELECT v, ROW_NUMBER() OVER w1, RANK() OVER w1, SUM(v) OVER w1 FROM t WHERE g = 1 ORDER BY v".replacing("w1", with: "(PARTITION BY g ORDER BY v)"))) ==
                [["10", "1", "1", "10"], ["20", "2", "2", "50"], ["20", "3", "2", "50"]])
        #expect(rowsText(try run(s, "SELECT v, LAG(v) OVER (ORDER BY v) FROM t ORDER BY v LIMIT 2")) == [["5", "NULL"], ["10", "5"]])
        #expect(sqlError(s, "SELECT * FROM t WHERE ROW_NUMBER() OVER () > 1")?.code == 3593)
    }

    @Test func multiTableUpdateAndDelete() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE a (id INT PRIMARY KEY, v INT); CREATE TABLE b (id INT PRIMARY KEY, a_id INT, w INT)")
        try run(s, "INSERT INTO a VALUES (1, 0), (2, 0); INSERT INTO b VALUES (10, 1, 5), (11, 2, 7)")
        try run(s, "UPDATE a JOIN b ON b.a_id = a.id SET a.v = b.w WHERE b.w < 7")
        #expect(rowsText(try run(s, "SELECT id, v FROM a ORDER BY id")) == [["1", "5"], ["2", "0"]])
        try run(s, "DELETE a, b FROM a JOIN b ON b.a_id = a.id WHERE a.id = 2")
        #expect(rowsText(try run(s, "SELECT (SELECT COUNT(*) FROM a), (SELECT COUNT(*) FROM b)")) == [["1", "1"]])
    }

    @Test func usersAndGrants() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE app; CREATE DATABASE other; CREATE USER 'u'@'%' IDENTIFIED BY 'pw'; GRANT ALL ON app.* TO 'u'@'%'")
        let account = try engine.account(user: "u", host: "10.0.0.1")
        #expect(account?.host == "%")
        #expect(account?.authenticationString == "pw")
        let u = engine.makeSession(connectionID: 5, user: "u", host: "10.0.0.1")
        defer { u.close() }
        try u.useDatabase("app")
        #expect((try? u.useDatabase("other")) == nil)
        #expect(try engine.account(user: "nobody", host: "x") == nil)
    }
}
