import Foundation
import Synchronization

/// The privileges of one account, flattened from the grant tables: `mysql.db` rows with
/// Db = '*' (global, ON *.*) or a database name (ON db.*), and `mysql.tables_priv` rows
/// (ON db.table). Privilege names are MySQL's, upper case; "ALL" stands for every
/// privilege of its level except GRANT OPTION, which WITH GRANT OPTION adds.
struct AccountPrivileges: Sendable, Equatable {
    var global: Set<String> = []
    /// By database name, lower-cased.
    var databases: [String: Set<String>] = [:]
    /// By "db.table", lower-cased.
    var tables: [String: Set<String>] = [:]
    /// Column grants (`mysql.columns_priv`) by "db.table", then privilege: lower-cased column names.
    var columns: [String: [String: Set<String>]] = [:]

    static func tableKey(_ db: String, _ table: String) -> String { db.lowercased() + "." + table.lowercased() }

    static func covers(_ set: Set<String>, _ privilege: String) -> Bool {
        set.contains(privilege) || (privilege != "GRANT OPTION" && set.contains("ALL"))
    }

    /// Whether `privilege` is held on `db` (and `table` when given) at any level.
    func has(_ privilege: String, db: String, table: String? = nil) -> Bool {
        if Self.covers(global, privilege) { return true }
        if let d = databases[db.lowercased()], Self.covers(d, privilege) { return true }
        if let table, let t = tables[Self.tableKey(db, table)], Self.covers(t, privilege) { return true }
        return false
    }

    func hasGlobal(_ privilege: String) -> Bool { Self.covers(global, privilege) }

    /// MySQL shows a database to an account with any privilege on it or on one of its tables.
    func seesDatabase(_ db: String) -> Bool {
        if !global.subtracting(["USAGE"]).isEmpty { return true }
        if let d = databases[db.lowercased()], !d.isEmpty { return true }
        let prefix = db.lowercased() + "."
        return tables.contains { $0.key.hasPrefix(prefix) && !$0.value.isEmpty } || hasColumnGrant(db: db)
    }

    func seesTable(_ db: String, _ table: String) -> Bool {
        seesTableBesidesColumns(db, table) || hasColumnGrant(db: db, table: table)
    }

    /// Some privilege on the table, its database or globally (not only on columns).
    func seesTableBesidesColumns(_ db: String, _ table: String) -> Bool {
        if !global.subtracting(["USAGE"]).isEmpty { return true }
        if let d = databases[db.lowercased()], !d.isEmpty { return true }
        if let t = tables[Self.tableKey(db, table)], !t.isEmpty { return true }
        return false
    }

    /// MySQL's order of privileges in SHOW GRANTS.
    static let displayOrder = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "SHUTDOWN", "PROCESS", "FILE",
                               "REFERENCES", "INDEX", "ALTER", "SHOW DATABASES", "SUPER", "CREATE TEMPORARY TABLES", "LOCK TABLES",
                               "EXECUTE", "REPLICATION SLAVE", "REPLICATION CLIENT", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE",
                               "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER", "CREATE TABLESPACE", "CREATE ROLE", "DROP ROLE"]
    /// Privileges that exist only ON *.*.
    static let globalOnly: Set<String> = ["RELOAD", "SHUTDOWN", "PROCESS", "FILE", "SHOW DATABASES", "SUPER", "REPLICATION SLAVE",
                                          "REPLICATION CLIENT", "CREATE USER", "CREATE TABLESPACE", "CREATE ROLE", "DROP ROLE"]
    /// Privileges that may be granted ON db.table.
    static let tableLevel: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER",
                                          "CREATE VIEW", "SHOW VIEW", "TRIGGER", "GRANT OPTION", "ALL", "USAGE"]
    static let known: Set<String> = Set(displayOrder).union(["ALL", "USAGE", "GRANT OPTION"])

    /// "GRANT <list> ON <target> TO <account>[ WITH GRANT OPTION]" for one level. `columns`
    /// (privilege -> column names) adds MySQL's `SELECT (`a`, `b`)` items in the privilege's
    /// place, after the bare name when the table holds it too (`SELECT, SELECT (`a`)`);
    /// ALL on the table hides them, as in MySQL.
    static func grantLine(_ privileges: Set<String>, columns: [String: [String]] = [:], on target: String, account: String) -> String {
        let plain = privileges.subtracting(["GRANT OPTION", "USAGE"])
        let list: String
        if plain.contains("ALL") { list = "ALL PRIVILEGES" } else if plain.isEmpty && columns.isEmpty { list = "USAGE" } else {
            var items: [String] = []
            for p in displayOrder where plain.contains(p) || columns[p] != nil {
                if plain.contains(p) { items.append(p) }
                if let names = columns[p] { items.append(p + " (" + names.sorted().map { "`\($0)`" }.joined(separator: ", ") + ")") }
            }
            list = items.joined(separator: ", ")
        }
        return "GRANT \(list) ON \(target) TO \(account)" + (privileges.contains("GRANT OPTION") ? " WITH GRANT OPTION" : "")
    }
}

