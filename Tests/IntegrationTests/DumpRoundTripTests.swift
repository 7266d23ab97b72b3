import Foundation
import MariaDBTestSupport
import Testing
import TestSupport

/// `mariadb-dump` of onebox restored into a fresh onebox and into MariaDB, and MariaDB's
/// dump restored into onebox, rows compared exactly; a dump of a restored dump is the same
/// dump apart from its timestamp line.
@Suite(.serialized, .enabled(if: mariadbInstalled && FileManager.default.isExecutableFile(atPath: "/usr/bin/mariadb-dump")))
struct DumpRoundTripTests {
    /// Every column type MariaDB and onebox share, composite and unique indexes, a foreign
    /// key, a view, AUTO_INCREMENT.
    static let schema = """
        CREATE TABLE parent (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, code VARCHAR(20) NOT NULL,
          name VARCHAR(100), UNIQUE KEY uq_code (code));
        CREATE TABLE all_types (
          id BIGINT NOT NULL AUTO_INCREMENT,
          parent_id INT UNSIGNED,
          c_tiny TINYINT, c_utiny TINYINT UNSIGNED, c_small SMALLINT, c_medium MEDIUMINT, c_int INT NOT NULL DEFAULT 0,
          c_uint INT UNSIGNED, c_big BIGINT, c_ubig BIGINT UNSIGNED, c_dec DECIMAL(12,3), c_float FLOAT, c_double DOUBLE,
          c_bool TINYINT(1), c_bit BIT(8), c_char CHAR(10), c_varchar VARCHAR(255), c_text TEXT, c_mtext MEDIUMTEXT,
          c_blob BLOB, c_binary BINARY(4), c_varbin VARBINARY(16), c_date DATE, c_datetime DATETIME, c_dt6 DATETIME(6),
          c_ts TIMESTAMP NULL DEFAULT NULL, c_time TIME, c_year YEAR, c_enum ENUM('a','b','c') DEFAULT 'a', c_set SET('x','y','z'),
          PRIMARY KEY (id), KEY k_comp (c_int, c_varchar), UNIQUE KEY uq_big (c_big),
          CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL
        ) ENGINE=InnoDB;
        CREATE VIEW v_summary AS SELECT parent_id, COUNT(*) AS n FROM all_types GROUP BY parent_id;
        """

