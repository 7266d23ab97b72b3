/// The binder and expression compiler: resolves names against a `Scope`, infers MySQL's
/// result type, and turns the AST into closures over a `Row`. Constant subtrees are folded.
final class ExprCompiler {
    let ctx: ExecContext
    /// For 1054's "in '...'" part: field list, where clause, on clause, order clause, group statement, having clause.
    var clause = "field list"
    /// For VALUES(col) in ON DUPLICATE KEY UPDATE: the row being inserted.
    var valuesRow: (Row, TableSchema)?
    /// For GROUPING(): the GROUP BY keys of the SELECT being compiled and, while it runs, how
    /// many keys the row being emitted keeps (WITH ROLLUP super-aggregate rows keep fewer).
    var rollup: RollupState?

    init(_ ctx: ExecContext) { self.ctx = ctx }

    func compile(_ e: Expr, _ scope: Scope) throws -> Compiled {
        var c = try compileInner(e, scope)
        if c.isConstant == false && c.sources == 0 && !c.usesOuter && isFoldable(e) {
            // fold once: a constant expression over literals
            if let v = try? c.eval(Row(width: 0)) {
                let t = c.type
                c = .constant(v, t)
            }
        }
        return c
    }

    /// Constant folding is safe for expressions without side effects or per-row state.
    private func isFoldable(_ e: Expr) -> Bool {
        switch e {
        case .literal: return true
        case .unary(_, let a): return isFoldable(a)
        case .binary(_, let a, let b): return isFoldable(a) && isFoldable(b)
        case .isNull(let a, _), .isTruth(let a, _, _): return isFoldable(a)
        case .between(let a, let b, let c, _): return isFoldable(a) && isFoldable(b) && isFoldable(c)
        case .inList(let a, let l, _): return isFoldable(a) && l.allSatisfy(isFoldable)
        case .caseWhen(let o, let w, let el):
            return (o.map(isFoldable) ?? true) && w.allSatisfy { isFoldable($0.0) && isFoldable($0.1) } && (el.map(isFoldable) ?? true)
        case .cast(let a, _), .collate(let a, _), .convertCharset(let a, _): return isFoldable(a)
        case .function(let name, let args, _):
            return !nonDeterministic.contains(name) && !aggregateNames.contains(name) && args.allSatisfy(isFoldable)
        default: return false
        }
    }

