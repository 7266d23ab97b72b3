import Testing
@testable import MySQLClient

@Suite struct ConfigurationURLTests {
    @Test func tcpURL() throws {
        let c = try MySQLConnectionConfiguration(url: "mysql://app:s3cret@127.0.0.1:3307/foobar")
        #expect(c.address == .tcp(host: "127.0.0.1", port: 3307))
        #expect(c.username == "app")
        #expect(c.password == "s3cret")
        #expect(c.database == "foobar")
        #expect(c.tlsMode == .preferred)
    }

    @Test func unixSocketURLWithAtSignsAndEscapes() throws {
        let c = try MySQLConnectionConfiguration(url: "mysql://ro%40ot:p%3Aw%2Fd@unix(/var/run/a@b/mysql.sock)/blog")
        #expect(c.address == .unix(path: "/var/run/a@b/mysql.sock"))
        #expect(c.username == "ro@ot")
        #expect(c.password == "p:w/d")
        #expect(c.database == "blog")
    }

    @Test func defaultsAndOptions() throws {
        let c = try MySQLConnectionConfiguration(url: "mysql://u@[::1]/?ssl-mode=VERIFY_IDENTITY&query-timeout=2.5&multi-statements=true")
        #expect(c.address == .tcp(host: "::1", port: 3306))
        #expect(c.password == "")
        #expect(c.database == nil)
        #expect(c.tlsMode == .verifyIdentity)
        #expect(c.queryTimeout == .milliseconds(2500))
        #expect(c.allowsMultipleStatements)
    }

    @Test(arguments: [
        "http://u:p@h/db", "mysql://h:3306/db", "mysql://u:p@h:99999/db", "mysql://u:p@h:x/db",
        "mysql://u:p@unix(/s/db", "mysql://u:p@h/db?ssl-mode=maybe", "mysql://u:p@h/db?bogus=1", "mysql://u:%zz@h/db",
    ])
    func rejectsBadURLs(_ url: String) {
        #expect(throws: MySQLClientError.self) { try MySQLConnectionConfiguration(url: url) }
    }

    @Test func redactedDescriptionHidesThePassword() throws {
        let c = try MySQLConnectionConfiguration(url: "mysql://app:s3cret@db.example:3306/foobar")
        #expect(!c.redactedDescription.contains("s3cret"))
    }
}
