/// Compiles a Query (SELECT, set operations, WITH) into a QueryPlan.
final class QueryCompiler {
    let ctx: ExecContext
    let exprs: ExprCompiler
    /// Set for the target of a single-table UPDATE/DELETE: the table needs no SELECT
    /// privilege; reading one of its columns (WHERE, ORDER BY) needs SELECT on that column.
    var readsOfTargetAreChecked = false
    /// The same for the targets (by alias) of a multi-table UPDATE/DELETE; the other tables
    /// of its join need SELECT as usual.
    var multiTableTargets: Set<String> = []

    init(_ ctx: ExecContext) {
        self.ctx = ctx
        self.exprs = ExprCompiler(ctx)
    }

    func compile(_ q: Query, parent: Scope?) throws -> QueryPlan {
        var pushedCTEs = false
        if !q.with.isEmpty {
            ctx.planUsesExecutionState()  // materialised now
            var frame: [String: CTEBinding] = [:]
            ctx.cteScopes.append(frame)
            pushedCTEs = true
            for cte in q.with {
                if q.recursive, queryReferences(cte.query, cte.name) {
                    let rows = try runRecursiveCTE(cte, parent: nil)
                    frame[cte.name] = rows
                } else {
                    let plan = try compile(cte.query, parent: nil)
                    let rows = try plan.run(outer: nil, limit: nil)
                    var names = plan.columns.map(\.name)
                    if !cte.columns.isEmpty {
                        guard cte.columns.count == names.count else {
                            throw SQLError(code: 1353, sqlState: "HY000", message: "In definition of view, derived table or common table expression, SELECT list and column names list have different column counts")
                        }
                        names = cte.columns
                    }
                    frame[cte.name] = CTEBinding(columns: names, types: plan.columns.map(\.type), rows: rows)
                }
                ctx.cteScopes[ctx.cteScopes.count - 1] = frame
            }
        }
        defer { if pushedCTEs { ctx.cteScopes.removeLast() } }
        switch q.body {
        case .select(let core):
            return try compileSelect(core, orderBy: q.orderBy, limit: q.limit, offset: q.offset, parent: parent)
        case .parenthesized(let inner):
            let plan = try compile(inner, parent: parent)
            return try applyOrderLimit(plan, q, parent: parent)
        case .setOperation, .values:
            let plan = try compileBody(q.body, parent: parent)
            return try applyOrderLimit(plan, q, parent: parent)
        }
    }

