/// FROM: resolving table names (CTEs, views, tables, information_schema), flattening joins
/// into levels, USING/NATURAL.
extension QueryCompiler {
    struct FromLeaf {
        var ref: TableRef
        var kind: JoinKind
        var on: Expr?
        var using: [String]?
        /// On the first leaf of a LEFT JOIN's parenthesised inner join: how many leaves it has.
        var outerGroupSize = 0
    }

    func flatten(_ refs: [TableRef]) throws -> [FromLeaf] {
        var out: [FromLeaf] = []
        for r in refs { try flattenOne(r, kind: .inner, on: nil, using: nil, into: &out) }
        return out
    }

    private func flattenOne(_ r: TableRef, kind: JoinKind, on: Expr?, using: [String]?, into out: inout [FromLeaf]) throws {
        switch r {
        case .table, .derived, .jsonTable:
            out.append(FromLeaf(ref: r, kind: kind, on: on, using: using))
        case .join(let l, let right, let k, let jon, let jusing):
            if k == .right || k == .naturalRight {
                // a RIGHT JOIN b ON c  ==  b LEFT JOIN a ON c
                guard out.isEmpty || kind == .inner else { throw SQLError.unsupported("RIGHT JOIN of a join") }
                try flattenOne(right, kind: kind, on: on, using: using, into: &out)
                if case .join = l {
                    guard k == .right, jusing == nil else { throw SQLError.unsupported("NATURAL or USING RIGHT JOIN of a join") }
                    try appendOuterGroup(l, on: jon, into: &out)
                } else {
                    try flattenOne(l, kind: k == .right ? .left : .naturalLeft, on: jon, using: jusing, into: &out)
                }
                return
            }
            try flattenOne(l, kind: kind, on: on, using: using, into: &out)
            switch right {
            case .join:
                if k == .inner || k == .cross || k == .straight {
                    var inner: [FromLeaf] = []
                    try flattenOne(right, kind: .inner, on: nil, using: nil, into: &inner)
                    if inner.contains(where: { $0.kind == .left || $0.kind == .naturalLeft }) {
                        throw SQLError.unsupported("nested outer join on the right of a join")
                    }
                    out += inner
                    if let jon {
                        out[out.count - 1].on = out[out.count - 1].on.map { .binary(.and, $0, jon) } ?? jon
                    }
                } else if k == .left && jusing == nil {
                    try appendOuterGroup(right, on: jon, into: &out)
                } else {
                    throw SQLError.unsupported("NATURAL or USING outer join with a parenthesised join on its right")
                }
            default:
                try flattenOne(right, kind: k, on: jon, using: jusing, into: &out)
            }
        }
    }

    /// `LEFT JOIN (u JOIN v ON c1) ON c2`: the inner join's leaves as one group whose first
    /// leaf is the LEFT one; c2 goes with the last leaf (the levels place each condition where
    /// its tables are bound). Only inner joins inside (1235 for an outer or NATURAL one).
    private func appendOuterGroup(_ r: TableRef, on: Expr?, into out: inout [FromLeaf]) throws {
        var inner: [FromLeaf] = []
        try flattenOne(r, kind: .inner, on: nil, using: nil, into: &inner)
        guard inner.allSatisfy({ ($0.kind == .inner || $0.kind == .cross || $0.kind == .straight) && $0.using == nil && $0.outerGroupSize == 0 }) else {
            throw SQLError.unsupported("outer, NATURAL or USING join inside a parenthesised join on the inner side of an outer join")
        }
        inner[0].kind = .left
        inner[0].outerGroupSize = inner.count
        if let on { inner[inner.count - 1].on = inner[inner.count - 1].on.map { .binary(.and, $0, on) } ?? on }
        out += inner
    }

