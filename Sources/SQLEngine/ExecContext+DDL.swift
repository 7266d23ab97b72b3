/// CREATE/DROP DATABASE, TABLE, INDEX, VIEW; TRUNCATE; ALTER TABLE; RENAME TABLE.
extension ExecContext {
    func runDDL(_ statement: Statement) throws -> StatementResult {
        catalogChanged = true
        switch statement {
        case .createDatabase(let name, let ifNotExists):
            // As in MySQL, creating a database needs a grant on it (or a global one): 1044.
            try session.checkDatabaseAccess(name)
            if catalog.databases[name] != nil || name.lowercased() == "information_schema" {
                if ifNotExists {
                    warn(1007, "Can't create database '\(name)'; database exists", level: "Note")
                    return .ok(affectedRows: 0, lastInsertID: 0, info: "")
                }
                throw SQLError.databaseExists(name)
            }
            try validateName(name, database: true)
            catalog.databases[name] = DatabaseSchema(name: name)
            return .ok(affectedRows: 1, lastInsertID: 0, info: "")
        case .dropDatabase(let name, let ifExists):
            try session.checkDatabaseAccess(name)
            guard let db = catalog.databases[name] else {
                if ifExists {
                    warn(1008, "Can't drop database '\(name)'; database doesn't exist", level: "Note")
                    return .ok(affectedRows: 0, lastInsertID: 0, info: "")
                }
                throw SQLError.cannotDropDatabase(name)
            }
            if name == "mysql" { throw SQLError.accessDenied(user: session.user, host: session.host, db: name) }
            for (_, t) in db.tables { try dropTableTrees(t) }
            catalog.databases[name] = nil
            if session.currentDatabase == name { session.currentDatabase = nil }
            return .ok(affectedRows: UInt64(db.tables.count), lastInsertID: 0, info: "")
        case .createTable(let ast):
            return try createTable(ast)
        case .dropTable(let names, let ifExists, _):
            var missing: [String] = []
            for n in names {
                let db = try resolveDB(n.db)
                guard let t = catalog.table(db, n.name) else {
                    missing.append("\(db).\(n.name)")
                    continue
                }
                if foreignKeyChecks {
                    for (_, d) in catalog.databases {
                        for (_, child) in d.tables where !(child.db == t.db && child.name == t.name) && !names.contains(where: { (($0.db ?? session.currentDatabase) == child.db) && $0.name == child.name }) {
                            if let fk = child.foreignKeys.first(where: { $0.refDB == t.db && $0.refTable == t.name }) {
                                throw SQLError(code: 3730, sqlState: "HY000", message: "Cannot drop table '\(t.name)' referenced by a foreign key constraint '\(fk.name)' on table '\(child.name)'.")
                            }
                        }
                    }
                }
                try dropTableTrees(t)
                catalog.databases[db]?.tables[n.name] = nil
            }
            if !missing.isEmpty {
                if ifExists {
                    for m in missing { warn(1051, "Unknown table '\(m)'", level: "Note") }
                } else {
                    throw SQLError.unknownTable(missing.joined(separator: ","))
                }
            }
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .truncate(let n):
            var t = try table(n.db, n.name)
            try dropTableTrees(t)
            _ = try createTree(t.treeName)
            for idx in t.secondaryIndexes { _ = try createTree(idx.treeName) }
            t.autoIncrement = 1
            t.nextRowID = 1
            updateTable(t)
            markCountersChanged(t)
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .createIndex(let tn, let ast):
            var t = try table(tn.db, tn.name)
            try addIndex(&t, ast)
            updateTable(t)
            return .ok(affectedRows: 0, lastInsertID: 0, info: "Records: 0  Duplicates: 0  Warnings: 0")
        case .dropIndex(let name, let tn):
            var t = try table(tn.db, tn.name)
            try dropIndex(&t, name)
            updateTable(t)
            return .ok(affectedRows: 0, lastInsertID: 0, info: "Records: 0  Duplicates: 0  Warnings: 0")
        case .alterTable(let tn, let actions):
            return try alterTable(tn, actions)
        case .renameTable(let pairs):
            for (from, to) in pairs {
                var t = try table(from.db, from.name)
                let toDB = try resolveDB(to.db)
                guard catalog.databases[toDB] != nil else { throw SQLError.unknownDatabase(toDB) }
                if catalog.table(toDB, to.name) != nil || catalog.view(toDB, to.name) != nil { throw SQLError.tableExists(to.name) }
                catalog.databases[t.db]?.tables[t.name] = nil
                t.db = toDB
                t.name = to.name
                catalog.databases[toDB]?.tables[to.name] = t
            }
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .createView(let n, let columns, let q, let orReplace, let text, let checkOption):
            let db = try resolveDB(n.db)
            guard catalog.databases[db] != nil else { throw SQLError.unknownDatabase(db) }
            if catalog.table(db, n.name) != nil { throw SQLError.tableExists(n.name) }
            if catalog.view(db, n.name) != nil && !orReplace { throw SQLError.tableExists(n.name) }
            // validate now: the view must compile
            let saved = session.currentDatabase
            session.currentDatabase = db
            defer { session.currentDatabase = saved }
            let plan = try QueryCompiler(self).compile(q, parent: nil)
            if let columns, columns.count != plan.columns.count {
                throw SQLError(code: 1353, sqlState: "HY000", message: "In definition of view, derived table or common table expression, SELECT list and column names list have different column counts")
            }
            var seen = Set<String>()
            for c in columns ?? plan.columns.map(\.name) where !seen.insert(c.lowercased()).inserted { throw SQLError.duplicateColumn(c) }
            catalog.databases[db]?.views[n.name] = ViewSchema(db: db, name: n.name, sql: text, columnNames: columns,
                                                              hasCheckOption: checkOption != nil ? true : nil,
                                                              isLocalCheckOption: checkOption == .local ? true : nil)
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .dropView(let names, let ifExists):
            var missing: [String] = []
            for n in names {
                let db = try resolveDB(n.db)
                if catalog.view(db, n.name) == nil { missing.append("\(db).\(n.name)"); continue }
                catalog.databases[db]?.views[n.name] = nil
            }
            if !missing.isEmpty {
                if ifExists { for m in missing { warn(1051, "Unknown table '\(m)'", level: "Note") } } else { throw SQLError.unknownTable(missing.joined(separator: ",")) }
            }
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        case .createUser, .dropUser, .alterUser, .grant, .revoke:
            return try runAccountStatement(statement)
        default:
            throw SQLError.internalError("not a DDL statement")
        }
    }