    /// 3,000 deterministic rows: NULLs, quotes, backslashes, newlines, emoji, binary bytes.
    static var data: String {
        var sql = "INSERT INTO parent (code, name) VALUES ('p1', 'first'), ('p2', 'it''s \"second\"'), ('p3', NULL);\n"
        var generator = SplitMix(seed: 42)
        let texts = ["plain", "quote ' and \" double", "back\\\\slash \\\\n literal", "new\nline\r\nand\ttab", "emoji 😀 ü ß 漢字",
                     "", "zero \\0 byte", "x", "%_ like chars", "trailing space "]
        for batch in 0..<30 {
            var rows: [String] = []
            for k in 0..<100 {
                let i = batch * 100 + k
                func orNull(_ text: String, _ every: Int) -> String { i % every == 0 ? "NULL" : text }
                let bytes = (0..<(i % 12)).map { _ in String(format: "%02X", Int(generator.next() & 0xFF)) }.joined()
                let text = texts[i % texts.count].replacingOccurrences(of: "'", with: "''")
                rows.append("""
                    (\(orNull(String(i % 3 + 1), 5)), \(orNull(String(i % 256 - 128), 7)), \(i % 256), \(i * 7 - 16000), \(i * 1000 - 8000000), \(i * 3),
                    \(orNull(String(UInt32(i) * 1_000_003), 6)), \(orNull(String(Int64(i) * 3_000_000_000_017 - 4_000_000_000_000_000), 9)),
                    \(orNull(String(UInt64(i) * 6_000_000_000_000_001), 4)), \(orNull("\(i - 1500).\(i % 1000)", 8)), \(orNull("\(i % 64).25", 5)),
                    \(orNull("\(i).0625e3", 11)), \(i % 2), \(orNull("b'\(String(i % 256, radix: 2))'", 3)), \(orNull("'c\(i % 97)'", 13)),
                    \(orNull("'\(text) #\(i)'", 17)), \(orNull("'\(text)'", 4)), \(orNull("REPEAT('m\(i)', \(i % 50))", 10)),
                    \(orNull("X'\(bytes)'", 6)), \(orNull("X'\(String(format: "%08X", i * 2_654_435 & 0x7FFF_FFFF))'", 5)),
                    \(orNull("X'00\(bytes)'", 7)), \(orNull("'20\(10 + i % 20)-0\(1 + i % 9)-\(10 + i % 18)'", 8)),
                    \(orNull("'2001-02-03 04:05:\(10 + i % 50)'", 9)), \(orNull("'2024-02-29 23:59:59.\(100_000 + i)'", 6)),
                    \(orNull("'2020-0\(1 + i % 9)-01 12:00:00'", 5)), \(orNull("'\(i % 839):\(10 + i % 50):59'", 4)), \(orNull(String(1901 + i % 255), 7)),
                    \(orNull("'\(["a", "b", "c"][i % 3])'", 5)), \(orNull("'\(["x", "y", "z", "x,z", ""][i % 5])'", 6)))
                    """)
            }
            sql += """
                INSERT INTO all_types (parent_id, c_tiny, c_utiny, c_small, c_medium, c_int, c_uint, c_big, c_ubig, c_dec, c_float,
                  c_double, c_bool, c_bit, c_char, c_varchar, c_text, c_mtext, c_blob, c_binary, c_varbin, c_date, c_datetime,
                  c_dt6, c_ts, c_time, c_year, c_enum, c_set) VALUES
                """ + rows.joined(separator: ",\n") + ";\n"
        }
        return sql
    }

    /// The rows of every table as the `mariadb` client prints them, in a form both servers
    /// render alike (BIT as a number, binary strings in hex).
    static let comparisonQueries = [
        "SELECT * FROM parent ORDER BY id",
        """
        SELECT id, parent_id, c_tiny, c_utiny, c_small, c_medium, c_int, c_uint, c_big, c_ubig, c_dec, c_float, c_double, c_bool,
          CAST(c_bit AS UNSIGNED), c_char, c_varchar, c_text, c_mtext, HEX(c_blob), HEX(c_binary), HEX(c_varbin), c_date, c_datetime,
          c_dt6, c_ts, c_time, c_year, c_enum, c_set FROM all_types ORDER BY id
        """,
        "SELECT * FROM v_summary ORDER BY parent_id",
    ]

    struct Server {
        var socket: String
        var user: String
        var password: String

        func run(_ arguments: [String], input: String? = nil) throws -> String {
            String(decoding: try run(arguments, data: input.map { Data($0.utf8) }), as: UTF8.self)
        }

        /// The client with raw bytes in and out: dumps hold binary data that is not UTF-8.
        func run(_ arguments: [String], data: Data?) throws -> Data {
            let r = try runRaw("/usr/bin/mariadb", ["--no-defaults", "--user=\(user)", "--password=\(password)",
                                                     "--socket=\(socket)", "--default-character-set=utf8mb4", "--batch"] + arguments,
                               input: data)
            guard r.status == 0 else {
                throw DumpTestError.failed("mariadb \(arguments.prefix(3)): \(String(decoding: r.output.prefix(2000), as: UTF8.self))")
            }
            return r.output
        }

        func dump(_ options: [String]) throws -> Data {
            let r = try runRaw("/usr/bin/mariadb-dump", ["--no-defaults", "--user=\(user)", "--password=\(password)",
                                                          "--socket=\(socket)"] + options, input: nil, mergingStderr: false)
            guard r.status == 0 else { throw DumpTestError.failed("mariadb-dump \(options) failed with status \(r.status)") }
            return r.output
        }

