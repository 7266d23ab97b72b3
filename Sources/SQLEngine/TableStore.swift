import PageStore

/// One table's trees in one statement: the clustered tree (primary key or hidden row id →
/// row) and a tree per secondary index (index key + primary key → empty).
final class TableStore {
    let ctx: ExecContext
    var schema: TableSchema
    let tree: Tree?
    private var indexTrees: [String: Tree] = [:]

    init(_ ctx: ExecContext, _ schema: TableSchema) throws {
        self.ctx = ctx
        self.schema = schema
        self.tree = try ctx.tree(schema.treeName)
    }

    func indexTree(_ index: IndexSchema) throws -> Tree? {
        if let t = indexTrees[index.treeName] { return t }
        let t = try ctx.tree(index.treeName)
        if let t { indexTrees[index.treeName] = t }
        return t
    }

    /// The clustered key of a row.
    func primaryKey(_ values: [Value], rowID: UInt64? = nil) -> [UInt8] {
        var key: [UInt8] = []
        if schema.hasHiddenPrimaryKey {
            KeyEncoding.appendBE(&key, rowID ?? 0)
            return key
        }
        for i in schema.primaryKey {
            KeyEncoding.append(values[i], schema.columns[i].type, to: &key)
        }
        return key
    }

    func indexKey(_ index: IndexSchema, _ values: [Value]) -> [UInt8] {
        var key: [UInt8] = []
        for (k, i) in index.columns.enumerated() {
            KeyEncoding.append(values[i], schema.columns[i].type, prefixLength: index.prefixLengths[k], to: &key)
        }
        return key
    }

    func decode(_ value: UnsafeRawBufferPointer, into row: inout [Value], at offset: Int) throws {
        try RowEncoding.decode(value, schema.columns, into: &row, at: offset)
    }

    func decodeRow(_ bytes: [UInt8]) throws -> [Value] {
        var row = [Value](repeating: .null, count: schema.columns.count)
        try bytes.withUnsafeBytes { try RowEncoding.decode($0, schema.columns, into: &row, at: 0) }
        return row
    }

    func get(_ pk: [UInt8]) throws -> [Value]? {
        guard let tree else { return nil }
        do {
            return try tree.withValue(pk) { p -> [Value]? in
                guard let p else { return nil }
                var row = [Value](repeating: .null, count: schema.columns.count)
                try RowEncoding.decode(p, schema.columns, into: &row, at: 0)
                return row
            }
        } catch { throw storageError(error) }
    }

    /// Text of a key's values for 1062, MySQL style ('1-abc').
    func duplicateText(_ index: IndexSchema?, _ values: [Value]) -> String {
        let cols = index?.columns ?? schema.primaryKey
        return cols.map { i -> String in
            let v = values[i]
            return v.isNull ? "NULL" : String(decoding: v.textBytes.prefix(64), as: UTF8.self)
        }.joined(separator: "-")
    }

    /// The unique index (or primary key, nil) a row would collide on, with the existing row's primary key.
    func findConflict(_ values: [Value], ignoringPK: [UInt8]? = nil) throws -> (IndexSchema?, [UInt8])? {
        guard let tree else { return nil }
        if !schema.hasHiddenPrimaryKey {
            let pk = primaryKey(values)
            try ctx.lockRow(tree: tree.name, key: pk)   // the check reads the newest state
            if pk != ignoringPK, try tree.contains(pk) { return (nil, pk) }
        }
        for index in schema.secondaryIndexes where index.isUnique {
            if index.columns.contains(where: { values[$0].isNull }) { continue }
            guard let it = try indexTree(index) else { continue }
            let prefix = indexKey(index, values)
            try ctx.lockRow(tree: it.name, key: prefix)
            let c = it.makeCursor()
            if try c.seek(prefix, .greaterOrEqual), c.key.hasPrefix(prefix) {
                let existingPK = Array(c.key[prefix.count...])
                if existingPK != ignoringPK { return (index, existingPK) }
            }
        }
        return nil
    }

    func keyName(_ index: IndexSchema?) -> String {
        schema.name + "." + (index?.name ?? "PRIMARY")
    }