    func validateName(_ name: String, database: Bool) throws {
        if name.isEmpty || name.utf8.count > 64 || name.hasSuffix(" ") {
            throw SQLError(code: database ? 1102 : 1103, sqlState: "42000", message: "Incorrect \(database ? "database" : "table") name '\(name)'")
        }
    }

    func dropTableTrees(_ t: TableSchema) throws {
        try dropTree(t.treeName)
        for idx in t.secondaryIndexes { try dropTree(idx.treeName) }
        if let w = writeTx { try? CatalogStore.deleteCounters(t.id, in: w) }
    }

    func createTable(_ ast: CreateTableAST) throws -> StatementResult {
        let db = try resolveDB(ast.db)
        guard catalog.databases[db] != nil else { throw SQLError.unknownDatabase(db) }
        try validateName(ast.name, database: false)
        if catalog.table(db, ast.name) != nil || catalog.view(db, ast.name) != nil {
            if ast.ifNotExists {
                warn(1050, "Table '\(ast.name)' already exists", level: "Note")
                return .ok(affectedRows: 0, lastInsertID: 0, info: "")
            }
            throw SQLError.tableExists(ast.name)
        }
        if let like = ast.likeTable {
            var t = try table(like.db, like.name)
            t.db = db
            t.name = ast.name
            t.id = catalog.allocateTableID()
            t.autoIncrement = 1
            t.nextRowID = 1
            for i in 0..<t.indexes.count where !t.indexes[i].isPrimary { t.indexes[i].treeName = "i:\(t.id):\(i)" }
            t.foreignKeys = []
            _ = try createTree(t.treeName)
            for idx in t.secondaryIndexes { _ = try createTree(idx.treeName) }
            catalog.databases[db]?.tables[t.name] = t
            return .ok(affectedRows: 0, lastInsertID: 0, info: "")
        }
        var columnsAST = ast.columns
        var queryRows: [[Value]]?
        if let q = ast.asQuery {
            let plan = try QueryCompiler(self).compile(q, parent: nil)
            for c in plan.columns where !columnsAST.contains(where: { $0.name.lowercased() == c.name.lowercased() }) {
                columnsAST.append(ColumnDefinitionAST(name: c.name, type: columnType(for: c.type), nullable: c.type.nullable))
            }
            queryRows = try plan.run(outer: nil, limit: nil).map { r in r }
            _ = queryRows
        }
        var t = TableSchema(db: db, name: ast.name, id: catalog.allocateTableID(), columns: [], primaryKey: [], indexes: [], foreignKeys: [])
        var seen = Set<String>()
        for c in columnsAST {
            if !seen.insert(c.name.lowercased()).inserted { throw SQLError.duplicateColumn(c.name) }
            t.columns.append(try makeColumn(c))
        }
        if t.columns.filter(\.autoIncrement).count > 1 {
            throw SQLError(code: 1075, sqlState: "42000", message: "Incorrect table definition; there can be only one auto column and it must be defined as a key")
        }
        for idx in ast.indexes { try addIndex(&t, idx, building: false) }
        if let ai = t.autoIncrementColumn, !t.indexes.contains(where: { $0.columns.first == ai }) {
            throw SQLError(code: 1075, sqlState: "42000", message: "Incorrect table definition; there can be only one auto column and it must be defined as a key")
        }
        for (k, fk) in ast.foreignKeys.enumerated() { try addForeignKey(&t, fk, number: k + 1) }
        if let v = ast.options["ENGINE"] { t.engine = v.lowercased() == "innodb" ? "InnoDB" : v }
        if let c = ast.options["COMMENT"] { t.comment = c }
        if let a = ast.options["AUTO_INCREMENT"], let n = UInt64(a) { t.autoIncrement = max(1, n) }
        if let cs = ast.options["CHARSET"] {
            guard let c = Collation.defaultFor(charset: cs) else { throw SQLError(code: 1115, sqlState: "42000", message: "Unknown character set: '\(cs)'") }
            if c != .binary { t.collation = c }
        }
        if let coll = ast.options["COLLATE"] {
            guard let c = Collation.named(coll) else { throw SQLError(code: 1273, sqlState: "HY000", message: "Unknown collation: '\(coll)'") }
            t.collation = c
        }
        if t.collation != .general {
            // columns without their own CHARACTER SET/COLLATE take the table's default
            for (i, c) in columnsAST.enumerated() where !c.hasExplicitCollation && i < t.columns.count && t.columns[i].type.isText && t.columns[i].type.base != .json {
                t.columns[i].type.collation = t.collation
            }
        }
        _ = try createTree(t.treeName)
        for idx in t.secondaryIndexes { _ = try createTree(idx.treeName) }
        catalog.databases[db]?.tables[t.name] = t
        markCountersChanged(t)
        if let rows = queryRows {
            let store = try TableStore(self, t)
            let offset = t.columns.count - (ast.asQuery.map { _ in rows.first?.count ?? 0 } ?? 0)
            for (n, r) in rows.enumerated() {
                var values = [Value](repeating: .null, count: t.columns.count)
                for (k, v) in r.enumerated() where offset + k < values.count {
                    values[offset + k] = try convertToColumn(v, t.columns[offset + k], strict: isStrict, row: n + 1) { [weak self] code, msg in self?.warn(code, msg) }
                }
                store.schema = t
                try store.insert(values)
                t = store.schema
            }
            updateTable(t)
            return .ok(affectedRows: UInt64(rows.count), lastInsertID: 0, info: "Records: \(rows.count)  Duplicates: 0  Warnings: 0")
        }
        return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    }

