/// ALTER TABLE: column and index changes rewrite the table into new trees inside the
/// statement's transaction, so a crash leaves the old table or the new one, never a mix.
extension ExecContext {
    func alterTable(_ tn: TableName, _ actions: [AlterAction]) throws -> StatementResult {
        var t = try table(tn.db, tn.name)
        let originalName = t.name
        for action in actions {
            switch action {
            case .addIndex(let idx): try addIndex(&t, idx)
            case .dropIndex(let name): try dropIndex(&t, name)
            case .dropPrimaryKey: try dropIndex(&t, "PRIMARY")
            case .addForeignKey(let fk):
                try addForeignKey(&t, fk, number: t.foreignKeys.count + 1)
                // the rows already there must satisfy the new constraint (1452 otherwise)
                if foreignKeyChecks, let added = t.foreignKeys.last {
                    var only = t
                    only.foreignKeys = [added]
                    try TableStore(self, t).scanAll { _, values in
                        try checkForeignKeysOnInsert(only, values)
                        return true
                    }
                }
            case .dropForeignKey(let name):
                guard let i = t.foreignKeys.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { throw SQLError.cantDropKey(name) }
                t.foreignKeys.remove(at: i)
            case .renameTable(let db, let name):
                let toDB = try resolveDB(db)
                if catalog.table(toDB, name) != nil { throw SQLError.tableExists(name) }
                catalog.databases[t.db]?.tables[t.name] = nil
                t.db = toDB
                t.name = name
            case .renameIndex(let old, let new):
                guard let i = t.indexes.firstIndex(where: { $0.name.lowercased() == old.lowercased() }) else { throw SQLError.keyDoesNotExist(old, table: t.name) }
                t.indexes[i].name = new
            case .option(let key, let value):
                if key == "AUTO_INCREMENT", let n = UInt64(value) { t.autoIncrement = max(n, 1); markCountersChanged(t) }
                if key == "COMMENT" { t.comment = value }
                if key == "ENGINE" { t.engine = value }
            case .alterColumnDefault(let name, let e):
                guard let i = t.columnIndex(name) else { throw SQLError.unknownColumn(name, in: t.name) }
                if let e {
                    var ast = ColumnDefinitionAST(name: t.columns[i].name, type: t.columns[i].type, nullable: t.columns[i].nullable)
                    ast.defaultValue = e
                    let c = try makeColumn(ast)
                    t.columns[i].defaultText = c.defaultText
                    t.columns[i].defaultIsNull = c.defaultIsNull
                    t.columns[i].defaultIsCurrentTimestamp = c.defaultIsCurrentTimestamp
                } else {
                    t.columns[i].defaultText = nil
                    t.columns[i].defaultIsNull = false
                    t.columns[i].defaultIsCurrentTimestamp = false
                }
            case .renameColumn(let old, let new):
                guard let i = t.columnIndex(old) else { throw SQLError.unknownColumn(old, in: t.name) }
                if t.columnIndex(new) != nil && new.lowercased() != old.lowercased() { throw SQLError.duplicateColumn(new) }
                renameColumnReferences(&t, old: t.columns[i].name, new: new)
                t.columns[i].name = new
            case .addColumn(let def, let position):
                if t.columnIndex(def.name) != nil { throw SQLError.duplicateColumn(def.name) }
                var col = try makeColumn(def)
                if !def.hasExplicitCollation && col.type.isText && col.type.base != .json { col.type.collation = t.collation }
                let at = try insertPosition(t, position)
                let fill: Value = try defaultValue(col, strict: false, row: 1, explicitDefault: false)
                try rebuild(&t, transform: { $0.insert(col.autoIncrement ? .null : fill, at: at) }) { s in
                    s.columns.insert(col, at: at)
                    shiftColumnReferences(&s, from: at, by: 1)
                }
                if def.primaryKey { try addIndex(&t, IndexAST(name: "PRIMARY", columns: [(def.name, nil, false)], kind: .primary)) }
                if def.unique { try addIndex(&t, IndexAST(name: nil, columns: [(def.name, nil, false)], kind: .unique)) }
                if col.autoIncrement { try renumberAutoIncrement(&t, at) }
            case .dropColumn(let name):
                guard let i = t.columnIndex(name) else { throw SQLError.cantDropKey(name) }
                if t.columns.count == 1 { throw SQLError(code: 1090, sqlState: "42000", message: "You can't delete all columns with ALTER TABLE; use DROP TABLE instead") }
                try rebuild(&t, transform: { $0.remove(at: i) }) { s in
                    s.columns.remove(at: i)
                    s.primaryKey = s.primaryKey.contains(i) ? s.primaryKey.filter { $0 != i } : s.primaryKey
                    for k in (0..<s.indexes.count).reversed() {
                        if let p = s.indexes[k].columns.firstIndex(of: i) {
                            s.indexes[k].columns.remove(at: p)
                            s.indexes[k].prefixLengths.remove(at: p)
                            if s.indexes[k].columns.isEmpty { s.indexes.remove(at: k) }
                        }
                    }
                    if s.indexes.first(where: { $0.isPrimary }) == nil { s.primaryKey = [] } else { s.primaryKey = s.indexes.first { $0.isPrimary }!.columns }
                    s.foreignKeys.removeAll { $0.columns.contains(i) }
                    shiftColumnReferences(&s, from: i + 1, by: -1)
                }
            case .modifyColumn(let def, let position), .changeColumn(_, let def, let position):
                var oldName = def.name
                if case .changeColumn(let o, _, _) = action { oldName = o }
                guard let i = t.columnIndex(oldName) else { throw SQLError.unknownColumn(oldName, in: t.name) }
                if oldName.lowercased() != def.name.lowercased() && t.columnIndex(def.name) != nil { throw SQLError.duplicateColumn(def.name) }
                var col = try makeColumn(def)
                if !def.hasExplicitCollation && col.type.isText && col.type.base != .json { col.type.collation = t.collation }
                if t.primaryKey.contains(i) { col.nullable = false }
                let strict = isStrict
                let target = try position.map { try insertPosition(t, $0) }
                renameColumnReferences(&t, old: t.columns[i].name, new: def.name)
                try rebuild(&t, transform: { row in
                    var v = row[i]
                    if !v.isNull { v = try convertToColumn(v, col, strict: strict, row: 1) { [weak self] c, m in self?.warn(c, m) } }
                    if v.isNull && !col.nullable {
                        if strict { throw SQLError(code: 1138, sqlState: "22004", message: "Invalid use of NULL value") }
                        v = self.implicitDefault(col)
                    }
                    row[i] = v
                    if let target, target != i { let x = row.remove(at: i); row.insert(x, at: target > i ? target - 1 : target) }
                }) { s in
                    s.columns[i] = col
                    if let target, target != i {
                        let c = s.columns.remove(at: i)
                        let dest = target > i ? target - 1 : target
                        s.columns.insert(c, at: dest)
                        moveColumnReferences(&s, from: i, to: dest)
                    }
                }
            }
        }
        catalog.databases[t.db]?.tables[originalName] = nil
        catalog.databases[tn.db ?? session.currentDatabase ?? t.db]?.tables[originalName] = nil
        catalog.databases[t.db]?.tables[t.name] = t
        return .ok(affectedRows: 0, lastInsertID: 0, info: "Records: 0  Duplicates: 0  Warnings: 0")
    }

