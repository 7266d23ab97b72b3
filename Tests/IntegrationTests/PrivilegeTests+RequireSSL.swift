import Foundation
import Testing

/// `CREATE/ALTER USER ... REQUIRE SSL`: stored in mysql.user.ssl_type, enforced when the
/// account logs in (1045 without TLS, over TCP and the Unix socket alike, as MySQL), shown
/// by SHOW CREATE USER in a form that CREATE USER reads back; account options onebox has no
/// policy for are refused with 1235 rather than ignored.
@Suite(.serialized, .enabled(if: mariadbInstalled))
struct RequireSSLTests {
    let refused = "ERROR 1045 (28000): Access denied for user 'tls'@'localhost' (using password: YES)"

    func login(_ db: DBFixture, tls: Bool, socket: Bool = false) throws -> (status: Int32, output: String) {
        let mode = tls ? ["--ssl", "--ssl-verify-server-cert=0"] : ["--skip-ssl"]
        return try db.mariadb(mode + ["--skip-column-names", "-e", "SELECT CURRENT_USER()"], user: "tls", password: "tls-pw", socket: socket)
    }

    @Test func requireSSLIsEnforcedAndRoundTrips() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["-e", "CREATE USER tls@'%' IDENTIFIED BY 'tls-pw' REQUIRE SSL"]).status == 0)
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT ssl_type FROM mysql.user WHERE User = 'tls'"]).output == "ANY\n")

        #expect(try login(db, tls: true).output == "tls@%\n")
        for socket in [false, true] {
            let r = try login(db, tls: false, socket: socket)
            #expect(r.status != 0 && r.output.contains(refused), "socket \(socket): \(r.output)")
        }

        // SHOW CREATE USER says REQUIRE SSL, and its statement recreates the same account.
        let show = try db.mariadb(["--skip-column-names", "--raw", "-e", "SHOW CREATE USER tls@'%'"]).output
        #expect(show.hasPrefix("CREATE USER `tls`@`%` IDENTIFIED WITH 'caching_sha2_password' AS '$"), "\(show)")
        #expect(show.contains(" REQUIRE SSL PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK "), "\(show)")
        #expect(try db.mariadb(["-e", "DROP USER tls@'%'; " + show]).status == 0)
        #expect(try login(db, tls: true).output == "tls@%\n")
        #expect(try login(db, tls: false).output.contains(refused))

        // The account may not lift its own requirement; the DBA may.
        let own = try db.mariadb(["--ssl", "--ssl-verify-server-cert=0", "-e", "ALTER USER CURRENT_USER() REQUIRE NONE"],
                                 user: "tls", password: "tls-pw")
        #expect(own.output.contains("ERROR 1227 (42000)"), "\(own.output)")
        #expect(try db.mariadb(["-e", "ALTER USER tls@'%' REQUIRE NONE"]).status == 0)
        #expect(try login(db, tls: false).output == "tls@%\n")
        #expect(try db.mariadb(["--skip-column-names", "--raw", "-e", "SHOW CREATE USER tls@'%'"]).output.contains(" REQUIRE NONE "))
    }

    @Test func optionsWithoutAPolicyAreRefusedNotIgnored() throws {
        let db = try DBFixture()
        let accepted = [
            "CREATE USER a1 IDENTIFIED BY 'x' REQUIRE NONE WITH MAX_USER_CONNECTIONS 0 PASSWORD EXPIRE NEVER ACCOUNT LOCK",
            "ALTER USER a1 PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT OPTIONAL FAILED_LOGIN_ATTEMPTS 0",
        ]
        for sql in accepted { #expect(try db.mariadb(["-e", sql]).status == 0, "\(sql)") }
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT account_locked FROM mysql.user WHERE User = 'a1'"]).output == "Y\n")
        let refused = [
            ("CREATE USER a2 REQUIRE X509", "REQUIRE X509"),
            ("CREATE USER a2 REQUIRE ISSUER '/CN=x'", "REQUIRE ISSUER"),
            ("CREATE USER a2 WITH MAX_USER_CONNECTIONS 5", "MAX_USER_CONNECTIONS other than 0"),
            ("CREATE USER a2 PASSWORD EXPIRE INTERVAL 90 DAY", "PASSWORD EXPIRE INTERVAL"),
            ("CREATE USER a2 FAILED_LOGIN_ATTEMPTS 3", "FAILED_LOGIN_ATTEMPTS"),
            ("CREATE USER a2 DEFAULT ROLE r", "DEFAULT ROLE"),
            ("CREATE USER a2 COMMENT 'hi'", "user COMMENT"),
        ]
        for (sql, what) in refused {
            let r = try db.mariadb(["-e", sql])
            #expect(r.output.contains("ERROR 1235 (42000) at line 1: This version of MySQL doesn't yet support '\(what)'"), "\(sql): \(r.output)")
        }
        #expect(try db.mariadb(["--skip-column-names", "-e", "SELECT COUNT(*) FROM mysql.user WHERE User = 'a2'"]).output == "0\n")
        #expect(try db.mariadb(["-e", "CREATE USER a3 REQUIRE SSL FOO"]).output.contains("ERROR 1064 (42000)"))
    }

    /// A database from before mysql.user had ssl_type (simulated by dropping the column) gets
    /// it back on the next start, and its accounts keep working.
    @Test func olderUserTableGainsTheColumnOnStart() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["-e", "CREATE USER tls@'%' IDENTIFIED BY 'tls-pw'; ALTER TABLE mysql.user DROP COLUMN ssl_type"]).status == 0)
        #expect(try login(db, tls: false).output == "tls@%\n")
        let refused = try db.mariadb(["-e", "ALTER USER tls@'%' REQUIRE SSL"]).output
        #expect(refused.contains("ERROR 1054 (42S22)"), "\(refused)")
        try db.restart(crash: false)
        #expect(try db.mariadb(["-e", "ALTER USER tls@'%' REQUIRE SSL"]).status == 0)
        #expect(try login(db, tls: false).output.contains(self.refused))
        #expect(try login(db, tls: true).output == "tls@%\n")
    }
}