    func compileInner(_ e: Expr, _ scope: Scope) throws -> Compiled {
        switch e {
        case .literal(let lit): return try compileLiteral(lit)
        case .column(let db, let table, let name): return try compileColumn(db: db, table: table, name: name, scope)
        case .parameter(let i):
            guard i < ctx.parameters.count else { throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to EXECUTE") }
            let v = ctx.parameters[i]
            if ctx.parametersAreSlots {
                let ctx = self.ctx
                return Compiled(eval: { _ in
                    if ctx.isCompiling { ctx.planUsesExecutionState() }
                    return ctx.parameters[i]
                }, type: typeOfValue(v))
            }
            return .constant(v, typeOfValue(v))
        case .userVariable(let name):
            ctx.planUsesExecutionState()
            let session = ctx.session
            let key = name.lowercased()
            let current = session.userVariables[key] ?? .null
            return Compiled(eval: { _ in session.userVariables[key] ?? .null }, type: typeOfValue(current))
        case .systemVariable(let name, let scopeName):
            ctx.planUsesExecutionState()
            let v = try ctx.session.readSystemVariable(name, scope: scopeName)
            return .constant(v, typeOfValue(v))
        case .assignUserVariable(let name, let valueExpr):
            ctx.planUsesExecutionState()
            let value = try compile(valueExpr, scope)
            let session = ctx.session
            let key = name.lowercased()
            var c = Compiled(eval: { row in
                let v = try value.eval(row)
                session.userVariables[key] = v
                return v
            }, type: value.type)
            c.sources = value.sources
            c.usesOuter = value.usesOuter
            return c
        case .unary(let op, let a): return try compileUnary(op, a, scope)
        case .binary(let op, let a, let b): return try compileBinary(op, a, b, scope, e)
        case .isNull(let a, let negated):
            let x = try compile(a, scope)
            var result = derive([x], .bool.notNull) { row in
                let v = try x.eval(row)
                return .bool(v.isNull != negated)
            }
            // `col IS NULL` seeks the NULL keys of an index (they sort first)
            if !negated, let slot = x.columnSlot { result.sargable = (slot.slot, .isNull, []) }
            return result
        case .isTruth(let a, let target, let negated):
            let x = try compile(a, scope)
            return derive([x], .bool.notNull) { row in
                let t = try x.eval(row).truth
                let r: Bool = target == nil ? t == nil : t == target
                return .bool(r != negated)
            }
        case .between(let a, let low, let high, let negated):
            let x = try compile(a, scope), l = try compile(low, scope), h = try compile(high, scope)
            let c1 = try aggregateCollation([x.type, l.type, h.type], operation: "between"), c2 = c1
            let (xl, ll) = try coerceForComparison(x, l), (xh, hh) = try coerceForComparison(x, h)
            var sarg: (slot: Int, op: SargOp, probes: [Compiled])?
            if !negated, let slot = x.columnSlot, (l.sources | h.sources) & x.sources == 0 { sarg = (slot.slot, .between, [ll, hh]) }
            var result = derive([x, l, h], .bool) { row in
                let v1 = try xl.eval(row)
                let lo = compareValues(v1, try ll.eval(row), c1).map { $0 >= 0 }
                let v2 = try xh.eval(row)
                let hi = compareValues(v2, try hh.eval(row), c2).map { $0 <= 0 }
                let r = and3(lo, hi)
                guard let r else { return .null }
                return .bool(r != negated)
            }
            result.sargable = sarg
            return result
        case .inList(let a, let list, let negated):
            return try compileInList(a, list, negated: negated, scope)
        case .inSubquery(let a, let q, let negated):
            return try compileInSubquery(a, q, negated: negated, scope)
        case .exists(let q):
            let sub = try compileSubquery(q, scope, limitOne: true)
            var c = derive([], .bool.notNull, usesOuter: false) { row in
                .bool(!(try sub.rows(row)).isEmpty)
            }
            c.sources |= sub.outerSources
            return c
        case .subquery(let q):
            return try compileScalarSubquery(q, scope)
        case .quantified(let op, let a, let isAll, let q):
            return try compileQuantified(op, a, isAll: isAll, q, scope)
        case .like(let a, let pattern, let escape, let negated):
            return try compileLike(a, pattern, escape: escape, negated: negated, scope)
        case .regexp(let a, let pattern, let negated):
            let x = try compile(a, scope), p = try compile(pattern, scope)
            let ci = try comparisonCollation(x.type, p.type, "regexp").isCaseInsensitive
            return derive([x, p], .bool) { row in
                let v = try x.eval(row), pv = try p.eval(row)
                if v.isNull || pv.isNull { return .null }
                let m = try RegexMatcher.cached(pv.textBytes, caseInsensitive: ci).matches(v.textBytes)
                return .bool(m != negated)
            }
        case .caseWhen(let operand, let whens, let elseExpr):
            return try compileCase(operand, whens, elseExpr, scope)
        case .function(let name, let args, let distinct):
            if aggregateNames.contains(name) { return try compileAggregate(name, args, distinct: distinct, scope) }
            if nonDeterministic.contains(name) { ctx.planUsesExecutionState() }  // NOW() is fixed at compile time
            return try compileFunction(name, args, scope)
        case .countStar:
            return try compileAggregate("COUNT(*)", [], distinct: false, scope)
        case .groupConcat(let args, let distinct, let orderBy, let separator):
            return try compileGroupConcat(args, distinct: distinct, orderBy: orderBy, separator: separator, scope)
        case .cast(let a, let target):
            let x = try compile(a, scope)
            return try compileCast(x, target)
        case .convertCharset(let a, let cs):
            let x = try compile(a, scope)
            let binary = cs.lowercased() == "binary"
            guard let target = Collation.defaultFor(charset: cs) else {
                throw SQLError(code: 1115, sqlState: "42000", message: "Unknown character set: '\(cs)'")
            }
            var type = ExprType(binary ? .binary : .text, length: x.type.length)
            if !binary { type.collation = target }
            let singleByte = x.type.isSingleByteText
            return derive([x], type) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                // characters the target set lacks become '?', as MySQL converts
                if binary { return .binary(singleByte ? singleByteCharsetBytes(v.textBytes) : v.textBytes) }
                return .text(target.replacingUnrepresentable(v.textBytes))
            }
        case .collate(let a, let name):
            var x = try compile(a, scope)
            guard let coll = Collation.named(name) else {
                throw SQLError(code: 1273, sqlState: "HY000", message: "Unknown collation: '\(name)'")
            }
            if x.type.kind == .text && coll.charset != x.type.collation.charset && coll != .binary {
                throw SQLError(code: 1253, sqlState: "42000", message: "COLLATION '\(name)' is not valid for CHARACTER SET '\(x.type.collation.charset)'")
            }
            if x.type.kind == .text || x.type.kind == .null {
                x.type.collation = coll
                x.type.column = nil
                x.type.hasExplicitCollation = true
            } else if x.type.kind != .binary {
                throw SQLError(code: 1253, sqlState: "42000", message: "COLLATION '\(name)' is not valid for CHARACTER SET 'binary'")
            }
            return x
        case .row(let items):
            if items.count == 1 { return try compile(items[0], scope) }
            throw SQLError.operandColumns(1)
        case .interval:
            throw SQLError.syntax(near: "INTERVAL", line: 1)
        case .defaultValue(.column(let db, let table, let name)?):
            return try compileColumnDefault(db: db, table: table, name: name, scope)
        case .defaultValue:
            throw SQLError.syntax(near: "DEFAULT", line: 1)
        case .window(let inner, let spec):
            ctx.planUsesExecutionState()
            return try compileWindow(inner, spec, scope)
        case .matchAgainst:
            throw SQLError.unsupported("MATCH ... AGAINST")
        }
    }

