import Testing
@testable import SQLEngine

/// Window frames and named windows. Expected values were checked against MariaDB 10.11
/// (RANGE over INTERVAL, which MariaDB lacks, by hand against MySQL's rules).
@Suite struct WindowFrameTests {
    static let setup = """
        CREATE DATABASE w; USE w;
        CREATE TABLE t (id INT PRIMARY KEY, g INT, v INT, d DATE, x DOUBLE);
        INSERT INTO t VALUES (1,1,10,'2024-01-01',1.5),(2,1,20,'2024-01-02',2.5),(3,1,20,'2024-01-05',NULL),
          (4,1,40,'2024-02-01',4),(5,2,5,'2024-01-01',0.5),(6,2,NULL,NULL,6),(7,2,7,'2024-01-03',7),
          (8,2,9,'2024-01-09',9),(9,3,100,'2024-03-01',10)
        """

    /// The second column of `SELECT id, <expr> FROM t ORDER BY id` for each row.
    func column(_ s: Session, _ expr: String, _ tail: String = "") throws -> [String] {
        rowsText(try run(s, "SELECT id, \(expr) FROM t \(tail) ORDER BY id")).map { $0[1] }
    }

    @Test func rowsFrames() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        #expect(try column(s, "SUM(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)")
                == ["30", "50", "80", "60", "5", "12", "16", "16", "100"])
        #expect(try column(s, "AVG(v) OVER (PARTITION BY g ORDER BY id ROWS 2 PRECEDING)")
                == ["10.0000", "15.0000", "16.6667", "26.6667", "5.0000", "5.0000", "6.0000", "8.0000", "100.0000"])
        #expect(try column(s, "MAX(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING)")
                == ["40", "40", "NULL", "NULL", "9", "9", "NULL", "NULL", "NULL"])
        // an empty frame: COUNT is 0
        #expect(try column(s, "COUNT(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING)")
                == ["0", "0", "1", "2", "0", "0", "1", "1", "0"])
        #expect(try column(s, "SUM(v) OVER (ORDER BY v ROWS BETWEEN CURRENT ROW AND CURRENT ROW)")
                == ["10", "20", "20", "40", "5", "NULL", "7", "9", "100"])
    }

    @Test func rangeFrames() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        #expect(try column(s, "SUM(v) OVER (PARTITION BY g ORDER BY v RANGE BETWEEN 10 PRECEDING AND CURRENT ROW)")
                == ["10", "50", "50", "40", "5", "NULL", "12", "21", "100"])
        // descending: PRECEDING is towards larger keys
        #expect(try column(s, "COUNT(*) OVER (ORDER BY v DESC RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING)")
                == ["4", "2", "2", "1", "4", "1", "4", "4", "1"])
        #expect(try column(s, "SUM(v) OVER (ORDER BY v DESC RANGE BETWEEN CURRENT ROW AND 10 FOLLOWING)")
                == ["31", "50", "50", "40", "5", "NULL", "12", "21", "100"])
        #expect(try column(s, "SUM(x) OVER (ORDER BY x RANGE BETWEEN 1.5 PRECEDING AND 0.5 FOLLOWING)")
                == ["2", "4", "NULL", "6.5", "0.5", "6", "13", "9", "19"])
        #expect(try column(s, "COUNT(*) OVER (ORDER BY d RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND CURRENT ROW)")
                == ["2", "3", "2", "1", "2", "1", "4", "1", "1"])
        #expect(try column(s, "SUM(v) OVER (PARTITION BY g ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
                == ["90", "90", "90", "90", "21", "21", "21", "21", "100"])
    }

    @Test func valueFunctionsUseTheFrame() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        let rows = rowsText(try run(s, """
            SELECT id, FIRST_VALUE(v) OVER w, LAST_VALUE(v) OVER w, NTH_VALUE(v, 2) OVER w FROM t
            WINDOW w AS (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) ORDER BY id
            """))
        #expect(rows.map { Array($0.dropFirst()) } == [
            ["10", "40", "20"], ["20", "40", "20"], ["20", "40", "40"], ["40", "40", "NULL"],
            ["5", "9", "NULL"], ["NULL", "9", "7"], ["7", "9", "9"], ["9", "9", "NULL"], ["100", "100", "NULL"],
        ])
        #expect(try column(s, "NTH_VALUE(v, 1) FROM FIRST RESPECT NULLS OVER (ORDER BY id)", "") == Array(repeating: "10", count: 9))
    }

    @Test func namedWindowsCompose() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        let rows = rowsText(try run(s, "SELECT id, ROW_NUMBER() OVER w, SUM(v) OVER (w ORDER BY id) FROM t WINDOW w AS (PARTITION BY g) ORDER BY id"))
        #expect(rows.map { $0[2] } == ["10", "30", "50", "90", "5", "5", "12", "21", "100"])
        #expect(rows.map { $0[1] } == ["1", "2", "3", "4", "1", "2", "3", "4", "1"])
    }

    @Test(arguments: [
        ("SUM(v) OVER (ORDER BY d RANGE 2 PRECEDING)", 3588),
        ("SUM(v) OVER (ORDER BY v RANGE INTERVAL 2 DAY PRECEDING)", 3589),
        ("SUM(v) OVER (ORDER BY v, id RANGE 2 PRECEDING)", 3587),
        ("SUM(v) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW)", 3584),
        ("SUM(v) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING)", 3585),
        ("SUM(v) OVER (ROWS -1 PRECEDING)", 3586),
        ("SUM(v) OVER (ROWS id PRECEDING)", 3590),
        ("SUM(v) OVER w", 3579),
        ("NTH_VALUE(v, 0) OVER ()", 1210),
        ("LAG(v) IGNORE NULLS OVER ()", 1235),
    ])
    func badFramesGetMySQLErrors(expr: String, code: Int) throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        #expect(sqlError(s, "SELECT \(expr) FROM t").map { Int($0.code) } == code)
    }

    @Test(arguments: [
        ("WINDOW w AS (), w AS ()", 3591),
        ("WINDOW w AS (w2), w2 AS (w)", 3580),
        ("WINDOW w AS (ORDER BY id), w2 AS (w PARTITION BY g)", 3581),
        ("WINDOW w AS (ORDER BY id ROWS 1 PRECEDING), w2 AS (w)", 3582),
        ("WINDOW w AS (ORDER BY id), w2 AS (w ORDER BY v)", 3583),
    ])
    func badWindowClauses(clause: String, code: Int) throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, Self.setup)
        #expect(sqlError(s, "SELECT id FROM t \(clause)").map { Int($0.code) } == code)
    }
}
