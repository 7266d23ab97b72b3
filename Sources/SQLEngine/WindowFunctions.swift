/// Window functions (`f(...) OVER (PARTITION BY ... ORDER BY ...)`), computed after grouping
/// and HAVING over the buffered rows, before DISTINCT/ORDER BY/LIMIT. Frames are the SQL
/// defaults: with ORDER BY, from the partition start to the current row's last peer; without,
/// the whole partition. Explicit ROWS/RANGE frames are accepted and treated as the default.
struct WindowFunction {
    enum Kind { case rowNumber, rank, denseRank, percentRank, cumeDist, ntile, lag, lead, firstValue, lastValue, aggregate(AggregateSpec) }
    var kind: Kind
    var args: [Compiled]
    var partition: [Compiled]
    var order: [(Compiled, Bool)]
    var type: ExprType
}

final class WindowCollector {
    var functions: [WindowFunction] = []
}

extension ExprCompiler {
    func compileWindow(_ e: Expr, _ spec: WindowSpec, _ scope: Scope) throws -> Compiled {
        guard let collector = scope.windows else {
            throw SQLError(code: 3593, sqlState: "HY000", message: "You cannot use the window function '\(windowName(e))' in this context.'")
        }
        scope.windows = nil
        defer { scope.windows = collector }
        let partition = try spec.partitionBy.map { try compile($0, scope) }
        let order = try spec.orderBy.map { (try compile($0.expr, scope), $0.descending) }
        var kind: WindowFunction.Kind
        var args: [Compiled] = []
        var type = ExprType.int
        switch e {
        case .countStar:
            kind = .aggregate(AggregateSpec(kind: .countStar, args: [], distinct: false, resultType: ExprType(.int, length: 21, nullable: false)))
        case .function(let name, let a, let distinct):
            args = try a.map { try compile($0, scope) }
            let argType = args.first?.type ?? .int
            switch name {
            case "ROW_NUMBER": kind = .rowNumber
            case "RANK": kind = .rank
            case "DENSE_RANK": kind = .denseRank
            case "PERCENT_RANK": kind = .percentRank; type = .double
            case "CUME_DIST": kind = .cumeDist; type = .double
            case "NTILE":
                guard args.count == 1 else { throw SQLError.wrongParameterCount(name) }
                kind = .ntile
            case "LAG", "LEAD":
                guard (1...3).contains(args.count) else { throw SQLError.wrongParameterCount(name) }
                kind = name == "LAG" ? .lag : .lead
                type = argType
                if args.count == 3 { type = ExprType.merge(argType, args[2].type) }
                type.nullable = true
                type.column = nil
            case "FIRST_VALUE", "LAST_VALUE":
                guard args.count == 1 else { throw SQLError.wrongParameterCount(name) }
                kind = name == "FIRST_VALUE" ? .firstValue : .lastValue
                type = argType
                type.column = nil
            default:
                let collector = AggregateCollector(base: 0)
                let saved = scope.aggregator
                scope.aggregator = collector
                defer { scope.aggregator = saved }
                // compile the aggregate once to learn its kind and type, then reuse its arguments compiled in this scope
                _ = try compileAggregate(name, a, distinct: distinct, scope)
                guard var aggregate = collector.specs.first else { throw SQLError.unsupported("window function \(name)") }
                if saved != nil { aggregate.args = args }
                kind = .aggregate(aggregate)
                type = aggregate.resultType
            }
        default:
            throw SQLError.syntax(near: "OVER", line: 1)
        }
        collector.functions.append(WindowFunction(kind: kind, args: args, partition: partition, order: order, type: type))
        let index = collector.functions.count - 1
        var c = Compiled(eval: { row in row.windowValues[index] }, type: type)
        c.sources = UInt64.max
        return c
    }

    func windowName(_ e: Expr) -> String {
        if case .function(let n, _, _) = e { return n.lowercased() }
        return "count"
    }
}