    func insertPosition(_ t: TableSchema, _ p: ColumnPosition?) throws -> Int {
        switch p {
        case nil: return t.columns.count
        case .first: return 0
        case .after(let name):
            guard let i = t.columnIndex(name) else { throw SQLError.unknownColumn(name, in: t.name) }
            return i + 1
        }
    }

    func renumberAutoIncrement(_ t: inout TableSchema, _ column: Int) throws {
        let store = try TableStore(self, t)
        var rows: [([UInt8], [Value])] = []
        try store.scanAll { pk, v in rows.append((pk, v)); return true }
        for (pk, old) in rows {
            var new = old
            new[column] = .int(Int64(t.autoIncrement))
            t.autoIncrement += 1
            store.schema = t
            try store.update(pk, old: old, new: new)
        }
        markCountersChanged(t)
    }

    func renameColumnReferences(_ t: inout TableSchema, old: String, new: String) {
        for (_, db) in catalog.databases {
            for (name, var child) in db.tables {
                var changed = false
                for k in 0..<child.foreignKeys.count where child.foreignKeys[k].refDB == t.db && child.foreignKeys[k].refTable == t.name {
                    child.foreignKeys[k].refColumns = child.foreignKeys[k].refColumns.map { $0.lowercased() == old.lowercased() ? new : $0 }
                    changed = true
                }
                if changed && !(child.db == t.db && child.name == t.name) { catalog.databases[child.db]?.tables[name] = child }
            }
        }
    }
}

func shiftColumnReferences(_ s: inout TableSchema, from: Int, by delta: Int) {
    func shift(_ i: Int) -> Int { i >= from ? i + delta : i }
    s.primaryKey = s.primaryKey.map(shift)
    for k in 0..<s.indexes.count { s.indexes[k].columns = s.indexes[k].columns.map(shift) }
    for k in 0..<s.foreignKeys.count { s.foreignKeys[k].columns = s.foreignKeys[k].columns.map(shift) }
}

func moveColumnReferences(_ s: inout TableSchema, from: Int, to: Int) {
    func map(_ i: Int) -> Int {
        if i == from { return to }
        if from < to, i > from, i <= to { return i - 1 }
        if from > to, i >= to, i < from { return i + 1 }
        return i
    }
    s.primaryKey = s.primaryKey.map(map)
    for k in 0..<s.indexes.count { s.indexes[k].columns = s.indexes[k].columns.map(map) }
    for k in 0..<s.foreignKeys.count { s.foreignKeys[k].columns = s.foreignKeys[k].columns.map(map) }
}