    /// A numeric literal wider than SQLDecimal's 38 digits: beyond MySQL's 65 digits it is a
    /// DOUBLE, as in MySQL; between, onebox cannot hold it exactly and says so (1690) rather
    /// than round it.
    func wideLiteral(_ s: String) throws -> Compiled {
        let digits = s.utf8.filter { $0 >= 48 && $0 <= 57 }.count
        if digits <= 65, let d = SQLDecimal(text: Array(s.utf8)) {
            // more than 30 fraction digits: MySQL keeps 30
            return .constant(.decimal(d), ExprType(.decimal, scale: d.scale, length: s.count, nullable: false))
        }
        return .constant(.double(Double(s) ?? 0), .double.notNull)
    }

    /// A compiled node whose provenance is the union of its children's.
    func derive(_ children: [Compiled], _ type: ExprType, usesOuter: Bool = false, _ eval: @escaping Evaluator) -> Compiled {
        var c = Compiled(eval: eval, type: type)
        var sources: UInt64 = 0
        var outer = usesOuter
        var constant = true
        for ch in children {
            sources |= ch.sources
            outer = outer || ch.usesOuter
            constant = constant && ch.isConstant
        }
        c.sources = sources
        c.usesOuter = outer
        c.isConstant = false
        _ = constant
        return c
    }

    func typeOfValue(_ v: Value) -> ExprType {
        switch v {
        case .null: return .null
        case .int: return .int
        case .uint: return ExprType(.uint, length: 20)
        case .double: return .double
        case .decimal(let d): return ExprType(.decimal, scale: d.scale, length: 20)
        case .text(let b): return ExprType(.text, length: b.count)
        case .json: return ExprCompilerTypes.natural(v)
        case .binary(let b): return ExprType(.binary, length: b.count)
        case .date: return ExprType(.date, length: 10)
        case .datetime: return ExprType(.datetime, length: 26)
        case .time: return ExprType(.time, length: 15)
        }
    }

    func compileLiteral(_ lit: Literal) throws -> Compiled {
        switch lit {
        case .null: return .constant(.null, .null)
        case .bool(let b): return .constant(.int(b ? 1 : 0), ExprType.bool.notNull)
        case .integer(let s):
            if let i = Int64(s) { return .constant(.int(i), ExprType(.int, length: s.count, nullable: false)) }
            if let u = UInt64(s) { return .constant(.uint(u), ExprType(.uint, length: s.count, nullable: false)) }
            guard let d = SQLDecimal(exactText: Array(s.utf8)) else { return try wideLiteral(s) }
            return .constant(.decimal(d), ExprType(.decimal, length: s.count, nullable: false))
        case .decimal(let s):
            guard let d = SQLDecimal(exactText: Array(s.utf8)) else { return try wideLiteral(s) }
            return .constant(.decimal(d), ExprType(.decimal, scale: d.scale, length: s.count, nullable: false))
        case .float(let s):
            return .constant(.double(Double(s) ?? 0), .double.notNull)
        case .string(let b, let introducer):
            if introducer == "binary" { return .constant(.binary(b), ExprType(.binary, length: b.count, nullable: false)) }
            return .constant(.text(b), ExprType(.text, length: b.count, nullable: false))
        case .hex(let b), .bits(let b):
            var t = ExprType(.binary, length: b.count, nullable: false)
            t.isHexLiteral = true
            return .constant(.binary(b), t)
        case .date(let s):
            guard let d = DateTimeValue.parse(Array(s.utf8)), d.hour == 0 && d.minute == 0 && d.second == 0 else {
                throw SQLError(code: 1525, sqlState: "HY000", message: "Incorrect DATE value: '\(s)'")
            }
            return .constant(.date(d.packed), ExprType(.date, length: 10, nullable: false))
        case .time(let s):
            guard let t = parseTime(Array(s.utf8)) else { throw SQLError(code: 1525, sqlState: "HY000", message: "Incorrect TIME value: '\(s)'") }
            return .constant(.time(t), ExprType(.time, length: 10, nullable: false))
        case .timestamp(let s):
            guard let d = DateTimeValue.parse(Array(s.utf8)) else { throw SQLError(code: 1525, sqlState: "HY000", message: "Incorrect DATETIME value: '\(s)'") }
            return .constant(.datetime(d.packed), ExprType(.datetime, scale: d.microsecond != 0 ? 6 : 0, length: 19, nullable: false))
        }
    }