/// The privilege each statement needs, checked before it runs (MySQL's errors: 1044 for a
/// database, 1142 for a table, 1227 for a global privilege). Table reads are checked where
/// the query compiler resolves each table; INSERT/UPDATE/DELETE where their target is found.
extension Session {
    func checkStatementPrivileges(_ statement: Statement) throws {
        if isBootstrap { return }
        guard let grants = try accountPrivileges() else { return }
        let current = currentDatabase
        func table(_ name: TableName, _ privilege: String) throws {
            guard let db = name.db ?? current else { return }  // 1046 comes from execution
            if db.lowercased() == "information_schema" { return }
            // A column privilege lets the statement through; its columns are checked where they are resolved.
            if !grants.hasOnTableOrColumn(privilege, db: db, table: name.name) { throw tableDenied(privilege, name.name) }
        }
        func database(_ db: String, _ privilege: String) throws {
            if !grants.has(privilege, db: db) { throw SQLError.accessDenied(user: user, host: accountHost, db: db) }
        }
        func global(_ privileges: String...) throws {
            if !privileges.contains(where: grants.hasGlobal) { throw specificAccessDenied(privileges.joined(separator: " or ")) }
        }
        switch statement {
        case .createDatabase(let name, _): try database(name, "CREATE")
        case .dropDatabase(let name, _): try database(name, "DROP")
        case .createTable(let ast): try table(TableName(db: ast.db, name: ast.name), "CREATE")
        case .dropTable(let names, _, _):
            for n in names { try table(n, "DROP") }
        case .truncate(let name): try table(name, "DROP")
        case .createIndex(let name, _), .dropIndex(_, let name): try table(name, "INDEX")
        case .alterTable(let name, let actions):
            try table(name, "ALTER")
            for case .renameTable(let db, let newName) in actions {
                try table(name, "DROP")
                try table(TableName(db: db ?? name.db, name: newName), "CREATE")
                try table(TableName(db: db ?? name.db, name: newName), "INSERT")
            }
        case .renameTable(let pairs):
            for (from, to) in pairs {
                try table(from, "ALTER")
                try table(from, "DROP")
                try table(to, "CREATE")
                try table(to, "INSERT")
            }
        case .createView(let name, _, _, let orReplace, _, _):
            try table(name, "CREATE VIEW")
            if orReplace { try table(name, "DROP") }
        case .dropView(let names, _):
            for n in names { try table(n, "DROP") }
        case .insert(let ast):
            try table(ast.table, "INSERT")
            if ast.replace { try table(ast.table, "DELETE") }
            if !ast.onDuplicate.isEmpty { try table(ast.table, "UPDATE") }
        case .update(let ast):
            // A multi-table UPDATE asks UPDATE only of the tables it assigns to, which takes
            // name resolution: runMultiUpdate checks each assigned column before any change.
            let tables = ast.tables.flatMap(Self.baseTables)
            if tables.count == 1, case .table(let db, let name, _) = tables[0] {
                try table(TableName(db: db, name: name), "UPDATE")
            }
        case .delete(let ast):
            // A multi-table DELETE names its targets by alias: the table behind the alias is
            // what needs DELETE (runMultiDelete checks the resolved tables again).
            let joined = ast.tables.flatMap(Self.baseTables)
            for target in ast.targets {
                let base = joined.lazy.compactMap { ref -> TableName? in
                    guard case .table(let db, let name, let alias) = ref else { return nil }
                    if let tdb = target.db {
                        return alias == nil && tdb.lowercased() == (db ?? current ?? "").lowercased() && target.name.lowercased() == name.lowercased()
                            ? TableName(db: db, name: name) : nil
                    }
                    return (alias ?? name).lowercased() == target.name.lowercased() ? TableName(db: db, name: name) : nil
                }.first
                try table(base ?? target, "DELETE")
            }
            if ast.targets.isEmpty {
                for case .table(let db, let name, _) in ast.tables.flatMap(Self.baseTables) {
                    try table(TableName(db: db, name: name), "DELETE")
                }
            }
        case .createUser, .dropUser:
            try global("CREATE USER")
        case .alterUser(let specs, _, let options):
            // Own password only without CREATE USER; TLS requirement and locking are the DBA's.
            let others = specs.contains { !($0.user.isEmpty && $0.host.isEmpty) && !($0.user == user && $0.host == accountHost) }
            if others || options != AccountOptions() { try global("CREATE USER") }
        case .grant(let privileges, let columns, let db, let tableName, _, _), .revoke(let privileges, let columns, let db, let tableName, _):
            try checkGrantor(grants, privileges: privileges + columns.map(\.privilege), db: db.isEmpty ? current : db, table: tableName)
        case .set(let items):
            for item in items {
                switch item {
                case .system(_, let scope, _):
                    if let scope, ["GLOBAL", "PERSIST", "PERSIST_ONLY"].contains(scope.uppercased()) {
                        try global("SUPER", "SYSTEM_VARIABLES_ADMIN")
                    }
                case .password(let u, let h, _):
                    if let u, !(u == user && (h ?? "%") == accountHost) {
                        try database("mysql", "UPDATE")
                    }
                default: break
                }
            }
        case .flush: try global("RELOAD")
        case .show(let kind):
            switch kind {
            case .tables(let db, _, _, _), .tableStatus(let db, _, _):
                if let db = db ?? current, !grants.seesDatabase(db) { throw SQLError.accessDenied(user: user, host: accountHost, db: db) }
            case .createDatabase(let db, _):
                if !grants.seesDatabase(db) { throw SQLError.accessDenied(user: user, host: accountHost, db: db) }
            case .columns(let name, _, _, _), .index(let name, _), .createTable(let name), .createView(let name):
                if let db = name.db ?? current, db.lowercased() != "information_schema", !grants.seesTable(db, name.name) {
                    throw tableDenied("SELECT", name.name)
                }
            case .grants(let u, let h):
                if let u, !u.isEmpty, !(u == user && (h ?? "%") == accountHost), !grants.has("SELECT", db: "mysql") {
                    throw SQLError.accessDenied(user: user, host: accountHost, db: "mysql")
                }
            case .createUser(let u, let h):
                if !(u.isEmpty && h.isEmpty), !(u == user && h == accountHost), !grants.has("SELECT", db: "mysql") {
                    throw SQLError.accessDenied(user: user, host: accountHost, db: "mysql")
                }
            default: break
            }
        case .describe(let name, _):
            if let db = name.db ?? current, db.lowercased() != "information_schema", !grants.seesTable(db, name.name) {
                throw tableDenied("SELECT", name.name)
            }
        default:
            break
        }
    }

