/// INSERT, INSERT IGNORE, REPLACE, INSERT ... SELECT, ON DUPLICATE KEY UPDATE.
extension ExecContext {
    func runInsert(_ ast: InsertAST) throws -> StatementResult {
        if let rewritten = try insertThroughView(ast) { return try runInsert(rewritten) }
        var table = try self.table(ast.table.db, ast.table.name)
        let insertable = try session.columnAccess("INSERT", db: table.db, table: table.name)
        let store = try TableStore(self, table)
        let columnCount = table.columns.count
        // target column positions
        var targets: [Int]
        if let cols = ast.columns ?? ast.setList?.map(\.0) {
            targets = []
            for c in cols {
                guard let i = table.columnIndex(c) else { throw SQLError.unknownColumn(c, in: "field list") }
                targets.append(i)
            }
        } else {
            targets = Array(0..<columnCount)
        }
        try checkColumns(targets, of: table, "INSERT", insertable)
        // source rows (as expressions or values)
        let exprs = ExprCompiler(self)
        let insertScope = Scope(parent: nil)
        var valueRows: [[Value?]] = []   // nil = DEFAULT
        if let q = ast.query {
            let plan = try QueryCompiler(self).compile(q, parent: nil)
            guard plan.columns.count == targets.count else { throw SQLError.columnCountMismatch(row: 1) }
            valueRows = try plan.run(outer: nil, limit: nil).map { $0.map { Optional($0) } }
        } else {
            let rows: [[Expr]] = ast.setList.map { [$0.map(\.1)] } ?? ast.rows
            for (n, r) in rows.enumerated() {
                if r.isEmpty && ast.columns == nil && ast.setList == nil {
                    valueRows.append([Value?](repeating: nil, count: 0))
                    continue
                }
                guard r.count == targets.count else { throw SQLError.columnCountMismatch(row: n + 1) }
                var out: [Value?] = []
                for e in r {
                    if case .defaultValue(nil) = e { out.append(nil); continue }
                    out.append(try exprs.compile(e, insertScope).eval(Row(width: 0)))
                }
                valueRows.append(out)
            }
        }
        // ON DUPLICATE KEY UPDATE: compiled against the existing row, VALUES(col) = the new row
        var dupAssignments: [(Int, Compiled)] = []
        let dupScope = Scope(parent: nil)
        dupScope.addSource(alias: table.name, db: table.db, table: table.name, columns: table.columns.map(\.name), types: table.columns.map(ExprType.of))
        let newRowHolder = Row(width: columnCount)
        if !ast.onDuplicate.isEmpty {
            let updatable = try session.columnAccess("UPDATE", db: table.db, table: table.name)
            dupScope.sources[0].columnGuard = ColumnGuard(table, access: try session.columnAccess("SELECT", db: table.db, table: table.name,
                                                                                                 allowingNone: true))
            exprs.valuesRow = (newRowHolder, table)
            for (name, e) in ast.onDuplicate {
                guard let i = table.columnIndex(name) else { throw SQLError.unknownColumn(name, in: "field list") }
                try checkColumns([i], of: table, "UPDATE", updatable)
                dupAssignments.append((i, try exprs.compile(e, dupScope)))
            }
            exprs.valuesRow = nil
        }
        let viewCheck = try ast.viewCheck.map { try exprs.compile($0.condition, dupScope) }
        var affected: UInt64 = 0
        var firstAutoID: UInt64?
        let strict = isStrict && !ast.ignore
        var rowNumber = 0
        for source in valueRows {
            rowNumber += 1
            try checkKilled()
            var values = [Value](repeating: .null, count: columnCount)
            var given = [Bool](repeating: false, count: columnCount)
            for (k, ci) in targets.enumerated() where k < source.count {
                if let v = source[k] {
                    values[ci] = v
                    given[ci] = true
                }
            }
            for ci in 0..<columnCount where !given[ci] {
                values[ci] = try defaultValue(table.columns[ci], strict: strict, row: rowNumber, explicitDefault: targets.contains(ci))
            }
            // convert and check
            for ci in 0..<columnCount {
                let col = table.columns[ci]
                if col.autoIncrement && (values[ci].isNull || (given[ci] && values[ci].int64Value == 0 && !session.sqlModeHas("NO_AUTO_VALUE_ON_ZERO"))) {
                    let id = table.autoIncrement
                    values[ci] = col.type.unsigned ? .uint(id) : .int(Int64(id))
                    table.autoIncrement = id + 1
                    if firstAutoID == nil { firstAutoID = id }
                    continue
                }
                if values[ci].isNull {
                    if !col.nullable {
                        if col.type.base == .timestamp && !given[ci] { values[ci] = .datetime(localDateTime(now, session).packed & ~0xFFFFFF); continue }
                        if given[ci] {
                            if strict || valueRows.count == 1 && !ast.ignore { throw SQLError.columnCannotBeNull(col.name) }
                            warn(1048, "Column '\(col.name)' cannot be null")
                            values[ci] = implicitDefault(col)
                        }
                    }
                    continue
                }
                values[ci] = try convertToColumn(values[ci], col, strict: strict, row: rowNumber) { [weak self] code, msg in self?.warn(code, msg) }
                if col.autoIncrement {
                    let v = values[ci].int128
                    if v >= Int128(table.autoIncrement) { table.autoIncrement = UInt64(clamping: v + 1) }
                }
            }
            store.schema = table
            if let viewCheck, let name = ast.viewCheck?.name, try viewCheck.eval(Row(values: values, outer: nil)).truth != true {
                throw ViewCheck.failed(name)
            }
            try checkForeignKeysOnInsert(table, values)
            if let (index, existingPK) = try store.findConflict(values) {
                if ast.replace {
                    if let old = try store.get(existingPK) {
                        try cascadeDelete(table, old)
                        try store.delete(existingPK, old)
                        affected += 1
                    }
                    // another unique key may still collide
                    while let (_, pk2) = try store.findConflict(values), let old2 = try store.get(pk2) {
                        try store.delete(pk2, old2)
                        affected += 1
                    }
                } else if !dupAssignments.isEmpty {
                    guard let old = try store.get(existingPK) else { continue }
                    newRowHolder.values = values
                    let row = Row(values: old, outer: nil)
                    var updated = old
                    for (ci, c) in dupAssignments {
                        let v = try c.eval(row)
                        updated[ci] = v.isNull ? .null : try convertToColumn(v, table.columns[ci], strict: strict, row: rowNumber) { [weak self] code, msg in self?.warn(code, msg) }
                        row.values[ci] = updated[ci]
                        if updated[ci].isNull && !table.columns[ci].nullable { throw SQLError.columnCannotBeNull(table.columns[ci].name) }
                    }
                    var changed = false
                    for ci in 0..<columnCount where compareStored(updated[ci], old[ci]) != 0 || updated[ci].isNull != old[ci].isNull { changed = true }
                    if changed {
                        for ci in 0..<columnCount where table.columns[ci].onUpdateCurrentTimestamp && compareStored(updated[ci], old[ci]) == 0 {
                            updated[ci] = .datetime(localDateTime(now, session).packed & ~0xFFFFFF)
                        }
                        try store.update(existingPK, old: old, new: updated)
                        affected += 2
                        if let ai = table.autoIncrementColumn { session.lastInsertIDCandidate = updated[ai].bitsValue }
                    }
                    continue
                } else if ast.ignore {
                    warn(1062, "Duplicate entry '\(store.duplicateText(index, values))' for key '\(store.keyName(index))'")
                    continue
                } else {
                    throw SQLError.duplicateEntry(store.duplicateText(index, values), key: store.keyName(index))
                }
            }
            try store.insertUnchecked(values)
            table = store.schema
            affected += 1
        }
        table.nextRowID = max(table.nextRowID, store.schema.nextRowID)
        // counters are saved at commit only when they moved (an insert with explicit keys
        // below the counter changes nothing: no counter page in its commit)
        let before = try self.table(table.db, table.name)
        if table.autoIncrement != before.autoIncrement || table.nextRowID != before.nextRowID {
            updateTable(table)
            markCountersChanged(table)
        }
        if let firstAutoID { session.lastInsertID = firstAutoID }
        let info = valueRows.count > 1 || ast.query != nil
            ? "Records: \(valueRows.count)  Duplicates: \(ast.replace ? 0 : UInt64(valueRows.count) - min(affected, UInt64(valueRows.count)))  Warnings: \(session.warnings.count)"
            : ""
        return .ok(affectedRows: affected, lastInsertID: firstAutoID ?? 0, info: info)
    }

