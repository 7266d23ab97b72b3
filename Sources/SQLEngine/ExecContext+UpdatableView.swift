/// UPDATE, DELETE and INSERT through a view, as MySQL allows on simple views.
///
/// A view is updatable when it reads one base table — or one updatable view, down a chain of
/// them — without DISTINCT, GROUP BY, HAVING, aggregates, window functions, LIMIT, WITH or set
/// operations; the statement is rewritten into the same statement on the base table: view
/// columns become what they show (through every view of the chain), and the WHEREs of the
/// views are added to the statement's. A column that shows an expression can be read but not
/// assigned (1348); INSERT needs every view column to be a plain column (1471). WITH CHECK
/// OPTION makes every row an UPDATE or INSERT writes satisfy the view's WHERE (1369): LOCAL
/// that view's own WHERE, CASCADED (the default) the WHEREs of the views below it as well;
/// below a view without (or with LOCAL) check option, views with their own still check theirs.
/// Other views are not updatable (1288; INSERT: 1471).
struct UpdatableView {
    var db: String
    var name: String
    var baseDB: String
    var baseName: String
    /// The base table's alias inside the innermost view (the views' expressions may use it).
    var baseAlias: String?
    /// The rows the view shows: its WHERE and those of the views below it, over the base table.
    var whereClause: Expr?
    /// This view's own WHERE, over the base table.
    var ownWhere: Expr?
    /// Each view column: its name, what it shows, and the base column when it is a plain column.
    var columns: [(name: String, expr: Expr, baseColumn: String?)]
    var checkOption: ViewCheckOption?
    /// The view this one reads (empty when it reads the base table).
    var inner: [UpdatableView] = []

    var baseRef: TableRef { .table(db: baseDB, name: baseName, alias: baseAlias) }
    var checkName: String { "\(db).\(name)" }

