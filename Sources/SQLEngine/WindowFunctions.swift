/// Window functions (`f(...) OVER (PARTITION BY ... ORDER BY ... frame)`, `OVER w` with
/// `WINDOW w AS (...)`), computed after grouping and HAVING over the buffered rows, before
/// DISTINCT/ORDER BY/LIMIT. Frames as MySQL 8.0: `ROWS` and `RANGE` with UNBOUNDED,
/// CURRENT ROW and N (or, for RANGE over a temporal key, INTERVAL) PRECEDING/FOLLOWING;
/// without a frame, from the partition start to the current row's last peer (the whole
/// partition when there is no ORDER BY). Ranking functions, LAG and LEAD ignore the frame;
/// aggregates, FIRST_VALUE, LAST_VALUE and NTH_VALUE use it.
struct WindowFunction {
    enum Kind { case rowNumber, rank, denseRank, percentRank, cumeDist, ntile, lag, lead, firstValue, lastValue, nthValue, aggregate(AggregateSpec) }
    var kind: Kind
    var args: [Compiled]
    var partition: [Compiled]
    var order: [(Compiled, Bool)]
    var frame: CompiledFrame
    var type: ExprType
}

/// A frame with its offsets evaluated: ROWS offsets as signed row counts, RANGE offsets as the
/// expression computing the boundary key from the current row (`key - N`, `key + INTERVAL ...`).
struct CompiledFrame {
    enum Bound { case unboundedPreceding, rows(Int), currentRow, key(Compiled), unboundedFollowing }
    var isRows: Bool
    var start: Bound
    var end: Bound

    /// RANGE UNBOUNDED PRECEDING .. CURRENT ROW, the frame without a frame clause.
    static var standard: CompiledFrame { CompiledFrame(isRows: false, start: .unboundedPreceding, end: .currentRow) }

    var hasKeyBound: Bool {
        if case .key = start { return true }
        if case .key = end { return true }
        return false
    }
}

/// The window functions of one query block and its `WINDOW` clause.
final class WindowCollector {
    var functions: [WindowFunction] = []
    /// Named windows by lower-cased name, as written.
    private var definitions: [String: (name: String, spec: WindowSpec)] = [:]

    init(namedWindows: [(name: String, spec: WindowSpec)] = []) throws {
        for (name, spec) in namedWindows {
            guard definitions[name.lowercased()] == nil else {
                throw SQLError(code: 3591, sqlState: "HY000", message: "Window '\(name)' is defined twice.")
            }
            definitions[name.lowercased()] = (name, spec)
        }
        // Every definition must resolve, used or not (as MySQL checks).
        for (name, spec) in namedWindows { _ = try resolve(spec, name: name) }
    }

    /// Folds the named windows a specification builds on into one specification.
    func resolve(_ spec: WindowSpec, name: String?, visiting: Set<String> = []) throws -> WindowSpec {
        guard let reference = spec.reference else { return spec }
        let key = reference.lowercased()
        guard let base = definitions[key] else {
            throw SQLError(code: 3579, sqlState: "HY000", message: "Window name '\(reference)' is not defined.")
        }
        guard !visiting.contains(key) else {
            throw SQLError(code: 3580, sqlState: "HY000", message: "There is a circularity in the window dependency graph.")
        }
        var resolved = try resolve(base.spec, name: base.name, visiting: visiting.union([key]))
        if spec.isBareReference { return resolved }
        if !spec.partitionBy.isEmpty {
            throw SQLError(code: 3581, sqlState: "HY000", message: "A window which depends on another cannot define partitioning.")
        }
        if base.spec.frame != nil {
            throw SQLError(code: 3582, sqlState: "HY000", message: "Window '\(base.name)' has a frame definition, so cannot be referenced by another window.")
        }
        if !spec.orderBy.isEmpty {
            guard resolved.orderBy.isEmpty else {
                throw SQLError(code: 3583, sqlState: "HY000",
                               message: "Window '\(name ?? "<unnamed window>")' cannot inherit '\(base.name)' since both contain an ORDER BY clause.")
            }
            resolved.orderBy = spec.orderBy
        }
        resolved.reference = nil
        resolved.frame = spec.frame
        return resolved
    }
}

