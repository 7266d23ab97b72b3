import Foundation
import Testing
@testable import SQLEngine

/// A fresh engine on a temporary file, with one session.
func makeEngine() throws -> (Engine, Session, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sqlengine-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let engine = try Engine.open(path: dir + "/data.pagestore", options: EngineOptions())
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
}
