/// Aggregate calls: each becomes a slot after the source columns of the post-grouping row.
extension ExprCompiler {
    /// `precompiled`: the arguments already compiled by the caller (a window aggregate, whose
    /// arguments may themselves hold the query's aggregates, as in SUM(SUM(x)) OVER ()).
    func compileAggregate(_ name: String, _ args: [Expr], distinct: Bool, _ scope: Scope, precompiled: [Compiled]? = nil) throws -> Compiled {
        guard let collector = scope.aggregator else {
            throw SQLError.invalidGroupFunction()
        }
        // arguments are evaluated per source row, where aggregates are not allowed
        scope.aggregator = nil
        defer { scope.aggregator = collector }
        let compiledArgs = try precompiled ?? args.map { try compile($0, scope) }
        let kind: AggregateSpec.Kind
        var type: ExprType
        let argType = compiledArgs.first?.type ?? .int
        switch name {
        case "COUNT(*)": kind = .countStar; type = ExprType(.int, length: 21, nullable: false)
        case "COUNT": kind = .count; type = ExprType(.int, length: 21, nullable: false)
        case "SUM":
            kind = .sum
            switch argType.kind {
            case .int, .uint, .null: type = ExprType(.decimal, scale: 0, length: 33)
            // MySQL: DECIMAL(p,s) sums as DECIMAL(min(p + 22, 65), s); a decimal's type length is p + 2
            case .decimal: type = ExprType(.decimal, scale: argType.scale, length: min(max(argType.length + 20, 33), 65))
            case .date, .datetime, .time: type = ExprType(.decimal, scale: argType.scale, length: 33)
            default: type = .double
            }
        case "AVG":
            kind = .avg
            switch argType.kind {
            case .int, .uint, .null, .date, .datetime, .time: type = ExprType(.decimal, scale: 4, length: 14)
            case .decimal: type = ExprType(.decimal, scale: min(argType.scale + 4, 30), length: min(max(argType.length + 2, 14), 65))
            default: type = .double
            }
        case "MIN", "MAX", "ANY_VALUE":
            kind = name == "MIN" ? .min : (name == "MAX" ? .max : .anyValue)
            type = argType
            type.column = nil
            type.nullable = true
        case "BIT_AND": kind = .bitAnd; type = ExprType(.uint, length: 21, nullable: false)
        case "BIT_OR": kind = .bitOr; type = ExprType(.uint, length: 21, nullable: false)
        case "BIT_XOR": kind = .bitXor; type = ExprType(.uint, length: 21, nullable: false)
        case "STD", "STDDEV", "STDDEV_POP": kind = .stddevPop; type = .double
        case "STDDEV_SAMP": kind = .stddevSamp; type = .double
        case "VARIANCE", "VAR_POP": kind = .varPop; type = .double
        case "VAR_SAMP": kind = .varSamp; type = .double
        case "JSON_ARRAYAGG":
            kind = .jsonArrayAgg
            type = ExprType(.text, length: 4096)
            type.isJSON = true
        case "JSON_OBJECTAGG":
            kind = .jsonObjectAgg
            type = ExprType(.text, length: 4096)
            type.isJSON = true
            guard compiledArgs.count == 2 else { throw SQLError.wrongParameterCount(name) }
        default: throw SQLError.functionDoesNotExist(ctx.session.currentDatabase ?? "", name)
        }
        if kind != .countStar && kind != .jsonObjectAgg && compiledArgs.count != 1 && !(kind == .count && distinct) {
            throw SQLError.syntax(near: ")", line: 1)
        }
        collector.specs.append(AggregateSpec(kind: kind, args: compiledArgs, distinct: distinct, resultType: type))
        let slot = collector.base + collector.specs.count - 1
        var c = Compiled(eval: { row in row.values[slot] }, type: type)
        c.usesOuter = compiledArgs.contains { $0.usesOuter }
        c.sources = UInt64.max
        return c
    }

    func compileGroupConcat(_ args: [Expr], distinct: Bool, orderBy: [OrderItem], separator: [UInt8], _ scope: Scope) throws -> Compiled {
        guard let collector = scope.aggregator else { throw SQLError.invalidGroupFunction() }
        scope.aggregator = nil
        defer { scope.aggregator = collector }
        let compiledArgs = try args.map { try compile($0, scope) }
        var order: [(Compiled, Bool)] = []
        for item in orderBy {
            if case .literal(.integer(let s)) = item.expr, let n = Int(s), n >= 1, n <= compiledArgs.count {
                order.append((compiledArgs[n - 1], item.descending))
            } else {
                order.append((try compile(item.expr, scope), item.descending))
            }
        }
        let binary = compiledArgs.contains { $0.type.kind == .binary }
        let type = ExprType(binary ? .binary : .text, length: 1024)
        var spec = AggregateSpec(kind: .groupConcat, args: compiledArgs, distinct: distinct, resultType: type)
        spec.separator = separator
        spec.orderBy = order
        collector.specs.append(spec)
        let slot = collector.base + collector.specs.count - 1
        var c = Compiled(eval: { row in row.values[slot] }, type: type)
        c.sources = UInt64.max
        return c
    }
}

/// True when the expression contains an aggregate call (outside subqueries).
func containsAggregate(_ e: Expr) -> Bool {
    switch e {
    case .function(let name, let args, _):
        if aggregateNames.contains(name) { return true }
        return args.contains(where: containsAggregate)
    case .countStar, .groupConcat: return true
    case .window: return false
    case .unary(_, let a), .isNull(let a, _), .isTruth(let a, _, _), .cast(let a, _), .collate(let a, _), .convertCharset(let a, _),
         .interval(let a, _), .assignUserVariable(_, let a):
        return containsAggregate(a)
    case .binary(_, let a, let b), .like(let a, let b, _, _), .regexp(let a, let b, _):
        return containsAggregate(a) || containsAggregate(b)
    case .between(let a, let b, let c, _): return containsAggregate(a) || containsAggregate(b) || containsAggregate(c)
    case .inList(let a, let l, _): return containsAggregate(a) || l.contains(where: containsAggregate)
    case .inSubquery(let a, _, _), .quantified(_, let a, _, _): return containsAggregate(a)
    case .caseWhen(let o, let w, let el):
        return (o.map(containsAggregate) ?? false) || w.contains { containsAggregate($0.0) || containsAggregate($0.1) } || (el.map(containsAggregate) ?? false)
    case .row(let items): return items.contains(where: containsAggregate)
    default: return false
    }
}
