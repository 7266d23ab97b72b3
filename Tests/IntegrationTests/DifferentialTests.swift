import Foundation
import MariaDBTestSupport
import Testing

/// Differential SQL tests: every script in Tests/IntegrationTests/Differential runs with
/// `mariadb --batch --force` against a private MariaDB server and against `onebox db`,
/// each in a fresh database, and the output of every statement must be the same — rows,
/// warnings count aside, and errors compared by their code (the message texts of MariaDB
/// and MySQL differ). Where MySQL 8.0 and MariaDB disagree, onebox follows MySQL: the
/// statement is preceded by `-- mysql: <line>` comments giving MySQL's output (tab-separated
/// columns as `\t`; `-- mysql:` alone is an empty output), and MariaDB's is not compared.
@Suite(.serialized) struct DifferentialTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential")

    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".sql") }.sorted()
    }

    @Test(arguments: DifferentialTests.scripts)
    func script(_ name: String) async throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
        let statements = try DifferentialScript.parse(text, name: name)
        let database = "diff_" + name.dropLast(4).replacingOccurrences(of: "-", with: "_")
        let program = DifferentialScript.program(statements, database: database)

        let mariadb = try await MariaDBServer.shared()
        let onebox = try DBFixture()
        let reference = try runProcess("/usr/bin/mariadb", ["--no-defaults", "-uroot", "-p\(mariadb.rootPassword)", "-S", mariadb.socketPath]
                                       + DifferentialScript.clientOptions, input: program)
        let actual = try onebox.mariadb(DifferentialScript.clientOptions, input: program)
        let expected = DifferentialScript.split(reference.output, count: statements.count)
        let got = DifferentialScript.split(actual.output, count: statements.count)

        var failures: [String] = []
        for (i, statement) in statements.enumerated() {
            let want = statement.mysqlOutput ?? expected[i]
            if got[i] != want {
                failures.append("""
                    \(name):\(statement.line): \(statement.text)
                      expected\(statement.mysqlOutput == nil ? " (MariaDB)" : " (MySQL, from the script)"):
                    \(want.map { "    " + $0 }.joined(separator: "\n"))
                      onebox:
                    \(got[i].map { "    " + $0 }.joined(separator: "\n"))
                    """)
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(statements.count) statements differ:\n\(failures.joined(separator: "\n"))")
    }
}

/// Parsing the scripts and splitting the client's output per statement.
enum DifferentialScript {
    struct Statement {
        var text: String
        var line: Int
        /// MySQL's output where it differs from MariaDB's.
        var mysqlOutput: [String]?
    }

    static let clientOptions = ["--batch", "--force", "--unbuffered", "--default-character-set=utf8mb4"]
    static let marker = "differential-statement"

    /// Statements end with `;` at the end of a line; `-- mysql:` lines attach to the next one.
    static func parse(_ text: String, name: String) throws -> [Statement] {
        var statements: [Statement] = []
        var current: [String] = []
        var startLine = 0
        var mysql: [String]?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current.isEmpty {
                if trimmed.hasPrefix("-- mysql:") {
                    let rest = trimmed.dropFirst("-- mysql:".count).trimmingCharacters(in: .whitespaces)
                    mysql = (mysql ?? []) + (rest.isEmpty ? [] : [rest.replacingOccurrences(of: "\\t", with: "\t")])
                    continue
                }
                if trimmed.isEmpty || trimmed.hasPrefix("--") { continue }
                startLine = index + 1
            }
            current.append(line)
            if trimmed.hasSuffix(";") {
                statements.append(Statement(text: current.joined(separator: "\n"), line: startLine, mysqlOutput: mysql))
                current = []
                mysql = nil
            }
        }
        if !current.isEmpty { throw DifferentialError.unterminated(name, startLine) }
        return statements
    }

    /// The script the client runs: a fresh database, then each statement after a marker query.
    static func program(_ statements: [Statement], database: String) -> String {
        var out = "DROP DATABASE IF EXISTS \(database);\nCREATE DATABASE \(database) CHARACTER SET utf8mb4;\nUSE \(database);\n"
        for (i, s) in statements.enumerated() {
            out += "SELECT \(i) AS `\(marker)`;\n\(s.text)\n"
        }
        return out
    }

    /// The output lines of each statement, errors reduced to `ERROR <code>`.
    static func split(_ output: String, count: Int) -> [[String]] {
        var result = [[String]](repeating: [], count: count)
        var index: Int?
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line == marker, i + 1 < lines.count, let n = Int(lines[i + 1]), n < count {
                index = n
                i += 2
                continue
            }
            if let index, !line.isEmpty {
                result[index].append(normalizeError(line))
            }
            i += 1
        }
        return result
    }

    static func normalizeError(_ line: String) -> String {
        guard line.hasPrefix("ERROR "), let code = line.dropFirst(6).split(separator: " ").first else { return line }
        return "ERROR \(code)"
    }
}

enum DifferentialError: Error, CustomStringConvertible {
    case unterminated(String, Int)
    var description: String {
        switch self {
        case .unterminated(let name, let line): "\(name):\(line): statement without a terminating ';'"
        }
    }
}