        func rows(_ database: String = "rt") throws -> [String] {
            try DumpRoundTripTests.comparisonQueries.map { try run([database, "-e", $0]) }
        }
    }

    enum DumpTestError: Error, CustomStringConvertible {
        case failed(String)
        var description: String { if case .failed(let s) = self { return s } else { return "" } }
    }

    static func onebox(_ fixture: DBFixture) -> Server {
        Server(socket: fixture.socketPath, user: "root", password: DBFixture.rootPassword)
    }

    static func mariadb(_ server: MariaDBServer) -> Server {
        Server(socket: server.socketPath, user: "root", password: server.rootPassword)
    }

    /// A dump without its "Dump completed on <time>" line.
    static func stable(_ dump: Data) -> [Data] {
        dump.split(separator: 0x0A, omittingEmptySubsequences: false).filter { !$0.starts(with: Data("-- Dump completed".utf8)) }
            .map { Data($0) }
    }

    static func load(_ server: Server, dump: Data, options: [String]) throws {
        let namesDatabase = options.contains("--databases") || options.contains("--all-databases")
        if namesDatabase {
            _ = try server.run(["-e", "DROP DATABASE IF EXISTS rt"])
            _ = try server.run([], data: dump)
        } else {
            _ = try server.run(["-e", "DROP DATABASE IF EXISTS rt; CREATE DATABASE rt CHARACTER SET utf8mb4"])
            _ = try server.run(["rt"], data: dump)
        }
    }

    @Test func oneboxDumpsRestoreIntoOneboxIdentically() throws {
        let source = try DBFixture()
        let target = try DBFixture()
        let src = Self.onebox(source), dst = Self.onebox(target)
        _ = try src.run(["-e", "CREATE DATABASE rt"])
        _ = try src.run(["rt"], input: Self.schema + Self.data)
        let expected = try src.rows()
        #expect(expected[1].split(separator: "\n").count == 3001)

        for options in [["rt"], ["--databases", "rt"], ["--single-transaction", "rt"], ["--hex-blob", "rt"],
                        ["--routines", "--events", "--triggers", "rt"]] {
            let dump = try src.dump(options)
            try Self.load(dst, dump: dump, options: options)
            let actual = try dst.rows()
            #expect(actual == expected, "rows differ after \(options)")
            if actual != expected, let dir = ProcessInfo.processInfo.environment["DUMP_TEST_DEBUG_DIR"] {
                try? expected.joined(separator: "\n====\n").write(toFile: dir + "/expected.txt", atomically: true, encoding: .utf8)
                try? actual.joined(separator: "\n====\n").write(toFile: dir + "/actual.txt", atomically: true, encoding: .utf8)
                try? dump.write(to: URL(fileURLWithPath: dir + "/dump.sql"))
            }
            let again = try dst.dump(options)
            #expect(Self.stable(again) == Self.stable(dump), "a dump of the restored dump differs for \(options)")
        }

        // --no-data: the same tables, empty.
        let schemaOnly = try src.dump(["--no-data", "rt"])
        #expect(schemaOnly.range(of: Data("INSERT INTO".utf8)) == nil)
        try Self.load(dst, dump: schemaOnly, options: ["rt"])
        #expect(try dst.run(["rt", "--skip-column-names", "-e", "SELECT COUNT(*) FROM all_types"]) == "0\n")
        for table in ["parent", "all_types"] {
            #expect(try dst.run(["rt", "-e", "SHOW CREATE TABLE \(table)"]).replacingOccurrences(of: "AUTO_INCREMENT=3001 ", with: "")
                        .replacingOccurrences(of: "AUTO_INCREMENT=4 ", with: "")
                    == src.run(["rt", "-e", "SHOW CREATE TABLE \(table)"]).replacingOccurrences(of: "AUTO_INCREMENT=3001 ", with: "")
                        .replacingOccurrences(of: "AUTO_INCREMENT=4 ", with: ""))
        }
    }

    @Test func dumpsMoveBetweenOneboxAndMariaDB() throws {
        let onebox = try DBFixture()
        let mariadbServer = try MariaDBServer.start()
        defer { mariadbServer.stop(keepingData: false) }
        let box = Self.onebox(onebox), maria = Self.mariadb(mariadbServer)

        // onebox -> MariaDB
        _ = try box.run(["-e", "CREATE DATABASE rt CHARACTER SET utf8mb4"])
        _ = try box.run(["rt"], input: Self.schema + Self.data)
        let expected = try box.rows()
        for options in [["rt"], ["--hex-blob", "rt"], ["--single-transaction", "--databases", "rt"]] {
            try Self.load(maria, dump: try box.dump(options), options: options)
            #expect(try maria.rows() == expected, "rows differ in MariaDB after \(options)")
        }

        // MariaDB -> onebox: MariaDB's own data (loaded from the same SQL) and its dump.
        _ = try maria.run(["-e", "DROP DATABASE rt; CREATE DATABASE rt CHARACTER SET utf8mb4"])
        _ = try maria.run(["rt"], input: Self.schema + Self.data)
        let mariaRows = try maria.rows()
        #expect(mariaRows == expected, "the same SQL gives different rows in MariaDB and onebox")
        for options in [["rt"], ["--hex-blob", "--databases", "rt"]] {
            try Self.load(box, dump: try maria.dump(options), options: options)
            #expect(try box.rows() == mariaRows, "rows differ in onebox after MariaDB's \(options)")
        }
    }
}