    func column(_ name: String) -> (name: String, expr: Expr, baseColumn: String?)? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The conditions a written row must meet (MySQL's CHECK OPTION rules); `forced` when a
    /// CASCADED view above asks for this view's WHERE whatever its own option.
    func checkConditions(forced: Bool = false) -> [Expr] {
        var out: [Expr] = []
        if forced || checkOption != nil, let w = ownWhere { out.append(w) }
        for view in inner { out += view.checkConditions(forced: forced || checkOption == .cascaded) }
        return out
    }

    /// The CHECK OPTION test of a statement on this view, nil when nothing is checked.
    var viewCheck: ViewCheck? {
        let conditions = checkConditions()
        guard let first = conditions.first else { return nil }
        return ViewCheck(condition: conditions.dropFirst().reduce(first) { .binary(.and, $0, $1) }, name: checkName)
    }

    /// `e` with references to view columns replaced by what they show (subqueries untouched);
    /// a column may be qualified by the view's name or by `alias`, the name a statement gives it.
    func rewrite(_ e: Expr, alias: String? = nil) throws -> Expr {
        func r(_ e: Expr) throws -> Expr { try rewrite(e, alias: alias) }
        switch e {
        case .column(let db, let table, let n):
            if let table, (table.lowercased() != name.lowercased() && table.lowercased() != alias?.lowercased()) || (db != nil && db!.lowercased() != self.db.lowercased()) {
                throw SQLError.unknownColumn("\(table).\(n)", in: "where clause")
            }
            guard let c = column(n) else { throw SQLError.unknownColumn(n, in: "where clause") }
            return c.expr
        case .literal, .parameter, .userVariable, .systemVariable, .countStar, .defaultValue, .matchAgainst, .exists, .subquery:
            return e
        case .unary(let op, let a): return .unary(op, try r(a))
        case .binary(let op, let a, let b): return .binary(op, try r(a), try r(b))
        case .isNull(let a, let negated): return .isNull(try r(a), negated: negated)
        case .isTruth(let a, let value, let negated): return .isTruth(try r(a), value, negated: negated)
        case .between(let a, let b, let c, let negated): return .between(try r(a), try r(b), try r(c), negated: negated)
        case .inList(let a, let list, let negated): return .inList(try r(a), try list.map(r), negated: negated)
        case .inSubquery(let a, let q, let negated): return .inSubquery(try r(a), q, negated: negated)
        case .quantified(let op, let a, let isAll, let q): return .quantified(op, try r(a), isAll: isAll, q)
        case .like(let a, let p, let escape, let negated): return .like(try r(a), try r(p), escape: try escape.map(r), negated: negated)
        case .regexp(let a, let p, let negated): return .regexp(try r(a), try r(p), negated: negated)
        case .caseWhen(let operand, let whens, let elseExpr):
            return .caseWhen(operand: try operand.map(r), whens: try whens.map { (try r($0.0), try r($0.1)) }, elseExpr: try elseExpr.map(r))
        case .function(let n, let args, let distinct): return .function(name: n, args: try args.map(r), distinct: distinct)
        case .groupConcat(let args, let distinct, let orderBy, let separator):
            return .groupConcat(args: try args.map(r), distinct: distinct, orderBy: orderBy, separator: separator)
        case .cast(let a, let t): return .cast(try r(a), t)
        case .convertCharset(let a, let cs): return .convertCharset(try r(a), cs)
        case .collate(let a, let c): return .collate(try r(a), c)
        case .row(let items): return .row(try items.map(r))
        case .interval(let a, let unit): return .interval(try r(a), unit)
        case .assignUserVariable(let n, let a): return .assignUserVariable(n, try r(a))
        case .window(let a, let spec): return .window(try r(a), spec)
        }
    }

    /// The view's WHERE and the statement's, both over the base table.
    func combinedWhere(_ statementWhere: Expr?, alias: String? = nil) throws -> Expr? {
        let mine = try statementWhere.map { try rewrite($0, alias: alias) }
        switch (whereClause, mine) {
        case (nil, let m): return m
        case (let w, nil): return w
        case (let w?, let m?): return .binary(.and, w, m)
        }
    }
}

extension ExecContext {
    /// `db.name` as an updatable view, nil when it is a table (or does not exist).
    func updatableView(_ db: String?, _ name: String, operation: String, depth: Int = 0) throws -> UpdatableView? {
        let dbName = try resolveDB(db)
        guard catalog.table(dbName, name) == nil, let view = catalog.view(dbName, name) else { return nil }
        let notUpdatable = operation == "INSERT"
            ? SQLError(code: 1471, sqlState: "HY000", message: "The target table \(name) of the INSERT is not insertable-into")
            : SQLError(code: 1288, sqlState: "HY000", message: "The target table \(name) of the \(operation) is not updatable")
        var parser = try Parser(Array(view.sql.utf8))
        guard let (stmt, _) = try parser.nextStatement(), case .select(let q) = stmt,
              q.with.isEmpty, q.limit == nil, case .select(let core) = q.body,
              !core.distinct, core.groupBy.isEmpty, core.having == nil, core.namedWindows.isEmpty,
              core.from.count == 1, case .table(let baseDB, let baseName, let alias) = core.from[0]
        else { throw notUpdatable }
        let resolvedBaseDB = baseDB ?? dbName
        if catalog.table(resolvedBaseDB, baseName) == nil, catalog.view(resolvedBaseDB, baseName) != nil {
            // a view over a view: updatable when the one below is (MySQL's limit on nesting)
            guard depth < 32, let below = try updatableView(resolvedBaseDB, baseName, operation: operation, depth: depth + 1) else { throw notUpdatable }
            return try stacked(on: below, dbName, view, core, alias: alias, notUpdatable)
        }
        guard let base = catalog.table(resolvedBaseDB, baseName) else { throw notUpdatable }
        var columns: [(name: String, expr: Expr, baseColumn: String?)] = []
        for item in core.items {
            switch item {
            case .star:
                for c in base.columns { columns.append((c.name, .column(db: nil, table: nil, name: c.name), c.name)) }
            case .expr(let e, let itemAlias, let text):
                if containsAggregate(e) || containsWindow(e) { throw notUpdatable }
                if case .column(_, _, let n) = e, base.columnIndex(n) != nil {
                    columns.append((itemAlias ?? n, e, base.columns[base.columnIndex(n)!].name))
                } else {
                    columns.append((itemAlias ?? text, e, nil))
                }
            }
        }
        if let names = view.columnNames {
            for i in 0..<min(names.count, columns.count) { columns[i].name = names[i] }
        }
        return UpdatableView(db: dbName, name: view.name, baseDB: resolvedBaseDB, baseName: base.name, baseAlias: alias,
                             whereClause: core.whereClause, ownWhere: core.whereClause, columns: columns, checkOption: view.checkOption)
    }

    /// A view that reads the updatable view `below`: its columns and WHERE rewritten down to
    /// the base table.
    private func stacked(on below: UpdatableView, _ dbName: String, _ view: ViewSchema, _ core: SelectCore, alias: String?,
                         _ notUpdatable: SQLError) throws -> UpdatableView {
        var columns: [(name: String, expr: Expr, baseColumn: String?)] = []
        for item in core.items {
            switch item {
            case .star:
                columns += below.columns
            case .expr(let e, let itemAlias, let text):
                if containsAggregate(e) || containsWindow(e) { throw notUpdatable }
                let shown = try below.rewrite(e, alias: alias)
                if case .column(_, _, let n) = e, let c = below.column(n) {
                    columns.append((itemAlias ?? n, shown, c.baseColumn))
                } else {
                    columns.append((itemAlias ?? text, shown, nil))
                }
            }
        }
        if let names = view.columnNames {
            for i in 0..<min(names.count, columns.count) { columns[i].name = names[i] }
        }
        let own = try core.whereClause.map { try below.rewrite($0, alias: alias) }
        let visible: Expr?
        switch (below.whereClause, own) {
        case (let w?, let o?): visible = .binary(.and, w, o)
        case (let w, let o): visible = w ?? o
        }
        return UpdatableView(db: dbName, name: view.name, baseDB: below.baseDB, baseName: below.baseName, baseAlias: below.baseAlias,
                             whereClause: visible, ownWhere: own, columns: columns, checkOption: view.checkOption, inner: [below])
    }

