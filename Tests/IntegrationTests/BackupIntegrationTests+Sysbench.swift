import Foundation
import Testing

extension BackupIntegrationTests {
    static let sysbenchTables = 2

    /// sysbench oltp_write_only (index and non-index UPDATEs, DELETE + INSERT; 2 threads)
    /// writes while one session runs `START TRANSACTION WITH CONSISTENT SNAPSHOT; BACKUP
    /// DATABASE TO ...` and then reads every row of every sysbench table in that same
    /// transaction — the snapshot taken at the backup's point. The backup restores to a
    /// database that passes `onebox check` and holds exactly those rows.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sysbench")))
    func backupDuringSysbenchEqualsTheSnapshotAtItsPoint() throws {
        let db = try DBFixture()
        let work = try makeTemporaryDirectory("backup-sysbench")
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(try db.mariadb(["-e", "CREATE DATABASE sbtest"]).status == 0)
        func sysbench(_ action: String, _ extra: [String] = []) -> [String] {
            ["oltp_write_only", "--db-driver=mysql", "--mysql-host=127.0.0.1", "--mysql-port=\(db.port)", "--mysql-user=root",
             "--mysql-password=\(DBFixture.rootPassword)", "--mysql-db=sbtest", "--tables=\(Self.sysbenchTables)", "--table-size=1000"]
                + extra + [action]
        }
        let prepare = try runProcess("/usr/bin/sysbench", sysbench("prepare"))
        #expect(prepare.status == 0, "\(prepare.output)")
        let tables = (1...Self.sysbenchTables).map { "sbtest.sbtest\($0)" }
        let sumK = "SELECT " + tables.map { "(SELECT SUM(k) FROM \($0))" }.joined(separator: " + ")
        func query(_ sql: String) throws -> String {
            let r = try db.mariadb(["--batch", "--skip-column-names", "-e", sql])
            #expect(r.status == 0, "\(sql): \(r.output)")
            return r.output
        }
        let prepared = try query(sumK)

        // The load: bounded by events and by time, whichever ends first.
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/sysbench")
        load.arguments = sysbench("run", ["--threads=2", "--events=600", "--time=20"])
        let loadOutput = work.appendingPathComponent("sysbench.out")
        FileManager.default.createFile(atPath: loadOutput.path, contents: nil)
        let handle = try FileHandle(forWritingTo: loadOutput)
        load.standardOutput = handle
        load.standardError = handle
        try load.run()
        defer { if load.isRunning { load.terminate() }; load.waitUntilExit() }
        // Back up once the load has changed something (a state, not a time: no timed assertion).
        while load.isRunning, try query(sumK) == prepared { Thread.sleep(forTimeInterval: 0.05) }

        let file = work.appendingPathComponent("sb.lz4").path
        let rowQueries = tables.map { "SELECT id, k, c, pad FROM \($0) ORDER BY id;" }.joined(separator: "\n")
        let snapshot = try db.mariadb(["--batch", "--skip-column-names"], input: """
            START TRANSACTION WITH CONSISTENT SNAPSHOT;
            BACKUP DATABASE TO '\(file)';
            \(rowQueries)
            COMMIT;
            """)
        let loadRanOn = load.isRunning
        #expect(snapshot.status == 0, "\(snapshot.output.prefix(2000))")
        var lines = snapshot.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix(file + "\t") == true, "\(lines.first ?? "")")
        lines.removeFirst()
        let snapshotRows = lines.joined(separator: "\n")
        #expect(snapshotRows.split(separator: "\n").count >= 1000 * Self.sysbenchTables - 10)

        load.waitUntilExit()
        let loadText = (try? String(contentsOf: loadOutput, encoding: .utf8)) ?? ""
        #expect(load.terminationStatus == 0, "\(loadText)")
        #expect(!loadText.contains("FATAL"), "\(loadText)")
        print("backup during sysbench: load still running after the backup: \(loadRanOn); \(loadText.split(separator: "\n").filter { $0.contains("transactions:") || $0.contains("queries:") }.joined(separator: "; "))")
        // The load went on after the snapshot: the live tables moved past it.
        let live = try db.mariadb(["--batch", "--skip-column-names"], input: rowQueries)
        if loadRanOn { #expect(live.output != snapshotRows, "the load wrote nothing after the backup") }

        let (server, socket) = try Self.restoreAndServe(file, in: work)
        defer { server.stop() }
        let back = try runProcess("/usr/bin/mariadb", ["--no-defaults", "--user=root", "--password=\(DBFixture.rootPassword)",
                                                       "--socket=\(socket)", "--batch", "--skip-column-names"], input: rowQueries)
        #expect(back.status == 0, "\(back.output.prefix(2000))")
        #expect(back.output == snapshotRows, "the restored backup differs from the snapshot at its point")
    }
}