    func columnType(for t: ExprType) -> ColumnType {
        if let c = t.column { return c.column.type }
        switch t.kind {
        case .int: return ColumnType(.bigint)
        case .uint: return ColumnType(.bigint, unsigned: true)
        case .decimal: return ColumnType(.decimal, length: min(65, max(t.length, t.scale + 1)), scale: t.scale)
        case .double: return ColumnType(.double)
        case .text:
            var c = ColumnType(t.length > 16383 ? .longtext : .varchar, length: max(t.length, 0))
            c.collation = t.collation
            return c
        case .binary: return ColumnType(t.length > 65535 ? .longblob : .varbinary, length: max(t.length, 0))
        case .date: return ColumnType(.date)
        case .datetime: return ColumnType(.datetime, length: t.scale)
        case .time: return ColumnType(.time, length: t.scale)
        case .null: return ColumnType(.binary, length: 0)
        }
    }

    func makeColumn(_ c: ColumnDefinitionAST) throws -> ColumnSchema {
        var col = ColumnSchema(name: c.name, type: c.type, nullable: c.nullable ?? !(c.primaryKey))
        if c.primaryKey { col.nullable = false }
        col.autoIncrement = c.autoIncrement
        col.onUpdateCurrentTimestamp = c.onUpdateCurrentTimestamp
        col.comment = c.comment
        if let d = c.defaultValue {
            switch d {
            case .literal(.null):
                if c.nullable == false || c.primaryKey { throw SQLError(code: 1067, sqlState: "42000", message: "Invalid default value for '\(c.name)'") }
                col.defaultIsNull = true
            case .function(let name, _, _) where name == "NOW":
                guard c.type.isTemporal && c.type.base != .time || c.type.base == .date else {
                    throw SQLError(code: 1067, sqlState: "42000", message: "Invalid default value for '\(c.name)'")
                }
                col.defaultIsCurrentTimestamp = true
            default:
                let value = try ExprCompiler(self).compile(d, Scope(parent: nil)).eval(Row(width: 0))
                guard let converted = try? convertToColumn(value, col, strict: true, row: 1, warn: nil) else {
                    throw SQLError(code: 1067, sqlState: "42000", message: "Invalid default value for '\(c.name)'")
                }
                col.defaultText = String(decoding: converted.textBytes, as: UTF8.self)
                if c.type.isBlobLike && !c.type.isText && false { col.defaultText = nil }
            }
        }
        if c.type.base == .timestamp && c.nullable == nil && c.defaultValue == nil {
            col.nullable = true
        }
        return col
    }