    /// An UPDATE of a view as the UPDATE of its base table; nil when the target is not a view.
    func updateThroughView(_ ast: UpdateAST) throws -> UpdateAST? {
        guard ast.tables.count == 1, case .table(let db, let name, let statementAlias) = ast.tables[0],
              let view = try updatableView(db, name, operation: "UPDATE") else { return nil }
        var out = ast
        out.tables = [view.baseRef]
        out.assignments = try ast.assignments.map { target, value in
            guard case .column(_, _, let n) = target, let c = view.column(n) else {
                if case .column(_, _, let n) = target { throw SQLError.unknownColumn(n, in: "field list") }
                throw SQLError.syntax(near: "", line: 1)
            }
            guard let baseColumn = c.baseColumn else {
                throw SQLError(code: 1348, sqlState: "HY000", message: "Column '\(c.name)' is not updatable")
            }
            return (.column(db: nil, table: nil, name: baseColumn), try view.rewrite(value, alias: statementAlias))
        }
        out.whereClause = try view.combinedWhere(ast.whereClause, alias: statementAlias)
        out.orderBy = try ast.orderBy.map { OrderItem(expr: try view.rewrite($0.expr, alias: statementAlias), descending: $0.descending) }
        out.viewCheck = view.viewCheck
        return out
    }

    /// A DELETE from a view as the DELETE from its base table; nil when the target is not a view.
    func deleteThroughView(_ ast: DeleteAST) throws -> DeleteAST? {
        guard ast.tables.count == 1, case .table(let db, let name, let statementAlias) = ast.tables[0], ast.targets.count == 1,
              let view = try updatableView(db, name, operation: "DELETE") else { return nil }
        var out = ast
        out.tables = [view.baseRef]
        out.targets = [TableName(db: view.baseDB, name: view.baseAlias ?? view.baseName)]
        out.whereClause = try view.combinedWhere(ast.whereClause, alias: statementAlias)
        out.orderBy = try ast.orderBy.map { OrderItem(expr: try view.rewrite($0.expr, alias: statementAlias), descending: $0.descending) }
        return out
    }

    /// An INSERT into a view as the INSERT into its base table; nil when the target is not a view.
    func insertThroughView(_ ast: InsertAST) throws -> InsertAST? {
        guard let view = try updatableView(ast.table.db, ast.table.name, operation: "INSERT") else { return nil }
        guard view.columns.allSatisfy({ $0.baseColumn != nil }) else {
            throw SQLError(code: 1471, sqlState: "HY000", message: "The target table \(view.name) of the INSERT is not insertable-into")
        }
        func base(_ n: String) throws -> String {
            guard let c = view.column(n), let b = c.baseColumn else { throw SQLError.unknownColumn(n, in: "field list") }
            return b
        }
        var out = ast
        out.table = TableName(db: view.baseDB, name: view.baseName)
        out.columns = try (ast.columns ?? (ast.setList == nil ? view.columns.map(\.name) : nil))?.map(base)
        out.setList = try ast.setList?.map { (try base($0.0), try view.rewrite($0.1)) }
        out.onDuplicate = try ast.onDuplicate.map { (try base($0.0), $0.1) }
        out.viewCheck = view.viewCheck
        return out
    }
}

/// True when the expression contains a window function (outside subqueries).
func containsWindow(_ e: Expr) -> Bool {
    switch e {
    case .window: return true
    case .function(_, let args, _): return args.contains(where: containsWindow)
    case .unary(_, let a), .cast(let a, _), .collate(let a, _), .convertCharset(let a, _), .isNull(let a, _): return containsWindow(a)
    case .binary(_, let a, let b): return containsWindow(a) || containsWindow(b)
    case .caseWhen(let operand, let whens, let elseExpr):
        return (operand.map(containsWindow) ?? false) || whens.contains { containsWindow($0.0) || containsWindow($0.1) }
            || (elseExpr.map(containsWindow) ?? false)
    default: return false
    }
}

/// WITH CHECK OPTION of the view a statement was rewritten from: each written row must satisfy
/// `condition` (over the base table), or the statement fails with 1369.
struct ViewCheck {
    var condition: Expr
    var name: String

    static func failed(_ name: String) -> SQLError {
        SQLError(code: 1369, sqlState: "HY000", message: "CHECK OPTION failed '\(name)'")
    }
}
