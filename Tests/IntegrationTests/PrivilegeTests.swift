import Foundation
import Testing

/// GRANT/REVOKE at global, database and table level, enforced on every statement with
/// MySQL's errors, driven with the `mariadb` CLI; a denied statement changes nothing.
@Suite(.serialized, .enabled(if: mariadbInstalled))
struct PrivilegeTests {
    static func setUp(_ db: DBFixture) throws {
        let r = try db.mariadb([], input: """
            CREATE DATABASE foobar;
            CREATE TABLE foobar.posts (id INT PRIMARY KEY, title VARCHAR(50));
            INSERT INTO foobar.posts VALUES (1, 'hello');
            CREATE DATABASE secret;
            CREATE TABLE secret.keys (id INT PRIMARY KEY, k VARCHAR(50));
            INSERT INTO secret.keys VALUES (1, 'do not read');
            CREATE TABLE secret.open (id INT PRIMARY KEY);
            CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw';
            GRANT ALL PRIVILEGES ON foobar.* TO 'app'@'%';
            CREATE USER 'reader'@'%' IDENTIFIED BY 'reader-pw';
            GRANT SELECT ON secret.open TO 'reader'@'%';
            GRANT SELECT, INSERT ON foobar.posts TO 'reader'@'%';
            """)
        #expect(r.status == 0, "\(r.output)")
    }

    func run(_ db: DBFixture, _ user: String, _ sql: String) throws -> (status: Int32, output: String) {
        try db.mariadb(["--skip-column-names", "-e", sql], user: user, password: user + "-pw")
    }