    /// DEFAULT(col): the default of a base table's column, evaluated per row (CURRENT_TIMESTAMP
    /// is the statement's time); 1364 for a NOT NULL column without one, as MySQL, and for a
    /// column of a derived table (MySQL: the same for one with no base column behind it).
    func compileColumnDefault(db: String?, table: String?, name: String, _ scope: Scope) throws -> Compiled {
        var s: Scope? = scope
        while let sc = s {
            if let (si, ci) = try sc.lookup(table: table, db: db, name: name) {
                let source = sc.sources[si]
                guard let base = ctx.catalog.table(source.db, source.table),
                      let column = base.columns.first(where: { $0.name.lowercased() == source.columns[ci].lowercased() }) else {
                    throw SQLError.noDefault(source.columns[ci])
                }
                let ctx = self.ctx
                return Compiled(eval: { _ in try ctx.defaultValue(column, strict: true, row: 1, explicitDefault: true) },
                                type: source.types[ci])
            }
            s = sc.parent
        }
        throw SQLError.unknownColumn([db, table, name].compactMap { $0 }.joined(separator: "."), in: "field list")
    }

    func compileColumn(db: String?, table: String?, name: String, _ scope: Scope) throws -> Compiled {
        var depth = 0
        var s: Scope? = scope
        while let sc = s {
            if let (si, ci) = try sc.lookup(table: table, db: db, name: name) {
                let source = sc.sources[si]
                if let columnGuard = source.columnGuard, !columnGuard.readable.contains(ci) {
                    throw ctx.session.columnDenied("SELECT", column: source.columns[ci], table: columnGuard.table)
                }
                let slot = source.offset + ci
                sc.referencedSlots.insert(slot)
                var c: Compiled
                switch depth {
                case 0: c = Compiled(eval: { row in row.values[slot] }, type: source.types[ci])
                case 1: c = Compiled(eval: { row in row.outer!.values[slot] }, type: source.types[ci])
                case 2: c = Compiled(eval: { row in row.outer!.outer!.values[slot] }, type: source.types[ci])
                default:
                    let d = depth
                    c = Compiled(eval: { row in
                        var r = row
                        for _ in 0..<d { r = r.outer! }
                        return r.values[slot]
                    }, type: source.types[ci])
                }
                if depth == 0 {
                    c.sources = 1 << UInt64(min(si, 63))
                    c.columnSlot = (si, slot)
                } else {
                    c.usesOuter = true
                    sc.innerReferences |= 1 << UInt64(min(si, 63))
                    var m: Scope? = scope
                    for _ in 0..<depth { m?.usesOuter = true; m = m?.parent }
                }
                return c
            }
            if table == nil && sc.aliasesVisible, let a = sc.aliases.first(where: { $0.name.lowercased() == name.lowercased() }) {
                if depth == 0 { return a.compiled }
            }
            s = sc.parent
            depth += 1
        }
        let full = [db, table, name].compactMap { $0 }.joined(separator: ".")
        throw SQLError.unknownColumn(full, in: clause)
    }

    // MARK: operators

