/// SHOW statements and DESCRIBE.
extension ExecContext {
    func textRows(_ names: [String], _ rows: [[Value]], like: Expr?, whereClause: Expr?, likeColumn: Int = 0) throws -> StatementResult {
        var filtered = rows
        if let like {
            let pattern = try ExprCompiler(self).compile(like, Scope(parent: nil)).eval(Row(width: 0)).textBytes
            let m = LikeMatcher(pattern: pattern, escape: 92, collation: .general)
            filtered = filtered.filter { m.matches($0[likeColumn].textBytes) }
        }
        if let whereClause {
            let scope = Scope(parent: nil)
            scope.addSource(alias: "", db: "", table: "", columns: names, types: names.map { _ in ExprType.text })
            let c = try ExprCompiler(self).compile(whereClause, scope)
            filtered = try filtered.filter { try c.eval(Row(values: $0, outer: nil)).truth == true }
        }
        let cols = names.map { textColumn($0) }
        return .rows(columns: cols, rows: filtered.map { $0.map { $0.isNull ? .null : .string($0.textBytes) } })
    }

    func t(_ s: String) -> Value { .text(Array(s.utf8)) }

    func runShow(_ kind: ShowKind) throws -> StatementResult {
        switch kind {
        case .databases(let like, let wh):
            let names = (["information_schema"] + catalog.databases.keys.filter { (try? session.checkDatabaseAccess($0)) != nil }).sorted()
            return try textRows(["Database"], names.map { [t($0)] }, like: like, whereClause: wh)
        case .tables(let db0, let full, let like, let wh):
            let db = try resolveDB(db0)
            guard let schema = catalog.databases[db] else {
                if db.lowercased() == "information_schema" {
                    return try textRows(["Tables_in_information_schema"], InformationSchema.tableNames.map { [t($0)] }, like: like, whereClause: wh)
                }
                throw SQLError.unknownDatabase(db)
            }
            var rows: [[Value]] = schema.tables.keys.filter { session.seesTable(db, $0) }.map { full ? [t($0), t("BASE TABLE")] : [t($0)] }
            rows += schema.views.keys.filter { session.seesTable(db, $0) }.map { full ? [t($0), t("VIEW")] : [t($0)] }
            rows.sort { $0[0].textString < $1[0].textString }
            return try textRows(full ? ["Tables_in_\(db)", "Table_type"] : ["Tables_in_\(db)"], rows, like: like, whereClause: wh)
        case .columns(let tn, let full, let like, let wh):
            let db = try resolveDB(tn.db)
            if let table = catalog.table(db, tn.name) {
                let rows: [[Value]] = table.columns.enumerated().compactMap { i, c in
                    guard let privileges = session.columnPrivilegeText(db: db, table: table.name, column: c.name) else { return nil }
                    let key: String
                    if table.primaryKey.contains(i) { key = "PRI" } else if table.secondaryIndexes.contains(where: { $0.isUnique && $0.columns.first == i }) { key = "UNI" } else if table.secondaryIndexes.contains(where: { $0.columns.first == i }) { key = "MUL" } else { key = "" }
                    var extra = c.autoIncrement ? "auto_increment" : ""
                    if c.defaultIsCurrentTimestamp { extra = "DEFAULT_GENERATED" }
                    if c.onUpdateCurrentTimestamp { extra += (extra.isEmpty ? "" : " ") + "on update CURRENT_TIMESTAMP" }
                    let def: Value = c.defaultIsCurrentTimestamp ? t("CURRENT_TIMESTAMP") : (c.defaultText.map { t($0) } ?? .null)
                    var row: [Value] = [t(c.name), t(c.type.sqlText)]
                    if full { row.append(c.type.isText ? t(c.type.collation.rawValue) : .null) }
                    row += [t(c.nullable ? "YES" : "NO"), t(key), def, t(extra)]
                    if full { row += [t(privileges), t(c.comment ?? "")] }
                    return row
                }
                let names = full ? ["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"] : ["Field", "Type", "Null", "Key", "Default", "Extra"]
                return try textRows(names, rows, like: like, whereClause: wh)
            }
            if catalog.view(db, tn.name) != nil || db.lowercased() == "information_schema" {
                let plan = try QueryCompiler(self).compile(Query(body: .select({ let c = SelectCore(); c.items = [.star(table: nil)]; c.from = [.table(db: db, name: tn.name, alias: nil)]; return c }())), parent: nil)
                let rows: [[Value]] = plan.columns.map { c in [t(c.name), t(columnType(for: c.type).sqlText), t("YES"), t(""), .null, t("")] }
                return try textRows(["Field", "Type", "Null", "Key", "Default", "Extra"], rows, like: like, whereClause: wh)
            }
            throw SQLError.noSuchTable(db, tn.name)
        case .index(let tn, let wh):
            let table = try self.table(tn.db, tn.name)
            var rows: [[Value]] = []
            for idx in table.indexes {
                for (seq, ci) in idx.columns.enumerated() {
                    rows.append([t(table.name), .int(idx.isUnique ? 0 : 1), t(idx.name), .int(Int64(seq + 1)), t(table.columns[ci].name), t("A"), .int(0),
                                 idx.prefixLengths[seq].map { .int(Int64($0)) } ?? .null, .null, t(table.columns[ci].nullable ? "YES" : ""), t("BTREE"), t(""), t(""), t("YES"), .null])
                }
            }
            return try textRows(["Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Collation", "Cardinality", "Sub_part", "Packed", "Null", "Index_type", "Comment", "Index_comment", "Visible", "Expression"], rows, like: nil, whereClause: wh)
        case .createTable(let tn):
            let db = try resolveDB(tn.db)
            if let view = catalog.view(db, tn.name) {
                return try textRows(["View", "Create View", "character_set_client", "collation_connection"],
                                    [[t(view.name), t("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `\(view.name)` AS \(view.sql)\(view.checkOption.map { " WITH \($0.rawValue) CHECK OPTION" } ?? "")"), t("utf8mb4"), t("utf8mb4_general_ci")]], like: nil, whereClause: nil)
            }
            let table = try self.table(tn.db, tn.name)
            return try textRows(["Table", "Create Table"], [[t(table.name), t(ShowCreate.table(table))]], like: nil, whereClause: nil)
        case .createView(let tn):
            let db = try resolveDB(tn.db)
            guard let view = catalog.view(db, tn.name) else { throw SQLError(code: 1347, sqlState: "HY000", message: "'\(db).\(tn.name)' is not VIEW") }
            return try textRows(["View", "Create View", "character_set_client", "collation_connection"],
                                [[t(view.name), t("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `\(view.name)` AS \(view.sql)\(view.checkOption.map { " WITH \($0.rawValue) CHECK OPTION" } ?? "")"), t("utf8mb4"), t("utf8mb4_general_ci")]], like: nil, whereClause: nil)
        case .createDatabase(let name, let ifNotExists):
            guard catalog.databases[name] != nil else { throw SQLError.unknownDatabase(name) }
            let text = "CREATE DATABASE \(ifNotExists ? "/*!32312 IF NOT EXISTS*/ " : "")`\(name)` /*!40100 DEFAULT CHARACTER SET utf8mb4 */ /*!80016 DEFAULT ENCRYPTION='N' */"
            return try textRows(["Database", "Create Database"], [[t(name), t(text)]], like: nil, whereClause: nil)
        case .variables(let global, let like, let wh):
            var vars = global ? SystemVariables.defaults(engine: engine).merging(engine.shared.withLock { $0.globalVariables }) { $1 } : session.variables
            vars["warning_count"] = nil
            vars["error_count"] = nil
            let rows = vars.keys.sorted().map { [t($0), vars[$0]!.isNull ? t("") : t(variableText(vars[$0]!))] }
            return try textRows(["Variable_name", "Value"], rows, like: like, whereClause: wh)
        case .status(_, let like, let wh):
            let uptime = (currentMicroseconds() - engine.startTime) / 1_000_000
            let sessions = engine.shared.withLock { $0.sessions.count }
            let stats: [(String, String)] = [("Aborted_clients", "0"), ("Aborted_connects", "0"), ("Bytes_received", "0"), ("Bytes_sent", "0"),
                                             ("Com_select", "0"), ("Connections", String(sessions)), ("Innodb_buffer_pool_pages_total", "0"),
                                             ("Open_tables", String(catalog.databases.values.reduce(0) { $0 + $1.tables.count })),
                                             ("Queries", "0"), ("Questions", "0"), ("Ssl_cipher", ""), ("Ssl_version", session.tlsVersion ?? ""), ("Threads_connected", String(sessions)),
                                             ("Threads_running", "1"), ("Uptime", String(uptime))]
            return try textRows(["Variable_name", "Value"], stats.map { [t($0.0), t($0.1)] }, like: like, whereClause: wh)
        case .tableStatus(let db0, let like, let wh):
            let db = try resolveDB(db0)
            guard let schema = catalog.databases[db] else { throw SQLError.unknownDatabase(db) }
            let names = ["Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length", "Index_length", "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation", "Checksum", "Create_options", "Comment"]
            var rows: [[Value]] = schema.tables.values.sorted { $0.name < $1.name }.map { tb in
                [t(tb.name), t(tb.engine), .int(10), t("Dynamic"), .int(0), .int(0), .int(16384), .int(0), .int(0), .int(0),
                 tb.autoIncrementColumn != nil ? .uint(tb.autoIncrement) : .null, .null, .null, .null, t(tb.collation.rawValue), .null, t(""), t(tb.comment ?? "")]
            }
            rows += schema.views.keys.sorted().map { v in [t(v)] + [Value](repeating: .null, count: 16) + [t("VIEW")] }
            return try textRows(names, rows, like: like, whereClause: wh)
        case .warnings, .errors:
            let isErrors: Bool = { if case .errors = kind { return true }; return false }()
            let list = session.warnings.filter { !isErrors || $0.level == "Error" }
            let cols = [textColumn("Level"), ColumnDefinition(name: "Code", characterSet: 63, columnLength: 4, type: .long, flags: ColumnDefinition.unsignedFlag | ColumnDefinition.notNullFlag), textColumn("Message")]
            return .rows(columns: cols, rows: list.map { [.string(Array($0.level.utf8)), .uint(UInt64($0.code)), .string(Array($0.message.utf8))] })
        case .countWarnings, .countErrors:
            let isErrors: Bool = { if case .countErrors = kind { return true }; return false }()
            let n = session.warnings.filter { isErrors ? $0.level == "Error" : true }.count
            let name = isErrors ? "@@session.error_count" : "@@session.warning_count"
            return .rows(columns: [ColumnDefinition(name: name, characterSet: 63, columnLength: 21, type: .longlong, flags: ColumnDefinition.unsignedFlag)], rows: [[.uint(UInt64(n))]])
        case .processlist:
            let controls = engine.shared.withLock { Array($0.sessions.values) }.filter { $0.id != 0 }.sorted { $0.id < $1.id }
            let now = currentMicroseconds()
            let rows: [[Value]] = controls.map { c in
                let info = c.info.withLock { $0 }
                return [.uint(UInt64(c.id)), t(c.user), t(c.host), info.db.map { t($0) } ?? .null, t(c.id == session.connectionID ? "Query" : info.command),
                        .int((now - info.since) / 1_000_000), t(c.id == session.connectionID ? "executing" : info.state), info.sql.map { t($0) } ?? .null]
            }
            return try textRows(["Id", "User", "Host", "db", "Command", "Time", "State", "Info"], rows, like: nil, whereClause: nil)
        case .engines:
            return try textRows(["Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"],
                                [[t("InnoDB"), t("DEFAULT"), t("onebox PageStore: B+trees, WAL, snapshot transactions"), t("YES"), t("NO"), t("YES")]], like: nil, whereClause: nil)
        case .collation(let like, let wh):
            let rows: [[Value]] = Collation.allCases.sorted { $0.rawValue < $1.rawValue }.map { c in
                [t(c.rawValue), t(c.charset), .int(Int64(c.id)), t(c.isDefaultOfCharset ? "Yes" : ""), t("Yes"), .int(Int64(c.sortLength)),
                 t(c.isPadSpace ? "PAD SPACE" : "NO PAD")]
            }
            return try textRows(["Collation", "Charset", "Id", "Default", "Compiled", "Sortlen", "Pad_attribute"], rows, like: like, whereClause: wh)
        case .charset(let like, let wh):
            let rows: [[Value]] = Collation.characterSets.map { [t($0.name), t($0.description), t($0.collation.rawValue), .int(Int64($0.maxLength))] }
            return try textRows(["Charset", "Description", "Default collation", "Maxlen"], rows, like: like, whereClause: wh)
        case .grants(let u, let h):
            let user = (u?.isEmpty ?? true) ? session.user : u!
            let host = (u?.isEmpty ?? true) ? session.accountHost : h!
            return try textRows(["Grants for \(user)@\(host)"], try grantLines(user: user, host: host).map { [t($0)] }, like: nil, whereClause: nil)
        case .createUser(let u0, let h0):
            let (u, h) = u0.isEmpty && h0.isEmpty ? (session.user, session.accountHost) : (u0, h0)
            return try textRows(["CREATE USER for \(u)@\(h)"], [[t(try createUserStatement(user: u, host: h))]], like: nil, whereClause: nil)
        case .triggers, .events, .procedureStatus, .functionStatus, .masterStatus, .openTables, .plugins, .privileges:
            return try textRows(["Name"], [], like: nil, whereClause: nil)
        }
    }

