import Foundation
import Testing
@testable import SQLEngine

/// Runs `body` on its own thread; `wait()` returns its result.
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?

    init(_ body: @escaping () throws -> T) {
        nonisolated(unsafe) let body = body   // runs on the one thread only
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.start()
    }

    func wait() -> Result<T, Error> {
        done.wait()
        return result!
    }
}

/// Concurrent row-level write transactions: row locks, re-run statements, deadlocks.
@Suite struct RowLockTests {
    func setUp(_ sql: String) throws -> (Engine, Session, Session) {
        let (engine, a, _) = try makeEngine()
        let b = engine.makeSession(connectionID: 2, user: "root", host: "localhost")
        try run(a, "CREATE DATABASE d; USE d; " + sql)
        try b.useDatabase("d")
        return (engine, a, b)
    }

    @Test func transactionsOnDifferentRowsDoNotWaitForEachOther() throws {
        let (engine, a, b) = try setUp("CREATE TABLE t (id INT PRIMARY KEY, n INT, KEY (n)); INSERT INTO t VALUES (1, 0), (2, 0), (3, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(b, "SET innodb_lock_wait_timeout = 1")
        try run(a, "BEGIN; UPDATE t SET n = 10 WHERE id = 1; DELETE FROM t WHERE id = 3")
        try run(b, "BEGIN; UPDATE t SET n = 20 WHERE id = 2; INSERT INTO t VALUES (4, 40)")   // no 1205: other rows
        #expect(rowsText(try run(a, "SELECT id, n FROM t ORDER BY id")) == [["1", "10"], ["2", "0"]])   // own changes only
        try run(a, "COMMIT")
        try run(b, "COMMIT")
        #expect(rowsText(try run(a, "SELECT id, n FROM t ORDER BY id")) == [["1", "10"], ["2", "20"], ["4", "40"]])
        #expect(rowsText(try run(a, "SELECT id FROM t WHERE n >= 10 ORDER BY n")) == [["1"], ["2"], ["4"]])   // the index too
    }

    @Test func aLockedRowMakesOthersWaitAndThenTheyReadItsNewValue() throws {
        let (engine, a, b) = try setUp("CREATE TABLE c (id INT PRIMARY KEY, n INT); INSERT INTO c VALUES (1, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(a, "BEGIN; UPDATE c SET n = n + 1 WHERE id = 1")
        let waiter = Background { try run(b, "UPDATE c SET n = n + 10 WHERE id = 1") }
        try run(a, "COMMIT")
        if case .failure(let e) = waiter.wait() { Issue.record("the waiting update failed: \(e)") }
        #expect(rowsText(try run(a, "SELECT n FROM c")) == [["11"]])
    }

    @Test func aWriteStatementReadsTheNewestStateNotTheTransactionsFirstSnapshot() throws {
        let (engine, a, b) = try setUp("CREATE TABLE c (id INT PRIMARY KEY, n INT); INSERT INTO c VALUES (1, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(a, "BEGIN")
        #expect(rowsText(try run(a, "SELECT n FROM c")) == [["0"]])
        try run(b, "UPDATE c SET n = n + 1")
        try run(a, "UPDATE c SET n = n + 10")   // InnoDB's current read: sees b's commit
        try run(a, "COMMIT")
        #expect(rowsText(try run(b, "SELECT n FROM c")) == [["11"]])
    }

    @Test func lockWaitTimesOutWith1205AndSelectForUpdateLocks() throws {
        let (engine, a, b) = try setUp("CREATE TABLE c (id INT PRIMARY KEY, n INT); INSERT INTO c VALUES (1, 0), (2, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(b, "SET innodb_lock_wait_timeout = 1")
        try run(a, "BEGIN")
        #expect(rowsText(try run(a, "SELECT n FROM c WHERE id = 1 FOR UPDATE")) == [["0"]])
        #expect(sqlError(b, "UPDATE c SET n = 5 WHERE id = 1")?.code == 1205)
        try run(b, "UPDATE c SET n = 6 WHERE id = 2")   // not locked
        try run(a, "COMMIT")
        try run(b, "UPDATE c SET n = 5 WHERE id = 1")
        #expect(rowsText(try run(a, "SELECT n FROM c ORDER BY id")) == [["5"], ["6"]])
    }

    @Test func deadlockRollsBackOneTransactionWith1213() throws {
        let (engine, a, b) = try setUp("CREATE TABLE t (id INT PRIMARY KEY, n INT); INSERT INTO t VALUES (1, 0), (2, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(a, "BEGIN; UPDATE t SET n = 1 WHERE id = 1")
        try run(b, "BEGIN; UPDATE t SET n = 2 WHERE id = 2")
        let first = Background { try run(a, "UPDATE t SET n = 1 WHERE id = 2") }
        let second = Result { try run(b, "UPDATE t SET n = 2 WHERE id = 1") }
        // whichever came second closed the cycle; the victim's transaction is gone, so the
        // other one gets its lock
        var victims = 0
        var survivor: Session?
        for (session, outcome) in [(b, second), (a, first.wait())] {
            switch outcome {
            case .success: survivor = session
            case .failure(let e):
                #expect((e as? SQLError)?.code == 1213)
                #expect(!session.inTransaction)
                victims += 1
            }
        }
        #expect(victims == 1)
        try run(survivor!, "COMMIT")
        let n = survivor === a ? "1" : "2"
        #expect(rowsText(try run(a, "SELECT n FROM t ORDER BY id")) == [[n], [n]])
    }

    @Test func concurrentInsertsOfOneUniqueValueMeet() throws {
        let (engine, a, b) = try setUp("CREATE TABLE u (id INT PRIMARY KEY, name VARCHAR(10), UNIQUE KEY (name))")
        defer { a.close(); b.close(); try? engine.close() }
        try run(a, "BEGIN; INSERT INTO u VALUES (1, 'x')")
        let other = Background { try run(b, "INSERT INTO u VALUES (2, 'X')") }
        try run(a, "COMMIT")
        guard case .failure(let e) = other.wait() else { Issue.record("second insert of 'x' succeeded"); return }
        #expect((e as? SQLError)?.code == 1062)
        // and a rolled-back insert frees the value for a waiting one
        try run(a, "BEGIN; INSERT INTO u VALUES (3, 'y')")
        let again = Background { try run(b, "INSERT INTO u VALUES (4, 'y')") }
        try run(a, "ROLLBACK")
        if case .failure(let e) = again.wait() { Issue.record("insert after the rollback failed: \(e)") }
        #expect(rowsText(try run(a, "SELECT id, name FROM u ORDER BY id")) == [["1", "x"], ["4", "y"]])
    }

    @Test func explicitIncrementsAndAutoIncrementInsertsFromManyThreads() throws {
        let (engine, a, _) = try makeEngine()
        defer { a.close(); try? engine.close() }
        try run(a, "CREATE DATABASE d; USE d; CREATE TABLE c (id INT PRIMARY KEY, n INT); INSERT INTO c VALUES (1, 0)")
        try run(a, "CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, worker INT, KEY (worker))")
        let threads = 4, per = 25
        let failures = NSLock()
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            let s = engine.makeSession(connectionID: UInt32(10 + i), user: "root", host: "localhost")
            defer { s.close() }
            do {
                try s.useDatabase("d")
                for _ in 0..<per {
                    try run(s, "BEGIN; UPDATE c SET n = n + 1 WHERE id = 1; INSERT INTO log (worker) VALUES (\(i)); COMMIT")
                }
            } catch {
                failures.lock(); errors.append("\(error)"); failures.unlock()
            }
        }
        #expect(errors == [])
        #expect(rowsText(try run(a, "SELECT n FROM c")) == [["\(threads * per)"]])
        #expect(rowsText(try run(a, "SELECT COUNT(*), COUNT(DISTINCT id), MAX(id) FROM log")) == [["100", "100", "100"]])
        try run(a, "INSERT INTO log (worker) VALUES (9)")
        #expect(rowsText(try run(a, "SELECT MAX(id) FROM log")) == [["101"]])
    }

    @Test func ddlWaitsForOpenWriteTransactions() throws {
        let (engine, a, b) = try setUp("CREATE TABLE t (id INT PRIMARY KEY, n INT); INSERT INTO t VALUES (1, 0)")
        defer { a.close(); b.close(); try? engine.close() }
        try run(b, "SET innodb_lock_wait_timeout = 1")
        try run(a, "BEGIN; UPDATE t SET n = 1")
        #expect(sqlError(b, "CREATE INDEX i ON t (n)")?.code == 1205)
        try run(a, "COMMIT")
        try run(b, "CREATE INDEX i ON t (n)")
        #expect(rowsText(try run(b, "SELECT id FROM t WHERE n = 1")) == [["1"]])
    }
}
