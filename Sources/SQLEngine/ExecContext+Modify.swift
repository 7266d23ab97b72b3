/// UPDATE and DELETE (single table; multi-table forms read through a join), and foreign keys.
extension ExecContext {
    /// Rows of the target table matching WHERE (through the SELECT machinery, so indexes are used),
    /// in ORDER BY order, up to LIMIT: (primary key, values).
    func matchingRows(_ table: TableSchema, alias: String?, whereClause: Expr?, orderBy: [OrderItem], limit: Expr?) throws -> [([UInt8], [Value])] {
        let qc = QueryCompiler(self)
        qc.readsOfTargetAreChecked = true
        let scope = Scope(parent: nil)
        var levels = try qc.buildFrom([.table(db: table.db, name: table.name, alias: alias)], scope: scope)
        qc.readsOfTargetAreChecked = false
        qc.exprs.clause = "where clause"
        if let w = whereClause {
            for conj in qc.splitConjuncts(w) { levels[0].matchFilters.append(try qc.exprs.compile(conj, scope)) }
        }
        levels[0].access = qc.chooseAccess(levels[0], bound: 0)
        var keys: [(Compiled, Bool)] = []
        qc.exprs.clause = "order clause"
        for o in orderBy { keys.append((try qc.exprs.compile(o.expr, scope), o.descending)) }
        let (lim, _) = try qc.evalLimit(limit, nil)
        let store = try TableStore(self, table)
        var out: [([UInt8], [Value], [Value])] = []
        let row = Row(width: scope.width)
        if table.hasHiddenPrimaryKey {
            // rows carry no key: scan the clustered tree itself
            let filters = levels[0].matchFilters
            try store.scanAll { pk, values in
                row.values = values
                for f in filters where try f.eval(row).truth != true { return true }
                out.append((pk, values, try keys.map { try $0.0.eval(row) }))
                if keys.isEmpty, let lim, out.count >= lim { return false }
                return true
            }
        } else {
            let executor = SelectExecutor(ctx: self, levels: levels, constantFilters: [], width: scope.width, sourceWidth: scope.width)
            try executor.run(row) { r in
                let values = Array(r.values[0..<table.columns.count])
                out.append((store.primaryKey(values), values, try keys.map { try $0.0.eval(r) }))
                if keys.isEmpty, let lim, out.count >= lim { return false }
                return true
            }
        }
        if !keys.isEmpty {
            out.sort { a, b in
                for (i, k) in keys.enumerated() {
                    let c = sortCompare(a.2[i], b.2[i], k.0.type.collation)
                    if c != 0 { return k.1 ? c > 0 : c < 0 }
                }
                return false
            }
            if let lim { out = Array(out.prefix(lim)) }
        }
        return out.map { ($0.0, $0.1) }
    }