    /// SHOW CREATE USER in MySQL 8.0's form, which CREATE USER reads back.
    func createUserStatement(user: String, host: String) throws -> String {
        guard let t = catalog.table("mysql", "user") else { throw SQLError.internalError("mysql.user missing") }
        let store = try TableStore(self, t)
        var key = [Value](repeating: .null, count: t.columns.count)
        key[0] = .text(Array(host.utf8))
        key[1] = .text(Array(user.utf8))
        guard let row = try store.get(store.primaryKey(key)) else {
            throw SQLError(code: 1396, sqlState: "HY000", message: "Operation SHOW CREATE USER failed for '\(user)'@'\(host)'")
        }
        func quoted(_ s: String) -> String { "'" + s.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'" }
        var text = "CREATE USER \(ShowCreate.quote(user))@\(ShowCreate.quote(host)) IDENTIFIED WITH \(quoted(row[2].textString))"
        if !row[3].isNull && !row[3].textString.isEmpty { text += " AS " + quoted(row[3].textString) }
        let requiresTLS = t.columnIndex("ssl_type").map { !row[$0].isNull && !row[$0].textString.isEmpty } ?? false
        text += requiresTLS ? " REQUIRE SSL" : " REQUIRE NONE"
        text += " PASSWORD EXPIRE DEFAULT ACCOUNT " + (row[4].textString == "Y" ? "LOCK" : "UNLOCK")
        text += " PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT"
        return text
    }

    func variableText(_ v: Value) -> String {
        switch v {
        case .double(let d): return String(format6(d))
        default: return v.textString
        }
    }

    func format6(_ d: Double) -> String { SQLDecimal(d).map { $0.rescaled(to: 6).text } ?? formatDouble(d) }
}

/// SHOW CREATE TABLE text, MySQL 8 style, except that the default collation is left implicit:
/// a column's COLLATE appears only when it differs from the table's, the table's only when it
/// is not the default, so a dump loads into MariaDB (which has no utf8mb4_0900_ai_ci) with
/// its own default utf8mb4 collation and into MySQL 8 and onebox unchanged.
enum ShowCreate {
    static func quote(_ s: String) -> String { "`" + s.replacing("`", with: "``") + "`" }