    func compileBody(_ body: QueryBody, parent: Scope?) throws -> QueryPlan {
        switch body {
        case .select(let core):
            return try compileSelect(core, orderBy: [], limit: nil, offset: nil, parent: parent)
        case .parenthesized(let q):
            return try compile(q, parent: parent)
        case .values(let rows):
            let scope = Scope(parent: parent)
            let compiled = try rows.map { try $0.map { try exprs.compile($0, scope) } }
            guard let first = compiled.first else { throw SQLError.syntax(near: "", line: 1) }
            var types = first.map(\.type)
            for r in compiled.dropFirst() {
                guard r.count == types.count else { throw SQLError.columnCountMismatch(row: 1) }
                for i in 0..<types.count { types[i] = ExprType.merge(types[i], r[i].type) }
            }
            let columns = types.enumerated().map { OutputColumn(name: "column_\($0.offset)", type: $0.element) }
            let usesOuter = scope.usesOuter
            return QueryPlan(columns: columns, usesOuter: usesOuter) { outer, _ in
                let row = Row(width: 0, outer: outer)
                return try compiled.map { r in try r.enumerated().map { convertForType(try $0.element.eval(row), types[$0.offset]) } }
            }
        case .setOperation(let op, let all, let l, let r):
            let left = try compileBody(l, parent: parent)
            let right = try compileBody(r, parent: parent)
            guard left.columns.count == right.columns.count else {
                throw SQLError(code: 1222, sqlState: "21000", message: "The used SELECT statements have a different number of columns")
            }
            var columns = left.columns
            for i in 0..<columns.count {
                columns[i].type = ExprType.merge(left.columns[i].type, right.columns[i].type)
                columns[i].type.column = nil
            }
            let types = columns.map(\.type)
            let colls = types.map { $0.kind == .text ? $0.collation : Collation.binary }
            return QueryPlan(columns: columns, usesOuter: left.usesOuter || right.usesOuter) { outer, _ in
                let a = try left.run(outer: outer, limit: nil).map { r in r.enumerated().map { convertForType($0.element, types[$0.offset]) } }
                let b = try right.run(outer: outer, limit: nil).map { r in r.enumerated().map { convertForType($0.element, types[$0.offset]) } }
                func key(_ r: [Value]) -> [GroupKey] { r.enumerated().map { GroupKey($0.element, colls[$0.offset]) } }
                switch op {
                case .union:
                    if all { return a + b }
                    var seen = Set<[GroupKey]>()
                    var out: [[Value]] = []
                    for r in a + b where seen.insert(key(r)).inserted { out.append(r) }
                    return out
                case .intersect:
                    var counts: [[GroupKey]: Int] = [:]
                    for r in b { counts[key(r), default: 0] += 1 }
                    var out: [[Value]] = []
                    var emitted = Set<[GroupKey]>()
                    for r in a {
                        let k = key(r)
                        guard let c = counts[k], c > 0 else { continue }
                        if all { counts[k] = c - 1; out.append(r) } else if emitted.insert(k).inserted { out.append(r) }
                    }
                    return out
                case .except:
                    var counts: [[GroupKey]: Int] = [:]
                    for r in b { counts[key(r), default: 0] += 1 }
                    var out: [[Value]] = []
                    var emitted = Set<[GroupKey]>()
                    for r in a {
                        let k = key(r)
                        if all {
                            if let c = counts[k], c > 0 { counts[k] = c - 1; continue }
                            out.append(r)
                        } else if counts[k] == nil, emitted.insert(k).inserted {
                            out.append(r)
                        }
                    }
                    return out
                }
            }
        }
    }

    /// ORDER BY / LIMIT over a finished result (set operations, parenthesised queries).
    func applyOrderLimit(_ plan: QueryPlan, _ q: Query, parent: Scope?) throws -> QueryPlan {
        if q.orderBy.isEmpty && q.limit == nil { return plan }
        let scope = Scope(parent: parent)
        scope.addSource(alias: "", db: "", table: "", columns: plan.columns.map(\.name), types: plan.columns.map(\.type))
        exprs.clause = "order clause"
        var keys: [(Compiled, Bool)] = []
        for item in q.orderBy {
            if case .literal(.integer(let s)) = item.expr, let n = Int(s) {
                guard n >= 1 && n <= plan.columns.count else { throw SQLError.unknownColumn(s, in: "order clause") }
                let slot = n - 1
                keys.append((Compiled(eval: { $0.values[slot] }, type: plan.columns[slot].type), item.descending))
            } else {
                keys.append((try exprs.compile(item.expr, scope), item.descending))
            }
        }
        let limits = try compileLimit(q.limit, q.offset)
        return QueryPlan(columns: plan.columns, usesOuter: plan.usesOuter || scope.usesOuter) { outer, _ in
            let (limit, offset) = try limits.evaluate()
            var rows = try plan.run(outer: outer, limit: nil)
            if !keys.isEmpty {
                let row = Row(width: plan.columns.count, outer: outer)
                var decorated: [([Value], [Value])] = []
                for r in rows {
                    row.values = r
                    decorated.append((r, try keys.map { try $0.0.eval(row) }))
                }
                decorated.sort { a, b in
                    for (i, k) in keys.enumerated() {
                        let c = sortCompare(a.1[i], b.1[i], k.0.type.collation)
                        if c != 0 { return k.1 ? c > 0 : c < 0 }
                    }
                    return false
                }
                rows = decorated.map(\.0)
            }
            return applyLimit(rows, limit, offset)
        }
    }

    /// LIMIT and OFFSET evaluated now (UPDATE/DELETE ... LIMIT).
    func evalLimit(_ limit: Expr?, _ offset: Expr?) throws -> (Int?, Int) {
        try compileLimit(limit, offset).evaluate()
    }