    func runUpdate(_ ast: UpdateAST) throws -> StatementResult {
        if let rewritten = try updateThroughView(ast) { return try runUpdate(rewritten) }
        guard ast.tables.count == 1, case .table(let db, let name, let alias) = ast.tables[0] else {
            return try runMultiUpdate(ast)
        }
        var table = try self.table(db, name)
        let updatable = try session.columnAccess("UPDATE", db: table.db, table: table.name)
        for case (.column(_, _, let n), _) in ast.assignments {
            if let ci = table.columnIndex(n) { try checkColumns([ci], of: table, "UPDATE", updatable) }
        }
        let rows = try matchingRows(table, alias: alias, whereClause: ast.whereClause, orderBy: ast.orderBy, limit: ast.limit)
        let scope = Scope(parent: nil)
        scope.addSource(alias: alias ?? name, db: table.db, table: name, columns: table.columns.map(\.name), types: table.columns.map(ExprType.of))
        scope.sources[0].columnGuard = ColumnGuard(table, access: try session.columnAccess("SELECT", db: table.db, table: table.name,
                                                                                          allowingNone: true))
        let exprs = ExprCompiler(self)
        var assignments: [(Int, Compiled)] = []
        for (col, value) in ast.assignments {
            guard case .column(_, let t, let n) = col, t == nil || t == (alias ?? name), let ci = table.columnIndex(n) else {
                if case .column(_, _, let n) = col { throw SQLError.unknownColumn(n, in: "field list") }
                throw SQLError.syntax(near: "", line: 1)
            }
            if case .defaultValue(nil) = value {
                let c = table.columns[ci]
                let d = try defaultValue(c, strict: false, row: 1, explicitDefault: true)
                assignments.append((ci, .constant(d, ExprType.of(c))))
                continue
            }
            assignments.append((ci, try exprs.compile(value, scope)))
        }
        let viewCheck = try ast.viewCheck.map { try exprs.compile($0.condition, scope) }
        let store = try TableStore(self, table)
        let strict = isStrict && !ast.ignore
        var matched: UInt64 = 0, changed: UInt64 = 0
        for (n, (pk, old)) in rows.enumerated() {
            try checkKilled()
            matched += 1
            let row = Row(values: old, outer: nil)
            var new = old
            for (ci, c) in assignments {
                let v = try c.eval(row)
                let col = table.columns[ci]
                if v.isNull {
                    if !col.nullable {
                        if strict { throw SQLError.columnCannotBeNull(col.name) }
                        warn(1048, "Column '\(col.name)' cannot be null")
                        new[ci] = implicitDefault(col)
                    } else {
                        new[ci] = .null
                    }
                } else {
                    new[ci] = try convertToColumn(v, col, strict: strict, row: n + 1) { [weak self] code, msg in self?.warn(code, msg) }
                }
                row.values[ci] = new[ci]   // later assignments see earlier ones (MySQL order)
            }
            if let viewCheck, let name = ast.viewCheck?.name {
                row.values = new
                if try viewCheck.eval(row).truth != true { throw ViewCheck.failed(name) }
            }
            var differs = false
            for ci in 0..<new.count where !(new[ci].isNull && old[ci].isNull) && (new[ci].isNull != old[ci].isNull || compareStored(new[ci], old[ci]) != 0) { differs = true; break }
            if !differs { continue }
            for ci in 0..<new.count where table.columns[ci].onUpdateCurrentTimestamp && !assignments.contains(where: { $0.0 == ci }) {
                new[ci] = .datetime(roundFraction(localDateTime(now, session).packed, table.columns[ci].type.fsp))
            }
            try checkForeignKeysOnInsert(table, new)
            try cascadeUpdate(table, old, new)
            do {
                try store.update(pk, old: old, new: new)
            } catch let e as SQLError where e.code == 1062 && ast.ignore {
                warn(1062, e.message)
                continue
            }
            if let ai = table.autoIncrementColumn, new[ai].int128 >= Int128(table.autoIncrement) {
                table.autoIncrement = UInt64(clamping: new[ai].int128 + 1)
                updateTable(table)
                markCountersChanged(table)
            }
            changed += 1
        }
        return .ok(affectedRows: changed, lastInsertID: 0, info: "Rows matched: \(matched)  Changed: \(changed)  Warnings: \(session.warnings.count)")
    }

    func runDelete(_ ast: DeleteAST) throws -> StatementResult {
        if let rewritten = try deleteThroughView(ast) { return try runDelete(rewritten) }
        guard ast.tables.count == 1, case .table(let db, let name, let alias) = ast.tables[0], ast.targets.count == 1 else {
            return try runMultiDelete(ast)
        }
        let table = try self.table(db, name)
        try session.checkTableAccess(table.db, table: table.name, "DELETE")
        let rows = try matchingRows(table, alias: alias, whereClause: ast.whereClause, orderBy: ast.orderBy, limit: ast.limit)
        let store = try TableStore(self, table)
        var count: UInt64 = 0
        for (pk, values) in rows {
            try checkKilled()
            try cascadeDelete(table, values)
            try store.delete(pk, values)
            count += 1
        }
        return .ok(affectedRows: count, lastInsertID: 0, info: "")
    }

