import Foundation
import Testing

/// Column-level GRANT/REVOKE: stored, shown (SHOW GRANTS in MySQL 8.0's form,
/// information_schema.COLUMN_PRIVILEGES), enforced with 1143 for a column not granted and
/// 1142 for a table with no grant at all; a denied statement changes nothing.
extension PrivilegeTests {
    static func setUpColumns(_ db: DBFixture) throws {
        let r = try db.mariadb([], input: """
            CREATE DATABASE shop;
            CREATE TABLE shop.t (id INT PRIMARY KEY, a INT, b VARCHAR(20), c INT, secret VARCHAR(20));
            INSERT INTO shop.t VALUES (1, 10, 'x', 100, 's1'), (2, 20, 'y', 200, 's2');
            CREATE TABLE shop.other (id INT PRIMARY KEY);
            CREATE USER 'col'@'%' IDENTIFIED BY 'col-pw';
            GRANT SELECT (id, a, b), UPDATE (c), INSERT (id, a) ON shop.t TO 'col'@'%';
            """)
        #expect(r.status == 0, "\(r.output)")
    }

    func rootQuery(_ db: DBFixture, _ sql: String) throws -> String {
        let r = try db.mariadb(["--skip-column-names", "-e", sql])
        #expect(r.status == 0, "\(sql): \(r.output)")
        return r.output
    }

