import PageStore

/// Accounts and grants live in the `mysql` schema as ordinary tables:
/// `mysql.user(Host, User, plugin, authentication_string, account_locked, ssl_type)` and
/// `mysql.db(Host, Db, User, Privileges)` (a comma-separated privilege list per database grant),
/// `mysql.tables_priv(Host, Db, User, Table_name, Table_priv)` (grants ON db.table).
/// `mysql.columns_priv(Host, Db, User, Table_name, Column_name, Column_priv)` (grants on columns).
/// Global grants (ON *.*) are rows of mysql.db with Db = '*'. Privileges.swift enforces them.
/// `mysql.general_log` and `mysql.slow_log` have MySQL 8.0's columns and stay empty (onebox
/// logs elsewhere): dump tools read their structure when dumping every database.
extension Engine {
    static let systemSchemaSQL = [
        "CREATE TABLE IF NOT EXISTS mysql.user (Host CHAR(255) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', plugin CHAR(64) NOT NULL DEFAULT 'caching_sha2_password', authentication_string TEXT, account_locked ENUM('N','Y') NOT NULL DEFAULT 'N', ssl_type ENUM('','ANY','X509','SPECIFIED') NOT NULL DEFAULT '', PRIMARY KEY (Host, User)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS mysql.db (Host CHAR(255) NOT NULL DEFAULT '', Db CHAR(64) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', Privileges TEXT, PRIMARY KEY (Host, Db, User)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS mysql.tables_priv (Host CHAR(255) NOT NULL DEFAULT '', Db CHAR(64) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', Table_name CHAR(64) NOT NULL DEFAULT '', Table_priv TEXT, PRIMARY KEY (Host, Db, User, Table_name)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS mysql.columns_priv (Host CHAR(255) NOT NULL DEFAULT '', Db CHAR(64) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', Table_name CHAR(64) NOT NULL DEFAULT '', Column_name CHAR(64) NOT NULL DEFAULT '', Column_priv TEXT, PRIMARY KEY (Host, Db, User, Table_name, Column_name)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS mysql.general_log (event_time TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), user_host MEDIUMTEXT NOT NULL, thread_id BIGINT UNSIGNED NOT NULL, server_id INT UNSIGNED NOT NULL, command_type VARCHAR(64) NOT NULL, argument MEDIUMBLOB NOT NULL) ENGINE=CSV COMMENT='General log'",
        "CREATE TABLE IF NOT EXISTS mysql.slow_log (start_time TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), user_host MEDIUMTEXT NOT NULL, query_time TIME(6) NOT NULL, lock_time TIME(6) NOT NULL, rows_sent INT NOT NULL, rows_examined INT NOT NULL, db VARCHAR(512) NOT NULL, last_insert_id INT NOT NULL, insert_id INT NOT NULL, server_id INT UNSIGNED NOT NULL, sql_text MEDIUMBLOB NOT NULL, thread_id BIGINT UNSIGNED NOT NULL) ENGINE=CSV COMMENT='Slow log'",
    ]
    static let systemTables = ["user", "db", "tables_priv", "columns_priv", "general_log", "slow_log"]

    /// Creates the `mysql` schema and its tables when missing, and adds the columns later
    /// versions added to them (mysql.user.ssl_type).
    func ensureSystemSchema() throws {
        let userHasSSLType = catalog.table("mysql", "user")?.columnIndex("ssl_type") != nil
        if userHasSSLType && Engine.systemTables.allSatisfy({ catalog.table("mysql", $0) != nil }) { return }
        let upgrading = catalog.table("mysql", "db") != nil
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        if catalog.table("mysql", "user") != nil && !userHasSSLType {
            let sql = "ALTER TABLE mysql.user ADD COLUMN ssl_type ENUM('','ANY','X509','SPECIFIED') NOT NULL DEFAULT '' AFTER account_locked"
            try session.execute(Array(sql.utf8), multiStatements: false) { _ in }
        }
        try session.execute(Array("CREATE DATABASE IF NOT EXISTS mysql".utf8), multiStatements: false) { _ in }
        for sql in Engine.systemSchemaSQL { try session.execute(Array(sql.utf8), multiStatements: false) { _ in } }
        if upgrading {
            // Before table-level grants, WITH GRANT OPTION was not recorded: root keeps it.
            let sql = "UPDATE mysql.db SET Privileges = CONCAT(Privileges, ',GRANT OPTION') WHERE User = 'root' AND Db = '*' AND Privileges LIKE '%ALL%' AND Privileges NOT LIKE '%GRANT OPTION%'"
            try session.execute(Array(sql.utf8), multiStatements: false) { _ in }
        }
    }