    /// GRANT/REVOKE: the grantor needs GRANT OPTION and every privilege it hands out, at the
    /// target's level or above.
    func checkGrantor(_ grants: AccountPrivileges, privileges: [String], db: String?, table: String) throws {
        let names = privileges.map { $0.uppercased() }
        let needed = names.contains("ALL") ? AccountPrivileges.displayOrder : names.filter { $0 != "USAGE" }
        if db == "*" {
            if !grants.hasGlobal("GRANT OPTION") || !needed.allSatisfy(grants.hasGlobal) {
                throw SQLError(code: 1045, sqlState: "28000", message: "Access denied for user '\(user)'@'\(accountHost)' (using password: YES)")
            }
            return
        }
        guard let db else { return }
        let target: String? = table == "*" ? nil : table
        let allNeeded = names.contains("ALL")
            ? (target == nil ? AccountPrivileges.displayOrder.filter { !AccountPrivileges.globalOnly.contains($0) }
                             : AccountPrivileges.displayOrder.filter { AccountPrivileges.tableLevel.contains($0) })
            : needed
        let ok = grants.has("GRANT OPTION", db: db, table: target) && allNeeded.allSatisfy { grants.has($0, db: db, table: target) }
        if ok { return }
        if let target { throw tableDenied("GRANT", target) }
        throw SQLError.accessDenied(user: user, host: accountHost, db: db)
    }

