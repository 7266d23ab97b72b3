import Foundation
import PageStore
import Testing
@testable import SQLEngine

/// `Session.executeWithoutBlocking`: what may run on an event loop, and that giving up
/// (nil) leaves nothing changed, so the blocking re-run answers as if it ran alone.
@Suite struct NonBlockingTests {
    private func prepare(_ s: Session, _ sql: String) throws -> PreparedStatement { try s.prepare(Array(sql.utf8)) }

    private func rows(_ r: StatementResult?) -> [[String]]? { r.map(rowsText) }

    @Test func cachedSelectRunsWithoutBlockingAndAnswersLikeExecute() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT, c CHAR(20), KEY k_1 (k))")
        try run(s, "INSERT INTO t VALUES (1, 10, 'b'), (2, 20, 'a'), (3, 20, 'B'), (4, 30, 'c')")
        let point = try prepare(s, "SELECT c FROM t WHERE id = ?")
        // the first execution compiles: not without blocking
        #expect(try s.executeWithoutBlocking(point, parameters: [.int(1)]) == nil)
        #expect(s.planCacheHits == 0)
        #expect(rowsText(try s.execute(point, parameters: [.int(1)])) == [["b"]])
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(2)])) == [["a"]])
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(9)])) == [])
        #expect(s.planCacheHits == 2)
        let distinct = try prepare(s, "SELECT DISTINCT c FROM t WHERE id BETWEEN ? AND ? ORDER BY c")
        _ = try s.execute(distinct, parameters: [.int(1), .int(4)])
        #expect(rows(try s.executeWithoutBlocking(distinct, parameters: [.int(1), .int(4)])) == [["a"], ["b"], ["c"]])
        let order = try prepare(s, "SELECT id, c FROM t WHERE id BETWEEN ? AND ? ORDER BY c DESC, id")
        _ = try s.execute(order, parameters: [.int(1), .int(4)])
        #expect(rows(try s.executeWithoutBlocking(order, parameters: [.int(1), .int(4)])) == [["4", "c"], ["1", "b"], ["3", "B"], ["2", "a"]])
        // a parameter of a new type needs a new plan
        #expect(try s.executeWithoutBlocking(point, parameters: [.string(Array("2".utf8))]) == nil)
    }

    @Test func statementsThatMayWaitAreRefused() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, n INT)")
        try run(s, "INSERT INTO t VALUES (1, 0)")
        let update = try prepare(s, "UPDATE t SET n = n + 1 WHERE id = ?")
        #expect(try s.executeWithoutBlocking(update, parameters: [.int(1)]) == nil)
        let point = try prepare(s, "SELECT n FROM t WHERE id = ?")
        _ = try s.execute(point, parameters: [.int(1)])
        let begin = try prepare(s, "BEGIN")
        let commit = try prepare(s, "COMMIT")
        #expect(try s.executeWithoutBlocking(begin, parameters: []) != nil)
        #expect(s.inTransaction)
        _ = try s.execute(update, parameters: [.int(1)])
        // a write transaction is open: its reads and its COMMIT (which waits for the log) go elsewhere
        #expect(try s.executeWithoutBlocking(point, parameters: [.int(1)]) == nil)
        #expect(try s.executeWithoutBlocking(commit, parameters: []) == nil)
        _ = try s.execute(commit, parameters: [])
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(1)])) == [["1"]])
        let locking = try prepare(s, "SELECT n FROM t WHERE id = ? FOR UPDATE")
        _ = try s.execute(locking, parameters: [.int(1)])
        #expect(try s.executeWithoutBlocking(locking, parameters: [.int(1)]) == nil)
        // a statement whose table was dropped compiles again, and then fails as usual
        try run(s, "DROP TABLE t")
        #expect(try s.executeWithoutBlocking(point, parameters: [.int(1)]) == nil)
        #expect(throws: SQLError.self) { try s.execute(point, parameters: [.int(1)]) }
    }

    @Test func snapshotOfAnExplicitTransactionHolds() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, n INT)")
        try run(s, "INSERT INTO t VALUES (1, 0)")
        let point = try prepare(s, "SELECT n FROM t WHERE id = ?")
        _ = try s.execute(point, parameters: [.int(1)])
        let begin = try prepare(s, "BEGIN"), commit = try prepare(s, "COMMIT")
        #expect(try s.executeWithoutBlocking(begin, parameters: []) != nil)
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(1)])) == [["0"]])
        let other = engine.makeSession(connectionID: 2, user: "root", host: "localhost")
        defer { other.close() }
        try run(other, "UPDATE d.t SET n = 5 WHERE id = 1")
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(1)])) == [["0"]])
        #expect(try s.executeWithoutBlocking(commit, parameters: []) != nil)
        #expect(!s.inTransaction)
        #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(1)])) == [["5"]])
    }

    @Test func givesUpAfterTheRowBudgetWithNothingChanged() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT)")
        let n = engine.options.nonBlockingStepLimit + 500
        for start in stride(from: 1, through: n, by: 500) {
            try run(s, "INSERT INTO t VALUES " + (start..<(start + 500)).map { "(\($0), \($0 % 7))" }.joined(separator: ","))
        }
        let count = try prepare(s, "SELECT COUNT(*), SUM(k) FROM t WHERE id >= ?")
        let expected = rowsText(try s.execute(count, parameters: [.int(1)]))
        #expect(expected.first?.first == String(n))
        let hits = s.planCacheHits
        #expect(try s.executeWithoutBlocking(count, parameters: [.int(1)]) == nil)
        #expect(s.planCacheHits == hits)
        #expect(rowsText(try s.execute(count, parameters: [.int(1)])) == expected)
        // fewer rows than the budget: answered
        #expect(rows(try s.executeWithoutBlocking(count, parameters: [.int(Int64(n - 9))])) == [["10", String((n - 9...n).reduce(0) { $0 + $1 % 7 })]])
    }

    @Test func zeroBudgetLeavesEveryStatementToABlockingRun() throws {
        let (engine, s, _) = try makeEngine(options: EngineOptions(nonBlockingStepLimit: 0))
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, k INT); INSERT INTO t VALUES (1, 2)")
        let point = try prepare(s, "SELECT k FROM t WHERE id = ?")
        #expect(rows(try s.execute(point, parameters: [.int(1)])) == [["2"]])
        #expect(try s.executeWithoutBlocking(point, parameters: [.int(1)]) == nil)
        #expect(try s.executeWithoutBlocking(try prepare(s, "BEGIN"), parameters: []) == nil)
    }

    @Test func pageNotInTheBufferPoolIsLeftToABlockingRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sqlengine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 48 frames of 16 KiB against a table of ~4 MiB: most pages are not cached
        let options = EngineOptions(pageStoreOptions: PageStore.Options(bufferPoolBytes: 48 * 16384))
        let engine = try Engine.open(path: dir + "/data.pagestore", options: options)
        _ = try engine.bootstrapIfEmpty(rootPassword: "secret")
        let s = engine.makeSession(connectionID: 1, user: "root", host: "localhost")
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, c VARCHAR(200))")
        let filler = String(repeating: "x", count: 180)
        for start in stride(from: 1, through: 20_000, by: 1_000) {
            try run(s, "INSERT INTO t VALUES " + (start..<(start + 1_000)).map { "(\($0), '\($0)\(filler)')" }.joined(separator: ","))
        }
        let point = try prepare(s, "SELECT LEFT(c, 5) FROM t WHERE id = ?")
        _ = try s.execute(point, parameters: [.int(1)])
        var refused = 0
        for id in stride(from: 97, through: 20_000, by: 997) {
            // walk the table so that earlier pages are evicted
            let expected = [[String("\(id)\(filler)".prefix(5))]]
            if let r = try s.executeWithoutBlocking(point, parameters: [.int(Int64(id))]) {
                #expect(rowsText(r) == expected)
            } else {
                refused += 1
                #expect(rowsText(try s.execute(point, parameters: [.int(Int64(id))])) == expected)
                // now cached: answered without blocking
                #expect(rows(try s.executeWithoutBlocking(point, parameters: [.int(Int64(id))])) == expected)
            }
        }
        #expect(refused > 0)
    }
}
