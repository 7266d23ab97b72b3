import PageStore

/// Accounts and grants live in the `mysql` schema as ordinary tables:
/// `mysql.user(Host, User, plugin, authentication_string, account_locked, Super_priv)` and
/// `mysql.db(Host, Db, User, Privileges)` (a comma-separated privilege list per database grant).
/// Global grants (ON *.*) are rows of mysql.db with Db = '*'.
extension Engine {
    static let systemSchemaSQL = [
        "CREATE TABLE IF NOT EXISTS mysql.user (Host CHAR(255) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', plugin CHAR(64) NOT NULL DEFAULT 'caching_sha2_password', authentication_string TEXT, account_locked ENUM('N','Y') NOT NULL DEFAULT 'N', PRIMARY KEY (Host, User)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS mysql.db (Host CHAR(255) NOT NULL DEFAULT '', Db CHAR(64) NOT NULL DEFAULT '', User CHAR(32) NOT NULL DEFAULT '', Privileges TEXT, PRIMARY KEY (Host, Db, User)) ENGINE=InnoDB",
    ]

    /// Creates the `mysql` schema and its tables when missing.
    func ensureSystemSchema() throws {
        if catalog.table("mysql", "user") != nil && catalog.table("mysql", "db") != nil { return }
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        try session.execute(Array("CREATE DATABASE IF NOT EXISTS mysql".utf8), multiStatements: false) { _ in }
        for sql in Engine.systemSchemaSQL { try session.execute(Array(sql.utf8), multiStatements: false) { _ in } }
    }

    /// The account for (user, host): exact host first, then patterns ('%', 'a.%'), like MySQL.
    public func account(user: String, host: String) throws -> Account? {
        let session = makeSession(connectionID: 0, user: "root", host: "localhost")
        session.isBootstrap = true
        defer { session.close() }
        let accounts = try session.withRead(parameters: []) { ctx -> [Account] in
            guard let t = ctx.catalog.table("mysql", "user") else { return [] }
            var out: [Account] = []
            try TableStore(ctx, t).scanAll { _, v in
                out.append(Account(user: v[1].textString, host: v[0].textString, plugin: v[2].textString,
                                   authenticationString: v[3].textString, locked: v[4].textString == "Y"))
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

    /// Database-level privilege check (global grants, then per-database grants).
    func checkDatabaseAccess(_ db: String) throws {
        if isBootstrap || db.lowercased() == "information_schema" { return }
        guard let privileges = try grantedPrivileges() else { return }
        if privileges["*"] != nil || privileges[db] != nil { return }
        throw SQLError.accessDenied(user: user, host: accountHost, db: db)
    }

    func checkTableAccess(_ db: String) throws {
        try checkDatabaseAccess(db)
    }

    /// Privileges by database for this account; nil when grants are not enforced (no mysql.db yet).
    func grantedPrivileges() throws -> [String: String]? {
        if let cached = cachedPrivileges { return cached }
        let me = user, myHost = accountHost
        let result = try engine.catalog.table("mysql", "db").map { t -> [String: String] in
            let (catalog, tx) = try engine.snapshot()
            defer { tx.end() }
            let ctx = ExecContext(session: self, catalog: catalog, tx: tx, writeTx: nil, parameters: [])
            var out: [String: String] = [:]
            try TableStore(ctx, t).scanAll { _, v in
                if v[2].textString == me && v[0].textString == myHost { out[v[1].textString] = v[3].textString }
                return true
            }
            return out
        }
        cachedPrivileges = result
        return result
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
        session.cachedPrivileges = nil
        switch statement {
        case .createUser(let specs, let ifNotExists):
            var failed: [String] = []
            for spec in specs {
                if try userStore.get(userKey(spec.user, spec.host)) != nil {
                    if ifNotExists { warn(3163, "Authorization ID '\(spec.user)'@'\(spec.host)' already exists.", level: "Note"); continue }
                    failed.append("'\(spec.user)'@'\(spec.host)'")
                    continue
                }
                let plugin = spec.plugin ?? options.defaultAuthPlugin
                let auth = spec.authString ?? spec.password.map { options.hashPassword(plugin, $0) } ?? ""
                try userStore.insert([.text(Array(spec.host.utf8)), .text(Array(spec.user.utf8)), .text(Array(plugin.utf8)), .text(Array(auth.utf8)), .text(Array("N".utf8))])
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
            }
            if !failed.isEmpty { throw SQLError(code: 1396, sqlState: "HY000", message: "Operation DROP USER failed for \(failed.joined(separator: ","))") }
        case .alterUser(let specs, let ifExists, let lock):
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
                    if let lock { row[4] = .text(Array((lock ? "Y" : "N").utf8)) }
                }
            }
        case .grant(let privileges, let db0, _, let list, _):
            let db = db0.isEmpty ? try resolveDB(nil) : db0
            for (u0, h0) in list {
                let (u, h) = resolve(u0, h0)
                guard try userStore.get(userKey(u, h)) != nil else {
                    throw SQLError(code: 1410, sqlState: "42000", message: "You are not allowed to create a user with GRANT")
                }
                var key = [Value](repeating: .null, count: dbs.columns.count)
                key[0] = .text(Array(h.utf8)); key[1] = .text(Array(db.utf8)); key[2] = .text(Array(u.utf8))
                let pk = dbStore.primaryKey(key)
                var privs = Set(privileges.map { $0.uppercased() })
                if let old = try dbStore.get(pk) {
                    privs.formUnion(old[3].textString.split(separator: ",").map(String.init))
                    var new = old
                    new[3] = .text(Array(privs.sorted().joined(separator: ",").utf8))
                    try dbStore.update(pk, old: old, new: new)
                } else {
                    key[3] = .text(Array(privs.sorted().joined(separator: ",").utf8))
                    try dbStore.insert(key)
                }
            }
        case .revoke(let privileges, let db0, _, let list):
            let db = db0.isEmpty ? try resolveDB(nil) : db0
            for (u0, h0) in list {
                let (u, h) = resolve(u0, h0)
                var key = [Value](repeating: .null, count: dbs.columns.count)
                key[0] = .text(Array(h.utf8)); key[1] = .text(Array(db.utf8)); key[2] = .text(Array(u.utf8))
                let pk = dbStore.primaryKey(key)
                guard let old = try dbStore.get(pk) else {
                    throw SQLError(code: 1141, sqlState: "42000", message: "There is no such grant defined for user '\(u)' on host '\(h)'")
                }
                var privs = Set(old[3].textString.split(separator: ",").map(String.init))
                if privileges.contains(where: { $0.uppercased() == "ALL" }) { privs = [] } else { privs.subtract(privileges.map { $0.uppercased() }) }
                if privs.isEmpty { try dbStore.delete(pk, old) } else {
                    var new = old
                    new[3] = .text(Array(privs.sorted().joined(separator: ",").utf8))
                    try dbStore.update(pk, old: old, new: new)
                }
            }
        default:
            break
        }
        catalogChanged = false
        return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    }
}
