/// Aggregate functions: their compiled arguments and running state per group.
struct AggregateSpec {
    enum Kind { case count, countStar, sum, avg, min, max, groupConcat, bitAnd, bitOr, bitXor, stddevPop, stddevSamp, varPop, varSamp, anyValue, jsonArrayAgg, jsonObjectAgg }
    var kind: Kind
    var args: [Compiled]
    var distinct: Bool
    var separator: [UInt8] = []
    var orderBy: [(Compiled, Bool)] = []
    var resultType: ExprType
    var collation: Collation { args.first?.type.collation ?? .binary }
}

/// The running state of one aggregate in one group.
///
/// The running values skip the runtime exclusivity check (updated once per row; nothing
/// accesses them during an inout access).
final class AggregateState {
    @exclusivity(unchecked) var count: Int64 = 0
    @exclusivity(unchecked) var intSum: Int128 = 0
    @exclusivity(unchecked) var decimalSum: SQLDecimal?
    @exclusivity(unchecked) var doubleSum: Double = 0
    @exclusivity(unchecked) var useDouble = false
    @exclusivity(unchecked) var useDecimal = false
    @exclusivity(unchecked) var extreme: Value = .null
    @exclusivity(unchecked) var bits: UInt64
    var seen: Set<[GroupKey]>?
    var parts: [(text: [UInt8], keys: [Value])] = []
    var mean: Double = 0
    var m2: Double = 0

    init(_ spec: AggregateSpec) {
        bits = spec.kind == .bitAnd ? UInt64.max : 0
        if spec.distinct { seen = [] }
    }

    func add(_ spec: AggregateSpec, _ row: Row, maxConcatLength: Int) throws {
        if spec.kind == .countStar { count += 1; return }
        if spec.kind == .jsonArrayAgg || spec.kind == .jsonObjectAgg {
            // NULLs are kept (as JSON null); JSON_OBJECTAGG's key must not be NULL
            let first = try spec.args[0].eval(row)
            count += 1
            if spec.kind == .jsonArrayAgg {
                parts.append((Array(jsonValue(first, spec.args[0].type).text.utf8), []))
            } else {
                if first.isNull { throw SQLError(code: 3158, sqlState: "22032", message: "JSON documents may not contain NULL member names.") }
                let value = try spec.args[1].eval(row)
                parts.append((Array(jsonValue(value, spec.args[1].type).text.utf8), [.text(first.textBytes)]))
            }
            return
        }
        var v: Value
        if spec.kind == .count && spec.args.count > 1 || spec.kind == .groupConcat {
            // NULL in any argument skips the row
            var values: [Value] = []
            values.reserveCapacity(spec.args.count)
            for a in spec.args {
                let x = try a.eval(row)
                if x.isNull { return }
                values.append(x)
            }
            if seen != nil {
                let key = values.enumerated().map { GroupKey($0.element, spec.args[$0.offset].type.collation) }
                if !seen!.insert(key).inserted { return }
            }
            count += 1
            if spec.kind == .groupConcat {
                var text: [UInt8] = []
                for x in values { text += x.textBytes }
                var keys: [Value] = []
                for (e, _) in spec.orderBy { keys.append(try e.eval(row)) }
                parts.append((text, keys))
            }
            return
        }
        v = try spec.args[0].eval(row)
        if v.isNull { return }
        if seen != nil {
            if !seen!.insert([GroupKey(v, spec.collation)]).inserted { return }
        }
        count += 1
        switch spec.kind {
        case .count, .countStar, .groupConcat, .jsonArrayAgg, .jsonObjectAgg: break
        case .sum, .avg:
            switch v {
            case .int(let i) where !useDouble: intSum += Int128(i)
            case .uint(let u) where !useDouble: intSum += Int128(u)
            case .decimal(let d) where !useDouble:
                useDecimal = true
                decimalSum = ((decimalSum ?? SQLDecimal(Int64(0))) + d) ?? decimalSum
            default:
                useDouble = true
                doubleSum += v.doubleValue
            }
        case .min:
            if extreme.isNull || (compareValues(v, extreme, spec.collation) ?? 0) < 0 { extreme = v }
        case .max:
            if extreme.isNull || (compareValues(v, extreme, spec.collation) ?? 0) > 0 { extreme = v }
        case .anyValue:
            if count == 1 { extreme = v }
        case .bitAnd: bits &= v.bitsValue
        case .bitOr: bits |= v.bitsValue
        case .bitXor: bits ^= v.bitsValue
        case .stddevPop, .stddevSamp, .varPop, .varSamp:
            let x = v.doubleValue
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
        }
    }