extension WindowCollector {
    /// Computes every window function for `rows` (full row values); returns per row the values.
    func evaluate(_ rows: [[Value]], outer: Row?, maxConcat: Int) throws -> [[Value]] {
        var out = [[Value]](repeating: [Value](repeating: .null, count: functions.count), count: rows.count)
        let row = Row(width: 0, outer: outer)
        for (k, f) in functions.enumerated() {
            var partKeys: [[Value]] = []
            var orderKeys: [[Value]] = []
            var argValues: [[Value]] = []
            for r in rows {
                row.values = r
                partKeys.append(try f.partition.map { try $0.eval(row) })
                orderKeys.append(try f.order.map { try $0.0.eval(row) })
                argValues.append(try f.args.map { try $0.eval(row) })
            }
            let partColl = f.partition.map { $0.type.collation }
            let orderColl = f.order.map { $0.0.type.collation }
            func cmp(_ a: [Value], _ b: [Value], _ colls: [Collation], _ desc: [Bool]) -> Int {
                for i in 0..<a.count {
                    let c = sortCompare(a[i], b[i], colls[i])
                    if c != 0 { return desc[i] ? -c : c }
                }
                return 0
            }
            let noDesc = [Bool](repeating: false, count: f.partition.count)
            let desc = f.order.map(\.1)
            let idx = (0..<rows.count).sorted { a, b in
                let p = cmp(partKeys[a], partKeys[b], partColl, noDesc)
                if p != 0 { return p < 0 }
                let o = cmp(orderKeys[a], orderKeys[b], orderColl, desc)
                if o != 0 { return o < 0 }
                return a < b
            }
            var start = 0
            while start < idx.count {
                var end = start + 1
                while end < idx.count && cmp(partKeys[idx[end]], partKeys[idx[start]], partColl, noDesc) == 0 { end += 1 }
                let part = Array(idx[start..<end])
                try fill(f, part, orderKeys, argValues, orderColl, desc, &out, k, maxConcat: maxConcat, cmp: cmp)
                start = end
            }
        }
        return out
    }

    private func fill(_ f: WindowFunction, _ part: [Int], _ orderKeys: [[Value]], _ args: [[Value]], _ orderColl: [Collation], _ desc: [Bool],
                      _ out: inout [[Value]], _ k: Int, maxConcat: Int, cmp: ([Value], [Value], [Collation], [Bool]) -> Int) throws {
        let n = part.count
        // peer groups: rows equal on the ORDER BY keys
        var groupEnd = [Int](repeating: n, count: n)
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && !f.order.isEmpty && cmp(orderKeys[part[j]], orderKeys[part[i]], orderColl, desc) == 0 { j += 1 }
            if f.order.isEmpty { j = n }
            for x in i..<j { groupEnd[x] = j }
            i = j
        }
        var rank = 1, dense = 0
        for (pos, r) in part.enumerated() {
            let newGroup = pos == 0 || groupEnd[pos - 1] != groupEnd[pos]
            if newGroup { rank = pos + 1; dense += 1 }
            switch f.kind {
            case .rowNumber: out[r][k] = .int(Int64(pos + 1))
            case .rank: out[r][k] = .int(Int64(rank))
            case .denseRank: out[r][k] = .int(Int64(dense))
            case .percentRank: out[r][k] = .double(n > 1 ? Double(rank - 1) / Double(n - 1) : 0)
            case .cumeDist: out[r][k] = .double(Double(groupEnd[pos]) / Double(n))
            case .ntile:
                let buckets = max(1, Int(args[r][0].int64Value))
                let size = n / buckets, extra = n % buckets
                var bucket = 0, bound = 0
                while bucket < buckets { bound += size + (bucket < extra ? 1 : 0); if pos < bound { break }; bucket += 1 }
                out[r][k] = .int(Int64(bucket + 1))
            case .lag, .lead:
                let offset = args[r].count > 1 ? Int(args[r][1].int64Value) : 1
                let target = f.kind.isLag ? pos - offset : pos + offset
                if target >= 0 && target < n { out[r][k] = convertForType(args[part[target]][0], f.type) } else { out[r][k] = args[r].count > 2 ? convertForType(args[r][2], f.type) : .null }
            case .firstValue: out[r][k] = args[part[0]][0]
            case .lastValue: out[r][k] = args[part[groupEnd[pos] - 1]][0]
            case .aggregate: break
            }
        }
        if case .aggregate(let spec) = f.kind {
            var pos = 0
            let state = AggregateState(spec)
            while pos < n {
                let end = groupEnd[pos]
                for x in pos..<end {
                    let rowValues = Row(values: [], outer: nil)
                    _ = rowValues
                    try state.addValues(spec, args[part[x]])
                }
                let v = try state.result(spec, maxConcatLength: maxConcat)
                for x in pos..<end { out[part[x]][k] = v }
                pos = end
            }
        }
    }
}

extension WindowFunction.Kind {
    var isLag: Bool { if case .lag = self { return true }; return false }
}

extension AggregateState {
    /// Adds one row given its already evaluated arguments.
    func addValues(_ spec: AggregateSpec, _ values: [Value]) throws {
        var s = spec
        s.args = values.map { v in Compiled.constant(v, .int) }
        if spec.kind == .countStar { count += 1; return }
        try add(s, Row(width: 0), maxConcatLength: Int.max)
    }
}