    /// LIMIT and OFFSET compiled, to be evaluated when the plan runs: a prepared
    /// statement's `LIMIT ? OFFSET ?` is then read from the execution's parameters and
    /// its plan can be reused (Session+PlanCache.swift).
    func compileLimit(_ limit: Expr?, _ offset: Expr?) throws -> CompiledLimit {
        CompiledLimit(limit: try limit.map { try exprs.compile($0, Scope(parent: nil)) },
                      offset: try offset.map { try exprs.compile($0, Scope(parent: nil)) })
    }

    func runRecursiveCTE(_ cte: CommonTableExpression, parent: Scope?) throws -> CTEBinding {
        guard case .setOperation(.union, let all, let seedBody, let stepBody) = cte.query.body else {
            throw SQLError(code: 3573, sqlState: "HY000", message: "Recursive Common Table Expression '\(cte.name)' should contain a UNION")
        }
        let seed = try compileBody(seedBody, parent: parent)
        var names = seed.columns.map(\.name)
        if !cte.columns.isEmpty { names = cte.columns }
        var types = seed.columns.map(\.type)
        for i in 0..<types.count { types[i].column = nil; types[i].nullable = true }
        var all_rows = try seed.run(outer: nil, limit: nil)
        var frontier = all_rows
        var seen = Set(all_rows.map { $0.map { GroupKey($0, .general) } })
        var iterations = 0
        let maxDepth = Int(ctx.session.variables["cte_max_recursion_depth"]?.int64Value ?? 1000)
        while !frontier.isEmpty {
            iterations += 1
            if iterations > maxDepth {
                throw SQLError(code: 3636, sqlState: "HY000", message: "Recursive query aborted after \(iterations) iterations. Try increasing @@cte_max_recursion_depth to a larger value.")
            }
            ctx.cteScopes[ctx.cteScopes.count - 1][cte.name] = CTEBinding(columns: names, types: types, rows: frontier)
            let step = try compileBody(stepBody, parent: parent)
            var next: [[Value]] = []
            for r in try step.run(outer: nil, limit: nil) {
                if all || seen.insert(r.map { GroupKey($0, .general) }).inserted { next.append(r) }
            }
            all_rows += next
            frontier = next
            try ctx.checkKilled()
        }
        return CTEBinding(columns: names, types: types, rows: all_rows)
    }

    func queryReferences(_ q: Query, _ name: String) -> Bool {
        func body(_ b: QueryBody) -> Bool {
            switch b {
            case .select(let core): return core.from.contains(where: ref)
            case .setOperation(_, _, let l, let r): return body(l) || body(r)
            case .parenthesized(let q): return body(q.body)
            case .values: return false
            }
        }
        func ref(_ t: TableRef) -> Bool {
            switch t {
            case .table(let db, let n, _): return db == nil && n == name
            case .derived(let q, _): return body(q.body)
            case .jsonTable: return false
            case .join(let l, let r, _, _, _): return ref(l) || ref(r)
            }
        }
        return body(q.body)
    }
}

func applyLimit(_ rows: [[Value]], _ limit: Int?, _ offset: Int) -> [[Value]] {
    if offset == 0 && (limit == nil || limit! >= rows.count) { return rows }
    let start = min(offset, rows.count)
    let end = limit.map { min(rows.count, start + $0) } ?? rows.count
    return Array(rows[start..<end])
}

/// A query block's LIMIT and OFFSET as compiled expressions (constants, or `?` read at run time).
struct CompiledLimit {
    let limit: Compiled?
    let offset: Compiled?

    /// The row count (nil: no LIMIT) and the rows to skip; a negative or non-integer value
    /// is MySQL's error 1210.
    func evaluate() throws -> (limit: Int?, offset: Int) {
        func value(_ c: Compiled?) throws -> Int? {
            guard let c else { return nil }
            switch try c.eval(Row(width: 0)) {
            case .int(let i) where i >= 0: return Int(i)
            case .uint(let u): return Int(clamping: u)
            default: throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to LIMIT")
            }
        }
        return (try value(limit), try value(offset) ?? 0)
    }
}