    func result(_ spec: AggregateSpec, maxConcatLength: Int) throws -> Value {
        switch spec.kind {
        case .count, .countStar: return .int(count)
        case .sum, .avg:
            if count == 0 { return .null }
            if useDouble || spec.resultType.kind == .double {
                var total = doubleSum + Double(intSum)
                if let d = decimalSum { total += d.doubleValue }
                return .double(spec.kind == .avg ? total / Double(count) : total)
            }
            var total = decimalSum ?? SQLDecimal(Int64(0))
            if intSum != 0 {
                guard let t = total + SQLDecimal(mantissa: intSum, scale: 0) else { throw Arithmetic.outOfRange("DECIMAL", "sum") }
                total = t
            }
            if spec.kind == .sum { return .decimal(total.rescaled(to: spec.resultType.scale)) }
            guard let avg = SQLDecimal.divide(total, SQLDecimal(count), extraScale: 4) else { throw Arithmetic.outOfRange("DECIMAL", "avg") }
            return .decimal(avg.rescaled(to: spec.resultType.scale))
        case .min, .max, .anyValue: return extreme
        case .bitAnd, .bitOr, .bitXor: return .uint(bits)
        case .stddevPop: return count == 0 ? .null : .double((m2 / Double(count)).squareRoot())
        case .stddevSamp: return count < 2 ? .null : .double((m2 / Double(count - 1)).squareRoot())
        case .varPop: return count == 0 ? .null : .double(m2 / Double(count))
        case .varSamp: return count < 2 ? .null : .double(m2 / Double(count - 1))
        case .jsonArrayAgg:
            if count == 0 { return .null }
            return jsonAggregate([91] + Array(parts.map(\.text).joined(separator: [44, 32])) + [93])
        case .jsonObjectAgg:
            if count == 0 { return .null }
            // MySQL's object order: keys by length, then bytes; a repeated key keeps its last value
            var members: [[UInt8]: [UInt8]] = [:]
            for p in parts { members[p.keys[0].textBytes] = p.text }
            let keys = members.keys.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
            let body = keys.map { Array(JSONDocument.quoted(String(decoding: $0, as: UTF8.self)).utf8) + [58, 32] + members[$0]! }
            return jsonAggregate([123] + Array(body.joined(separator: [44, 32])) + [125])
        case .groupConcat:
            if count == 0 { return .null }
            var items = parts
            if !spec.orderBy.isEmpty {
                items.sort { a, b in
                    for (i, (e, desc)) in spec.orderBy.enumerated() {
                        let c = sortCompare(a.keys[i], b.keys[i], e.type.collation)
                        if c != 0 { return desc ? c > 0 : c < 0 }
                    }
                    return false
                }
            }
            var out: [UInt8] = []
            for (i, p) in items.enumerated() {
                if i > 0 { out += spec.separator }
                out += p.text
                if out.count >= maxConcatLength { out = Array(out.prefix(maxConcatLength)); break }
            }
            return spec.resultType.kind == .binary ? .binary(out) : .text(out)
        }
    }
}

/// JSON_ARRAYAGG's and JSON_OBJECTAGG's text (made of JSON texts) as a document.
private func jsonAggregate(_ text: [UInt8]) -> Value {
    JSONBinary(parsing: text).map(Value.json) ?? .text(text)
}