extension DumpRoundTripTests {
    /// mydumper of onebox -> myloader into a fresh onebox and into MariaDB; and back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/mydumper")))
    func mydumperAndMyloaderRoundTrip() throws {
        let source = try DBFixture()
        let target = try DBFixture()
        let mariadbServer = try MariaDBServer.start()
        defer { mariadbServer.stop(keepingData: false) }
        let work = try makeTemporaryDirectory("mydumper")
        defer { try? FileManager.default.removeItem(at: work) }
        let src = Self.onebox(source), dst = Self.onebox(target), maria = Self.mariadb(mariadbServer)
        _ = try src.run(["-e", "CREATE DATABASE rt CHARACTER SET utf8mb4"])
        _ = try src.run(["rt"], input: Self.schema + Self.data)
        let expected = try src.rows()

        func dump(_ server: Server, to directory: String) throws {
            let r = try runProcess("/usr/bin/mydumper", ["-u", server.user, "-p", server.password, "-S", server.socket, "-B", "rt",
                                                         "-o", directory])
            #expect(r.status == 0, "mydumper: \(r.output)")
        }
        func load(_ server: Server, from directory: String) throws {
            _ = try server.run(["-e", "DROP DATABASE IF EXISTS rt"])
            let r = try runProcess("/usr/bin/myloader", ["-u", server.user, "-p", server.password, "-S", server.socket, "-d", directory,
                                                         "-B", "rt"])
            #expect(r.status == 0, "myloader: \(r.output)")
        }
        try dump(src, to: work.path + "/onebox")
        try load(dst, from: work.path + "/onebox")
        #expect(try dst.rows() == expected, "rows differ in onebox after mydumper/myloader")
        try load(maria, from: work.path + "/onebox")
        #expect(try maria.rows() == expected, "rows differ in MariaDB after mydumper/myloader")
        try dump(maria, to: work.path + "/mariadb")
        try load(dst, from: work.path + "/mariadb")
        #expect(try dst.rows() == expected, "rows differ in onebox after MariaDB's mydumper/myloader")
    }
}

/// Runs a program with raw bytes on stdin; returns its exit status and stdout (plus stderr
/// unless `mergingStderr` is false).
func runRaw(_ executable: String, _ arguments: [String], input: Data?, mergingStderr: Bool = true) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = mergingStderr ? output : FileHandle.nullDevice
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    // Feed stdin from another thread: a large input must not deadlock against a full stdout pipe.
    let writer = Thread {
        if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}
