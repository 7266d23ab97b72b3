/// One SELECT block: FROM/WHERE → nested-loop joins with pushed-down filters and index
/// access → GROUP BY/aggregates → HAVING → projection → DISTINCT → ORDER BY → LIMIT.
extension QueryCompiler {
    func compileSelect(_ core: SelectCore, orderBy: [OrderItem], limit limitExpr: Expr?, offset offsetExpr: Expr?, parent: Scope?) throws -> QueryPlan {
        let scope = Scope(parent: parent)
        exprs.clause = "from clause"
        var levels = try buildFrom(core.from, scope: scope)

        // Select list with stars expanded.
        var items: [(expr: Expr, name: String, alias: String?)] = []
        for item in core.items {
            switch item {
            case .star(let table):
                var any = false
                for s in scope.sources where table == nil || s.alias == table {
                    any = true
                    for (ci, c) in s.columns.enumerated() where !s.hiddenColumns.contains(ci) || table != nil {
                        items.append((.column(db: nil, table: s.alias, name: c), c, nil))
                    }
                }
                if !any {
                    if let table { throw SQLError.unknownTable(table) }
                    throw SQLError(code: 1096, sqlState: "HY000", message: "No tables used")
                }
            case .expr(let e, let alias, let text):
                // an unaliased column is named by its own name, not by `t.col` as written
                if alias == nil, case .column(_, _, let name) = e {
                    items.append((e, name, nil))
                } else if alias == nil, case .function("NAME_CONST", let args, _) = e, args.count == 2, case .literal(.string(let name, _)) = args[0] {
                    // NAME_CONST('name', value) names its column
                    items.append((e, String(decoding: name, as: UTF8.self), nil))
                } else {
                    items.append((e, alias ?? text, alias))
                }
            }
        }

        // WHERE, split into conjuncts and assigned to the level where their tables are bound.
        exprs.clause = "where clause"
        var constantFilters: [Compiled] = []
        if let w = core.whereClause {
            if containsAggregate(w) { throw SQLError.invalidGroupFunction() }
            for conjunct in splitConjuncts(w) {
                let c = try exprs.compile(conjunct, scope)
                let level = highestSource(c.sources)
                if level < 0 {
                    constantFilters.append(c)
                } else if levels[level].isOuterInner {
                    levels[level].afterFilters.append(c)
                } else {
                    levels[level].matchFilters.append(c)
                }
            }
        }
        exprs.clause = "on clause"
        for i in 0..<levels.count {
            guard let on = levels[i].on else { continue }
            for conjunct in splitConjuncts(on) {
                let c = try exprs.compile(conjunct, scope)
                if let group = levels[i].outerGroup {
                    // a condition of the group's match, where its tables are bound
                    levels[max(highestSource(c.sources), group.lowerBound)].matchFilters.append(c)
                } else if !levels[i].isLeft && highestSource(c.sources) < i && highestSource(c.sources) >= 0 {
                    let l = highestSource(c.sources)
                    if levels[l].isOuterInner { levels[l].afterFilters.append(c) } else { levels[l].matchFilters.append(c) }
                } else {
                    levels[i].matchFilters.append(c)
                }
            }
        }
        levels = reorderInnerJoins(levels)
        for i in 0..<levels.count { levels[i].access = chooseAccess(levels[i], bound: boundMask(levels, before: i)) }
        // a later level no index can seek: hash join on its equalities with earlier levels
        for i in levels.indices.dropFirst() where levels[i].access.isFullScan {
            levels[i].hashKeys = hashJoinKeys(levels[i], bound: boundMask(levels, before: i))
        }

        // Grouping.
        let isAggregate = !core.groupBy.isEmpty || items.contains { containsAggregate($0.expr) } || (core.having.map(containsAggregate) ?? false)
            || orderBy.contains { containsAggregate($0.expr) }
        let collector = AggregateCollector(base: scope.width)
        var groupKeys: [Compiled] = []
        var groupExprs: [Expr] = []
        if isAggregate {
            exprs.clause = "group statement"
            for g in core.groupBy {
                if case .literal(.integer(let s)) = g, let n = Int(s) {
                    guard n >= 1 && n <= items.count else { throw SQLError.unknownColumn(s, in: "group statement") }
                    if containsAggregate(items[n - 1].expr) { throw SQLError(code: 1056, sqlState: "42000", message: "Can't group on '\(items[n - 1].name)'") }
                    groupKeys.append(try exprs.compile(items[n - 1].expr, scope))
                    groupExprs.append(items[n - 1].expr)
                } else if case .column(nil, nil, let name) = g, (try? scope.lookup(table: nil, db: nil, name: name)) == nil,
                          let item = items.first(where: { $0.alias?.lowercased() == name.lowercased() }) {
                    if containsAggregate(item.expr) { throw SQLError(code: 1056, sqlState: "42000", message: "Can't group on '\(item.name)'") }
                    groupKeys.append(try exprs.compile(item.expr, scope))
                    groupExprs.append(item.expr)
                } else {
                    if containsAggregate(g) { throw SQLError(code: 1056, sqlState: "42000", message: "Can't group on '\(exprs.exprText(g))'") }
                    groupKeys.append(try exprs.compile(g, scope))
                    groupExprs.append(g)
                }
            }
            scope.aggregator = collector
        }
        // GROUPING(): reads which keys the row being emitted has rolled up
        let rollupState = RollupState(keys: groupExprs, keySlots: groupKeys.map { $0.columnSlot?.slot }, active: core.withRollup && !groupKeys.isEmpty)
        let outerRollup = exprs.rollup
        exprs.rollup = rollupState
        defer { exprs.rollup = outerRollup }

        // Projection.
        let windows = try WindowCollector(namedWindows: core.namedWindows)
        scope.windows = windows
        exprs.clause = "field list"
        var projections: [Compiled] = []
        var columns: [OutputColumn] = []
        for item in items {
            let c = try exprs.compile(item.expr, scope)
            projections.append(c)
            columns.append(OutputColumn(name: item.name, type: c.type))
        }
        scope.aliases = zip(items, projections).compactMap { item, c in (item.alias ?? item.name, c) }

        // HAVING sees select aliases.
        var having: Compiled?
        if let h = core.having {
            exprs.clause = "having clause"
            scope.aliasesVisible = true
            scope.windows = nil
            having = try exprs.compile(h, scope)
            scope.windows = windows
            scope.aliasesVisible = false
        }

        // ORDER BY: positions, select aliases, or expressions.
        exprs.clause = "order clause"
        var sortKeys: [(source: SortSource, descending: Bool, collation: Collation)] = []
        for item in orderBy {
            if case .literal(.integer(let s)) = item.expr, let n = Int(s) {
                guard n >= 1 && n <= items.count else { throw SQLError.unknownColumn(s, in: "order clause") }
                sortKeys.append((.projection(n - 1), item.descending, projections[n - 1].type.collation))
                continue
            }
            if case .column(nil, nil, let name) = item.expr, let idx = items.firstIndex(where: { ($0.alias ?? "").lowercased() == name.lowercased() }) {
                sortKeys.append((.projection(idx), item.descending, projections[idx].type.collation))
                continue
            }
            if case .column(nil, nil, let name) = item.expr, (try? scope.lookup(table: nil, db: nil, name: name)) == nil,
               let idx = items.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                sortKeys.append((.projection(idx), item.descending, projections[idx].type.collation))
                continue
            }
            scope.aliasesVisible = true
            let c = try exprs.compile(item.expr, scope)
            scope.aliasesVisible = false
            sortKeys.append((.expression(c), item.descending, c.type.collation))
        }
        scope.aggregator = nil
        scope.windows = nil
        let hasWindows = !windows.functions.isEmpty