    /// The value of a column not given in an INSERT.
    func defaultValue(_ col: ColumnSchema, strict: Bool, row: Int, explicitDefault: Bool) throws -> Value {
        if col.defaultIsCurrentTimestamp {
            let d = localDateTime(now, session)
            return col.type.base == .date ? .date(d.dateOnly.packed) : .datetime(roundFraction(d.packed, col.type.fsp))
        }
        if let text = col.defaultText {
            return try convertToColumn(.text(Array(text.utf8)), col, strict: false, row: row, warn: nil)
        }
        if col.nullable || col.autoIncrement || col.defaultIsNull { return .null }
        if col.type.base == .timestamp { return .null }
        if strict { throw SQLError.noDefault(col.name) }
        warn(1364, "Field '\(col.name)' doesn't have a default value")
        return implicitDefault(col)
    }

    func implicitDefault(_ col: ColumnSchema) -> Value {
        let t = col.type
        if t.isInteger { return t.unsigned ? .uint(0) : .int(0) }
        if t.base == .decimal { return .decimal(SQLDecimal(mantissa: 0, scale: t.scale ?? 0)) }
        if t.base == .float || t.base == .double { return .double(0) }
        if t.base == .date { return .date(DateTimeValue(year: 0, month: 0, day: 0).packed) }
        if t.isTemporal && t.base != .time { return .datetime(DateTimeValue(year: 0, month: 0, day: 0).packed) }
        if t.base == .time { return .time(0) }
        if t.base == .enumeration { return .text(Array((t.values.first ?? "").utf8)) }
        if t.isBinaryString { return .binary(t.base == .binary ? [UInt8](repeating: 0, count: t.maxLength) : []) }
        return .text([])
    }
}