    /// Columns, types and rows-or-table of one named source.
    func resolveTable(db: String?, name: String) throws -> (db: String, columns: [String], types: [ExprType], data: JoinLevel.Data, columnGuard: ColumnGuard?) {
        if db == nil, !ctx.cteScopes.isEmpty {
            ctx.planUsesExecutionState()
            for frame in ctx.cteScopes.reversed() {
                if let b = frame[name] {
                    let rows = b.rows
                    var types = b.types
                    for i in 0..<types.count { types[i].column = nil }
                    return ("", b.columns, types, .rows({ rows }), nil)
                }
            }
        }
        let dbName = try ctx.resolveDB(db)
        if dbName.lowercased() == "information_schema" {
            ctx.planUsesExecutionState()
            guard let t = try InformationSchema.table(name, ctx) else { throw SQLError.noSuchTable("information_schema", name) }
            return ("information_schema", t.columns, t.types, .rows({ t.rows }), nil)
        }
        if let view = ctx.catalog.view(dbName, name) {
            ctx.planUsesExecutionState()
            var parser = try Parser(Array(view.sql.utf8))
            guard let (stmt, _) = try parser.nextStatement(), case .select(let q) = stmt else {
                throw SQLError(code: 1356, sqlState: "HY000", message: "View '\(dbName).\(name)' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them")
            }
            let savedDB = ctx.session.currentDatabase
            ctx.session.currentDatabase = dbName
            defer { ctx.session.currentDatabase = savedDB }
            let plan = try QueryCompiler(ctx).compile(q, parent: nil)
            var names = plan.columns.map(\.name)
            if let cols = view.columnNames { names = cols }
            var types = plan.columns.map(\.type)
            for i in 0..<types.count { types[i].column = nil }
            return (dbName, names, types, .rows({ try plan.run(outer: nil, limit: nil) }), nil)
        }
        guard let table = ctx.catalog.table(dbName, name) else {
            if ctx.catalog.databases[dbName] == nil && db != nil { throw SQLError.noSuchTable(dbName, name) }
            throw SQLError.noSuchTable(dbName, name)
        }
        // Without SELECT on the table, column grants decide which columns it may read
        // (1143 for another); a DML target needs no SELECT until it reads a column.
        let columnGuard = ColumnGuard(table, access: try ctx.session.columnAccess("SELECT", db: dbName, table: name,
                                                                                   allowingNone: readsOfTargetAreChecked))
        var types: [ExprType] = []
        for (i, c) in table.columns.enumerated() {
            var t = ExprType.of(c)
            t.column = ColumnOrigin(db: dbName, table: name, orgTable: name, column: c, flags: columnFlags(table, i))
            types.append(t)
        }
        return (dbName, table.columns.map(\.name), types, .table(table), columnGuard)
    }