        let limits = try compileLimit(limitExpr, offsetExpr)

        // ORDER BY answered by reading the first table in index order: no sort, and LIMIT
        // stops the scan early.
        var orderFromIndex = false
        if !sortKeys.isEmpty && !isAggregate && !core.distinct && !hasWindows && !levels.isEmpty {
            let keys = sortKeys.map { k -> (slot: Int?, descending: Bool) in
                switch k.source {
                case .projection(let i): return (projections[i].columnSlot?.slot, k.descending)
                case .expression(let c): return (c.columnSlot?.slot, k.descending)
                }
            }
            if let path = orderedAccess(levels[0], keys, hasLimit: limits.limit != nil) {
                levels[0].access = path
                orderFromIndex = true
            }
        }
        // filters the seek answers exactly are not evaluated again on each row it finds
        // (EXPLAIN still says "Using where", as MySQL does)
        let hadFilters = levels.map { !$0.matchFilters.isEmpty || !$0.afterFilters.isEmpty }
        let filtersBeforeSeek = levels.map(\.matchFilters)
        for i in 0..<levels.count where !levels[i].access.answeredFilters.isEmpty {
            let answered = Set(levels[i].access.answeredFilters)
            levels[i].matchFilters = levels[i].matchFilters.enumerated().filter { !answered.contains($0.offset) }.map(\.element)
            levels[i].access.answeredFilters = []
        }
        for i in 0..<levels.count {
            levels[i].neededColumns = (0..<levels[i].width).map { scope.referencedSlots.contains(levels[i].offset + $0) }
            if case .table(let t) = levels[i].data, let index = levels[i].access.index {
                levels[i].covering = CoveringIndexRead(index, t, needed: levels[i].neededColumns)
            }
        }
        let distinct = core.distinct
        let projectionTypes = projections.map(\.type)
        let distinctCollations = projectionTypes.map { $0.kind == .text ? $0.collation : Collation.binary }
        let usesOuter = scope.usesOuter
        let executor = SelectExecutor(ctx: ctx, levels: levels, constantFilters: constantFilters, width: scope.width + collector.specs.count,
                                      sourceWidth: scope.width)
        let aggregates = collector.specs
        // WITH ROLLUP: rolled-up group keys read NULL in super-aggregate rows — plain columns
        // through their row slot, other expressions where the select list repeats them
        let rollup = core.withRollup && !groupKeys.isEmpty
        let rollupKeySlots = groupKeys.map { $0.columnSlot?.slot }
        let rollupItemKeys: [Int?] = items.map { item in
            guard rollup else { return nil }
            let text = exprs.exprText(item.expr)
            return core.groupBy.indices.first { rollupKeySlots[$0] == nil && exprs.exprText(core.groupBy[$0]) == text }
        }
        let intoVariables = core.intoVariables
        let session = ctx.session
        let maxConcat = Int(ctx.session.variables["group_concat_max_len"]?.int64Value ?? 1024)
        let explain = levels.enumerated().map { i, l -> ExplainRow in
            var type = "ALL", key: String?, possible: [String] = []
            if case .table(let t) = l.data {
                let path = l.access
                let unique = path.nullProbes.isEmpty && (path.index.map { $0.isUnique && path.equalities.first?.count == $0.columns.count }
                    ?? (path.equalities.first?.count == t.primaryKey.count && !t.primaryKey.isEmpty))
                type = path.explainType(unique: unique)
                if !path.isFullScan || path.isOrdered { key = path.index?.name ?? "PRIMARY" }
                // every index whose first column a filter can seek on
                for candidate in [nil] + t.secondaryIndexes.map(Optional.some) {
                    let leading = candidate?.columns.first ?? t.primaryKey.first
                    guard let leading, filtersBeforeSeek[i].contains(where: { $0.sargable.map { $0.slot - l.offset == leading } ?? false }) else { continue }
                    possible.append(candidate?.name ?? "PRIMARY")
                }
            }
            var extra: [String] = []
            if hadFilters[i] { extra.append("Using where") }
            if i == 0 && !sortKeys.isEmpty && !orderFromIndex { extra.append("Using filesort") }
            if l.covering != nil { extra.append("Using index") }
            if l.access.reverse { extra.append("Backward index scan") }
            if !l.hashKeys.isEmpty { extra.append("Using join buffer (hash join)") }
            return ExplainRow(table: l.alias, type: type, possibleKeys: possible.isEmpty ? nil : possible.joined(separator: ","),
                              key: key, rows: 1, extra: extra.joined(separator: "; "))
        }