    /// The join of a multi-table UPDATE/DELETE, run once: for each target source, its matched
    /// rows (by primary key, first match wins as in MySQL) with the joined row they matched in.
    ///
    /// A target without a primary key has no key in the joined rows (its hidden row id is not
    /// a column): its matched rows are remembered by their values, and its clustered tree is
    /// scanned once after the join for the rows with those values. Rows with equal values are
    /// indistinguishable to the join, so they match together, as in MySQL.
    func multiTableMatches(_ tables: [TableRef], whereClause: Expr?, targets: [String], deleting: Bool, scope: Scope, qc: QueryCompiler,
                                   _ body: (_ target: Int, _ pk: [UInt8], _ values: [Value], _ row: Row) throws -> Void) throws {
        var levels = try qc.buildFrom(tables, scope: scope)
        qc.exprs.clause = "where clause"
        var constant: [Compiled] = []
        if let w = whereClause {
            for conj in qc.splitConjuncts(w) {
                let c = try qc.exprs.compile(conj, scope)
                let l = qc.highestSource(c.sources)
                if l < 0 { constant.append(c) } else if levels[l].isOuterInner { levels[l].afterFilters.append(c) } else { levels[l].matchFilters.append(c) }
            }
        }
        for i in 0..<levels.count {
            guard let on = levels[i].on else { continue }
            for conj in qc.splitConjuncts(on) { levels[i].matchFilters.append(try qc.exprs.compile(conj, scope)) }
        }
        for i in 0..<levels.count { levels[i].access = qc.chooseAccess(levels[i], bound: qc.boundMask(levels, before: i)) }
        var targetLevels: [(Int, JoinLevel, TableSchema, TableStore)] = []
        for name in targets {
            guard let li = levels.firstIndex(where: { $0.alias == name }) else { throw SQLError.unknownTable(name) }
            guard case .table(let t) = levels[li].data else {
                throw SQLError(code: 1288, sqlState: "HY000", message: "The target table \(name) of the DELETE is not updatable")
            }
            if deleting { try session.checkTableAccess(t.db, table: t.name, "DELETE") }
            targetLevels.append((li, levels[li], t, try TableStore(self, t)))
        }
        let executor = SelectExecutor(ctx: self, levels: levels, constantFilters: constant, width: scope.width, sourceWidth: scope.width)
        var seen = [Set<[UInt8]>](repeating: [], count: targetLevels.count)
        // Targets without a primary key: matched rows by their encoded values, with a copy of
        // the first joined row each matched in.
        var matchedByValues = [[[UInt8]: Row]](repeating: [:], count: targetLevels.count)
        try executor.run(Row(width: scope.width)) { r in
            for (k, (li, level, t, store)) in targetLevels.enumerated() {
                if executor.isNullExtended[li] { continue }   // the NULL row of an outer join
                let values = Array(r.values[level.offset..<(level.offset + level.width)])
                if t.hasHiddenPrimaryKey {
                    let encoded = RowEncoding.encode(values, t.columns)
                    if matchedByValues[k][encoded] == nil { matchedByValues[k][encoded] = Row(values: r.values, outer: r.outer) }
                    continue
                }
                let pk = store.primaryKey(values)
                if seen[k].insert(pk).inserted { try body(k, pk, values, r) }
            }
            return true
        }
        for (k, (_, _, t, store)) in targetLevels.enumerated() where t.hasHiddenPrimaryKey && !matchedByValues[k].isEmpty {
            var rows: [([UInt8], [Value], Row)] = []
            try store.scanAll { pk, values in
                if let joined = matchedByValues[k][RowEncoding.encode(values, t.columns)] { rows.append((pk, values, joined)) }
                return true
            }
            for (pk, values, joined) in rows { try body(k, pk, values, joined) }
        }
    }

