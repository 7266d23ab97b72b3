/// MySQL's JSON comparison rules ("Comparison and Ordering of JSON Values"), on the binary form.
///
/// Types rank, lowest first: null, numbers (integers, doubles and decimals compare by value),
/// string, object, array, boolean, opaque. Within a type: strings by their utf8mb4 bytes;
/// false < true; arrays element by element, a prefix before the longer array; objects with
/// fewer members first, then member by member in storage order (key bytes, then value).
/// ORDER BY uses MySQL's sort key instead, in which arrays and objects differ only by length.
extension JSONNode {
    private func rank() throws -> Int {
        switch try kind() {
        case .null: return 0
        case .int, .uint, .double, .decimal: return 1
        case .string: return 2
        case .object: return 3
        case .array: return 4
        case .bool: return 5
        case .opaque: return 6
        }
    }

    /// -1, 0 or 1, as MySQL's `Json_wrapper::compare`; `sorting` gives ORDER BY's order.
    static func compare(_ a: JSONNode, _ b: JSONNode, sorting: Bool = false, depth: Int = 1) throws -> Int {
        guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        let ra = try a.rank(), rb = try b.rank()
        if ra != rb { return ra < rb ? -1 : 1 }
        switch try a.kind() {
        case .null: return 0
        case .int, .uint, .double, .decimal: return try compareNumbers(a, b)
        case .string: return compareBytes(try a.stringBytes(), try b.stringBytes())
        case .bool: return a.bool == b.bool ? 0 : (a.bool ? 1 : -1)
        case .opaque:
            let fa = try a.opaqueFieldType(), fb = try b.opaqueFieldType()
            if fa != fb { return fa < fb ? -1 : 1 }
            return compareBytes(try a.stringBytes(), try b.stringBytes())
        case .array:
            let na = try a.count(), nb = try b.count()
            if !sorting {
                for i in 0..<min(na, nb) {
                    let c = try compare(a.element(i), b.element(i), depth: depth + 1)
                    if c != 0 { return c }
                }
            }
            return na < nb ? -1 : (na > nb ? 1 : 0)
        case .object:
            let na = try a.count(), nb = try b.count()
            if na != nb || sorting { return na < nb ? -1 : (na > nb ? 1 : 0) }
            for i in 0..<na {
                let ka = try a.key(i), kb = try b.key(i)
                var c = compareBytes(ka, kb)
                if c != 0 { return c }
                c = try compare(a.memberValue(i, count: na), b.memberValue(i, count: nb), depth: depth + 1)
                if c != 0 { return c }
            }
            return 0
        }
    }

    private static func compareNumbers(_ a: JSONNode, _ b: JSONNode) throws -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (try a.kind(), try b.kind()) {
        case (.int, .int): return order(try a.int(), try b.int())
        case (.uint, .uint): return order(try a.uint(), try b.uint())
        case (.int, .uint): let x = try a.int(); return x < 0 ? -1 : order(UInt64(x), try b.uint())
        case (.uint, .int): let y = try b.int(); return y < 0 ? 1 : order(try a.uint(), UInt64(y))
        case (.double, .double): return order(try a.double(), try b.double())
        case (.double, _), (_, .double):
            let x = try a.numberAsDouble(), y = try b.numberAsDouble()
            if x != y { return order(x, y) }
            // equal as doubles: integers past 2^53 and decimals still differ exactly
            guard let dx = try a.exactDecimal(), let dy = try b.exactDecimal() else { return 0 }
            return SQLDecimal.compare(dx, dy)
        default:
            guard let dx = try a.exactDecimal(), let dy = try b.exactDecimal() else { return 0 }
            return SQLDecimal.compare(dx, dy)
        }
    }

    func numberAsDouble() throws -> Double {
        switch try kind() {
        case .int: return Double(try int())
        case .uint: return Double(try uint())
        case .double: return try double()
        case .decimal: return try decimal().doubleValue
        default: return 0
        }
    }

    private func exactDecimal() throws -> SQLDecimal? {
        switch try kind() {
        case .int: return SQLDecimal(try int())
        case .uint: return SQLDecimal(try uint())
        case .double: return SQLDecimal(try double())
        case .decimal: return try decimal()
        default: return nil
        }
    }

    /// Bytes equal exactly when `compare` finds the values equal (GROUP BY, DISTINCT, hash joins).
    func appendGroupKey(to out: inout [UInt8], depth: Int = 1) throws {
        guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        out.append(UInt8(try rank()))
        switch try kind() {
        case .null: break
        case .bool: out.append(bool ? 1 : 0)
        case .int: out.append(0); JSONBinary.appendLE(&out, UInt64(bitPattern: try int()), 8)
        case .uint:
            let u = try uint()
            out.append(u <= UInt64(Int64.max) ? 0 : 1)
            JSONBinary.appendLE(&out, u, 8)
        case .double, .decimal:
            let d = try numberAsDouble()
            if d == d.rounded(), d >= -9.2e18, d < 9.2e18 {
                out.append(0); JSONBinary.appendLE(&out, UInt64(bitPattern: Int64(d)), 8)
            } else if d == d.rounded(), d >= 0, d < 1.8e19 {
                out.append(1); JSONBinary.appendLE(&out, UInt64(d), 8)
            } else {
                out.append(2); JSONBinary.appendLE(&out, d.bitPattern, 8)
            }
        case .string, .opaque:
            if try kind() == .opaque { out.append(try opaqueFieldType()) }
            let s = try stringBytes()
            JSONBinary.appendLE(&out, UInt64(s.count), 4)
            out += s
        case .array:
            let n = try count()
            JSONBinary.appendLE(&out, UInt64(n), 4)
            for i in 0..<n { try element(i).appendGroupKey(to: &out, depth: depth + 1) }
        case .object:
            let n = try count()
            JSONBinary.appendLE(&out, UInt64(n), 4)
            for i in 0..<n {
                let k = try key(i)
                JSONBinary.appendLE(&out, UInt64(k.count), 4)
                out += k
                try memberValue(i, count: n).appendGroupKey(to: &out, depth: depth + 1)
            }
        }
    }
}