        let sortCount = sortKeys.count
        let sortCollations = sortKeys.map(\.collation)
        let sortDescending = sortKeys.map(\.descending)
        // per sort key: the projection it repeats, or the expression to evaluate (plain
        // arrays: reading `sortKeys` copied its enum payloads for every row)
        let sortProjections: [Int?] = sortKeys.map { if case .projection(let i) = $0.source { i } else { nil } }
        let sortExpressions: [Compiled?] = sortKeys.map { if case .expression(let c) = $0.source { c } else { nil } }
        let distinctSingle = distinct && projections.count == 1
        // bare closures for the per-row loops (iterating `[Compiled]` copies each element)
        let projectionEvals = projections.map(\.eval)
        let sortEvals: [Evaluator?] = sortExpressions.map { $0?.eval }
        let havingEval = having?.eval
        let groupKeyEvals = groupKeys.map(\.eval)
        let plan = QueryPlan(columns: columns, usesOuter: usesOuter, explain: explain) { outer, outerLimit in
            let (limit, offset) = try limits.evaluate()
            var results: [(values: [Value], keys: [Value])] = []
            let needsSort = !sortKeys.isEmpty && !orderFromIndex
            var stopAfter: Int? = nil
            if !needsSort && !distinct && !isAggregate && !hasWindows {
                if let limit { stopAfter = limit + offset }
                if let outerLimit { stopAfter = min(stopAfter ?? Int.max, outerLimit + offset) }
            }
            var seen = Set<[GroupKey]>()
            var seenSingle = Set<GroupKey>()
            var buffered: [[Value]] = []
            func emit(_ row: Row) throws -> Bool {
                if let havingEval, try havingEval(row).truth != true { return true }
                if hasWindows { buffered.append(row.values); return true }
                return try project(row)
            }
            // while a WITH ROLLUP super-aggregate row is emitted: how many group keys it keeps
            let rollupLevelHolder = rollupState
            func project(_ row: Row) throws -> Bool {
                var values: [Value] = []
                values.reserveCapacity(projections.count)
                for i in 0..<projectionEvals.count {
                    if rollupLevelHolder.level != Int.max, let key = rollupItemKeys[i], key >= rollupLevelHolder.level { values.append(.null); continue }
                    values.append(try projectionEvals[i](row))
                }
                if distinctSingle {
                    if !seenSingle.insert(GroupKey(values[0], distinctCollations[0])).inserted { return true }
                } else if distinct {
                    let key = values.enumerated().map { GroupKey($0.element, distinctCollations[$0.offset]) }
                    if !seen.insert(key).inserted { return true }
                }
                var keys: [Value] = []
                if needsSort {
                    keys.reserveCapacity(sortCount)
                    for k in 0..<sortCount {
                        if let i = sortProjections[k] { keys.append(values[i]) } else { keys.append(try sortEvals[k]!(row)) }
                    }
                }
                results.append((values, keys))
                if let stopAfter, results.count >= stopAfter { return false }
                return true
            }
            let row = Row(width: scope.width + aggregates.count, outer: outer)
            if isAggregate {
                var groups: [[GroupKey]: Int] = [:]
                var groupRows: [[Value]] = []
                var groupKeyValues: [[Value]] = []
                var states: [[AggregateState]] = []
                // WITH ROLLUP: per number of kept keys p < n, the states of each key prefix
                var superGroups = [[[GroupKey]: Int]](repeating: [:], count: rollup ? groupKeys.count : 0)
                var superStates = [[[AggregateState]]](repeating: [], count: rollup ? groupKeys.count : 0)
                let keyCollations = groupKeys.map { $0.type.kind == .text ? $0.type.collation : Collation.binary }
                try executor.run(row) { r in
                    var key: [GroupKey] = []
                    var keyValues: [Value] = []
                    key.reserveCapacity(groupKeys.count)
                    for i in 0..<groupKeyEvals.count {
                        let v = try groupKeyEvals[i](r)
                        key.append(GroupKey(v, keyCollations[i]))
                        if rollup { keyValues.append(v) }
                    }
                    let gi: Int
                    if groupKeys.isEmpty && !groupRows.isEmpty {
                        gi = 0  // one group: no key to hash
                    } else if let existing = groups[key] {
                        gi = existing
                    } else {
                        gi = groupRows.count
                        groups[key] = gi
                        groupRows.append(Array(r.values[0..<scope.width]))
                        groupKeyValues.append(keyValues)
                        states.append(aggregates.map(AggregateState.init))
                    }
                    for i in aggregates.indices { try states[gi][i].add(aggregates[i], r, maxConcatLength: maxConcat) }
                    for p in 0..<superGroups.count {
                        let prefix = Array(key[0..<p])
                        let si: Int
                        if let existing = superGroups[p][prefix] {
                            si = existing
                        } else {
                            si = superStates[p].count
                            superGroups[p][prefix] = si
                            superStates[p].append(aggregates.map(AggregateState.init))
                        }
                        for (i, spec) in aggregates.enumerated() { try superStates[p][si][i].add(spec, r, maxConcatLength: maxConcat) }
                    }
                    return true
                }
                if groupRows.isEmpty && groupKeys.isEmpty {
                    // aggregate over no rows: one row of NULL sources
                    groupRows.append([Value](repeating: .null, count: scope.width))
                    states.append(aggregates.map(AggregateState.init))
                }
                if rollup {
                    // groups in key order, each run of equal prefixes followed by its super-aggregate rows
                    let n = groupKeys.count
                    let order = groupRows.indices.sorted { a, b in
                        for j in 0..<n {
                            let c = sortCompare(groupKeyValues[a][j], groupKeyValues[b][j], keyCollations[j])
                            if c != 0 { return c < 0 }
                        }
                        return a < b
                    }
                    func sharedPrefix(_ a: Int, _ b: Int) -> Int {
                        var j = 0
                        while j < n && GroupKey(groupKeyValues[a][j], keyCollations[j]) == GroupKey(groupKeyValues[b][j], keyCollations[j]) { j += 1 }
                        return j
                    }
                    emitting: for (pos, gi) in order.enumerated() {
                        row.values.replaceSubrange(0..<scope.width, with: groupRows[gi])
                        for (i, spec) in aggregates.enumerated() { row.values[scope.width + i] = try states[gi][i].result(spec, maxConcatLength: maxConcat) }
                        if !(try emit(row)) { break }
                        let kept = pos + 1 < order.count ? sharedPrefix(gi, order[pos + 1]) + 1 : 0
                        for p in stride(from: n - 1, through: kept, by: -1) {
                            let prefix = (0..<p).map { GroupKey(groupKeyValues[gi][$0], keyCollations[$0]) }
                            guard let si = superGroups[p][prefix] else { continue }
                            row.values.replaceSubrange(0..<scope.width, with: groupRows[gi])
                            for j in p..<n { if let slot = rollupKeySlots[j] { row.values[slot] = .null } }
                            for (i, spec) in aggregates.enumerated() { row.values[scope.width + i] = try superStates[p][si][i].result(spec, maxConcatLength: maxConcat) }
                            rollupLevelHolder.level = p
                            defer { rollupLevelHolder.level = Int.max }
                            if !(try emit(row)) { break emitting }
                        }
                    }
                } else {
                    for gi in 0..<groupRows.count {
                        row.values.replaceSubrange(0..<scope.width, with: groupRows[gi])
                        for (i, spec) in aggregates.enumerated() { row.values[scope.width + i] = try states[gi][i].result(spec, maxConcatLength: maxConcat) }
                        if !(try emit(row)) { break }
                    }
                }
            } else {
                try executor.run(row, emit)
            }
            if hasWindows {
                let computed = try windows.evaluate(buffered, outer: outer, maxConcat: maxConcat)
                for (i, values) in buffered.enumerated() {
                    row.values = values
                    row.windowValues = computed[i]
                    if !(try project(row)) { break }
                }
            }
            if needsSort {
                // plain arrays: copying sortKeys' elements (closures inside) in every
                // comparison was 18% of sysbench read_only's time. A permutation is sorted,
                // not the rows: moving a row moved two arrays (retain + release each), which
                // was a fifth of a 100-row ORDER BY
                let keyRows = results.map(\.keys)
                var order = Array(0..<keyRows.count)
                order.sort { a, b in
                    for i in 0..<sortCount {
                        let c = sortCompare(keyRows[a][i], keyRows[b][i], sortCollations[i])
                        if c != 0 { return sortDescending[i] ? c > 0 : c < 0 }
                    }
                    return a < b  // stable, like the row sort it replaces
                }
                results = order.map { results[$0] }
            }
            let out: [[Value]]
            if offset == 0 && (limit == nil || limit! >= results.count) {
                out = results.map(\.values)
            } else {
                let start = min(offset, results.count)
                let end = limit.map { min(results.count, start + $0) } ?? results.count
                out = results[start..<end].map(\.values)
            }
            if !intoVariables.isEmpty {
                guard intoVariables.count == projections.count else {
                    throw SQLError(code: 1222, sqlState: "21000", message: "The used SELECT statements have a different number of columns")
                }
                if out.count > 1 { throw SQLError(code: 1172, sqlState: "42000", message: "Result consisted of more than one row") }
                if let first = out.first {
                    for (i, name) in intoVariables.enumerated() { session.userVariables[name.lowercased()] = first[i] }
                }
                return []
            }
            _ = projectionTypes
            return out
        }
        return plan
    }

    enum SortSource {
        case projection(Int)
        case expression(Compiled)
    }

    func splitConjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = e { return splitConjuncts(a) + splitConjuncts(b) }
        return [e]
    }

    func highestSource(_ mask: UInt64) -> Int {
        if mask == 0 { return -1 }
        return 63 - mask.leadingZeroBitCount
    }

    func boundMask(_ levels: [JoinLevel], before i: Int) -> UInt64 {
        var m: UInt64 = 0
        for l in levels[0..<i] { m |= 1 << UInt64(min(l.source, 63)) }
        return m
    }

    /// Greedy order for runs of inner joins: next the table with the most conditions on
    /// tables already placed (equalities first), so filters apply early. LEFT levels keep their place.
    func reorderInnerJoins(_ levels: [JoinLevel]) -> [JoinLevel] {
        guard levels.count > 2, !levels.contains(where: { $0.isLeft }) else { return levels }
        var remaining = levels
        var ordered: [JoinLevel] = []
        var bound: UInt64 = 0
        // all conditions, re-assigned after ordering
        var conditions = levels.flatMap { $0.matchFilters }
        for i in 0..<remaining.count { remaining[i].matchFilters = [] }
        while !remaining.isEmpty {
            var best = 0
            var bestScore = -1
            for (i, l) in remaining.enumerated() {
                let bit = UInt64(1) << UInt64(min(l.source, 63))
                var score = 0
                for c in conditions where c.sources & bit != 0 && c.sources & ~(bound | bit) == 0 {
                    score += isEquality(c) ? 10 : 1
                }
                if case .table = l.data {} else { score -= 0 }
                if score > bestScore { best = i; bestScore = score }
            }
            let chosen = remaining.remove(at: best)
            bound |= UInt64(1) << UInt64(min(chosen.source, 63))
            var level = chosen
            var rest: [Compiled] = []
            for c in conditions {
                if c.sources & ~bound == 0 { level.matchFilters.append(c) } else { rest.append(c) }
            }
            conditions = rest
            ordered.append(level)
        }
        return ordered
    }

    func isEquality(_ c: Compiled) -> Bool { c.equalityHint }

    /// An access path for `level` that yields rows in the order of `keys` (row slots, all
    /// ascending or all descending), or nil. It keeps the level's chosen index and
    /// equality prefix when it has one; a full scan becomes an ordered scan of the primary
    /// key, or of a secondary index when there is a LIMIT (each row then costs a lookup).
    func orderedAccess(_ level: JoinLevel, _ keys: [(slot: Int?, descending: Bool)], hasLimit: Bool) -> AccessPath? {
        guard case .table(let table) = level.data, !level.isLeft, let first = keys.first else { return nil }
        guard keys.allSatisfy({ $0.descending == first.descending }) else { return nil }
        var columns: [Int] = []
        for k in keys {
            guard let slot = k.slot else { return nil }
            let ci = slot - level.offset
            guard ci >= 0 && ci < table.columns.count, table.columns[ci].type.hasIndexOrderedAsSorted else { return nil }
            if !columns.contains(ci) { columns.append(ci) }
        }
        let current = level.access
        guard current.equalities.count <= 1 else { return nil }
        var candidates: [(IndexSchema?, [Int])] = []
        if !table.primaryKey.isEmpty { candidates.append((nil, table.primaryKey)) }
        for idx in table.secondaryIndexes where idx.prefixLengths.allSatisfy({ $0 == nil }) { candidates.append((idx, idx.columns)) }
        for (index, indexColumns) in candidates {
            var path: AccessPath
            if current.isFullScan {
                guard index == nil || hasLimit else { continue }
                path = AccessPath()
                path.index = index
            } else {
                guard current.index?.name == index?.name else { continue }
                path = current
            }
            // columns fixed by the equality prefix may appear anywhere in ORDER BY
            let fixed = path.equalities.first?.count ?? 0
            let rest = columns.filter { !indexColumns[0..<fixed].contains($0) }
            guard fixed + rest.count <= indexColumns.count, Array(indexColumns[fixed..<(fixed + rest.count)]) == rest else { continue }
            path.reverse = first.descending
            path.isOrdered = true
            return path
        }
        return nil
    }

    /// The `inner = outer` equalities of a level's filters usable as hash-join keys: one side
    /// reads only this level, the other only earlier levels, and both hash alike (same kind
    /// of value, so GroupKey equality is the comparison's equality).
    func hashJoinKeys(_ level: JoinLevel, bound: UInt64) -> [(inner: Compiled, outer: Compiled, collation: Collation)] {
        if case .lateral = level.data { return [] }
        let bit = UInt64(1) << UInt64(min(level.source, 63))
        var keys: [(inner: Compiled, outer: Compiled, collation: Collation)] = []
        for f in level.matchFilters where f.equalityOperands.count == 2 {
            let a = f.equalityOperands[0], b = f.equalityOperands[1]
            for (inner, outer) in [(a, b), (b, a)] {
                guard inner.sources == bit, !inner.usesOuter, outer.sources != 0, outer.sources & ~bound == 0,
                      !outer.usesOuter, hashCompatible(inner.type.kind, outer.type.kind) else { continue }
                keys.append((inner, outer, f.equalityCollation))
                break
            }
        }
        return keys
    }

    private func hashCompatible(_ a: ExprType.Kind, _ b: ExprType.Kind) -> Bool {
        switch (a, b) {
        case (.int, .int), (.int, .uint), (.uint, .int), (.uint, .uint), (.double, .double),
             (.text, .text), (.binary, .binary), (.date, .date), (.datetime, .datetime), (.date, .datetime),
             (.datetime, .date), (.time, .time):
            return true
        default:
            return false
        }
    }

    /// Picks the access path of a level from its match filters.
    func chooseAccess(_ level: JoinLevel, bound: UInt64) -> AccessPath {
        guard case .table(let table) = level.data else { return .fullScan }
        var eq: [Int: [Compiled]] = [:]        // column → one probe
        var isNull: Set<Int> = []
        var inLists: [Int: [Compiled]] = [:]
        var lowers: [Int: AccessPath.Bound] = [:]
        var uppers: [Int: AccessPath.Bound] = [:]
        // column → the filter its equality (or IN list) came from, when the seek answers it exactly
        var exactEq: [Int: Int] = [:], exactIn: [Int: Int] = [:]
        for (fi, f) in level.matchFilters.enumerated() {
            guard let hint = f.sargable else { continue }
            let (colSlot, op, probes) = hint
            let ci = colSlot - level.offset
            guard ci >= 0 && ci < table.columns.count else { continue }
            guard probes.allSatisfy({ $0.sources & ~bound == 0 && $0.sources != UInt64.max }) else { continue }
            let colType = table.columns[ci].type
            guard probes.allSatisfy({ colType.isKeyComparable(with: $0.type, collation: ExprCompiler.collationFor(colType, $0.type)) }) else { continue }
            switch op {
            case .eq:
                eq[ci] = [probes[0]]
                isNull.remove(ci)
                exactEq[ci] = AccessPath.seekIsExact(colType, probes) ? fi : nil
            case .inList:
                inLists[ci] = probes
                exactIn[ci] = AccessPath.seekIsExact(colType, probes) ? fi : nil
            case .isNull:
                // the seek's NULL probe; the filter itself stays (and an earlier `=` on the
                // column is no longer what the seek answers)
                eq[ci] = [Compiled.constant(.null, .null)]
                isNull.insert(ci)
                exactEq[ci] = nil
            case .lt: uppers[ci] = .exclusive(probes[0])
            case .le: uppers[ci] = .inclusive(probes[0])
            case .gt: lowers[ci] = .exclusive(probes[0])
            case .ge: lowers[ci] = .inclusive(probes[0])
            case .between:
                lowers[ci] = .inclusive(probes[0])
                uppers[ci] = .inclusive(probes[1])
            }
        }
        var candidates: [(IndexSchema?, [Int])] = []
        if !table.primaryKey.isEmpty { candidates.append((nil, table.primaryKey)) }
        for idx in table.secondaryIndexes where idx.prefixLengths.allSatisfy({ $0 == nil }) { candidates.append((idx, idx.columns)) }
        var best: AccessPath?
        var bestScore = 0
        for (idx, cols) in candidates {
            var path = AccessPath()
            path.index = idx
            var prefix: [[Compiled]] = [[]]
            var score = 0
            var k = 0
            while k < cols.count {
                let c = cols[k]
                if let e = eq[c] {
                    prefix = prefix.map { $0 + e }
                    if isNull.contains(c) { path.nullProbes.insert(k) }
                    score += 10
                    if let fi = exactEq[c] { path.answeredFilters.append(fi) }
                } else if let list = inLists[c], prefix.count * list.count <= 1000 {
                    prefix = prefix.flatMap { p in list.map { p + [$0] } }
                    score += 8
                    if let fi = exactIn[c] { path.answeredFilters.append(fi) }
                } else {
                    break
                }
                k += 1
            }
            if k < cols.count {
                let c = cols[k]
                if let l = lowers[c] { path.lower = l; score += 3 }
                if let u = uppers[c] { path.upper = u; score += 3 }
            }
            if score == 0 { continue }
            if k == cols.count && (idx == nil || idx!.isUnique) && path.nullProbes.isEmpty { score += 5 }
            if idx == nil { score += 1 }
            path.equalities = prefix.first!.isEmpty ? [] : prefix
            if score > bestScore { best = path; bestScore = score }
        }
        return best ?? .fullScan
    }
}

extension ExprCompiler {
    static func collationFor(_ col: ColumnType, _ t: ExprType) -> Collation {
        if t.kind == .binary || !col.isText { return col.isText ? .binary : col.collation }
        if t.kind == .text && t.collation != col.collation { return t.collation == .binary ? .binary : .bin }
        return col.collation
    }
}
