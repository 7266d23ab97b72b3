/// Column-level privileges (`GRANT SELECT (a, b), UPDATE (c) ON db.t TO u`), MySQL's rules:
///
/// - A table-level privilege (or a database or global one) covers every column.
/// - Otherwise a column privilege on *some* column lets the statement name the table
///   (SELECT COUNT(*) works); every column it reads needs SELECT on that column, every
///   column it inserts INSERT, every column it assigns UPDATE — 1143 otherwise, naming the
///   first column denied. `SELECT *` reads every column.
/// - No privilege on the table or any of its columns: 1142, as before.
///
/// Reads are checked where a column name is resolved (ExprCompiler.compileColumn, through
/// the source's ColumnGuard); writes where INSERT and UPDATE find their target columns.
/// Both happen before any row changes, so a denied statement changes nothing.
enum ColumnAccess: Equatable {
    case all
    /// Lower-cased names of the columns the privilege is held on.
    case only(Set<String>)

    func allows(_ column: String) -> Bool {
        switch self {
        case .all: return true
        case .only(let names): return names.contains(column.lowercased())
        }
    }
}

/// The columns of one FROM source the account may read, when it may not read them all.
struct ColumnGuard {
    /// Column positions in the source.
    var readable: Set<Int>
    /// The table's name, for 1143.
    var table: String

    /// nil when every column is readable.
    init?(_ table: TableSchema, access: ColumnAccess) {
        guard case .only(let names) = access else { return nil }
        readable = Set(table.columns.indices.filter { names.contains(table.columns[$0].name.lowercased()) })
        self.table = table.name
    }
}

extension AccountPrivileges {
    /// Lower-cased column names holding `privilege` on `db`.`table`; nil when none does.
    func columnsGranted(_ privilege: String, db: String, table: String) -> Set<String>? {
        guard let names = columns[Self.tableKey(db, table)]?[privilege], !names.isEmpty else { return nil }
        return names
    }

    /// Whether the account holds `privilege` on the table itself or on one of its columns.
    func hasOnTableOrColumn(_ privilege: String, db: String, table: String) -> Bool {
        has(privilege, db: db, table: table) || columnsGranted(privilege, db: db, table: table) != nil
    }

    /// Whether any column of `db`.`table` carries a privilege (the table is then visible).
    func hasColumnGrant(db: String, table: String) -> Bool {
        columns[Self.tableKey(db, table)]?.values.contains { !$0.isEmpty } ?? false
    }

    /// Whether any column of a table in `db` carries a privilege.
    func hasColumnGrant(db: String) -> Bool {
        let prefix = db.lowercased() + "."
        return columns.contains { $0.key.hasPrefix(prefix) && $0.value.values.contains { !$0.isEmpty } }
    }

    /// The privileges that may be granted on columns.
    static let columnLevel: Set<String> = ["SELECT", "INSERT", "UPDATE", "REFERENCES"]
}

extension Session {
    /// The columns of `db`.`table` this account may use with `privilege`: `.all` when it holds
    /// the privilege on the table or above, `.only(names)` when it holds it on some columns;
    /// 1142 when on none — or `.only([])` when `allowingNone` (a DML target's reads).
    func columnAccess(_ privilege: String, db: String, table: String, allowingNone: Bool = false) throws -> ColumnAccess {
        if isBootstrap || db.lowercased() == "information_schema" { return .all }
        guard let grants = try accountPrivileges() else { return .all }
        if grants.has(privilege, db: db, table: table) { return .all }
        if let names = grants.columnsGranted(privilege, db: db, table: table) { return .only(names) }
        if allowingNone { return .only([]) }
        throw tableDenied(privilege, table)
    }

    /// What SHOW FULL COLUMNS and information_schema.COLUMNS say about a column: the
    /// column-usable privileges held on it (table level or column level), in MySQL's
    /// lower-case form, or nil when the account may not see the column — an account with only
    /// column grants on a table sees just those columns, as in MySQL.
    func columnPrivilegeText(db: String, table: String, column: String) -> String? {
        let all = "select,insert,update,references"
        if isBootstrap || db.lowercased() == "information_schema" { return all }
        guard let grants = try? accountPrivileges() else { return all }
        let held = AccountPrivileges.columnLevel.sorted { a, b in
            AccountPrivileges.displayOrder.firstIndex(of: a)! < AccountPrivileges.displayOrder.firstIndex(of: b)!
        }.filter { p in
            grants.has(p, db: db, table: table) || grants.columnsGranted(p, db: db, table: table)?.contains(column.lowercased()) == true
        }
        if held.isEmpty && grants.hasColumnGrant(db: db, table: table) && !grants.seesTableBesidesColumns(db, table) { return nil }
        return held.map { $0.lowercased() }.joined(separator: ",")
    }

    /// 1143 (ER_COLUMNACCESS_DENIED_ERROR), as MySQL 8.0 words it.
    func columnDenied(_ privilege: String, column: String, table: String) -> SQLError {
        SQLError(code: 1143, sqlState: "42000",
                 message: "\(privilege) command denied to user '\(user)'@'\(accountHost)' for column '\(column)' in table '\(table)'")
    }
}

extension ExecContext {
    /// 1143 for the first of `columns` (positions in `table`) that `access` does not cover.
    func checkColumns(_ columns: [Int], of table: TableSchema, _ privilege: String, _ access: ColumnAccess) throws {
        guard case .only = access else { return }
        for ci in columns where !access.allows(table.columns[ci].name) {
            throw session.columnDenied(privilege, column: table.columns[ci].name, table: table.name)
        }
    }
}