    func addIndex(_ t: inout TableSchema, _ ast: IndexAST, building: Bool = true) throws {
        var positions: [Int] = []
        var prefixes: [Int?] = []
        for c in ast.columns {
            guard let i = t.columnIndex(c.name) else { throw SQLError.keyColumnDoesNotExist(c.name) }
            let type = t.columns[i].type
            if type.isBlobLike && c.prefix == nil && ast.kind != .fulltext {
                throw SQLError(code: 1170, sqlState: "42000", message: "BLOB/TEXT column '\(c.name)' used in key specification without a key length")
            }
            positions.append(i)
            prefixes.append(c.prefix)
        }
        if ast.kind == .primary {
            if !t.primaryKey.isEmpty { throw SQLError.multiplePrimaryKeys() }
            if building && !t.hasHiddenPrimaryKey { throw SQLError.multiplePrimaryKeys() }
            for i in positions { t.columns[i].nullable = false }
            if building {
                // rebuild the clustered tree with the new key
                try rebuild(&t) { $0.primaryKey = positions; $0.indexes.insert(IndexSchema(name: "PRIMARY", columns: positions, prefixLengths: prefixes, isUnique: true, isPrimary: true, treeName: ""), at: 0) }
                return
            }
            t.primaryKey = positions
            t.indexes.insert(IndexSchema(name: "PRIMARY", columns: positions, prefixLengths: prefixes, isUnique: true, isPrimary: true, treeName: ""), at: 0)
            return
        }
        var name = ast.name ?? t.columns[positions[0]].name
        if ast.name == nil {
            var n = 2
            while t.indexes.contains(where: { $0.name.lowercased() == name.lowercased() }) { name = t.columns[positions[0]].name + "_\(n)"; n += 1 }
        }
        if t.indexes.contains(where: { $0.name.lowercased() == name.lowercased() }) { throw SQLError.duplicateKeyName(name) }
        let serial = (t.indexes.map { Int($0.treeName.split(separator: ":").last ?? "0") ?? 0 }.max() ?? 0) + 1
        let index = IndexSchema(name: name, columns: positions, prefixLengths: prefixes, isUnique: ast.kind == .unique, isPrimary: false, treeName: "i:\(t.id):\(serial)")
        t.indexes.append(index)
        if building {
            let tree = try createTree(index.treeName)
            let store = try TableStore(self, t)
            var seen = Set<[UInt8]>()
            try store.scanAll { pk, values in
                let key = store.indexKey(index, values)
                if index.isUnique && !index.columns.contains(where: { values[$0].isNull }) && !seen.insert(key).inserted {
                    throw SQLError.duplicateEntry(store.duplicateText(index, values), key: store.keyName(index))
                }
                do { try tree.put(key + pk, []) } catch { throw storageError(error) }
                return true
            }
        }
    }

