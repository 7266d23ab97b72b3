import Foundation
import Testing

/// sysbench 1.0 (libmariadb, server-side prepared statements, parameter types sent only
/// on the first execution) against `onebox db`: prepare, run, cleanup without errors (a
/// read_write transaction chosen as a deadlock victim, 1213, is retried, as on InnoDB).
@Suite(.serialized, .enabled(if: mariadbInstalled && FileManager.default.isExecutableFile(atPath: "/usr/bin/sysbench")))
struct DBSysbenchTests {
    func sysbench(_ db: DBFixture, _ test: String, _ action: String, threads: Int = 4) throws -> (status: Int32, output: String) {
        try runProcess("/usr/bin/sysbench", [
            test, "--db-driver=mysql", "--mysql-host=127.0.0.1", "--mysql-port=\(db.port)", "--mysql-user=root",
            "--mysql-password=\(DBFixture.rootPassword)", "--mysql-db=sbtest", "--tables=2", "--table-size=500",
            "--threads=\(threads)", "--events=400", "--time=0",
            // Writers take row locks, so two read_write transactions can deadlock as they do on
            // InnoDB: 1213, and sysbench runs the transaction again. Any other error is fatal.
            "--mysql-ignore-errors=1213", action,
        ])
    }

    @Test(arguments: ["oltp_point_select", "oltp_read_write", "oltp_insert"])
    func prepareRunCleanup(test: String) throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["-e", "CREATE DATABASE sbtest"]).status == 0)
        let prepare = try sysbench(db, test, "prepare")
        #expect(prepare.status == 0, "\(prepare.output)")
        let run = try sysbench(db, test, "run")
        #expect(run.status == 0, "\(run.output)")
        if test != "oltp_read_write" {
            #expect(run.output.contains("ignored errors:                      0"), "\(run.output)")
        }
        #expect(!run.output.contains("FATAL"), "\(run.output)")
        if test == "oltp_read_write" {
            // Each transaction deletes a row and inserts it again: the tables keep their rows,
            // and the secondary index (read alone by the range on k) agrees with the table.
            for table in ["sbtest1", "sbtest2"] {
                let counts = try db.mariadb(["--skip-column-names", "-e",
                                             "SELECT COUNT(*), COUNT(DISTINCT id), (SELECT COUNT(k) FROM sbtest.\(table) WHERE k > -2147483648) FROM sbtest.\(table)"])
                #expect(counts.output == "500\t500\t500\n", "\(table): \(counts.output)")
            }
        }
        let cleanup = try sysbench(db, test, "cleanup")
        #expect(cleanup.status == 0, "\(cleanup.output)")
    }
}