extension ExprCompiler {
    func compileWindow(_ e: Expr, _ written: WindowSpec, _ scope: Scope) throws -> Compiled {
        guard let collector = scope.windows else {
            throw SQLError(code: 3593, sqlState: "HY000", message: "You cannot use the window function '\(windowName(e))' in this context.'")
        }
        scope.windows = nil
        defer { scope.windows = collector }
        let spec = try collector.resolve(written, name: nil)
        let windowLabel = written.isBareReference ? written.reference ?? "<unnamed window>" : "<unnamed window>"
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
            case "NTH_VALUE":
                guard args.count == 2 else { throw SQLError.wrongParameterCount(name) }
                let n = try constantValue(a[1])
                guard case .int(let i) = Arithmetic.asInteger(n ?? .null), i >= 1, args[1].type.kind == .int || args[1].type.kind == .uint else {
                    throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to nth_value")
                }
                args[1] = .constant(.int(i), .int)
                kind = .nthValue
                type = argType
                type.nullable = true
                type.column = nil
            default:
                let collector = AggregateCollector(base: 0)
                let saved = scope.aggregator
                scope.aggregator = collector
                defer { scope.aggregator = saved }
                // the aggregate's kind and type, over the arguments compiled above in this scope
                _ = try compileAggregate(name, a, distinct: distinct, scope, precompiled: args)
                guard let aggregate = collector.specs.first else { throw SQLError.unsupported("window function \(name)") }
                kind = .aggregate(aggregate)
                type = aggregate.resultType
            }
        default:
            throw SQLError.syntax(near: "OVER", line: 1)
        }
        let frame = try spec.frame.map { try compileFrame($0, orderBy: spec.orderBy, order.map(\.0), label: windowLabel, scope) } ?? .standard
        collector.functions.append(WindowFunction(kind: kind, args: args, partition: partition, order: order, frame: frame, type: type))
        let index = collector.functions.count - 1
        var c = Compiled(eval: { row in row.windowValues[index] }, type: type)
        c.sources = UInt64.max
        return c
    }

    func windowName(_ e: Expr) -> String {
        if case .function(let n, _, _) = e { return n.lowercased() }
        return "count"
    }

    /// A constant expression's value; nil when it reads a column.
    private func constantValue(_ e: Expr) throws -> Value? {
        guard let c = try? compile(e, Scope(parent: nil)) else { return nil }
        return try c.eval(Row(width: 0))
    }

    private func compileFrame(_ frame: WindowFrame, orderBy: [OrderItem], _ order: [Compiled], label: String, _ scope: Scope) throws -> CompiledFrame {
        if case .unboundedFollowing = frame.start {
            throw SQLError(code: 3584, sqlState: "HY000", message: "Window '\(label)': frame start cannot be UNBOUNDED FOLLOWING.")
        }
        if case .unboundedPreceding = frame.end {
            throw SQLError(code: 3585, sqlState: "HY000", message: "Window '\(label)': frame end cannot be UNBOUNDED PRECEDING.")
        }
        let illegal = SQLError(code: 3586, sqlState: "HY000", message: "Window '\(label)': frame start or end is negative, NULL or of non-integral type")
        func bound(_ b: WindowFrame.Bound) throws -> CompiledFrame.Bound {
            let amount: Expr, preceding: Bool
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .unboundedFollowing: return .unboundedFollowing
            case .currentRow: return .currentRow
            case .preceding(let e): amount = e; preceding = true
            case .following(let e): amount = e; preceding = false
            }
            let isInterval: Bool
            let offset: Value
            if case .interval(let n, _) = amount {
                guard let v = try constantValue(n) else { throw nonConstant(label) }
                isInterval = true
                offset = v
            } else {
                guard let v = try constantValue(amount) else { throw nonConstant(label) }
                isInterval = false
                offset = v
            }
            if frame.unit == .rows {
                guard !isInterval, case .int(let n) = offset, n >= 0 else {
                    if case .uint(let u) = offset, u <= UInt64(Int.max) { return .rows(preceding ? -Int(u) : Int(u)) }
                    throw illegal
                }
                return .rows(preceding ? -Int(n) : Int(n))
            }
            guard order.count == 1, [.int, .uint, .decimal, .double, .date, .datetime, .time].contains(order[0].type.kind) else {
                throw SQLError(code: 3587, sqlState: "HY000", message: "Window '\(label)' with RANGE N PRECEDING/FOLLOWING frame requires exactly one ORDER BY expression, of numeric or temporal type")
            }
            let temporal = [.date, .datetime, .time].contains(order[0].type.kind)
            if temporal && !isInterval {
                throw SQLError(code: 3588, sqlState: "HY000", message: "Window '\(label)' with RANGE frame has ORDER BY expression of datetime type. Only INTERVAL bound value allowed.")
            }
            if !temporal && isInterval {
                throw SQLError(code: 3589, sqlState: "HY000", message: "Window '\(label)' with RANGE frame has ORDER BY expression of numeric type, INTERVAL bound value not allowed.")
            }
            if offset.isNull || (!isInterval && sortCompare(offset, .int(0), .binary) < 0) { throw illegal }
            // the boundary key: "preceding" is towards the partition start, so below the key
            // when ascending and above it when descending
            let subtract = preceding != orderBy[0].descending
            return .key(try compile(.binary(subtract ? .sub : .add, orderBy[0].expr, amount), scope))
        }
        return CompiledFrame(isRows: frame.unit == .rows, start: try bound(frame.start), end: try bound(frame.end))
    }

    private func nonConstant(_ label: String) -> SQLError {
        SQLError(code: 3590, sqlState: "HY000", message: "Window '\(label)' has a non-constant frame bound.")
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
            var boundKeys: [(start: Value, end: Value)] = []
            for r in rows {
                row.values = r
                partKeys.append(try f.partition.map { try $0.eval(row) })
                orderKeys.append(try f.order.map { try $0.0.eval(row) })
                argValues.append(try f.args.map { try $0.eval(row) })
                if f.frame.hasKeyBound {
                    var start = Value.null, end = Value.null
                    if case .key(let s) = f.frame.start { start = try s.eval(row) }
                    if case .key(let e) = f.frame.end { end = try e.eval(row) }
                    boundKeys.append((start, end))
                }
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
            let context = PartitionContext(function: f, orderKeys: orderKeys, args: argValues, boundKeys: boundKeys,
                                           orderCollations: orderColl, descending: desc, maxConcat: maxConcat)
            var start = 0
            while start < idx.count {
                var end = start + 1
                while end < idx.count && cmp(partKeys[idx[end]], partKeys[idx[start]], partColl, noDesc) == 0 { end += 1 }
                try context.fill(Array(idx[start..<end]), into: &out, column: k)
                start = end
            }
        }
        return out
    }
}