    func compileUnary(_ op: UnaryOp, _ a: Expr, _ scope: Scope) throws -> Compiled {
        let x = try compile(a, scope)
        switch op {
        case .plus: return x
        case .minus:
            var t = x.type
            t.column = nil
            if t.kind == .uint { t.kind = .int }
            if t.isString || t.isTemporal { t = .double }
            let text = "-" + exprText(a)
            return derive([x], t) { row in try Arithmetic.negate(try x.eval(row), text) }
        case .not:
            return derive([x], .bool) { row in
                guard let t = try x.eval(row).truth else { return .null }
                return .bool(!t)
            }
        case .bitNot:
            return derive([x], ExprType(.uint, length: 20)) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                return .uint(~v.bitsValue)
            }
        case .binary:
            var t = x.type
            t.column = nil
            if t.kind == .text { t.kind = .binary; t.collation = .binary }
            if t.kind == .text || t.kind == .binary {
                return derive([x], t) { row in
                    let v = try x.eval(row)
                    if case .text(let b) = v { return .binary(b) }
                    return v
                }
            }
            return derive([x], ExprType(.binary, length: x.type.length)) { row in
                let v = try x.eval(row)
                return v.isNull ? .null : .binary(v.textBytes)
            }
        }
    }


    /// MySQL converts a string constant compared with a temporal column to that type once; and
    /// hex literals compared with numbers become numbers.
    func coerceForComparison(_ a: Compiled, _ b: Compiled) throws -> (Compiled, Compiled) {
        var x = a, y = b
        if a.type.isHexLiteral && b.type.isNumeric { x = hexToNumber(a) }
        if b.type.isHexLiteral && a.type.isNumeric { y = hexToNumber(b) }
        return jsonComparisonOperands(x, y)
    }

    func hexToNumber(_ c: Compiled) -> Compiled {
        derive([c], ExprType(.uint, length: 20)) { row in
            let v = try c.eval(row)
            if case .binary(let b) = v { return .uint(b.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }) }
            return v
        }
    }

    func compileBinary(_ op: BinaryOp, _ a: Expr, _ b: Expr, _ scope: Scope, _ whole: Expr) throws -> Compiled {
        switch op {
        case .and, .or:
            // a left-deep chain (x AND y AND z ...) compiles iteratively into one n-ary node,
            // so long chains do not recurse once per operator
            var operands: [Expr] = [b]
            var left = a
            while case .binary(let op2, let l2, let r2) = left, op2 == op {
                operands.append(r2)
                left = l2
            }
            operands.append(left)
            operands.reverse()
            let parts = try operands.map { try compile($0, scope) }
            if op == .and {
                return derive(parts, .bool) { row in
                    var sawNull = false
                    for p in parts {
                        let t = try p.eval(row).truth
                        if t == false { return .int(0) }
                        if t == nil { sawNull = true }
                    }
                    return sawNull ? .null : .int(1)
                }
            }
            return derive(parts, .bool) { row in
                var sawNull = false
                for p in parts {
                    let t = try p.eval(row).truth
                    if t == true { return .int(1) }
                    if t == nil { sawNull = true }
                }
                return sawNull ? .null : .int(0)
            }
        case .xor:
            let x = try compile(a, scope), y = try compile(b, scope)
            switch op {
            case .and:
                return derive([x, y], .bool) { row in
                    let l = try x.eval(row).truth
                    if l == false { return .int(0) }
                    let r = try y.eval(row).truth
                    if r == false { return .int(0) }
                    if l == nil || r == nil { return .null }
                    return .int(1)
                }
            case .or:
                return derive([x, y], .bool) { row in
                    let l = try x.eval(row).truth
                    if l == true { return .int(1) }
                    let r = try y.eval(row).truth
                    if r == true { return .int(1) }
                    if l == nil || r == nil { return .null }
                    return .int(0)
                }
            default:
                return derive([x, y], .bool) { row in
                    guard let l = try x.eval(row).truth, let r = try y.eval(row).truth else { return .null }
                    return .bool(l != r)
                }
            }
        case .eq, .ne, .lt, .le, .gt, .ge, .nullSafeEq:
            if case .row(let left) = a, case .row(let right) = b {
                return try compileRowComparison(op, left, right, scope)
            }
            if case .row = a { throw SQLError.operandColumns(2) }
            if case .row = b { throw SQLError.operandColumns(2) }
            let x0 = try compile(a, scope), y0 = try compile(b, scope)
            let (x, y) = try coerceForComparison(x0, y0)
            let isJSON = x.type.isJSON || y.type.isJSON
            let coll = try comparisonCollation(x.type, y.type, op.rawValue)
            var c = compileComparison(op, x, y, coll)
            c.equalityHint = op == .eq
            if op == .eq {
                c.equalityOperands = [x, y]
                c.equalityCollation = coll
            }
            if op != .ne && op != .nullSafeEq && !isJSON {
                let flipped: [BinaryOp: SargOp] = [.eq: .eq, .lt: .gt, .le: .ge, .gt: .lt, .ge: .le]
                let direct: [BinaryOp: SargOp] = [.eq: .eq, .lt: .lt, .le: .le, .gt: .gt, .ge: .ge]
                if let slot = x0.columnSlot, y.sources & x0.sources == 0, let sop = direct[op] {
                    c.sargable = (slot.slot, sop, [y])
                } else if let slot = y0.columnSlot, x.sources & y0.sources == 0, let sop = flipped[op] {
                    c.sargable = (slot.slot, sop, [x])
                }
            }
            return c
        case .add, .sub:
            if case .interval(let amount, let unit) = b {
                let d = try compile(a, scope), n = try compile(amount, scope)
                return try compileDateArithmetic(d, n, unit, subtract: op == .sub)
            }
            if case .interval(let amount, let unit) = a, op == .add {
                let d = try compile(b, scope), n = try compile(amount, scope)
                return try compileDateArithmetic(d, n, unit, subtract: false)
            }
            fallthrough
        default:
            var x = try compile(a, scope), y = try compile(b, scope)
            if x.type.isHexLiteral { x = hexToNumber(x) }
            if y.type.isHexLiteral { y = hexToNumber(y) }
            return try compileArithmetic(op, x, y, text: exprText(whole))
        }
    }

    func compileComparison(_ op: BinaryOp, _ x: Compiled, _ y: Compiled, _ coll: Collation) -> Compiled {
        // fast paths for integer columns against integer constants
        if x.type.kind == .int && y.type.kind == .int && op != .nullSafeEq {
            let test: (Int64, Int64) -> Bool
            switch op {
            case .eq: test = (==)
            case .ne: test = (!=)
            case .lt: test = (<)
            case .le: test = (<=)
            case .gt: test = (>)
            default: test = (>=)
            }
            return derive([x, y], .bool) { row in
                let l = try x.eval(row), r = try y.eval(row)
                if case .int(let i) = l, case .int(let j) = r { return test(i, j) ? .int(1) : .int(0) }
                guard let c = compareValues(l, r, coll) else { return .null }
                return .bool(Self.comparisonHolds(op, c))
            }
        }
        if op == .nullSafeEq {
            return derive([x, y], .bool.notNull) { row in
                let l = try x.eval(row), r = try y.eval(row)
                if l.isNull || r.isNull { return .bool(l.isNull && r.isNull) }
                return .bool(compareValues(l, r, coll) == 0)
            }
        }
        return derive([x, y], .bool) { row in
            guard let c = compareValues(try x.eval(row), try y.eval(row), coll) else { return .null }
            return .bool(Self.comparisonHolds(op, c))
        }
    }

    static func comparisonHolds(_ op: BinaryOp, _ c: Int) -> Bool {
        switch op {
        case .eq, .nullSafeEq: return c == 0
        case .ne: return c != 0
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        case .ge: return c >= 0
        default: return false
        }
    }

    func compileRowComparison(_ op: BinaryOp, _ left: [Expr], _ right: [Expr], _ scope: Scope) throws -> Compiled {
        guard left.count == right.count else { throw SQLError.operandColumns(left.count) }
        let xs = try left.map { try compile($0, scope) }, ys = try right.map { try compile($0, scope) }
        let colls = try zip(xs, ys).map { try comparisonCollation($0.type, $1.type) }
        return derive(xs + ys, .bool) { row in
            var sawNull = false
            for i in 0..<xs.count {
                let l = try xs[i].eval(row), r = try ys[i].eval(row)
                guard let c = compareValues(l, r, colls[i]) else {
                    if op == .nullSafeEq { if l.isNull != r.isNull { return .int(0) }; continue }
                    sawNull = true
                    if op == .eq || op == .ne { continue }
                    return .null
                }
                if op == .eq || op == .nullSafeEq { if c != 0 { return .int(0) }; continue }
                if op == .ne { if c != 0 { return .int(1) }; continue }
                if c != 0 { return .bool(Self.comparisonHolds(op, c)) }
            }
            if sawNull { return .null }
            switch op {
            case .eq, .nullSafeEq, .le, .ge: return .int(1)
            default: return .int(0)
            }
        }
    }

    func arithmeticType(_ op: BinaryOp, _ a: ExprType, _ b: ExprType) -> ExprType {
        func numKind(_ t: ExprType) -> ExprType.Kind {
            switch t.kind {
            case .text, .binary: return .double
            case .date, .datetime, .time: return t.scale > 0 ? .decimal : .int
            case .null: return .int
            default: return t.kind
            }
        }
        let ka = numKind(a), kb = numKind(b)
        var t: ExprType
        switch op {
        case .div:
            if ka == .double || kb == .double { t = .double } else {
                t = ExprType(.decimal, scale: min(a.scale + 4, 30), length: a.length + 4)
                if ka != .decimal { t.scale = 4 }
                else { t.scale = min(a.scale + 4, 30) }
            }
        case .intDiv:
            t = ka == .uint || kb == .uint ? ExprType(.uint, length: 20) : .int
        case .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight:
            t = ExprType(.uint, length: 20)
        default:
            if ka == .double || kb == .double { t = .double }
            else if ka == .decimal || kb == .decimal {
                let sa = ka == .decimal ? a.scale : 0, sb = kb == .decimal ? b.scale : 0
                t = ExprType(.decimal, scale: op == .mul ? min(sa + sb, 30) : max(sa, sb), length: max(a.length, b.length) + 2)
            } else if ka == .uint || kb == .uint { t = ExprType(.uint, length: 20) }
            else { t = .int }
        }
        t.nullable = true
        return t
    }

    func compileArithmetic(_ op: BinaryOp, _ x: Compiled, _ y: Compiled, text: String) throws -> Compiled {
        let t = arithmeticType(op, x.type, y.type)
        switch op {
        case .add:
            if x.type.kind == .int && y.type.kind == .int {
                return derive([x, y], t) { row in
                    let l = try x.eval(row), r = try y.eval(row)
                    if case .int(let i) = l, case .int(let j) = r {
                        let (s, o) = i.addingReportingOverflow(j)
                        if !o { return .int(s) }
                    }
                    return try Arithmetic.add(l, r, text)
                }
            }
            return derive([x, y], t) { row in try Arithmetic.add(try x.eval(row), try y.eval(row), text) }
        case .sub:
            return derive([x, y], t) { row in try Arithmetic.subtract(try x.eval(row), try y.eval(row), text) }
        case .mul:
            return derive([x, y], t) { row in try Arithmetic.multiply(try x.eval(row), try y.eval(row), text) }
        case .div:
            let scale = t.scale
            let isDecimal = t.kind == .decimal
            return derive([x, y], t) { row in
                let r = try Arithmetic.divide(try x.eval(row), try y.eval(row), text)
                // the value keeps MySQL's extra internal digits (1/3*3 = 1.0000); only its display scale is the type's
                if isDecimal, case .decimal(let d) = r, d.displayScale != scale {
                    return .decimal(d.scale >= scale ? d.withDisplayScale(scale) : d.rescaled(to: scale))
                }
                return r
            }
        case .intDiv:
            return derive([x, y], t) { row in try Arithmetic.intDivide(try x.eval(row), try y.eval(row), text) }
        case .mod:
            var mt = arithmeticType(.add, x.type, y.type)
            if mt.kind == .uint && y.type.kind == .int { mt.kind = .int }
            return derive([x, y], mt) { row in Arithmetic.modulo(try x.eval(row), try y.eval(row)) }
        case .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight:
            return derive([x, y], t) { row in
                let l = try x.eval(row), r = try y.eval(row)
                if l.isNull || r.isNull { return .null }
                let a = l.bitsValue, b = r.bitsValue
                switch op {
                case .bitAnd: return .uint(a & b)
                case .bitOr: return .uint(a | b)
                case .bitXor: return .uint(a ^ b)
                case .shiftLeft: return .uint(b >= 64 ? 0 : a << b)
                default: return .uint(b >= 64 ? 0 : a >> b)
                }
            }
        case .jsonExtract, .jsonUnquote:
            return try compileFunctionCompiled(op == .jsonExtract ? "JSON_EXTRACT" : "JSON_UNQUOTE_EXTRACT", [x, y])
        default:
            throw SQLError.internalError("operator \(op.rawValue)")
        }
    }

    // MARK: IN, CASE, LIKE

    func compileInList(_ a: Expr, _ list: [Expr], negated: Bool, _ scope: Scope) throws -> Compiled {
        if case .row(let items) = a {
            // (a, b) IN ((1, 2), (3, 4))
            var alternatives: [Compiled] = []
            for item in list {
                guard case .row(let rhs) = item, rhs.count == items.count else { throw SQLError.operandColumns(items.count) }
                alternatives.append(try compileRowComparison(.eq, items, rhs, scope))
            }
            return derive(alternatives, .bool) { row in
                var sawNull = false
                for alt in alternatives {
                    let v = try alt.eval(row)
                    if v.isNull { sawNull = true; continue }
                    if v.truth == true { return .bool(!negated) }
                }
                return sawNull ? .null : .bool(negated)
            }
        }
        let x = try compile(a, scope)
        let items = try list.map { try compile($0, scope) }
        var result = try compileInListValues(x, items, negated: negated)
        if !negated, !x.type.isJSON, let slot = x.columnSlot, items.allSatisfy({ $0.sources & x.sources == 0 }) {
            result.sargable = (slot.slot, .inList, items)
        }
        return result
    }

    func compileInListValues(_ x: Compiled, _ listed: [Compiled], negated: Bool) throws -> Compiled {
        // against JSON, each item compares as JSON (TRUE as true, a string as a JSON string)
        let items = x.type.isJSON || listed.contains(where: \.type.isJSON) ? listed.map { jsonComparisonOperands(x, $0).1 } : listed
        _ = try aggregateCollation([x.type] + items.map(\.type), operation: "in")
        let colls = try items.map { try comparisonCollation(x.type, $0.type, "in") }
        // constant lists of one comparable class become a hash set
        if items.allSatisfy(\.isConstant) && !x.type.isJSON {
            let values = try items.map { try $0.eval(Row(width: 0)) }
            let hasNull = values.contains { $0.isNull }
            let classOK = values.allSatisfy { v in
                v.isNull || (x.type.isNumeric && v.isNumeric) || (x.type.kind == .text && { if case .text = v { return true }; return false }())
            }
            if classOK && (x.type.isNumeric || x.type.kind == .text) {
                let coll = x.type.kind == .text ? x.type.collation : Collation.binary
                let set = Set(values.filter { !$0.isNull }.map { GroupKey($0, coll) })
                return derive([x], .bool) { row in
                    let v = try x.eval(row)
                    if v.isNull { return .null }
                    if set.contains(GroupKey(v, coll)) { return .bool(!negated) }
                    return hasNull ? .null : .bool(negated)
                }
            }
        }
        return derive([x] + items, .bool) { row in
            let v = try x.eval(row)
            if v.isNull { return .null }
            var sawNull = false
            for (i, item) in items.enumerated() {
                guard let c = compareValues(v, try item.eval(row), colls[i]) else { sawNull = true; continue }
                if c == 0 { return .bool(!negated) }
            }
            return sawNull ? .null : .bool(negated)
        }
    }

    func compileCase(_ operand: Expr?, _ whens: [(Expr, Expr)], _ elseExpr: Expr?, _ scope: Scope) throws -> Compiled {
        let op = try operand.map { try compile($0, scope) }
        let conds = try whens.map { try compile($0.0, scope) }
        let results = try whens.map { try compile($0.1, scope) }
        let other = try elseExpr.map { try compile($0, scope) }
        var type = results[0].type
        for r in results.dropFirst() { type = ExprType.merge(type, r.type) }
        if let other { type = ExprType.merge(type, other.type) } else { type.nullable = true }
        type.column = nil
        let colls = try conds.map { c in try op.map { try comparisonCollation($0.type, c.type, "case") } ?? .general }
        let resultType = type
        var children = conds + results
        if let op { children.append(op) }
        if let other { children.append(other) }
        return derive(children, type) { row in
            if let op {
                let v = try op.eval(row)
                for (i, c) in conds.enumerated() {
                    if let cmp = compareValues(v, try c.eval(row), colls[i]), cmp == 0 {
                        return convertForType(try results[i].eval(row), resultType)
                    }
                }
            } else {
                for (i, c) in conds.enumerated() where try c.eval(row).truth == true {
                    return convertForType(try results[i].eval(row), resultType)
                }
            }
            return convertForType(try other?.eval(row) ?? .null, resultType)
        }
    }

    func compileLike(_ a: Expr, _ pattern: Expr, escape: Expr?, negated: Bool, _ scope: Scope) throws -> Compiled {
        let x = try compile(a, scope), p = try compile(pattern, scope)
        var escapeByte: UInt8 = 92
        if let escape {
            let e = try compile(escape, scope)
            guard e.isConstant else { throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to ESCAPE") }
            let b = try e.eval(Row(width: 0)).textBytes
            escapeByte = b.first ?? 92
        }
        let coll = try comparisonCollation(x.type, p.type, "like")
        if p.isConstant {
            let pv = try p.eval(Row(width: 0))
            if pv.isNull { return .constant(.null, .bool) }
            let matcher = LikeMatcher(pattern: pv.textBytes, escape: escapeByte, collation: coll)
            return derive([x], .bool) { row in
                let v = try x.eval(row)
                if v.isNull { return .null }
                return .bool(matcher.matches(v.textBytes) != negated)
            }
        }
        return derive([x, p], .bool) { row in
            let v = try x.eval(row), pv = try p.eval(row)
            if v.isNull || pv.isNull { return .null }
            return .bool(LikeMatcher(pattern: pv.textBytes, escape: escapeByte, collation: coll).matches(v.textBytes) != negated)
        }
    }

    /// Rough SQL text of an expression, for 1690 messages.
    func exprText(_ e: Expr) -> String {
        switch e {
        case .literal(let l):
            switch l {
            case .integer(let s), .decimal(let s), .float(let s): return s
            case .string(let b, _): return "'" + String(decoding: b, as: UTF8.self) + "'"
            case .null: return "NULL"
            default: return "?"
            }
        case .column(_, let t, let n): return "`" + (t.map { $0 + "`.`" } ?? "") + n + "`"
        case .binary(let op, let a, let b): return "(" + exprText(a) + " " + op.rawValue + " " + exprText(b) + ")"
        case .unary(.minus, let a): return "-(" + exprText(a) + ")"
        default: return "..."
        }
    }
}