    func runMultiUpdate(_ ast: UpdateAST) throws -> StatementResult {
        let qc = QueryCompiler(self)
        let scope = Scope(parent: nil)
        // which sources are assigned to: resolve the assignment columns after FROM is built
        var compiledAssignments: [(source: Int, column: Int, value: Compiled)] = []
        var targets: [String] = []
        var pending: [(Int, [UInt8], [Value], [Value])] = []
        var stores: [TableStore] = []
        var schemas: [TableSchema] = []
        var prepared = false
        func prepare() throws {
            for (col, value) in ast.assignments {
                guard case .column(let db, let table, let name) = col, let (si, ci) = try scope.lookup(table: table, db: db, name: name) else {
                    if case .column(_, _, let n) = col { throw SQLError.unknownColumn(n, in: "field list") }
                    throw SQLError.syntax(near: "", line: 1)
                }
                let alias = scope.sources[si].alias
                if !targets.contains(alias) { targets.append(alias) }
                compiledAssignments.append((si, ci, try qc.exprs.compile(value, scope)))
            }
            prepared = true
        }
        // build FROM first (to resolve assignment targets; it reads nothing, so no SELECT is
        // asked of any table yet), then run the join
        let probeScope = Scope(parent: nil)
        qc.readsOfTargetAreChecked = true
        _ = try qc.buildFrom(ast.tables, scope: probeScope)
        qc.readsOfTargetAreChecked = false
        for (col, _) in ast.assignments {
            guard case .column(let db, let table, let name) = col, let (si, ci) = try probeScope.lookup(table: table, db: db, name: name) else {
                if case .column(_, _, let n) = col { throw SQLError.unknownColumn(n, in: "field list") }
                throw SQLError.syntax(near: "", line: 1)
            }
            let source = probeScope.sources[si]
            if let target = catalog.table(source.db, source.table) {
                try checkColumns([ci], of: target, "UPDATE", try session.columnAccess("UPDATE", db: source.db, table: source.table))
            }
            let alias = probeScope.sources[si].alias
            if !targets.contains(alias) { targets.append(alias) }
        }
        let targetNames = targets
        targets = []
        qc.multiTableTargets = Set(targetNames)
        try multiTableMatches(ast.tables, whereClause: ast.whereClause, targets: targetNames, deleting: false, scope: scope, qc: qc) { k, pk, old, row in
            if !prepared {
                try prepare()
                for name in targetNames {
                    let si = scope.sources.firstIndex { $0.alias == name }!
                    let t = try self.table(scope.sources[si].db, scope.sources[si].table)
                    schemas.append(t)
                    stores.append(try TableStore(self, t))
                }
            }
            let si = scope.sources.firstIndex { $0.alias == targetNames[k] }!
            var new = old
            for a in compiledAssignments where a.source == si {
                let v = try a.value.eval(row)
                let col = schemas[k].columns[a.column]
                new[a.column] = v.isNull ? .null : try convertToColumn(v, col, strict: isStrict && !ast.ignore, row: 1) { [weak self] c, m in self?.warn(c, m) }
                if new[a.column].isNull && !col.nullable { throw SQLError.columnCannotBeNull(col.name) }
            }
            pending.append((k, pk, old, new))
        }
        var changed: UInt64 = 0
        for (k, pk, old, new) in pending {
            var differs = false
            for ci in 0..<new.count where new[ci].isNull != old[ci].isNull || (!new[ci].isNull && compareStored(new[ci], old[ci]) != 0) { differs = true; break }
            if !differs { continue }
            try checkForeignKeysOnInsert(schemas[k], new)
            try cascadeUpdate(schemas[k], old, new)
            try stores[k].update(pk, old: old, new: new)
            changed += 1
        }
        return .ok(affectedRows: changed, lastInsertID: 0, info: "Rows matched: \(pending.count)  Changed: \(changed)  Warnings: \(session.warnings.count)")
    }

    func runMultiDelete(_ ast: DeleteAST) throws -> StatementResult {
        let qc = QueryCompiler(self)
        let scope = Scope(parent: nil)
        var victims: [(Int, [UInt8], [Value])] = []
        let targets = ast.targets.map(\.name)
        qc.multiTableTargets = Set(targets)
        try multiTableMatches(ast.tables, whereClause: ast.whereClause, targets: targets, deleting: true, scope: scope, qc: qc) { k, pk, values, _ in
            victims.append((k, pk, values))
        }
        var count: UInt64 = 0
        for (k, pk, values) in victims {
            let si = scope.sources.firstIndex { $0.alias == targets[k] }!
            let t = try table(scope.sources[si].db, scope.sources[si].table)
            let store = try TableStore(self, t)
            guard try store.get(pk) != nil else { continue }   // already removed by a cascade
            try cascadeDelete(t, values)
            try store.delete(pk, values)
            count += 1
        }
        return .ok(affectedRows: count, lastInsertID: 0, info: "")
    }

    // MARK: foreign keys

    var foreignKeyChecks: Bool { session.variables["foreign_key_checks"]?.truth ?? true }

    func fkDetail(_ child: TableSchema, _ fk: ForeignKeySchema) -> String {
        "`\(child.db)`.`\(child.name)`, CONSTRAINT `\(fk.name)` FOREIGN KEY (\(fk.columns.map { "`\(child.columns[$0].name)`" }.joined(separator: ", "))) REFERENCES `\(fk.refTable)` (\(fk.refColumns.map { "`\($0)`" }.joined(separator: ", ")))"
    }

