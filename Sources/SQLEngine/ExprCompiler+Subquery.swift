/// Scalar, IN, EXISTS and quantified subqueries. An uncorrelated subquery runs once per
/// statement and its result is kept; a correlated one runs per outer row.
final class SubqueryRunner {
    let plan: QueryPlan
    let usesOuter: Bool
    let limitOne: Bool
    /// Sources of the enclosing scope the subquery reads (it must run after they are bound).
    var outerSources: UInt64 = 0
    private var cached: [[Value]]?

    init(plan: QueryPlan, limitOne: Bool) {
        self.plan = plan
        self.usesOuter = plan.usesOuter
        self.limitOne = limitOne
    }

    func rows(_ row: Row) throws -> [[Value]] {
        if !usesOuter, let cached { return cached }
        let r = try plan.run(outer: row, limit: limitOne ? 1 : nil)
        if !usesOuter { cached = r }
        return r
    }
}

extension ExprCompiler {
    func compileSubquery(_ q: Query, _ scope: Scope, limitOne: Bool = false) throws -> SubqueryRunner {
        ctx.planUsesExecutionState()  // an uncorrelated result is cached in the runner
        let saved = clause
        defer { clause = saved }
        let saved_refs = scope.innerReferences
        scope.innerReferences = 0
        let plan = try QueryCompiler(ctx).compile(q, parent: scope)
        let runner = SubqueryRunner(plan: plan, limitOne: limitOne)
        runner.outerSources = scope.innerReferences
        scope.innerReferences |= saved_refs
        return runner
    }

    func compileScalarSubquery(_ q: Query, _ scope: Scope) throws -> Compiled {
        let sub = try compileSubquery(q, scope)
        guard sub.plan.columns.count == 1 else { throw SQLError.operandColumns(1) }
        var type = sub.plan.columns[0].type
        type.nullable = true
        type.column = nil
        var c = derive([], type, usesOuter: false) { row in
            let rows = try sub.rows(row)
            if rows.isEmpty { return .null }
            if rows.count > 1 { throw SQLError.subqueryMoreThanOneRow }
            return rows[0][0]
        }
        c.sources |= sub.outerSources
        return c
    }

    func compileInSubquery(_ a: Expr, _ q: Query, negated: Bool, _ scope: Scope) throws -> Compiled {
        let sub = try compileSubquery(q, scope)
        let lhs: [Compiled]
        if case .row(let items) = a { lhs = try items.map { try compile($0, scope) } } else { lhs = [try compile(a, scope)] }
        guard sub.plan.columns.count == lhs.count else { throw SQLError.operandColumns(lhs.count) }
        let colls = try zip(lhs, sub.plan.columns).map { try comparisonCollation($0.type, $1.type) }
        // hash lookup when both sides are of one comparable class
        let hashable = lhs.count == 1 && !sub.usesOuter &&
            ((lhs[0].type.isNumeric && sub.plan.columns[0].type.isNumeric) ||
             (lhs[0].type.kind == .text && sub.plan.columns[0].type.kind == .text && colls[0] != .binary))
        if hashable {
            let coll = colls[0]
            var set: Set<GroupKey>?
            var hasNull = false
            var isEmpty = true
            let x = lhs[0]
            return derive(lhs, .bool, usesOuter: false) { row in
                if set == nil {
                    let rows = try sub.rows(row)
                    isEmpty = rows.isEmpty
                    var s = Set<GroupKey>()
                    for r in rows { if r[0].isNull { hasNull = true } else { s.insert(GroupKey(r[0], coll)) } }
                    set = s
                }
                if isEmpty { return .bool(negated) }
                let v = try x.eval(row)
                if v.isNull { return .null }
                if set!.contains(GroupKey(v, coll)) { return .bool(!negated) }
                return hasNull ? .null : .bool(negated)
            }
        }
        var c = derive(lhs, .bool, usesOuter: false) { row in
            let rows = try sub.rows(row)
            if rows.isEmpty { return .bool(negated) }
            let values = try lhs.map { try $0.eval(row) }
            if lhs.count == 1 && values[0].isNull { return .null }
            var sawNull = false
            for r in rows {
                var allEqual = true
                var unknown = false
                for i in 0..<values.count {
                    guard let c = compareValues(values[i], r[i], colls[i]) else { unknown = true; continue }
                    if c != 0 { allEqual = false; break }
                }
                if allEqual && !unknown { return .bool(!negated) }
                if allEqual && unknown { sawNull = true }
            }
            return sawNull ? .null : .bool(negated)
        }
        c.sources |= sub.outerSources
        return c
    }

    func compileQuantified(_ op: BinaryOp, _ a: Expr, isAll: Bool, _ q: Query, _ scope: Scope) throws -> Compiled {
        let sub = try compileSubquery(q, scope)
        guard sub.plan.columns.count == 1 else { throw SQLError.operandColumns(1) }
        let x = try compile(a, scope)
        let coll = try comparisonCollation(x.type, sub.plan.columns[0].type)
        var c = derive([x], .bool, usesOuter: false) { row in
            let rows = try sub.rows(row)
            if rows.isEmpty { return .bool(isAll) }
            let v = try x.eval(row)
            var sawNull = false
            for r in rows {
                guard let c = compareValues(v, r[0], coll) else { sawNull = true; continue }
                let holds = ExprCompiler.comparisonHolds(op, c)
                if isAll && !holds { return .int(0) }
                if !isAll && holds { return .int(1) }
            }
            if sawNull { return .null }
            return .bool(isAll)
        }
        c.sources |= sub.outerSources
        return c
    }
}
