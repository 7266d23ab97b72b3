import Foundation
import PageStore

extension Engine {
    /// Starts an online backup of the whole database: a consistent snapshot of the latest
    /// commit (SQL transactions commit atomically in PageStore, so it is transaction-
    /// consistent) whose pages can be copied while sessions keep reading and writing.
    public func beginBackup() throws -> BackupSource {
        do { return try database.beginBackup() } catch {
            throw SQLError(code: 1105, sqlState: "HY000", message: "backup failed: \(error)")
        }
    }

    /// The PageStore file the engine runs on.
    public var databasePath: String { database.path }
}

extension Session {
    /// Starts an online backup for BACKUP DATABASE. Inside an explicit transaction that has
    /// not written, it copies that transaction's snapshot (opened now if no read opened it
    /// yet), so the transaction's later reads see exactly what the backup holds; otherwise
    /// the latest commit. 1179 in a transaction that has written (its own changes are not
    /// committed, and a backup holds commits only).
    public func beginBackup() throws -> BackupSource {
        if writeTx != nil {
            throw SQLError(code: 1179, sqlState: "25000", message: "You are not allowed to execute this command in a transaction")
        }
        guard isExplicit else { return try engine.beginBackup() }
        if readTx == nil { try withRead(parameters: []) { _ in } }
        guard let readTx else { return try engine.beginBackup() }
        do { return try engine.database.beginBackup(sharing: readTx) } catch {
            throw SQLError(code: 1105, sqlState: "HY000", message: "backup failed: \(error)")
        }
    }

    /// True when the account holds `privilege` (or ALL) on `*.*`. Server-level
    /// administration (BACKUP DATABASE) requires SUPER this way.
    public func hasGlobalPrivilege(_ privilege: String) throws -> Bool {
        if isBootstrap { return true }
        guard let grants = try accountPrivileges() else { return true }
        return grants.hasGlobal(privilege.uppercased())
    }

    /// 1227: the statement needs a privilege the account lacks, as MySQL words it.
    public func specificAccessDenied(_ privilege: String) -> SQLError {
        SQLError(code: 1227, sqlState: "42000",
                 message: "Access denied; you need (at least one of) the \(privilege) privilege(s) for this operation")
    }
}