    func checkForeignKeysOnInsert(_ table: TableSchema, _ values: [Value]) throws {
        guard foreignKeyChecks else { return }
        for fk in table.foreignKeys {
            let childValues = fk.columns.map { values[$0] }
            if childValues.contains(where: \.isNull) { continue }
            guard let parent = catalog.table(fk.refDB, fk.refTable) else { throw SQLError.noReferencedRow(fkDetail(table, fk)) }
            let parentCols = fk.refColumns.compactMap { parent.columnIndex($0) }
            var found = false
            let store = try TableStore(self, parent)
            if parentCols == parent.primaryKey {
                var probe = [Value](repeating: .null, count: parent.columns.count)
                for (k, pc) in parentCols.enumerated() {
                    probe[pc] = (try? convertToColumn(childValues[k], parent.columns[pc], strict: true, row: 1, warn: nil)) ?? childValues[k]
                }
                let parentKey = store.primaryKey(probe)
                if let tree = store.tree { try lockRow(tree: tree.name, key: parentKey) }  // the parent stays until commit
                found = try store.get(parentKey) != nil
            } else {
                try store.scanAll { _, pv in
                    if parentCols.enumerated().allSatisfy({ compareValues(pv[$0.element], childValues[$0.offset], parent.columns[$0.element].type.collation) == 0 }) { found = true; return false }
                    return true
                }
            }
            if !found { throw SQLError.noReferencedRow(fkDetail(table, fk)) }
        }
    }

    /// Children of a parent row about to be deleted: CASCADE deletes them, SET NULL clears them, otherwise 1451.
    func cascadeDelete(_ parent: TableSchema, _ values: [Value], depth: Int = 0) throws {
        guard foreignKeyChecks else { return }
        if depth > 15 { throw SQLError(code: 3008, sqlState: "HY000", message: "Foreign key cascade delete/update exceeds max depth of 15.") }
        for (_, db) in catalog.databases {
            for (_, child) in db.tables {
                for fk in child.foreignKeys where fk.refDB == parent.db && fk.refTable == parent.name {
                    let parentCols = fk.refColumns.compactMap { parent.columnIndex($0) }
                    let key = parentCols.map { values[$0] }
                    if key.contains(where: \.isNull) { continue }
                    let store = try TableStore(self, child)
                    var victims: [([UInt8], [Value])] = []
                    try store.scanAll { pk, cv in
                        if fk.columns.enumerated().allSatisfy({ compareValues(cv[$0.element], key[$0.offset], child.columns[$0.element].type.collation) == 0 }) {
                            victims.append((pk, cv))
                        }
                        return true
                    }
                    if victims.isEmpty { continue }
                    switch fk.onDelete {
                    case .cascade:
                        for (pk, cv) in victims {
                            try cascadeDelete(child, cv, depth: depth + 1)
                            try store.delete(pk, cv)
                        }
                    case .setNull:
                        for (pk, cv) in victims {
                            var nv = cv
                            for c in fk.columns { nv[c] = .null }
                            try store.update(pk, old: cv, new: nv)
                        }
                    default:
                        throw SQLError.rowIsReferenced(fkDetail(child, fk))
                    }
                }
            }
        }
    }

    func cascadeUpdate(_ parent: TableSchema, _ old: [Value], _ new: [Value]) throws {
        guard foreignKeyChecks else { return }
        for (_, db) in catalog.databases {
            for (_, child) in db.tables {
                for fk in child.foreignKeys where fk.refDB == parent.db && fk.refTable == parent.name {
                    let parentCols = fk.refColumns.compactMap { parent.columnIndex($0) }
                    let oldKey = parentCols.map { old[$0] }, newKey = parentCols.map { new[$0] }
                    if zip(oldKey, newKey).allSatisfy({ compareValues($0, $1, .binary) == 0 }) || oldKey.contains(where: \.isNull) { continue }
                    let store = try TableStore(self, child)
                    var victims: [([UInt8], [Value])] = []
                    try store.scanAll { pk, cv in
                        if fk.columns.enumerated().allSatisfy({ compareValues(cv[$0.element], oldKey[$0.offset], child.columns[$0.element].type.collation) == 0 }) {
                            victims.append((pk, cv))
                        }
                        return true
                    }
                    if victims.isEmpty { continue }
                    switch fk.onUpdate {
                    case .cascade, .setNull:
                        for (pk, cv) in victims {
                            var nv = cv
                            for (k, c) in fk.columns.enumerated() { nv[c] = fk.onUpdate == .cascade ? newKey[k] : .null }
                            try store.update(pk, old: cv, new: nv)
                        }
                    default:
                        throw SQLError.rowIsReferenced(fkDetail(child, fk))
                    }
                }
            }
        }
    }
}