    /// The account for (user, host): exact host first, then patterns ('%', 'a.%'), like MySQL.
    public func account(user: String, host: String) throws -> Account? {
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        let accounts = try session.withRead(parameters: []) { ctx -> [Account] in
            guard let t = ctx.catalog.table("mysql", "user") else { return [] }
            // By name: a restored dump of an older mysql.user may lack the later columns.
            let sslType = t.columnIndex("ssl_type")
            var out: [Account] = []
            try TableStore(ctx, t).scanAll { _, v in
                out.append(Account(user: v[1].textString, host: v[0].textString, plugin: v[2].textString,
                                   authenticationString: v[3].textString, locked: v[4].textString == "Y",
                                   requiresTLS: sslType.map { !v[$0].isNull && !v[$0].textString.isEmpty } ?? false))
                return true
            }
            return out
        }
        let candidates = accounts.filter { $0.user == user && hostMatches(pattern: $0.host, host: host) }
        // most specific host first: no wildcard beats wildcard, longer literal prefix first
        return candidates.sorted { a, b in
            let wa = a.host.contains("%") || a.host.contains("_"), wb = b.host.contains("%") || b.host.contains("_")
            if wa != wb { return !wa }
            return a.host.count > b.host.count
        }.first
    }

    /// On the first start: root@'%' and root@localhost with `rootPassword`. False when accounts exist.
    public func bootstrapIfEmpty(rootPassword: String) throws -> Bool {
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        let count = try session.withRead(parameters: []) { ctx -> Int in
            guard let t = ctx.catalog.table("mysql", "user") else { return 0 }
            var n = 0
            try TableStore(ctx, t).scanAll { _, _ in n += 1; return true }
            return n
        }
        if count > 0 { return false }
        let escaped = rootPassword.replacing("\\", with: "\\\\").replacing("'", with: "''")
        for host in ["%", "localhost"] {
            try session.execute(Array("CREATE USER 'root'@'\(host)' IDENTIFIED BY '\(escaped)'".utf8), multiStatements: false) { _ in }
            try session.execute(Array("GRANT ALL PRIVILEGES ON *.* TO 'root'@'\(host)' WITH GRANT OPTION".utf8), multiStatements: false) { _ in }
        }
        return true
    }
}

/// MySQL host patterns: '%' any run, '_' one character, case-insensitive.
func hostMatches(pattern: String, host: String) -> Bool {
    LikeMatcher(pattern: Array(pattern.utf8), escape: 0, collation: .general).matches(Array(host.utf8))
}

extension Session {
    /// The Host part of the account this session authenticated as.
    var accountHost: String {
        if isBootstrap { return "localhost" }
        return cachedAccountHost ?? { () -> String in
            let h = (try? engine.account(user: user, host: host))??.host ?? host
            cachedAccountHost = h
            return h
        }()
    }

    /// USE / COM_INIT_DB: any privilege on the database or one of its tables (1044 otherwise).
    func checkDatabaseAccess(_ db: String) throws {
        if !seesDatabase(db) { throw SQLError.accessDenied(user: user, host: accountHost, db: db) }
    }

    func setPassword(user: String, host: String, password: String) throws {
        let hash = engine.options.hashPassword(engine.options.defaultAuthPlugin, password)
        _ = try withWrite(parameters: []) { ctx in
            try ctx.updateAccount(user: user, host: host) { row in
                row[3] = .text(Array(ctx.engine.options.hashPassword(row[2].textString, password).utf8))
            }
        }
        _ = hash
    }
}

