import Foundation
import MariaDBTestSupport
import Testing

extension DumpRoundTripTests {
    /// Accounts and grants at every level, for the `mysql` schema of a dump of everything.
    static let accounts = """
        CREATE DATABASE rt2 CHARACTER SET utf8mb4;
        CREATE TABLE rt2.notes (id INT PRIMARY KEY, note VARCHAR(50), secret VARCHAR(50));
        INSERT INTO rt2.notes VALUES (1, 'one', 's1'), (2, 'two', NULL);
        CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw';
        GRANT ALL PRIVILEGES ON rt.* TO 'app'@'%';
        GRANT SELECT (id, note), UPDATE (note) ON rt2.notes TO 'app'@'%';
        CREATE USER 'reader'@'localhost' IDENTIFIED WITH mysql_native_password BY 'reader-pw';
        GRANT SELECT ON rt2.notes TO 'reader'@'localhost';
        """

    /// `mariadb-dump --all-databases` of onebox: the `mysql` schema (accounts, grants, and the
    /// empty general_log/slow_log as structure only) and every user database load into a
    /// fresh onebox, which then has the same rows, accounts and grants and dumps the same
    /// dump again; the user databases (`--ignore-database=mysql`) load into MariaDB.
    @Test func allDatabasesRoundTrip() throws {
        let source = try DBFixture()
        let src = Self.onebox(source)
        _ = try src.run(["-e", "CREATE DATABASE rt CHARACTER SET utf8mb4"])
        _ = try src.run(["rt"], input: Self.schema + Self.data)
        _ = try src.run([], input: Self.accounts)
        let expected = try src.rows()
        let notes = "SELECT * FROM rt2.notes ORDER BY id"
        let expectedNotes = try src.run(["-e", notes])
        let grants = ["SHOW GRANTS FOR 'app'@'%'", "SHOW GRANTS FOR 'reader'@'localhost'"]
        let expectedGrants = try grants.map { try src.run(["-e", $0]) }
        #expect(expectedGrants[0].contains("GRANT SELECT (`id`, `note`), UPDATE (`note`) ON `rt2`.`notes` TO `app`@`%`"), "\(expectedGrants[0])")

        for options in [["--all-databases"], ["--all-databases", "--single-transaction", "--flush-privileges"]] {
            let dump = try src.dump(options)
            let text = String(decoding: dump, as: UTF8.self)
            // The log tables: structure only, as mariadb-dump does against MySQL and MariaDB.
            #expect(text.contains("CREATE TABLE IF NOT EXISTS `general_log`") && text.contains("CREATE TABLE IF NOT EXISTS `slow_log`"))
            #expect(!text.contains("INSERT INTO `general_log`") && !text.contains("INSERT INTO `slow_log`"))
            #expect(text.contains("INSERT INTO `columns_priv`"))
            #expect(!text.contains("information_schema"))

            let fresh = try DBFixture()
            let into = Self.onebox(fresh)
            // The second target has data of its own: the dump's databases replace theirs, the rest stays.
            let hasOwnData = options.count > 1
            if hasOwnData { _ = try into.run(["-e", "CREATE DATABASE keep; CREATE TABLE keep.k (a INT); INSERT INTO keep.k VALUES (7)"]) }
            _ = try into.run([], data: dump)
            if hasOwnData { #expect(try into.run(["--skip-column-names", "-e", "SELECT a FROM keep.k"]) == "7\n") }
            #expect(try into.rows() == expected, "rows differ after \(options)")
            #expect(try into.run(["-e", notes]) == expectedNotes)
            #expect(try grants.map { try into.run(["-e", $0]) } == expectedGrants, "grants differ after \(options)")
            // The accounts came along with their passwords, and their grants hold.
            let app = try fresh.mariadb(["--skip-column-names", "-e", "SELECT id, note FROM rt2.notes ORDER BY id"],
                                        user: "app", password: "app-pw")
            #expect(app.output == "1\tone\n2\ttwo\n", "\(app.output)")
            let denied = try fresh.mariadb(["-e", "SELECT secret FROM rt2.notes"], user: "app", password: "app-pw")
            #expect(denied.output.contains("ERROR 1143 (42000)"), "\(denied.output)")
            let reader = try fresh.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*) FROM rt2.notes"], user: "reader",
                                           password: "reader-pw", socket: true)
            #expect(reader.output == "2\n", "\(reader.output)")
            // Dumped again: the same dump.
            if !hasOwnData {
                #expect(Self.stable(try into.dump(options)) == Self.stable(dump), "a dump of the restored --all-databases dump differs for \(options)")
            }
        }

        // MariaDB keeps its own `mysql` schema (another shape): the user databases only.
        let mariadbServer = try MariaDBServer.start()
        defer { mariadbServer.stop(keepingData: false) }
        let maria = Self.mariadb(mariadbServer)
        _ = try maria.run([], data: try src.dump(["--all-databases", "--ignore-database=mysql"]))
        #expect(try maria.rows() == expected, "rows differ in MariaDB after --all-databases --ignore-database=mysql")
        #expect(try maria.run(["-e", notes]) == expectedNotes)
        #expect(try maria.run(["--skip-column-names", "-e", "SELECT COUNT(*) > 0 FROM mysql.global_priv WHERE User = 'root'"]) == "1\n")
    }
}
