import Foundation
import Testing

/// The protocol paths of `onebox db` driven by the real `mariadb` CLI: login with both
/// auth plugins, TLS, the Unix socket, error codes, and hostile packets on a raw socket.
@Suite(.serialized, .enabled(if: mariadbInstalled)) struct DBProtocolTests {
    @Test func loginAndQueryOverTCPAndSocket() throws {
        let db = try DBFixture()
        // Without TLS on a fresh server: caching_sha2_password's full path with the RSA key exchange.
        let tcp = try db.mariadb(["--skip-ssl", "--batch", "-e", "SELECT 1"])
        #expect(tcp.status == 0, "\(tcp.output)")
        #expect(tcp.output.split(separator: "\n").last == "1")
        let socket = try db.mariadb(["--batch", "-e", "SELECT 1"], socket: true)
        #expect(socket.status == 0, "\(socket.output)")
        #expect(socket.output.split(separator: "\n").last == "1")
        // A second login takes caching_sha2_password's fast path (the digest is cached now).
        #expect(try db.mariadb(["--skip-ssl", "--batch", "-e", "SELECT 1"]).status == 0)
    }

    /// An interactive session through a pseudo-terminal (`script`): the banner, auto-rehash
    /// (SHOW DATABASES, SHOW TABLES, COM_FIELD_LIST per table) and `status` (COM_STATISTICS).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func interactiveSessionThroughAPseudoTerminal() throws {
        let db = try DBFixture()
        let setup = try db.mariadb(["--batch"], input: "CREATE DATABASE shop; USE shop; CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO items VALUES (1, 'apple');")
        #expect(setup.status == 0, "\(setup.output)")
        let command = "mariadb --no-defaults -h127.0.0.1 -P\(db.port) --protocol=TCP -uroot -p\(DBFixture.rootPassword) shop"
        let session = try runProcess("/usr/bin/script", ["-qfec", command, "/dev/null"],
                                     input: "SELECT name FROM items;\nstatus\nquit\n")
        #expect(session.output.contains("Server version:\t\t8.0.40-onebox-0.1"), "\(session.output)")
        #expect(session.output.contains("| apple |"), "\(session.output)")
        #expect(session.output.contains("Uptime:"), "\(session.output)")
        #expect(session.output.contains("Cipher in use is TLS"), "\(session.output)")
    }

    @Test func wrongPasswordUnknownUserAndUnknownDatabase() throws {
        let db = try DBFixture()
        let wrong = try db.mariadb(["-e", "SELECT 1"], password: "nope")
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)"), "\(wrong.output)")
        let unknown = try db.mariadb(["-e", "SELECT 1"], user: "nobody", password: "x")
        #expect(unknown.output.contains("ERROR 1045 (28000): Access denied for user 'nobody'@'localhost' (using password: YES)"), "\(unknown.output)")
        let empty = try db.mariadb(["-e", "SELECT 1"], password: nil)
        #expect(empty.output.contains("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: NO)"), "\(empty.output)")
        let database = try db.mariadb(["-e", "SELECT 1", "no_such_db"])
        #expect(database.output.contains("ERROR 1049 (42000): Unknown database 'no_such_db'"), "\(database.output)")
        // The server is still fine after refusals.
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
    }

    @Test func syntaxErrorIsReportedAndBatchContinuesWithForce() throws {
        let db = try DBFixture()
        let result = try db.mariadb(["--batch", "--force"], input: "SELEC 1;\nSELECT 2;\n")
        #expect(result.output.contains("ERROR 1064 (42000)"), "\(result.output)")
        #expect(result.output.contains("2"))
    }

    @Test func tlsWithVerifiedSelfSignedCertificate() throws {
        let db = try DBFixture()
        let certificate = db.state.appendingPathComponent("tls/db-self-signed.crt").path
        let verified = try db.mariadb(["--ssl", "--ssl-ca=\(certificate)", "--ssl-verify-server-cert", "--batch", "-e", "SELECT 1"])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.split(separator: "\n").last == "1")
        // Verification is real: another CA is refused.
        let otherCA = db.directory.appendingPathComponent("other-ca.pem").path
        _ = try runProcess("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                "-nodes", "-subj", "/CN=other", "-keyout", otherCA + ".key", "-out", otherCA, "-days", "1"])
        let refused = try db.mariadb(["--ssl", "--ssl-ca=\(otherCA)", "--ssl-verify-server-cert", "-e", "SELECT 1"])
        #expect(refused.status != 0)
        // TLS and caching_sha2_password's full path: a fresh server has no cached digest.
        let fresh = try DBFixture()
        let full = try fresh.mariadb(["--ssl", "--batch", "-e", "SELECT 1"])
        #expect(full.status == 0, "\(full.output)")
    }

    @Test func generatedRootPasswordIsSavedPrivately() throws {
        let db = try DBFixture(rootPassword: nil)
        let path = db.state.appendingPathComponent("secrets/root-password").path
        let password = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(password.count == 24)
        #expect(db.process.errorText.contains(password))
        let login = try db.mariadb(["--batch", "-e", "SELECT 1"], password: password)
        #expect(login.status == 0, "\(login.output)")
    }

    @Test func sigtermExitsCleanly() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
        #expect(db.process.stop() == 0)
        #expect(db.process.errorText.contains("database closed cleanly"))
    }
}
