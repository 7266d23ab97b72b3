import Foundation
import MySQLWire
import Testing

/// `onebox db` end to end with SQL: the `mariadb` CLI in batch and tabular mode,
/// multi-statements, error codes as the CLI prints them, durability across kill -9,
/// KILL, and PyMySQL.
@Suite(.serialized, .enabled(if: mariadbInstalled)) struct DBSQLTests {
    static let schema = """
        CREATE DATABASE shop;
        USE shop;
        CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, price DECIMAL(10,2));
        INSERT INTO items (name, price) VALUES ('apple', 1.25), ('pear', 2.50), ('fig', NULL);
        """

    @Test func createInsertSelectWithTheCLI() throws {
        let db = try DBFixture()
        let load = try db.mariadb(["--batch"], input: Self.schema)
        #expect(load.status == 0, "\(load.output)")
        let batch = try db.mariadb(["--batch", "shop", "-e", "SELECT id, name, price FROM items ORDER BY id"])
        #expect(batch.output == "id\tname\tprice\n1\tapple\t1.25\n2\tpear\t2.50\n3\tfig\tNULL\n", "\(batch.output)")
        let table = try db.mariadb(["--table", "shop", "-e", "SELECT name FROM items WHERE id = 2"])
        #expect(table.output.contains("| name |") && table.output.contains("| pear |"), "\(table.output)")
        let viaSocket = try db.mariadb(["--batch", "--skip-column-names", "shop", "-e", "SELECT COUNT(*) FROM items"], socket: true)
        #expect(viaSocket.output == "3\n", "\(viaSocket.output)")
    }

    @Test func errorsAsTheCLIPrintsThem() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch"], input: Self.schema).status == 0)
        let missing = try db.mariadb(["shop", "-e", "SELECT * FROM nope"])
        #expect(missing.status == 1)
        #expect(missing.output.contains("ERROR 1146 (42S02) at line 1: Table 'shop.nope' doesn't exist"), "\(missing.output)")
        let duplicate = try db.mariadb(["shop", "-e", "INSERT INTO items (id, name) VALUES (1, 'again')"])
        #expect(duplicate.output.contains("ERROR 1062 (23000)"), "\(duplicate.output)")
        let noDatabase = try db.mariadb(["-e", "SELECT * FROM items"])
        #expect(noDatabase.output.contains("ERROR 1046 (3D000)"), "\(noDatabase.output)")
    }

    @Test func multiStatementsGiveMultipleResults() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch"], input: Self.schema).status == 0)
        let result = try db.mariadb(["--batch", "--skip-column-names", "shop", "-e",
                                     "SELECT 1; SELECT name FROM items WHERE id = 3; UPDATE items SET price = 3 WHERE id = 3"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "1\nfig\n", "\(result.output)")
    }

    @Test func committedRowsSurviveKillNine() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch"], input: Self.schema).status == 0)
        #expect(try db.mariadb(["shop", "-e", "INSERT INTO items (name) VALUES ('durable')"]).status == 0)
        try db.restart(crash: true)
        let after = try db.mariadb(["--batch", "--skip-column-names", "shop", "-e", "SELECT name FROM items WHERE name = 'durable'"])
        #expect(after.output == "durable\n", "\(after.output)")
        // Accounts are data too: the root password still works, and a clean restart keeps it all.
        try db.restart(crash: false)
        #expect(try db.mariadb(["--batch", "--skip-column-names", "shop", "-e", "SELECT COUNT(*) FROM items"]).output == "4\n")
    }

    /// A client that disappears inside a transaction: its changes are rolled back and
    /// its write lock is released, so the next writer is not blocked.
    @Test func vanishedClientIsRolledBack() throws {
        let db = try DBFixture()
        #expect(try db.mariadb(["--batch"], input: Self.schema).status == 0)
        let socket = try DBRawSocket(port: db.port)
        #expect(try socket.login(password: DBFixture.rootPassword)?.payload.first == 0x00)
        for statement in ["BEGIN", "INSERT INTO shop.items (name) VALUES ('uncommitted')"] {
            socket.sendPacket(MySQLSimpleCommand.encode(.query, argument: Array(statement.utf8)), sequenceID: 0)
            #expect(socket.readPacket()?.payload.first == 0x00)
        }
        socket.close()
        let write = try db.mariadb(["--batch", "--skip-column-names", "shop", "-e",
                                    "INSERT INTO items (name) VALUES ('next'); SELECT name FROM items WHERE id > 3 ORDER BY id"])
        #expect(write.status == 0, "\(write.output)")
        #expect(!write.output.contains("uncommitted"), "\(write.output)")
        #expect(write.output.contains("next"), "\(write.output)")
    }

    @Test func killEndsAnotherConnection() throws {
        let db = try DBFixture()
        let socket = try DBRawSocket(port: db.port)
        #expect(try db.mariadb(["--batch", "-e", "SELECT 1"]).status == 0)
        let greeting = try #require(socket.readPacket())
        let id = try MySQLHandshakeV10.decode(greeting.payload).connectionID
        let killed = try db.mariadb(["-e", "KILL \(id)"])
        #expect(killed.status == 0, "\(killed.output)")
        #expect(socket.waitForClose())
        let unknown = try db.mariadb(["-e", "KILL 999999"])
        #expect(unknown.output.contains("ERROR 1094 (HY000)"), "\(unknown.output)")
    }

    @Test(.enabled(if: pyMySQLInstalled)) func pyMySQLWithParameters() throws {
        let db = try DBFixture()
        let result = try db.python("""
            import os, pymysql
            conn = pymysql.connect(host="127.0.0.1", port=int(os.environ["DB_PORT"]), user="root",
                                   password=os.environ["DB_PASSWORD"], charset="utf8mb4")
            cur = conn.cursor()
            cur.execute("CREATE DATABASE py")
            cur.execute("USE py")
            cur.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), raw BLOB, at DATETIME(6))")
            cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s)", (1, "O'Reilly \\\\ 😀", b"\\x00\\x01'\\xff", "2024-05-06 07:08:09.123456"))
            conn.commit()
            cur.execute("SELECT id, name, raw, at FROM t WHERE id = %s", (1,))
            row = cur.fetchone()
            assert row[0] == 1 and row[1] == "O'Reilly \\\\ 😀" and row[2] == b"\\x00\\x01'\\xff", row
            assert str(row[3]) == "2024-05-06 07:08:09.123456", row
            try:
                cur.execute("SELECT * FROM nope")
            except pymysql.err.ProgrammingError as e:
                assert e.args[0] == 1146, e
            conn.ping()
            conn.select_db("py")
            conn.close()
            unix = pymysql.connect(unix_socket=os.environ["DB_SOCKET"], user="root", password=os.environ["DB_PASSWORD"], database="py")
            c = unix.cursor(); c.execute("SELECT COUNT(*) FROM t"); assert c.fetchone()[0] == 1
            print("ok")
            """)
        #expect(result.status == 0 && result.output.hasSuffix("ok\n"), "\(result.output)")
    }
}