    func dropIndex(_ t: inout TableSchema, _ name: String) throws {
        if name.uppercased() == "PRIMARY" {
            guard !t.primaryKey.isEmpty else { throw SQLError.cantDropKey(name) }
            try rebuild(&t) { $0.primaryKey = []; $0.indexes.removeAll { $0.isPrimary } }
            return
        }
        guard let i = t.indexes.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { throw SQLError.cantDropKey(name) }
        try dropTree(t.indexes[i].treeName)
        t.indexes.remove(at: i)
    }

    func addForeignKey(_ t: inout TableSchema, _ fk: ForeignKeyAST, number: Int) throws {
        let refDB = fk.refDB ?? t.db
        var cols: [Int] = []
        for c in fk.columns {
            guard let i = t.columnIndex(c) else { throw SQLError.keyColumnDoesNotExist(c) }
            cols.append(i)
        }
        let selfRef = refDB == t.db && fk.refTable == t.name
        if !selfRef && foreignKeyChecks {
            guard let parent = catalog.table(refDB, fk.refTable) else {
                throw SQLError(code: 1824, sqlState: "HY000", message: "Failed to open the referenced table '\(fk.refTable)'")
            }
            for c in fk.refColumns where parent.columnIndex(c) == nil {
                throw SQLError(code: 3734, sqlState: "HY000", message: "Failed to add the foreign key constraint. Missing column '\(c)' for constraint '\(fk.name ?? "\(t.name)_ibfk_\(number)")' in the referenced table '\(fk.refTable)'")
            }
        }
        let name = fk.name ?? "\(t.name)_ibfk_\(number)"
        t.foreignKeys.append(ForeignKeySchema(name: name, columns: cols, refDB: refDB, refTable: fk.refTable, refColumns: fk.refColumns, onDelete: fk.onDelete, onUpdate: fk.onUpdate))
        // the child columns need an index (MySQL adds one)
        if !t.indexes.contains(where: { $0.columns.starts(with: cols) }) {
            try addIndex(&t, IndexAST(name: name, columns: fk.columns.map { ($0, nil, false) }, kind: .index), building: t.id != 0 && (try? tree(t.treeName)) != nil)
        }
    }

    /// Rewrites every row of a table after a change to its layout (columns or primary key), atomically
    /// inside the statement's transaction: new trees are built, the old ones dropped.
    func rebuild(_ t: inout TableSchema, transform: ((inout [Value]) throws -> Void)? = nil, _ change: (inout TableSchema) throws -> Void) throws {
        let old = t
        var new = t
        try change(&new)
        new.id = catalog.allocateTableID()
        for i in 0..<new.indexes.count where !new.indexes[i].isPrimary { new.indexes[i].treeName = "i:\(new.id):\(i + 1)" }
        _ = try createTree(new.treeName)
        for idx in new.secondaryIndexes { _ = try createTree(idx.treeName) }
        let oldStore = try TableStore(self, old)
        let newStore = try TableStore(self, new)
        var rows: [[Value]] = []
        try oldStore.scanAll { _, values in rows.append(values); return true }
        for var r in rows {
            try transform?(&r)
            newStore.schema = new
            try newStore.insert(r)
            new = newStore.schema
        }
        try dropTableTrees(old)
        t = new
        markCountersChanged(t)
    }
}