    @Test func columnGrantsAreShownAndEnforced() throws {
        let db = try DBFixture()
        try Self.setUpColumns(db)
        #expect(try run(db, "col", "SHOW GRANTS").output == """
            GRANT USAGE ON *.* TO `col`@`%`
            GRANT SELECT (`a`, `b`, `id`), INSERT (`a`, `id`), UPDATE (`c`) ON `shop`.`t` TO `col`@`%`

            """)
        #expect(try rootQuery(db, "SHOW GRANTS FOR 'col'@'%'").hasSuffix("GRANT SELECT (`a`, `b`, `id`), INSERT (`a`, `id`), UPDATE (`c`) ON `shop`.`t` TO `col`@`%`\n"))
        #expect(try run(db, "col", """
            SELECT GRANTEE, TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, PRIVILEGE_TYPE, IS_GRANTABLE
            FROM information_schema.COLUMN_PRIVILEGES ORDER BY COLUMN_NAME, PRIVILEGE_TYPE
            """).output == """
            'col'@'%'\tdef\tshop\tt\ta\tINSERT\tNO
            'col'@'%'\tdef\tshop\tt\ta\tSELECT\tNO
            'col'@'%'\tdef\tshop\tt\tb\tSELECT\tNO
            'col'@'%'\tdef\tshop\tt\tc\tUPDATE\tNO
            'col'@'%'\tdef\tshop\tt\tid\tINSERT\tNO
            'col'@'%'\tdef\tshop\tt\tid\tSELECT\tNO

            """)
        #expect(try run(db, "col", "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES").output == "USAGE\n")
        #expect(try run(db, "col", "SHOW DATABASES").output == "information_schema\nshop\n")
        #expect(try run(db, "col", "SHOW TABLES FROM shop").output == "t\n")
        // Only the granted columns are shown, with the privileges held on each (MySQL's form).
        #expect(try run(db, "col", "SELECT COLUMN_NAME, PRIVILEGES FROM information_schema.COLUMNS WHERE TABLE_NAME = 't' ORDER BY ORDINAL_POSITION").output == """
            id\tselect,insert
            a\tselect,insert
            b\tselect
            c\tupdate

            """)
        #expect(try run(db, "col", "SHOW FULL COLUMNS FROM shop.t").output.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["id", "a", "b", "c"])
        #expect(try run(db, "col", "DESCRIBE shop.t secret").output == "")
        #expect(try rootQuery(db, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_NAME = 't' AND PRIVILEGES = 'select,insert,update,references'") == "5\n")

        // What the grants allow.
        #expect(try run(db, "col", "SELECT id, a, b FROM shop.t ORDER BY id").output == "1\t10\tx\n2\t20\ty\n")
        #expect(try run(db, "col", "SELECT COUNT(*) FROM shop.t WHERE a > 5").output == "2\n")
        let before = try rootQuery(db, "SELECT * FROM shop.t ORDER BY id")

        let denied: [(String, String)] = [
            ("SELECT * FROM shop.t", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'c' in table 't'"),
            ("SELECT secret FROM shop.t", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'secret' in table 't'"),
            ("SELECT id FROM shop.t WHERE secret = 's1'",
             "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'secret' in table 't'"),
            ("SELECT id FROM shop.t ORDER BY c", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'c' in table 't'"),
            ("SELECT (SELECT MAX(secret) FROM shop.t) AS s", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'secret' in table 't'"),
            ("SELECT x.c FROM shop.t x", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'c' in table 't'"),
            ("UPDATE shop.t SET a = 5", "ERROR 1143 (42000): UPDATE command denied to user 'col'@'%' for column 'a' in table 't'"),
            ("UPDATE shop.t SET c = c + 1", "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'c' in table 't'"),
            ("UPDATE shop.t SET c = 1 WHERE secret = 's1'",
             "ERROR 1143 (42000): SELECT command denied to user 'col'@'%' for column 'secret' in table 't'"),
            ("INSERT INTO shop.t (id, a, b) VALUES (3, 1, 'z')",
             "ERROR 1143 (42000): INSERT command denied to user 'col'@'%' for column 'b' in table 't'"),
            ("INSERT INTO shop.t VALUES (3, 1, 'z', 1, 's')",
             "ERROR 1143 (42000): INSERT command denied to user 'col'@'%' for column 'b' in table 't'"),
            ("INSERT INTO shop.t (id, a) VALUES (1, 1) ON DUPLICATE KEY UPDATE a = 2",
             "ERROR 1143 (42000): UPDATE command denied to user 'col'@'%' for column 'a' in table 't'"),
            ("DELETE FROM shop.t WHERE id = 1", "ERROR 1142 (42000): DELETE command denied to user 'col'@'%' for table 't'"),
            ("SELECT * FROM shop.other", "ERROR 1142 (42000): SELECT command denied to user 'col'@'%' for table 'other'"),
            ("GRANT SELECT (a) ON shop.t TO 'col'@'%'", "ERROR 1142 (42000): GRANT command denied to user 'col'@'%' for table 't'"),
        ]
        for (sql, message) in denied {
            let error = message.replacingOccurrences(of: "): ", with: ") at line 1: ")
            let r = try run(db, "col", sql)
            #expect(r.status != 0, "\(sql) was allowed")
            #expect(r.output.contains(error), "\(sql): \(r.output)")
        }
        #expect(try rootQuery(db, "SELECT * FROM shop.t ORDER BY id") == before, "a denied statement changed the table")

        // UPDATE of a granted column, reading granted columns; INSERT of granted columns.
        #expect(try run(db, "col", "UPDATE shop.t SET c = 7 WHERE a = 10").status == 0)
        #expect(try run(db, "col", "INSERT INTO shop.t (id, a) VALUES (3, 30)").status == 0)
        #expect(try rootQuery(db, "SELECT id, a, b, c, secret FROM shop.t ORDER BY id") == "1\t10\tx\t7\ts1\n2\t20\ty\t200\ts2\n3\t30\tNULL\tNULL\tNULL\n")

        // Bad grants, as root.
        let badGrants: [(String, String)] = [
            ("GRANT SELECT (nope) ON shop.t TO 'col'@'%'", "ERROR 1054 (42S22)"),
            ("GRANT DELETE (a) ON shop.t TO 'col'@'%'", "ERROR 1064 (42000)"),
            ("GRANT SELECT (a) ON shop.* TO 'col'@'%'", "ERROR 1144 (42000)"),
            ("GRANT SELECT (a) ON shop.missing TO 'col'@'%'", "ERROR 1146 (42S02)"),
            ("REVOKE SELECT (c) ON shop.t FROM 'col'@'%'", "ERROR 1147 (42000)"),
        ]
        for (sql, code) in badGrants {
            let r = try db.mariadb(["-e", sql])
            #expect(r.status != 0 && r.output.contains(code), "\(sql): \(r.output)")
        }
        #expect(try rootQuery(db, "SELECT COUNT(*) FROM mysql.columns_priv") == "4\n")

        // REVOKE on a column, then a table-level REVOKE that takes the columns' SELECT too.
        #expect(try db.mariadb(["-e", "REVOKE UPDATE (c) ON shop.t FROM 'col'@'%'"]).status == 0)
        let noUpdate = try run(db, "col", "UPDATE shop.t SET c = 1")
        #expect(noUpdate.output.contains("ERROR 1142 (42000) at line 1: UPDATE command denied to user 'col'@'%' for table 't'"), "\(noUpdate.output)")
        #expect(try db.mariadb(["-e", "REVOKE SELECT ON shop.t FROM 'col'@'%'"]).status == 0)
        let noSelect = try run(db, "col", "SELECT id FROM shop.t")
        #expect(noSelect.output.contains("ERROR 1142 (42000) at line 1: SELECT command denied to user 'col'@'%' for table 't'"), "\(noSelect.output)")
        #expect(try run(db, "col", "SHOW GRANTS").output == """
            GRANT USAGE ON *.* TO `col`@`%`
            GRANT INSERT (`a`, `id`) ON `shop`.`t` TO `col`@`%`

            """)
        // A table-level grant beside column grants: MySQL repeats the name.
        #expect(try db.mariadb(["-e", "GRANT INSERT ON shop.t TO 'col'@'%'"]).status == 0)
        #expect(try run(db, "col", "SHOW GRANTS").output.contains("GRANT INSERT, INSERT (`a`, `id`) ON `shop`.`t` TO `col`@`%`"))
        #expect(try run(db, "col", "INSERT INTO shop.t VALUES (4, 4, 'd', 4, 'e')").status == 0)

        #expect(try db.mariadb(["-e", "DROP USER 'col'@'%'"]).status == 0)
        #expect(try rootQuery(db, "SELECT COUNT(*) FROM mysql.columns_priv") == "0\n")
    }
}