extension ExecContext {
    func updateAccount(user: String, host: String, _ change: (inout [Value]) throws -> Void) throws {
        guard let t = catalog.table("mysql", "user") else { throw SQLError.internalError("mysql.user missing") }
        let store = try TableStore(self, t)
        var key = [Value](repeating: .null, count: t.columns.count)
        key[0] = .text(Array(host.utf8))
        key[1] = .text(Array(user.utf8))
        let pk = store.primaryKey(key)
        guard let old = try store.get(pk) else {
            throw SQLError(code: 1133, sqlState: "42000", message: "Can't find any matching row in the user table")
        }
        var new = old
        try change(&new)
        try store.update(pk, old: old, new: new)
    }

    /// mysql.user.ssl_type of `row`; 1054 when a restored old mysql.user lacks the column.
    private func setTLSRequirement(_ requirement: TLSRequirement, in row: inout [Value], table: TableSchema) throws {
        guard let i = table.columnIndex("ssl_type") else {
            if requirement == .none { return }
            throw SQLError.unknownColumn("ssl_type", in: "mysql.user")
        }
        row[i] = .text(Array(requirement.rawValue.utf8))
    }

    func runAccountStatement(_ statement: Statement) throws -> StatementResult {
        guard let users = catalog.table("mysql", "user"), let dbs = catalog.table("mysql", "db") else {
            throw SQLError.internalError("mysql system tables missing")
        }
        let userStore = try TableStore(self, users)
        let dbStore = try TableStore(self, dbs)
        func userKey(_ u: String, _ h: String) -> [UInt8] {
            var k = [Value](repeating: .null, count: users.columns.count)
            k[0] = .text(Array(h.utf8))
            k[1] = .text(Array(u.utf8))
            return userStore.primaryKey(k)
        }
        func resolve(_ u: String, _ h: String) -> (String, String) { u.isEmpty && h.isEmpty ? (session.user, session.accountHost) : (u, h) }
        let options = engine.options
        engine.grantsChanged()
        switch statement {
        case .createUser(let specs, let ifNotExists, let accountOptions):
            var failed: [String] = []
            for spec in specs {
                if try userStore.get(userKey(spec.user, spec.host)) != nil {
                    if ifNotExists { warn(3163, "Authorization ID '\(spec.user)'@'\(spec.host)' already exists.", level: "Note"); continue }
                    failed.append("'\(spec.user)'@'\(spec.host)'")
                    continue
                }
                let plugin = spec.plugin ?? options.defaultAuthPlugin
                let auth = spec.authString ?? spec.password.map { options.hashPassword(plugin, $0) } ?? ""
                var row: [Value] = [.text(Array(spec.host.utf8)), .text(Array(spec.user.utf8)), .text(Array(plugin.utf8)), .text(Array(auth.utf8)),
                                    .text(Array((accountOptions.lock == true ? "Y" : "N").utf8))]
                while row.count < users.columns.count { row.append(.text([])) }
                try setTLSRequirement(accountOptions.tlsRequirement ?? TLSRequirement.none, in: &row, table: users)
                try userStore.insert(row)
            }
            if !failed.isEmpty { throw SQLError(code: 1396, sqlState: "HY000", message: "Operation CREATE USER failed for \(failed.joined(separator: ","))") }
        case .dropUser(let list, let ifExists):
            var failed: [String] = []
            for (u0, h0) in list {
                let (u, h) = resolve(u0, h0)
                let pk = userKey(u, h)
                guard let old = try userStore.get(pk) else {
                    if ifExists { warn(3162, "Authorization ID '\(u)'@'\(h)' does not exist.", level: "Note") } else { failed.append("'\(u)'@'\(h)'") }
                    continue
                }
                try userStore.delete(pk, old)
                var grants: [([UInt8], [Value])] = []
                try dbStore.scanAll { k, v in
                    if v[2].textString == u && v[0].textString == h { grants.append((k, v)) }
                    return true
                }
                for (k, v) in grants { try dbStore.delete(k, v) }
                if let tablesPriv = catalog.table("mysql", "tables_priv") {
                    let store = try TableStore(self, tablesPriv)
                    var rows: [([UInt8], [Value])] = []
                    try store.scanAll { k, v in
                        if v[2].textString == u && v[0].textString == h { rows.append((k, v)) }
                        return true
                    }
                    for (k, v) in rows { try store.delete(k, v) }
                }
                if catalog.table("mysql", "columns_priv") != nil { try ColumnGrants(self).deleteAll(user: u, host: h) }
            }
            if !failed.isEmpty { throw SQLError(code: 1396, sqlState: "HY000", message: "Operation DROP USER failed for \(failed.joined(separator: ","))") }
        case .alterUser(let specs, let ifExists, let accountOptions):
            for spec in specs {
                let (u, h) = resolve(spec.user, spec.host)
                guard try userStore.get(userKey(u, h)) != nil else {
                    if ifExists { continue }
                    throw SQLError(code: 1396, sqlState: "HY000", message: "Operation ALTER USER failed for '\(u)'@'\(h)'")
                }
                try updateAccount(user: u, host: h) { row in
                    if let p = spec.plugin { row[2] = .text(Array(p.utf8)) }
                    let plugin = row[2].textString
                    if let a = spec.authString { row[3] = .text(Array(a.utf8)) } else if let pw = spec.password { row[3] = .text(Array(options.hashPassword(plugin, pw).utf8)) }
                    if let lock = accountOptions.lock { row[4] = .text(Array((lock ? "Y" : "N").utf8)) }
                    if let tls = accountOptions.tlsRequirement { try setTLSRequirement(tls, in: &row, table: users) }
                }
            }
        case .grant(let privileges, let columnPrivileges, let db0, let table, let list, let withGrant):
            let db = db0.isEmpty ? try resolveDB(nil) : db0
            var privs = try validatedPrivileges(privileges, db: db, table: table)
            let columns = try ColumnGrants.resolve(self, columnPrivileges, db: db, table: table)
            if withGrant { privs.insert("GRANT OPTION") }
            privs.remove("USAGE")
            for (u0, h0) in list {
                let (u, h) = resolve(u0, h0)
                guard try userStore.get(userKey(u, h)) != nil else {
                    throw SQLError(code: 1410, sqlState: "42000", message: "You are not allowed to create a user with GRANT")
                }
                if !privs.isEmpty {  // GRANT USAGE: nothing to record
                    let row = try GrantRow(self, host: h, db: db, user: u, table: table)
                    try row.update { $0.formUnion(privs) }
                }
                if !columns.isEmpty {
                    let grants = try ColumnGrants(self)
                    for grant in columns {
                        for column in grant.columns {
                            try grants.update(host: h, db: db, user: u, table: table, column: column) { $0.insert(grant.privilege) }
                        }
                    }
                }
            }
        case .revoke(let privileges, let columnPrivileges, let db0, let table, let list):
            let db = db0.isEmpty ? try resolveDB(nil) : db0
            let privs = try validatedPrivileges(privileges, db: db, table: table)
            let columns = try ColumnGrants.resolve(self, columnPrivileges, db: db, table: table)
            let noSuchGrant = { (u: String, h: String) -> SQLError in
                if table != "*" {
                    return SQLError(code: 1147, sqlState: "42000", message: "There is no such grant defined for user '\(u)' on host '\(h)' on table '\(table)'")
                }
                return SQLError(code: 1141, sqlState: "42000", message: "There is no such grant defined for user '\(u)' on host '\(h)'")
            }
            for (u0, h0) in list {
                let (u, h) = resolve(u0, h0)
                if !columns.isEmpty {
                    let grants = try ColumnGrants(self)
                    for grant in columns {
                        for column in grant.columns {
                            var held = false
                            try grants.update(host: h, db: db, user: u, table: table, column: column) { privileges in
                                held = privileges.remove(grant.privilege) != nil
                            }
                            if !held { throw noSuchGrant(u, h) }
                        }
                    }
                }
                if privs.isEmpty { continue }
                let row = try GrantRow(self, host: h, db: db, user: u, table: table)
                let onColumns = table != "*" && catalog.table("mysql", "columns_priv") != nil
                    ? try ColumnGrants(self).revokeFromAllColumns(privs, user: u, host: h, db: db, table: table) : false
                guard try row.current() != nil else {
                    if onColumns { continue }
                    throw noSuchGrant(u, h)
                }
                try row.update { held in
                    if privs.contains("ALL") { held = held.intersection(["GRANT OPTION"]) }
                    held.subtract(privs)
                }
            }
        default:
            break
        }
        catalogChanged = false
        return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    }
}