    @Test func anApplicationAccountSeesAndTouchesOnlyItsDatabase() throws {
        let db = try DBFixture()
        try Self.setUp(db)
        #expect(try run(db, "app", "SHOW DATABASES").output == "foobar\ninformation_schema\n")
        #expect(try run(db, "app", "SELECT title FROM foobar.posts").output == "hello\n")
        #expect(try run(db, "app", "INSERT INTO foobar.posts VALUES (2, 'x'); CREATE TABLE foobar.t2 (a INT); DROP TABLE foobar.t2").status == 0)

        let denied: [(String, String)] = [
            ("SELECT * FROM secret.keys", "ERROR 1142 (42000): SELECT command denied to user 'app'@'%' for table 'keys'"),
            ("USE secret", "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'secret'"),
            ("INSERT INTO secret.keys VALUES (2, 'x')", "ERROR 1142 (42000): INSERT command denied to user 'app'@'%' for table 'keys'"),
            ("UPDATE secret.keys SET k = 'x'", "ERROR 1142 (42000): UPDATE command denied to user 'app'@'%' for table 'keys'"),
            ("DELETE FROM secret.keys", "ERROR 1142 (42000): DELETE command denied to user 'app'@'%' for table 'keys'"),
            ("DROP TABLE secret.keys", "ERROR 1142 (42000): DROP command denied to user 'app'@'%' for table 'keys'"),
            ("CREATE DATABASE other", "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'other'"),
            ("DROP DATABASE secret", "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'secret'"),
            ("SELECT * FROM foobar.posts WHERE id IN (SELECT id FROM secret.keys)",
             "ERROR 1142 (42000): SELECT command denied to user 'app'@'%' for table 'keys'"),
            ("INSERT INTO foobar.posts SELECT id + 10, k FROM secret.keys",
             "ERROR 1142 (42000): SELECT command denied to user 'app'@'%' for table 'keys'"),
            ("CREATE USER 'x'@'%'", "ERROR 1227 (42000): Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation"),
            ("SET GLOBAL max_connections = 10",
             "ERROR 1227 (42000): Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation"),
            ("GRANT SELECT ON secret.* TO 'app'@'%'", "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'secret'"),
            ("SHOW TABLES FROM secret", "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'secret'"),
            ("SHOW CREATE TABLE secret.keys", "ERROR 1142 (42000): SELECT command denied to user 'app'@'%' for table 'keys'"),
            ("SELECT * FROM mysql.user", "ERROR 1142 (42000): SELECT command denied to user 'app'@'%' for table 'user'"),
        ]
        for (sql, message) in denied {
            // The CLI prints "ERROR 1142 (42000) at line 1: ..." for -e statements.
            let error = message.replacingOccurrences(of: "): ", with: ") at line 1: ")
            let r = try run(db, "app", sql)
            #expect(r.status != 0, "\(sql) was allowed")
            #expect(r.output.contains(error), "\(sql): \(r.output)")
        }
        // Nothing changed.
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*), MAX(k) FROM secret.keys"]).output == "1\tdo not read\n")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*) FROM foobar.posts WHERE id > 10"]).output == "0\n")
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*) FROM mysql.user WHERE User = 'x'"]).output == "0\n")

        // information_schema shows only what the account may see.
        #expect(try run(db, "app", "SELECT DISTINCT TABLE_SCHEMA FROM information_schema.TABLES ORDER BY 1").output == "foobar\n")
        #expect(try run(db, "app", "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1").output == "foobar\ninformation_schema\n")
        #expect(try run(db, "app", "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'secret'").output == "0\n")
        #expect(try run(db, "app", "SHOW GRANTS").output == "GRANT USAGE ON *.* TO `app`@`%`\nGRANT ALL PRIVILEGES ON `foobar`.* TO `app`@`%`\n")
    }

    @Test func tableGrantsAndRevokeTakeEffectOnOpenConnections() throws {
        let db = try DBFixture()
        try Self.setUp(db)
        #expect(try run(db, "reader", "SELECT COUNT(*) FROM secret.open").output == "0\n")
        #expect(try run(db, "reader", "SHOW TABLES FROM secret").output == "open\n")
        let keys = try run(db, "reader", "SELECT * FROM secret.keys")
        #expect(keys.output.contains("ERROR 1142"), "\(keys.output)")
        let update = try run(db, "reader", "UPDATE foobar.posts SET title = 'changed'")
        #expect(update.output.contains("ERROR 1142 (42000) at line 1: UPDATE command denied to user 'reader'@'%' for table 'posts'"), "\(update.output)")
        #expect(try run(db, "reader", "INSERT INTO foobar.posts VALUES (3, 'by reader')").status == 0)
        #expect(try run(db, "reader", "SHOW GRANTS").output == """
            GRANT USAGE ON *.* TO `reader`@`%`
            GRANT SELECT, INSERT ON `foobar`.`posts` TO `reader`@`%`
            GRANT SELECT ON `secret`.`open` TO `reader`@`%`

            """)
        // Illegal levels.
        let illegal = try db.mariadb(["-e", "GRANT SUPER ON foobar.* TO 'reader'@'%'"])
        #expect(illegal.output.contains("ERROR 1221"), "\(illegal.output)")
        let tableLevel = try db.mariadb(["-e", "GRANT EXECUTE ON foobar.posts TO 'reader'@'%'"])
        #expect(tableLevel.output.contains("ERROR 1144"), "\(tableLevel.output)")

        // A revoke applies to a connection that is already open, from its next statement.
        if pyMySQLInstalled {
            let script = try db.python("""
                import os, pymysql
                reader = pymysql.connect(unix_socket=os.environ["DB_SOCKET"], user="reader", password="reader-pw", autocommit=True)
                root = pymysql.connect(unix_socket=os.environ["DB_SOCKET"], user="root", password=os.environ["DB_PASSWORD"], autocommit=True)
                reader.cursor().execute("INSERT INTO foobar.posts VALUES (4, 'before')")
                root.cursor().execute("REVOKE INSERT ON foobar.posts FROM 'reader'@'%'")
                try:
                    reader.cursor().execute("INSERT INTO foobar.posts VALUES (5, 'after')")
                    print("allowed")
                except pymysql.err.MySQLError as e:
                    print("denied", e.args[0])
                """)
            #expect(script.output == "denied 1142\n", "\(script.output)")
        } else {
            #expect(try db.mariadb(["-e", "REVOKE INSERT ON foobar.posts FROM 'reader'@'%'"]).status == 0)
        }
        let afterRevoke = try run(db, "reader", "INSERT INTO foobar.posts VALUES (6, 'x')")
        #expect(afterRevoke.output.contains("ERROR 1142 (42000) at line 1: INSERT command denied"), "\(afterRevoke.output)")
        let noGrant = try db.mariadb(["-e", "REVOKE DELETE ON secret.open FROM 'reader'@'%'"])
        #expect(noGrant.status == 0 || noGrant.output.contains("ERROR 1147"), "\(noGrant.output)")
        #expect(try db.mariadb(["-e", "REVOKE SELECT ON secret.open FROM 'reader'@'%'"]).status == 0)
        #expect(try run(db, "reader", "SHOW DATABASES").output == "foobar\ninformation_schema\n")
        // Global grants reach everything.
        #expect(try db.mariadb(["-e", "GRANT SELECT ON *.* TO 'reader'@'%'"]).status == 0)
        #expect(try run(db, "reader", "SELECT k FROM secret.keys").output == "do not read\n")
        #expect(try run(db, "reader", "DELETE FROM secret.keys").output.contains("ERROR 1142"))
    }
}
