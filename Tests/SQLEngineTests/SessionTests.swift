import Foundation
import Testing
@testable import SQLEngine

/// A fresh engine on a temporary file, with one session.
func makeEngine(options: EngineOptions = EngineOptions()) throws -> (Engine, Session, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sqlengine-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let engine = try Engine.open(path: dir + "/data.pagestore", options: options)
    _ = try engine.bootstrapIfEmpty(rootPassword: "secret")
    let session = engine.makeSession(connectionID: 1, user: "root", host: "localhost")
    return (engine, session, dir)
}

/// Runs statements, returning the last result.
@discardableResult
func run(_ s: Session, _ sql: String) throws -> StatementResult {
    var last: StatementResult?
    try s.execute(Array(sql.utf8), multiStatements: true) { last = $0 }
    return last!
}

func rowsText(_ r: StatementResult) -> [[String]] {
    guard case .rows(_, let rows) = r else { return [] }
    return rows.map { $0.map { $0.textBytes.map { String(decoding: $0, as: UTF8.self) } ?? "NULL" } }
}

func sqlError(_ s: Session, _ sql: String) -> SQLError? {
    do { try run(s, sql); return nil } catch let e as SQLError { return e } catch { return nil }
}

@Suite struct SessionTests {
    @Test func createInsertSelect() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) NOT NULL, price DECIMAL(10,2))")
        try run(s, "INSERT INTO t (name, price) VALUES ('apple', 1.50), ('Banana', 2.25), ('cherry', NULL)")
        #expect(rowsText(try run(s, "SELECT id, name, price FROM t ORDER BY id")) == [["1", "apple", "1.50"], ["2", "Banana", "2.25"], ["3", "cherry", "NULL"]])
        #expect(rowsText(try run(s, "SELECT name FROM t WHERE name = 'BANANA'")) == [["Banana"]])
        #expect(rowsText(try run(s, "SELECT 7/2, 7 DIV 2, 1/0, COUNT(*), SUM(price), AVG(price) FROM t")) == [["3.5000", "3", "NULL", "3", "3.75", "1.875000"]])
    }

    @Test func errorsAreMySQLs() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(sqlError(s, "SELECT * FROM t")?.code == 1046)
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY)")
        #expect(sqlError(s, "SELECT * FROM nope") == SQLError(code: 1146, sqlState: "42S02", message: "Table 'd.nope' doesn't exist"))
        #expect(sqlError(s, "SELECT x FROM t") == SQLError(code: 1054, sqlState: "42S22", message: "Unknown column 'x' in 'field list'"))
        try run(s, "INSERT INTO t VALUES (1)")
        #expect(sqlError(s, "INSERT INTO t VALUES (1)") == SQLError(code: 1062, sqlState: "23000", message: "Duplicate entry '1' for key 't.PRIMARY'"))
        #expect(sqlError(s, "SELEC 1")?.message == "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1' at line 1")
        #expect(sqlError(s, "USE nope")?.code == 1049)
        #expect(sqlError(s, "CREATE TABLE t (a INT)")?.code == 1050)
    }

    /// `@@session.x`, `@@global.x`, `@@local.x` as drivers send them (mysql-connector-python
    /// reads `@@session.sql_mode` before its first client-side interpolation).
    @Test func scopedSystemVariables() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "SET @@session.sql_mode = 'ANSI_QUOTES', @a.b = 5")
        #expect(rowsText(try run(s, "SELECT @@session.sql_mode, @@SESSION.autocommit, @@local.autocommit, @a.b")) == [["ANSI_QUOTES", "1", "1", "5"]])
        #expect(rowsText(try run(s, "SELECT @@global.max_allowed_packet = @@GLOBAL.max_allowed_packet")) == [["1"]])
        #expect(sqlError(s, "SELECT @@session.nope")?.message == "Unknown system variable 'nope'")
    }
}

@Suite struct HostileInputTests {
    /// Random bytes and random token soup never crash: every statement succeeds or fails with an SQLError.
    @Test func randomInputGivesErrorsNotCrashes() throws {
        // statements run on a thread with a full-size stack, as DBServer's executor threads have
        // (Swift Testing's own threads are small; expression compilation is recursive)
        final class Box: @unchecked Sendable { var failure: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { try Self.hostileBody() } catch { box.failure = error }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        done.wait()
        if let failure = box.failure { throw failure }
    }

    static func hostileBody() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10), c DECIMAL(5,2))")
        var rng = SystemRandomNumberGenerator()
        let words = ["SELECT", "FROM", "t", "WHERE", "a", "b", "c", "(", ")", ",", "+", "-", "*", "/", "=", "<", "AND", "OR", "NOT", "NULL",
                     "'x'", "1", "2.5", "IN", "BETWEEN", "CASE", "WHEN", "THEN", "END", "GROUP", "BY", "ORDER", "LIMIT", "JOIN", "ON",
                     "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "COUNT", "SUM", "(SELECT", "EXISTS", "UNION", "`t`", "@v", "?", ";", "/*", "*/", "--"]
        for _ in 0..<400 {
            let n = Int.random(in: 1...20, using: &rng)
            let sql = (0..<n).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            do { try s.execute(Array(sql.utf8), multiStatements: true) { _ in } } catch is SQLError {}
        }
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do { try s.execute(bytes, multiStatements: true) { _ in } } catch is SQLError {}
        }
        // deep nesting and long operator chains are 1064, not a stack overflow
        #expect(sqlError(s, "SELECT " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000))?.code == 1064)
        #expect(sqlError(s, "SELECT 1" + String(repeating: "+1", count: 50_000))?.code == 1064)
        #expect(rowsText(try run(s, "SELECT 1" + String(repeating: "+1", count: 100))) == [["101"]])
        #expect(rowsText(try run(s, "SELECT 1 = 1" + String(repeating: " OR 1 = 2", count: 5000))) == [["1"]])
    }
}
