import ArgumentParser
import Foundation
import OneboxCore
import PageStore

/// `onebox check`: verifies every page checksum and every B+tree invariant of the
/// database in a state directory, prints a short report, exits 1 on any corruption.
/// Run it while `onebox db` is stopped: the database file is opened exclusively.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every page and tree of the database in a state directory."
    )

    @Option(help: "State directory holding db/onebox.pagestore.")
    var stateDir: String

    @Option(help: "Check this PageStore file instead of the state directory's database.")
    var file: String?

    func run() async throws {
        let path = file ?? StateDirectory(stateDir).databaseFile
        guard FileManager.default.fileExists(atPath: path) else {
            StandardStreams.writeError("onebox check: no database at \(path)\n")
            throw ExitCode.failure
        }
        do {
            let database = try Database.open(path: path)
            defer { try? database.close() }
            let report = try database.verify()
            StandardStreams.writeOut("ok \(path)\n\(report)\n")
        } catch {
            StandardStreams.writeError("onebox check: \(path): \(error)\n")
            throw ExitCode.failure
        }
    }
}