/// One window function's evaluated inputs, filled in partition by partition.
private struct PartitionContext {
    let function: WindowFunction
    let orderKeys: [[Value]]
    let args: [[Value]]
    /// RANGE boundary keys per row (only when the frame has a `.key` bound).
    let boundKeys: [(start: Value, end: Value)]
    let orderCollations: [Collation]
    let descending: [Bool]
    let maxConcat: Int

    /// Orders two ORDER BY key lists as the partition is sorted.
    func compareOrder(_ a: [Value], _ b: [Value]) -> Int {
        for i in 0..<a.count {
            let c = sortCompare(a[i], b[i], orderCollations[i])
            if c != 0 { return descending[i] ? -c : c }
        }
        return 0
    }

    func fill(_ part: [Int], into out: inout [[Value]], column k: Int) throws {
        let f = function
        let n = part.count
        // peer groups: rows equal on the ORDER BY keys (all rows when there is no ORDER BY)
        var peerStart = [Int](repeating: 0, count: n)
        var peerEnd = [Int](repeating: n, count: n)
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && compareOrder(orderKeys[part[j]], orderKeys[part[i]]) == 0 { j += 1 }
            for x in i..<j { peerStart[x] = i; peerEnd[x] = j }
            i = j
        }
        var rank = 1, dense = 0
        for (pos, r) in part.enumerated() {
            if pos == 0 || peerStart[pos] == pos { rank = pos + 1; dense += 1 }
            switch f.kind {
            case .rowNumber: out[r][k] = .int(Int64(pos + 1))
            case .rank: out[r][k] = .int(Int64(rank))
            case .denseRank: out[r][k] = .int(Int64(dense))
            case .percentRank: out[r][k] = .double(n > 1 ? Double(rank - 1) / Double(n - 1) : 0)
            case .cumeDist: out[r][k] = .double(Double(peerEnd[pos]) / Double(n))
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
            case .firstValue, .lastValue, .nthValue, .aggregate: break
            }
        }
        switch f.kind {
        case .firstValue, .lastValue, .nthValue:
            for pos in 0..<n {
                let (lo, hi) = frameBounds(pos, part, peerStart, peerEnd)
                var target: Int?
                switch f.kind {
                case .firstValue: target = lo
                case .lastValue: target = hi - 1
                default: target = lo + Int(args[part[pos]][1].int64Value) - 1
                }
                if let t = target, t >= lo, t < hi { out[part[pos]][k] = args[part[t]][0] }
            }
        case .aggregate(let spec):
            try fillAggregate(spec, part, peerStart, peerEnd, into: &out, column: k)
        default: break
        }
    }

    /// The current row's frame as positions `lo..<hi` in the partition (empty when hi <= lo).
    func frameBounds(_ pos: Int, _ part: [Int], _ peerStart: [Int], _ peerEnd: [Int]) -> (Int, Int) {
        let n = part.count
        let frame = function.frame
        let lo: Int, hi: Int
        switch frame.start {
        case .unboundedPreceding: lo = 0
        case .rows(let d): lo = min(max(pos + d, 0), n)
        case .currentRow: lo = frame.isRows ? pos : peerStart[pos]
        case .key: lo = orderKeys[part[pos]][0].isNull ? peerStart[pos] : firstPosition(part) { compareOrder([$0], [boundKeys[part[pos]].start]) >= 0 }
        case .unboundedFollowing: lo = n
        }
        switch frame.end {
        case .unboundedFollowing: hi = n
        case .rows(let d): hi = min(max(pos + d + 1, 0), n)
        case .currentRow: hi = frame.isRows ? pos + 1 : peerEnd[pos]
        case .key: hi = orderKeys[part[pos]][0].isNull ? peerEnd[pos] : firstPosition(part) { compareOrder([$0], [boundKeys[part[pos]].end]) > 0 }
        case .unboundedPreceding: hi = 0
        }
        return (lo, hi)
    }

    /// The first position whose ORDER BY key satisfies `test`, which is monotonic over the
    /// sorted partition (false, then true); the partition's size when none does.
    private func firstPosition(_ part: [Int], _ test: (Value) -> Bool) -> Int {
        var low = 0, high = part.count
        while low < high {
            let mid = (low + high) / 2
            if test(orderKeys[part[mid]][0]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private func fillAggregate(_ spec: AggregateSpec, _ part: [Int], _ peerStart: [Int], _ peerEnd: [Int],
                               into out: inout [[Value]], column k: Int) throws {
        if case .unboundedPreceding = function.frame.start {
            // The frame only grows: add each row once and read the running result.
            let state = AggregateState(spec)
            var added = 0
            var last: (hi: Int, value: Value)?
            for pos in 0..<part.count {
                let (_, hi) = frameBounds(pos, part, peerStart, peerEnd)
                if let last, last.hi == hi { out[part[pos]][k] = last.value; continue }
                while added < hi { try state.addValues(spec, args[part[added]]); added += 1 }
                let value = try state.result(spec, maxConcatLength: maxConcat)
                out[part[pos]][k] = value
                last = (hi, value)
            }
            return
        }
        for pos in 0..<part.count {
            let (lo, hi) = frameBounds(pos, part, peerStart, peerEnd)
            let state = AggregateState(spec)
            if lo < hi { for x in lo..<hi { try state.addValues(spec, args[part[x]]) } }
            out[part[pos]][k] = try state.result(spec, maxConcatLength: maxConcat)
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
