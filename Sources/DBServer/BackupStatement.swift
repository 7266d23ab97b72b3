import Backup
import Foundation
import SQLEngine

/// `BACKUP DATABASE TO 'path'` recognised in COM_QUERY text: the server writes an online
/// backup of the whole database (BackupFormat.swift) to `path`, an absolute path on the
/// server's machine, while other sessions keep reading and writing. It needs SUPER (or
/// ALL) on *.* (1227 otherwise). Inside a transaction that has not written it copies the
/// transaction's snapshot (`START TRANSACTION WITH CONSISTENT SNAPSHOT; BACKUP DATABASE
/// TO ...; SELECT ...` reads exactly what the backup holds); after a write it is refused
/// (1179). The answer
/// is one row: the file, its pages, bytes and snapshot LSN. `onebox backup` sends it when
/// a running server holds the state directory's database.
struct BackupStatement: Equatable {
    var path: String

    /// Nil unless the whole text (an optional trailing `;` aside) is one BACKUP DATABASE.
    init?(parsing sql: [UInt8]) {
        guard sql.count < 8192 else { return nil }
        var rest = Substring(String(decoding: sql, as: UTF8.self))
        func word() -> String? {
            rest = rest.drop(while: \.isWhitespace)
            let w = rest.prefix(while: { $0.isLetter })
            guard !w.isEmpty else { return nil }
            rest = rest.dropFirst(w.count)
            return w.uppercased()
        }
        guard word() == "BACKUP", word() == "DATABASE", word() == "TO" else { return nil }
        rest = rest.drop(while: \.isWhitespace)
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        rest = rest.dropFirst()
        var path = ""
        var closed = false
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "\\", let next = rest.first {
                path.append(next)
                rest = rest.dropFirst()
            } else if c == quote {
                if rest.first == quote { path.append(c); rest = rest.dropFirst() } else { closed = true; break }
            } else {
                path.append(c)
            }
        }
        guard closed else { return nil }
        rest = rest.drop(while: \.isWhitespace)
        if rest.first == ";" { rest = rest.dropFirst().drop(while: \.isWhitespace) }
        guard rest.isEmpty else { return nil }
        self.path = path
    }

    init(path: String) { self.path = path }

    static let columns: [ColumnDefinition] = [
        ColumnDefinition(name: "File", characterSet: 33, columnLength: 4096, type: .varString),
        ColumnDefinition(name: "Pages", characterSet: 63, columnLength: 20, type: .longlong, flags: ColumnDefinition.unsignedFlag),
        ColumnDefinition(name: "Bytes", characterSet: 63, columnLength: 20, type: .longlong, flags: ColumnDefinition.unsignedFlag),
        ColumnDefinition(name: "Snapshot_LSN", characterSet: 63, columnLength: 20, type: .longlong, flags: ColumnDefinition.unsignedFlag),
    ]

    /// Checks the privilege, takes the snapshot and writes the file.
    func run(session: Session, engine: Engine) throws -> StatementResult {
        guard try session.hasGlobalPrivilege("SUPER") else { throw session.specificAccessDenied("SUPER") }
        guard path.hasPrefix("/") else {
            throw SQLError(code: 1105, sqlState: "HY000", message: "BACKUP DATABASE needs an absolute path, not '\(path)'")
        }
        let source = try session.beginBackup()
        defer { source.end() }
        let summary: BackupSummary
        do {
            summary = try BackupWriter.write(source, to: path, serverVersion: DBServerConfiguration.serverVersion,
                                             sourcePath: engine.databasePath)
        } catch {
            throw SQLError(code: 1105, sqlState: "HY000", message: "backup failed: \(error)")
        }
        return .rows(columns: Self.columns, rows: [[
            .string(Array(path.utf8)), .uint(UInt64(summary.manifest.pageCount)), .uint(UInt64(summary.fileBytes)),
            .uint(summary.manifest.snapshotLSN),
        ]])
    }
}