extension ExecContext {
    /// Upper-cased privilege names, checked against their level: 1144 for a privilege that
    /// cannot be granted on a table, 1221 for a global-only one on a database.
    func validatedPrivileges(_ privileges: [String], db: String, table: String) throws -> Set<String> {
        var out = Set<String>()
        for p in privileges {
            let name = p.uppercased() == "ALL PRIVILEGES" ? "ALL" : p.uppercased()
            guard AccountPrivileges.known.contains(name) else {
                throw SQLError(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax; unknown privilege '\(p)'")
            }
            if table != "*" && !AccountPrivileges.tableLevel.contains(name) {
                throw SQLError(code: 1144, sqlState: "42000", message: "Illegal GRANT/REVOKE command; please consult the manual to see which privileges can be used")
            }
            if db != "*" && AccountPrivileges.globalOnly.contains(name) {
                throw SQLError(code: 1221, sqlState: "HY000", message: "Incorrect usage of DB GRANT and GLOBAL PRIVILEGES")
            }
            out.insert(name)
        }
        return out
    }
}

/// One grant row: `mysql.db` for ON *.* and ON db.*, `mysql.tables_priv` for ON db.table.
struct GrantRow {
    let store: TableStore
    let key: [Value]
    let primaryKey: [UInt8]
    let privilegeColumn: Int

