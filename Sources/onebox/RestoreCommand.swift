import ArgumentParser
import Backup
import Foundation
import OneboxCore

/// `onebox restore`: unpacks a backup (`onebox backup`) into an empty state directory,
/// verifying every checksum before the database file appears (docs/operations.md). The
/// accounts are those of the backed-up database; the source's secrets/, tls/ and
/// serve.initialised come back with it (BackupStateFile), so `onebox serve` on the
/// restored directory runs the restored site as it was.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup file into an empty state directory."
    )

    @Option(help: "The backup file (written by onebox backup).")
    var input: String

    @Option(name: .customLong("state-dir"), help: "The state directory to create; must be empty or missing.")
    var stateDirectory: String

    @Flag(help: "Only verify the backup's checksums; write nothing.")
    var verifyOnly = false

    func run() async throws {
        let state = StateDirectory(stateDirectory)
        let started = ContinuousClock.now
        do {
            let manifest = verifyOnly
                ? try BackupRestorer.verify(input)
                : try BackupRestorer.restore(from: input, into: state.path, databaseFile: state.databaseFile)
            let what = verifyOnly ? "verified \(input)" : "restored \(input) into \(state.databaseFile)"
            let took = seconds(since: started)
            let files = (manifest.stateFiles ?? []).map(\.path).joined(separator: " ")
            StandardStreams.writeOut("\(what): \(manifest.pageCount) pages of \(manifest.pageSize) bytes, snapshot LSN \(manifest.snapshotLSN), taken \(manifest.createdAt) by \(manifest.serverVersion), state files: \(files.isEmpty ? "none" : files), in \(took)\n")
        } catch {
            StandardStreams.writeError("onebox restore: \(error)\n")
            throw ExitCode.failure
        }
    }
}

/// "1.23s": the time since `start`, for the one-line reports of backup and restore.
func seconds(since start: ContinuousClock.Instant) -> String {
    let elapsed = start.duration(to: .now).components
    return String(format: "%.2fs", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
}
