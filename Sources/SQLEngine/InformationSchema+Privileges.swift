import PageStore

/// information_schema.USER_PRIVILEGES, SCHEMA_PRIVILEGES, TABLE_PRIVILEGES and
/// COLUMN_PRIVILEGES, read from the grant tables: one row per account, object and
/// privilege, ALL expanded to the privileges of its level, IS_GRANTABLE from WITH GRANT
/// OPTION at that level. Like MySQL, an account sees its own rows, and every account's
/// when it may read the `mysql` schema.
extension InformationSchema {
    static let privilegeTableNames: Set<String> = ["USER_PRIVILEGES", "SCHEMA_PRIVILEGES", "TABLE_PRIVILEGES", "COLUMN_PRIVILEGES"]

    static func privilegeTable(_ name: String, _ ctx: ExecContext) throws -> VirtualTable {
        let session = ctx.session
        let grants = try session.accountPrivileges()
        let seesAll = session.isBootstrap || grants.map { $0.has("SELECT", db: "mysql") } ?? true
        let me = (session.user, session.accountHost)
        func visible(_ user: String, _ host: String) -> Bool { seesAll || (user == me.0 && host == me.1) }
        func grantee(_ user: String, _ host: String) -> Value { t("'\(user)'@'\(host)'") }
        func privileges(_ text: String) -> Set<String> { Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }) }
        /// The privileges a grant row holds, in MySQL's order, ALL expanded for `level`.
        func expanded(_ held: Set<String>, level: (String) -> Bool) -> [String] {
            AccountPrivileges.displayOrder.filter { level($0) && AccountPrivileges.covers(held, $0) }
        }
        func scan(_ table: String, _ body: ([Value]) -> Void) throws {
            guard let schema = ctx.catalog.table("mysql", table) else { return }
            try TableStore(ctx, schema).scanAll { _, v in
                body(v)
                return true
            }
        }
        var rows: [[Value]] = []
        switch name {
        case "USER_PRIVILEGES":
            var global: [String: Set<String>] = [:]  // "user@host"
            try scan("db") { v in if v[1].textString == "*" { global[v[2].textString + "@" + v[0].textString] = privileges(v[3].textString) } }
            try scan("user") { v in
                let user = v[1].textString, host = v[0].textString
                guard visible(user, host) else { return }
                let held = global[user + "@" + host] ?? []
                let list = expanded(held) { _ in true }
                let grantable = t(held.contains("GRANT OPTION") ? "YES" : "NO")
                for p in list.isEmpty ? ["USAGE"] : list { rows.append([grantee(user, host), t("def"), t(p), grantable]) }
            }
            return make(["GRANTEE", "TABLE_CATALOG", "PRIVILEGE_TYPE", "IS_GRANTABLE"], rows)
        case "SCHEMA_PRIVILEGES":
            try scan("db") { v in
                let user = v[2].textString, host = v[0].textString, db = v[1].textString
                guard db != "*", visible(user, host) else { return }
                let held = privileges(v[3].textString)
                for p in expanded(held, level: { !AccountPrivileges.globalOnly.contains($0) }) {
                    rows.append([grantee(user, host), t("def"), t(db), t(p), t(held.contains("GRANT OPTION") ? "YES" : "NO")])
                }
            }
            return make(["GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "PRIVILEGE_TYPE", "IS_GRANTABLE"], rows)
        case "TABLE_PRIVILEGES":
            try scan("tables_priv") { v in
                let user = v[2].textString, host = v[0].textString
                guard visible(user, host) else { return }
                let held = privileges(v[4].textString)
                for p in expanded(held, level: AccountPrivileges.tableLevel.contains) {
                    rows.append([grantee(user, host), t("def"), t(v[1].textString), t(v[3].textString), t(p), t(held.contains("GRANT OPTION") ? "YES" : "NO")])
                }
            }
            return make(["GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "PRIVILEGE_TYPE", "IS_GRANTABLE"], rows)
        default:  // COLUMN_PRIVILEGES
            var grantOption = Set<String>()  // "user@host\0db\0table" with GRANT OPTION on the table
            try scan("tables_priv") { v in
                if privileges(v[4].textString).contains("GRANT OPTION") {
                    grantOption.insert(v[2].textString + "@" + v[0].textString + "\0" + v[1].textString + "\0" + v[3].textString.lowercased())
                }
            }
            try scan("columns_priv") { v in
                let user = v[2].textString, host = v[0].textString
                guard visible(user, host) else { return }
                let grantable = grantOption.contains(user + "@" + host + "\0" + v[1].textString + "\0" + v[3].textString.lowercased())
                for p in AccountPrivileges.displayOrder where privileges(v[5].textString).contains(p) {
                    rows.append([grantee(user, host), t("def"), t(v[1].textString), t(v[3].textString), t(v[4].textString), t(p),
                                 t(grantable ? "YES" : "NO")])
                }
            }
            return make(["GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "PRIVILEGE_TYPE", "IS_GRANTABLE"], rows)
        }
    }
}