    init(_ ctx: ExecContext, host: String, db: String, user: String, table: String) throws {
        let isTable = table != "*"
        guard let schema = ctx.catalog.table("mysql", isTable ? "tables_priv" : "db") else {
            throw SQLError.internalError("mysql grant tables missing")
        }
        store = try TableStore(ctx, schema)
        var key = [Value](repeating: .null, count: schema.columns.count)
        key[0] = .text(Array(host.utf8)); key[1] = .text(Array(db.utf8)); key[2] = .text(Array(user.utf8))
        if isTable { key[3] = .text(Array(table.utf8)) }
        self.key = key
        primaryKey = store.primaryKey(key)
        privilegeColumn = isTable ? 4 : 3
    }

    func current() throws -> [Value]? { try store.get(primaryKey) }

    /// Applies `change` to the held privileges; deletes the row when none remain.
    func update(_ change: (inout Set<String>) -> Void) throws {
        try store.updatePrivilegeList(row: key, column: privilegeColumn, change)
    }
}

extension TableStore {
    /// Read-modify-write of a grant table's privilege list (a comma-separated SET value in
    /// `column`) in the row whose key columns `row` holds: inserts the row when privileges
    /// appear, deletes it when none remain. Returns whether any were held before.
    @discardableResult
    func updatePrivilegeList(row: [Value], column: Int, _ change: (inout Set<String>) -> Void) throws -> Bool {
        let primaryKey = self.primaryKey(row)
        let old = try get(primaryKey)
        var held = Set(old.map { $0[column].textString.split(separator: ",").map(String.init) } ?? [])
        let had = !held.isEmpty
        change(&held)
        let text = Value.text(Array(held.sorted().joined(separator: ",").utf8))
        switch (old, held.isEmpty) {
        case (nil, true): break
        case (nil, false):
            var new = row
            new[column] = text
            try insert(new)
        case (let old?, true): try delete(primaryKey, old)
        case (let old?, false):
            var new = old
            new[column] = text
            try update(primaryKey, old: old, new: new)
        }
        return had
    }
}
