import PageStore

/// Column grants live in `mysql.columns_priv(Host, Db, User, Table_name, Column_name,
/// Column_priv)`, one row per account and column, Column_priv a comma-separated list of
/// SELECT/INSERT/UPDATE/REFERENCES; a row whose list empties is deleted. Column_name is
/// the column's name as the table spells it. Privileges+Columns.swift enforces them.
struct ColumnGrants {
    let ctx: ExecContext
    let store: TableStore
    let width: Int

    init(_ ctx: ExecContext) throws {
        guard let schema = ctx.catalog.table("mysql", "columns_priv") else { throw SQLError.internalError("mysql.columns_priv missing") }
        self.ctx = ctx
        store = try TableStore(ctx, schema)
        width = schema.columns.count
    }

    /// The table's own spelling of each named column: 1146 for a missing table, 1144 for a
    /// target that is not a table, 1054 for an unknown column (MySQL checks all before granting).
    static func resolve(_ ctx: ExecContext, _ columns: [ColumnPrivilege], db: String, table: String) throws -> [ColumnPrivilege] {
        if columns.isEmpty { return [] }
        if table == "*" {
            throw SQLError(code: 1144, sqlState: "42000", message: "Illegal GRANT/REVOKE command; please consult the manual to see which privileges can be used")
        }
        guard let schema = ctx.catalog.table(db, table) else { throw SQLError.noSuchTable(db, table) }
        return try columns.map { grant in
            ColumnPrivilege(privilege: grant.privilege, columns: try grant.columns.map { name in
                guard let i = schema.columnIndex(name) else { throw SQLError.unknownColumn(name, in: table) }
                return schema.columns[i].name
            })
        }
    }

    private func key(host: String, db: String, user: String, table: String, column: String) -> [Value] {
        var row = [Value](repeating: .null, count: width)
        for (i, text) in [host, db, user, table, column].enumerated() { row[i] = .text(Array(text.utf8)) }
        return row
    }

    /// Applies `change` to the privileges held on one column; false when the column had none.
    @discardableResult
    func update(host: String, db: String, user: String, table: String, column: String,
                _ change: (inout Set<String>) -> Void) throws -> Bool {
        try store.updatePrivilegeList(row: key(host: host, db: db, user: user, table: table, column: column), column: 5, change)
    }

    /// Every column grant row of an account, optionally of one table: (key, row).
    func rows(user: String, host: String, db: String? = nil, table: String? = nil) throws -> [([UInt8], [Value])] {
        var out: [([UInt8], [Value])] = []
        try store.scanAll { k, v in
            if v[2].textString == user && v[0].textString == host
                && (db == nil || v[1].textString == db) && (table == nil || v[3].textString.lowercased() == table!.lowercased()) {
                out.append((k, v))
            }
            return true
        }
        return out
    }

    /// Takes `privileges` (every column privilege for ALL) from all columns of a table:
    /// a table-level REVOKE revokes the same privilege on its columns. True when some
    /// column held one of them.
    func revokeFromAllColumns(_ privileges: Set<String>, user: String, host: String, db: String, table: String) throws -> Bool {
        let taken = privileges.contains("ALL") ? AccountPrivileges.columnLevel : privileges
        var any = false
        for (_, row) in try rows(user: user, host: host, db: db, table: table) {
            let held = Set(row[5].textString.split(separator: ",").map(String.init))
            if held.isDisjoint(with: taken) { continue }
            any = true
            try update(host: host, db: db, user: user, table: row[3].textString, column: row[4].textString) { $0.subtract(taken) }
        }
        return any
    }

    /// Deletes every column grant of an account (DROP USER).
    func deleteAll(user: String, host: String) throws {
        for (k, v) in try rows(user: user, host: host) { try store.delete(k, v) }
    }

    /// An account's column grants on one table: privilege -> column names.
    func byPrivilege(user: String, host: String, db: String, table: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (_, row) in try rows(user: user, host: host, db: db, table: table) {
            for p in row[5].textString.split(separator: ",") { out[String(p), default: []].append(row[4].textString) }
        }
        return out
    }
}