    /// Builds the scope and the join levels of a FROM clause.
    func buildFrom(_ refs: [TableRef], scope: Scope) throws -> [JoinLevel] {
        let leaves = try flatten(refs)
        if leaves.count > 61 { throw SQLError.tooManyTables() }
        var levels: [JoinLevel] = []
        var group: ClosedRange<Int>?
        for leaf in leaves {
            if leaf.outerGroupSize > 0 { group = levels.count...(levels.count + leaf.outerGroupSize - 1) }
            if let g = group, !g.contains(levels.count) { group = nil }
            let alias: String
            let resolved: (db: String, columns: [String], types: [ExprType], data: JoinLevel.Data, columnGuard: ColumnGuard?)
            var origName = ""
            switch leaf.ref {
            case .table(let db, let name, let a):
                alias = a ?? name
                let saved = readsOfTargetAreChecked
                readsOfTargetAreChecked = saved || multiTableTargets.contains(alias)
                defer { readsOfTargetAreChecked = saved }
                resolved = try resolveTable(db: db, name: name)
                origName = name
                if scope.hasSource(named: alias) { throw SQLError.nonUniqueTable(alias) }
            case .derived(let q, let a):
                ctx.planUsesExecutionState()
                let plan = try QueryCompiler(ctx).compile(q, parent: nil)
                alias = a
                var types = plan.columns.map(\.type)
                for i in 0..<types.count { types[i].column = nil }
                var names = plan.columns.map(\.name)
                var seen = Set<String>()
                for n in names where !seen.insert(n.lowercased()).inserted { throw SQLError.duplicateColumn(n) }
                names = plan.columns.map(\.name)
                resolved = ("", names, types, .rows({ try plan.run(outer: nil, limit: nil) }), nil)
                if scope.hasSource(named: alias) { throw SQLError.nonUniqueTable(alias) }
            case .jsonTable(let ast, let a):
                ctx.planUsesExecutionState()
                alias = a
                let evaluator = try JSONTableEvaluator(ast)
                // the document may read the sources before this one (a lateral source)
                let savedClause = exprs.clause
                exprs.clause = "from clause"
                let document = try exprs.compile(ast.document, scope)
                exprs.clause = savedClause
                let flat = JSONTableColumn.flat(ast.columns)
                var seen = Set<String>()
                for c in flat where !seen.insert(c.name.lowercased()).inserted { throw SQLError.duplicateColumn(c.name) }
                let types = flat.map { ExprType.of(ColumnSchema(name: $0.name, type: $0.type, nullable: true)) }
                resolved = ("", flat.map(\.name), types, .lateral({ row in try evaluator.rows(try document.eval(row)) }), nil)
                if scope.hasSource(named: alias) { throw SQLError.nonUniqueTable(alias) }
            case .join:
                throw SQLError.internalError("unflattened join")
            }
            let offset = scope.width
            let si = scope.addSource(alias: alias, db: resolved.db, table: origName, columns: resolved.columns, types: resolved.types)
            scope.sources[si].columnGuard = resolved.columnGuard
            let isLeft = leaf.kind == .left || leaf.kind == .naturalLeft
            var on = leaf.on
            var usingColumns = leaf.using
            if leaf.kind == .natural || leaf.kind == .naturalLeft {
                let right = Set(resolved.columns.map { $0.lowercased() })
                var common: [String] = []
                for s in scope.sources.dropLast() {
                    for (ci, c) in s.columns.enumerated() where right.contains(c.lowercased()) && !s.hiddenColumns.contains(ci) && !common.contains(where: { $0.lowercased() == c.lowercased() }) {
                        common.append(c)
                    }
                }
                usingColumns = common
            }
            if let cols = usingColumns {
                for c in cols {
                    guard let ci = resolved.columns.firstIndex(where: { $0.lowercased() == c.lowercased() }) else {
                        throw SQLError.unknownColumn(c, in: "from clause")
                    }
                    // the left side's column: the first earlier source that has it
                    guard let left = scope.sources.dropLast().first(where: { s in s.columns.enumerated().contains { $0.element.lowercased() == c.lowercased() && !s.hiddenColumns.contains($0.offset) } }) else {
                        throw SQLError.unknownColumn(c, in: "from clause")
                    }
                    let cond = Expr.binary(.eq, .column(db: nil, table: left.alias, name: c), .column(db: nil, table: alias, name: c))
                    on = on.map { .binary(.and, $0, cond) } ?? cond
                    scope.sources[si].hiddenColumns.insert(ci)
                }
            }
            levels.append(JoinLevel(source: si, alias: alias, data: resolved.data, isLeft: isLeft, outerGroup: group,
                                    on: on, width: resolved.columns.count, offset: offset))
        }
        return levels
    }
}

/// Result-metadata flags of a table column.
func columnFlags(_ t: TableSchema, _ i: Int) -> UInt16 {
    let c = t.columns[i]
    var f: UInt16 = 0
    if !c.nullable { f |= ColumnDefinition.notNullFlag }
    if t.primaryKey.contains(i) { f |= ColumnDefinition.primaryKeyFlag }
    if t.secondaryIndexes.contains(where: { $0.isUnique && $0.columns.first == i }) { f |= ColumnDefinition.uniqueKeyFlag }
    if t.secondaryIndexes.contains(where: { !$0.isUnique && $0.columns.first == i }) { f |= ColumnDefinition.multipleKeyFlag }
    if c.type.unsigned { f |= ColumnDefinition.unsignedFlag }
    if c.type.isBlobLike { f |= ColumnDefinition.blobFlag }
    if c.type.isBinaryString || c.type.collation == .binary && !c.type.isText { f |= ColumnDefinition.binaryFlag }
    if c.autoIncrement { f |= ColumnDefinition.autoIncrementFlag }
    if c.type.base == .enumeration { f |= ColumnDefinition.enumFlag }
    if c.type.base == .timestamp { f |= ColumnDefinition.timestampFlag }
    if !c.hasDefault && !c.nullable && !c.autoIncrement { f |= ColumnDefinition.noDefaultValueFlag }
    // BIT is sent as a binary string (UNSIGNED only, as MySQL flags it): dumps quote it.
    if (c.type.isInteger && c.type.base != .bit) || c.type.base == .decimal || c.type.base == .float || c.type.base == .double {
        f |= ColumnDefinition.numFlag
    }
    return f
}