    /// 1142, as MySQL 8.0 words it.
    func tableDenied(_ privilege: String, _ table: String) -> SQLError {
        SQLError(code: 1142, sqlState: "42000",
                 message: "\(privilege) command denied to user '\(user)'@'\(accountHost)' for table '\(table)'")
    }

    /// Table-level check for reads and writes found while a statement runs.
    func checkTableAccess(_ db: String, table: String, _ privilege: String) throws {
        if isBootstrap || db.lowercased() == "information_schema" { return }
        guard let grants = try accountPrivileges() else { return }
        if !grants.has(privilege, db: db, table: table) { throw tableDenied(privilege, table) }
    }

    /// Whether this session may see `db` (SHOW DATABASES, information_schema).
    func seesDatabase(_ db: String) -> Bool {
        if isBootstrap || db.lowercased() == "information_schema" { return true }
        guard let grants = try? accountPrivileges() else { return true }
        return grants.seesDatabase(db)
    }

    /// Whether this session may see `db`.`table` (SHOW TABLES, information_schema).
    func seesTable(_ db: String, _ table: String) -> Bool {
        if isBootstrap || db.lowercased() == "information_schema" { return true }
        guard let grants = try? accountPrivileges() else { return true }
        return grants.seesTable(db, table)
    }

    static func baseTables(_ ref: TableRef) -> [TableRef] {
        switch ref {
        case .table: return [ref]
        case .derived, .jsonTable: return []
        case .join(let a, let b, _, _, _): return baseTables(a) + baseTables(b)
        }
    }

    /// This account's privileges (cached until a grant changes); nil when the grant tables
    /// do not exist yet (a database being bootstrapped), when nothing is enforced.
    func accountPrivileges() throws -> AccountPrivileges? {
        let version = engine.grantsVersion.load(ordering: .acquiring)
        if let cached = cachedGrants, cached.version == version { return cached.grants }
        let me = user, myHost = accountHost
        guard let dbGrants = engine.catalog.table("mysql", "db") else {
            cachedGrants = (version, nil)
            return nil
        }
        let (catalog, tx) = try engine.snapshot()
        defer { tx.end() }
        let ctx = ExecContext(session: self, catalog: catalog, tx: tx, writeTx: nil, parameters: [])
        var grants = AccountPrivileges()
        func set(_ text: String) -> Set<String> { Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }) }
        try TableStore(ctx, dbGrants).scanAll { _, v in
            if v[2].textString == me && v[0].textString == myHost {
                let db = v[1].textString
                if db == "*" { grants.global.formUnion(set(v[3].textString)) } else { grants.databases[db.lowercased(), default: []].formUnion(set(v[3].textString)) }
            }
            return true
        }
        if let tableGrants = catalog.table("mysql", "tables_priv") {
            try TableStore(ctx, tableGrants).scanAll { _, v in
                if v[2].textString == me && v[0].textString == myHost {
                    grants.tables[AccountPrivileges.tableKey(v[1].textString, v[3].textString), default: []].formUnion(set(v[4].textString))
                }
                return true
            }
        }
        if let columnGrants = catalog.table("mysql", "columns_priv") {
            try TableStore(ctx, columnGrants).scanAll { _, v in
                if v[2].textString == me && v[0].textString == myHost {
                    let key = AccountPrivileges.tableKey(v[1].textString, v[3].textString)
                    for p in set(v[5].textString) { grants.columns[key, default: [:]][p, default: []].insert(v[4].textString.lowercased()) }
                }
                return true
            }
        }
        cachedGrants = (version, grants)
        return grants
    }
}

extension Engine {
    /// Makes every session reload its privileges before its next check.
    func grantsChanged() {
        grantsVersion.add(1, ordering: .releasing)
    }
}
