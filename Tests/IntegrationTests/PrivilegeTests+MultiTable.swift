import Foundation
import Testing

/// Multi-table UPDATE and DELETE ask, as MySQL does, UPDATE/DELETE only of the tables they
/// change, SELECT of the columns they read (a target's included), and SELECT of the other
/// tables they join; a denied statement changes nothing.
extension PrivilegeTests {
    @Test func multiTableUpdateAndDeleteAskOnlyWhatTheyUse() throws {
        let db = try DBFixture()
        let setUp = try db.mariadb([], input: """
            CREATE DATABASE m;
            CREATE TABLE m.t1 (id INT PRIMARY KEY, a INT);
            CREATE TABLE m.t2 (id INT PRIMARY KEY, b INT);
            CREATE TABLE m.t3 (id INT PRIMARY KEY);
            INSERT INTO m.t1 VALUES (1, 10), (2, 20);
            INSERT INTO m.t2 VALUES (1, 100), (2, 200);
            INSERT INTO m.t3 VALUES (1);
            CREATE USER 'mt'@'%' IDENTIFIED BY 'mt-pw';
            GRANT UPDATE, DELETE, SELECT (id) ON m.t1 TO 'mt'@'%';
            GRANT SELECT ON m.t2 TO 'mt'@'%';
            CREATE DATABASE own;
            GRANT ALL ON own.* TO 'mt'@'%';
            """)
        #expect(setUp.status == 0, "\(setUp.output)")
        // UPDATE of t1 (no SELECT on t1.a) from t2, matched on t1.id (SELECT granted).
        let update = try run(db, "mt", "UPDATE m.t1 JOIN m.t2 ON t1.id = t2.id SET t1.a = t2.b WHERE t2.b > 150")
        #expect(update.status == 0, "\(update.output)")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT id, a FROM m.t1 ORDER BY id"]).output == "1\t10\n2\t200\n")
        let before = try db.mariadb(["--skip-column-names", "-e", "SELECT * FROM m.t1, m.t2 ORDER BY t1.id, t2.id"]).output

        let denied: [(String, String)] = [
            ("UPDATE m.t1 JOIN m.t2 ON t1.id = t2.id SET t2.b = 0",
             "ERROR 1142 (42000): UPDATE command denied to user 'mt'@'%' for table 't2'"),
            ("UPDATE m.t1 JOIN m.t2 ON t1.a = t2.id SET t1.a = 0",
             "ERROR 1143 (42000): SELECT command denied to user 'mt'@'%' for column 'a' in table 't1'"),
            ("UPDATE m.t1 JOIN m.t3 ON t1.id = t3.id SET t1.a = 0",
             "ERROR 1142 (42000): SELECT command denied to user 'mt'@'%' for table 't3'"),
            ("DELETE t2 FROM m.t1 JOIN m.t2 ON t1.id = t2.id",
             "ERROR 1142 (42000): DELETE command denied to user 'mt'@'%' for table 't2'"),
            ("DELETE t1 FROM m.t1 JOIN m.t2 ON t1.a = t2.b",
             "ERROR 1143 (42000): SELECT command denied to user 'mt'@'%' for column 'a' in table 't1'"),
        ]
        for (sql, message) in denied {
            let r = try run(db, "mt", sql)
            #expect(r.status != 0, "\(sql) was allowed")
            #expect(r.output.contains(message.replacingOccurrences(of: "): ", with: ") at line 1: ")), "\(sql): \(r.output)")
        }
        // An alias is not a table of the current database: `t` below is m.t3, not own.t.
        let aliased = try db.mariadb(["--skip-column-names", "--database=own", "-e", "DELETE t FROM m.t3 AS t JOIN m.t2 ON t.id = t2.id"],
                                     user: "mt", password: "mt-pw")
        #expect(aliased.output.contains("ERROR 1142 (42000) at line 1: DELETE command denied to user 'mt'@'%' for table 't3'"), "\(aliased.output)")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*) FROM m.t3"]).output == "1\n")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT * FROM m.t1, m.t2 ORDER BY t1.id, t2.id"]).output == before)

        let delete = try run(db, "mt", "DELETE t1 FROM m.t1 JOIN m.t2 ON t1.id = t2.id WHERE t2.b = 100")
        #expect(delete.status == 0, "\(delete.output)")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT id FROM m.t1"]).output == "2\n")
    }
}
