import Foundation

/// The small files of a state directory that belong with its database, carried in the
/// backup's manifest (so covered by its CRC-32C) and written back by restore with their
/// modes: `secrets/*` (root, app and CSRF secrets: the restored `mysql` accounts expect
/// the same app password), `tls/*` (certificates and keys, so clients that pinned the
/// self-signed certificate keep trusting it) and `serve.initialised` (without it, serve
/// would take the restored directory for a new one and reload the starter schema over
/// the restored blog). Logs, sockets and pid files are not state.
public struct BackupStateFile: Codable, Equatable, Sendable {
    /// Relative to the state directory: "serve.initialised", "secrets/NAME" or "tls/NAME".
    public var path: String
    /// Permission bits (0o600 for secrets and keys).
    public var mode: Int
    public var base64: String

    /// The largest total a manifest carries (it is at most 64 KiB of JSON).
    static let maximumTotalBytes = 40 << 10

    /// Whether `path` is one this format carries: restore writes nothing else.
    static func isCarried(_ path: String) -> Bool {
        if path == "serve.initialised" { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && ["secrets", "tls"].contains(parts[0]) && !parts[1].isEmpty && parts[1] != "." && parts[1] != ".."
    }

    /// The state directory of a database file at `<state-dir>/db/onebox.pagestore`; nil
    /// for a database elsewhere (then a backup carries no state files).
    public static func stateDirectory(ofDatabase databaseFile: String) -> String? {
        let db = (databaseFile as NSString).deletingLastPathComponent
        guard (db as NSString).lastPathComponent == "db" else { return nil }
        return (db as NSString).deletingLastPathComponent
    }

    /// Reads the carried files of `directory`, in path order.
    public static func collect(from directory: String) throws -> [BackupStateFile] {
        let fm = FileManager.default
        var paths: [String] = []
        if fm.fileExists(atPath: directory + "/serve.initialised") { paths.append("serve.initialised") }
        for sub in ["secrets", "tls"] {
            for name in ((try? fm.contentsOfDirectory(atPath: directory + "/" + sub)) ?? []).sorted() {
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: directory + "/" + sub + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                    paths.append(sub + "/" + name)
                }
            }
        }
        var files: [BackupStateFile] = []
        var total = 0
        for path in paths {
            let full = directory + "/" + path
            guard let data = fm.contents(atPath: full) else { throw BackupError.io(path: full, reason: "cannot read") }
            total += data.count
            guard total <= maximumTotalBytes else {
                throw BackupError.io(path: directory, reason: "secrets/, tls/ and serve.initialised hold more than \(maximumTotalBytes) bytes")
            }
            let mode = ((try? fm.attributesOfItem(atPath: full)[.posixPermissions]) as? NSNumber)?.intValue ?? 0o600
            files.append(BackupStateFile(path: path, mode: mode & 0o777, base64: data.base64EncodedString()))
        }
        return files
    }

    /// Writes `files` into `directory` (secrets/ and tls/ mode 0700), each created new
    /// with its mode. A path the format does not carry, or bad base64, is corruption.
    static func write(_ files: [BackupStateFile], into directory: String, input: String) throws {
        let fm = FileManager.default
        for file in files {
            guard isCarried(file.path), let data = Data(base64Encoded: file.base64) else {
                throw BackupError.corrupt(path: input, reason: "manifest names a state file it may not: \(file.path)")
            }
            let full = directory + "/" + file.path
            let parent = (full as NSString).deletingLastPathComponent
            do {
                if parent != directory {
                    try fm.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                guard fm.createFile(atPath: full, contents: nil, attributes: [.posixPermissions: file.mode & 0o777]) else {
                    throw BackupError.io(path: full, reason: "cannot create")
                }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: full))
                defer { try? handle.close() }
                try handle.write(contentsOf: data)
                try handle.synchronize()
            } catch let error as BackupError {
                throw error
            } catch {
                throw BackupError.io(path: full, reason: "\(error)")
            }
        }
    }
}