    static func table(_ t: TableSchema) -> String {
        var lines: [String] = []
        for c in t.columns {
            var s = "  " + quote(c.name) + " " + c.type.sqlText
            if c.type.isText && c.type.base != .json && c.type.collation != t.collation {
                if c.type.collation.charset != t.collation.charset { s += " CHARACTER SET " + c.type.collation.charset }
                s += " COLLATE " + c.type.collation.rawValue
            }
            if !c.nullable { s += " NOT NULL" } else if c.type.base == .timestamp { s += " NULL" }
            if c.defaultIsCurrentTimestamp { s += " DEFAULT CURRENT_TIMESTAMP" + (c.type.fsp > 0 ? "(\(c.type.fsp))" : "") }
            else if let d = c.defaultText {
                s += c.type.isInteger || c.type.base == .decimal || c.type.base == .float || c.type.base == .double
                    ? " DEFAULT '" + d + "'" : " DEFAULT '" + d.replacing("'", with: "''") + "'"
            } else if c.nullable && !c.autoIncrement && !c.type.isBlobLike { s += " DEFAULT NULL" }
            if c.onUpdateCurrentTimestamp { s += " ON UPDATE CURRENT_TIMESTAMP" + (c.type.fsp > 0 ? "(\(c.type.fsp))" : "") }
            if c.autoIncrement { s += " AUTO_INCREMENT" }
            if let cm = c.comment { s += " COMMENT '" + cm.replacing("'", with: "''") + "'" }
            lines.append(s)
        }
        func cols(_ idx: IndexSchema) -> String {
            idx.columns.enumerated().map { k, i in quote(t.columns[i].name) + (idx.prefixLengths[k].map { "(\($0))" } ?? "") }.joined(separator: ",")
        }
        if let pk = t.primaryIndex { lines.append("  PRIMARY KEY (" + cols(pk) + ")") }
        for idx in t.secondaryIndexes { lines.append("  " + (idx.isUnique ? "UNIQUE KEY " : "KEY ") + quote(idx.name) + " (" + cols(idx) + ")") }
        for fk in t.foreignKeys {
            var s = "  CONSTRAINT " + quote(fk.name) + " FOREIGN KEY (" + fk.columns.map { quote(t.columns[$0].name) }.joined(separator: ", ") + ") REFERENCES "
            s += (fk.refDB != t.db ? quote(fk.refDB) + "." : "") + quote(fk.refTable) + " (" + fk.refColumns.map(quote).joined(separator: ", ") + ")"
            if fk.onDelete != .restrict { s += " ON DELETE " + fk.onDelete.rawValue }
            if fk.onUpdate != .restrict { s += " ON UPDATE " + fk.onUpdate.rawValue }
            lines.append(s)
        }
        var text = "CREATE TABLE " + quote(t.name) + " (\n" + lines.joined(separator: ",\n") + "\n) ENGINE=" + t.engine
        if t.autoIncrementColumn != nil && t.autoIncrement > 1 { text += " AUTO_INCREMENT=\(t.autoIncrement)" }
        text += " DEFAULT CHARSET=" + t.collation.charset + (t.collation.isDefaultOfCharset ? "" : " COLLATE=" + t.collation.rawValue)
        if let c = t.comment { text += " COMMENT='" + c.replacing("'", with: "''") + "'" }
        return text
    }
}

extension ExecContext {
    /// SHOW GRANTS lines for an account, MySQL 8.0's shape: the global line first (USAGE
    /// when there is no global privilege), then each database, then each table.
    func grantLines(user: String, host: String) throws -> [String] {
        let account = "`\(user)`@`\(host)`"
        var global = Set<String>()
        var databases: [(String, Set<String>)] = []
        var tables: [(String, String, Set<String>)] = []
        func set(_ v: Value) -> Set<String> { Set(v.textString.split(separator: ",").map(String.init)) }
        if let grants = catalog.table("mysql", "db") {
            try TableStore(self, grants).scanAll { _, v in
                if v[2].textString == user && v[0].textString == host {
                    if v[1].textString == "*" { global = set(v[3]) } else { databases.append((v[1].textString, set(v[3]))) }
                }
                return true
            }
        }
        if let grants = catalog.table("mysql", "tables_priv") {
            try TableStore(self, grants).scanAll { _, v in
                if v[2].textString == user && v[0].textString == host { tables.append((v[1].textString, v[3].textString, set(v[4]))) }
                return true
            }
        }
        // Tables with column grants only have no tables_priv row: they get a line too.
        var columnGrants: [String: [String: [String]]] = [:]  // "db\0table" -> privilege -> columns
        if catalog.table("mysql", "columns_priv") != nil {
            for (_, row) in try ColumnGrants(self).rows(user: user, host: host) {
                let key = row[1].textString + "\0" + row[3].textString
                for p in row[5].textString.split(separator: ",") { columnGrants[key, default: [:]][String(p), default: []].append(row[4].textString) }
            }
        }
        for key in columnGrants.keys {
            let parts = key.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            if !tables.contains(where: { $0.0 == parts[0] && $0.1 == parts[1] }) { tables.append((parts[0], parts[1], [])) }
        }
        var lines = [AccountPrivileges.grantLine(global, on: "*.*", account: account)]
        for (db, privileges) in databases.sorted(by: { $0.0 < $1.0 }) {
            lines.append(AccountPrivileges.grantLine(privileges, on: ShowCreate.quote(db) + ".*", account: account))
        }
        for (db, table, privileges) in tables.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            lines.append(AccountPrivileges.grantLine(privileges, columns: columnGrants[db + "\0" + table] ?? [:],
                                                     on: ShowCreate.quote(db) + "." + ShowCreate.quote(table), account: account))
        }
        return lines
    }
}