func and3(_ a: Bool?, _ b: Bool?) -> Bool? {
    if a == false || b == false { return false }
    if a == nil || b == nil { return nil }
    return true
}

/// Converts a branch result to the merged type of CASE/IF/COALESCE (e.g. ints to decimal).
func convertForType(_ v: Value, _ t: ExprType) -> Value {
    switch (t.kind, v) {
    case (_, .null): return .null
    case (.decimal, .int), (.decimal, .uint): return .decimal(v.decimalValue.rescaled(to: t.scale))
    case (.decimal, .decimal(let d)): return d.scale == t.scale ? v : .decimal(d.rescaled(to: t.scale))
    case (.double, .int), (.double, .uint), (.double, .decimal): return .double(v.doubleValue)
    case (.text, .int), (.text, .uint), (.text, .double), (.text, .decimal), (.text, .date), (.text, .datetime), (.text, .time):
        return .text(v.textBytes)
    case (.text, .binary(let b)): return .text(b)
    case (.binary, .text(let b)): return .binary(b)
    case (.binary, .int), (.binary, .uint), (.binary, .double), (.binary, .decimal): return .binary(v.textBytes)
    case (.datetime, .date(let p)): return .datetime(p)
    default: return v
    }
}

extension ExprType {
    var notNull: ExprType {
        var t = self
        t.nullable = false
        return t
    }
}

let aggregateNames: Set<String> = ["COUNT", "SUM", "AVG", "MIN", "MAX", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",
                                   "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "ANY_VALUE",
                                   "JSON_ARRAYAGG", "JSON_OBJECTAGG"]
let nonDeterministic: Set<String> = ["RAND", "UUID", "UUID_SHORT", "NOW", "SYSDATE", "CURDATE", "CURTIME", "UTC_TIMESTAMP", "UTC_DATE",
                                     "UTC_TIME", "UNIX_TIMESTAMP", "LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS", "CONNECTION_ID", "SLEEP",
                                     "DATABASE", "SCHEMA", "USER", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER", "BENCHMARK", "GET_LOCK",
                                     "RELEASE_LOCK", "IS_FREE_LOCK", "IS_USED_LOCK", "RANDOM_BYTES",
                                     "RELEASE_ALL_LOCKS", "PS_CURRENT_THREAD_ID"]