    /// Inserts a new row; throws 1062 on a duplicate. Returns its primary key.
    @discardableResult
    func insert(_ values: [Value]) throws -> [UInt8] {
        if let (index, _) = try findConflict(values) {
            throw SQLError.duplicateEntry(duplicateText(index, values), key: keyName(index))
        }
        return try insertUnchecked(values)
    }

    func insertUnchecked(_ values: [Value]) throws -> [UInt8] {
        guard let tree else { throw SQLError.noSuchTable(schema.db, schema.name) }
        var rowID: UInt64?
        if schema.hasHiddenPrimaryKey {
            rowID = schema.nextRowID
            schema.nextRowID += 1
            ctx.updateTable(schema)
            ctx.markCountersChanged(schema)
        }
        let pk = primaryKey(values, rowID: rowID)
        do {
            try tree.put(pk, RowEncoding.encode(values, schema.columns))
            for index in schema.secondaryIndexes {
                guard let it = try indexTree(index) else { continue }
                try it.put(indexKey(index, values) + pk, [])
            }
        } catch { throw storageError(error) }
        return pk
    }

    func delete(_ pk: [UInt8], _ values: [Value]) throws {
        guard let tree else { return }
        // a unique value being freed: an insert of it waits for this transaction
        for index in schema.secondaryIndexes where index.isUnique && !index.columns.contains(where: { values[$0].isNull }) {
            try ctx.lockRow(tree: index.treeName, key: indexKey(index, values))
        }
        do {
            _ = try tree.delete(pk)
            for index in schema.secondaryIndexes {
                guard let it = try indexTree(index) else { continue }
                _ = try it.delete(indexKey(index, values) + pk)
            }
        } catch { throw storageError(error) }
    }

    /// Replaces a row; checks unique keys that changed. Returns the new primary key.
    @discardableResult
    func update(_ pk: [UInt8], old: [Value], new: [Value]) throws -> [UInt8] {
        guard let tree else { throw SQLError.noSuchTable(schema.db, schema.name) }
        let newPK = schema.hasHiddenPrimaryKey ? pk : primaryKey(new)
        if newPK != pk {
            try ctx.lockRow(tree: tree.name, key: newPK)
            if try tree.contains(newPK) { throw SQLError.duplicateEntry(duplicateText(nil, new), key: keyName(nil)) }
        }
        for index in schema.secondaryIndexes where index.isUnique {
            let oldKey = indexKey(index, old), newKey = indexKey(index, new)
            if oldKey == newKey { continue }
            if !index.columns.contains(where: { old[$0].isNull }) { try ctx.lockRow(tree: index.treeName, key: oldKey) }
            if index.columns.contains(where: { new[$0].isNull }) { continue }
            try ctx.lockRow(tree: index.treeName, key: newKey)
            guard let it = try indexTree(index) else { continue }
            let c = it.makeCursor()
            if try c.seek(newKey, .greaterOrEqual), c.key.hasPrefix(newKey), Array(c.key[newKey.count...]) != pk {
                throw SQLError.duplicateEntry(duplicateText(index, new), key: keyName(index))
            }
        }
        do {
            if newPK != pk { _ = try tree.delete(pk) }
            try tree.put(newPK, RowEncoding.encode(new, schema.columns))
            for index in schema.secondaryIndexes {
                let oldKey = indexKey(index, old), newKey = indexKey(index, new)
                if oldKey == newKey && newPK == pk { continue }
                guard let it = try indexTree(index) else { continue }
                _ = try it.delete(oldKey + pk)
                try it.put(newKey + newPK, [])
            }
        } catch { throw storageError(error) }
        return newPK
    }

    /// Every row (primary key order), as (key, values).
    func scanAll(_ body: (_ pk: [UInt8], _ values: [Value]) throws -> Bool) throws {
        guard let tree else { return }
        let c = tree.makeCursor()
        var row = [Value](repeating: .null, count: schema.columns.count)
        do {
            var ok = try c.first()
            while ok {
                try ctx.checkKilled()
                try c.withCurrent { _, v in try RowEncoding.decode(v, schema.columns, into: &row, at: 0) }
                if !(try body(c.key, row)) { return }
                ok = try c.next()
            }
        } catch let e as SQLError { throw e } catch { throw storageError(error) }
    }
}
