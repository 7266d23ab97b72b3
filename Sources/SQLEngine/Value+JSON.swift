/// Crossing between SQL values and JSON documents.
extension JSONBinary {
    /// The document in a numeric or boolean context: a number is itself, a string is read as
    /// a number, true/false are 1/0, anything else 0.
    var numericValue: Value {
        let node = root
        switch try? node.kind() {
        case .int?: return (try? node.int()).map(Value.int) ?? .int(0)
        case .uint?: return (try? node.uint()).map(Value.uint) ?? .int(0)
        case .double?: return (try? node.double()).map(Value.double) ?? .int(0)
        case .decimal?: return (try? node.decimal()).map(Value.decimal) ?? .int(0)
        case .string?: return (try? node.stringBytes()).map { .text(Array($0)) } ?? .int(0)
        case .bool?: return .bool(node.bool)
        default: return .int(0)
        }
    }

    /// A SQL value as a JSON scalar (or the document it already is).
    static func scalar(_ v: Value, _ t: ExprType) -> JSONBinary? {
        if case .json(let j) = v { return j }
        if v.isNull { return nil }
        return try? JSONBinary(jsonValue(v, t))
    }
}

/// A JSON document argument: a JSON value, or JSON text (3141 when it is not JSON); 3146 for a
/// value that is neither.
func jsonBinaryArgument(_ v: Value, function: String, position: Int) throws -> JSONBinary {
    switch v {
    case .json(let j): return j
    case .text(let b), .binary(let b):
        if let d = JSONDocument(parsing: b) { return try JSONBinary(d) }
        throw SQLError(code: 3141, sqlState: "22032", message: "Invalid JSON text in argument \(position) to function \(function): \"Invalid value.\" at position 0.")
    default:
        throw SQLError(code: 3146, sqlState: "22032", message: "Invalid data type for JSON data in argument \(position) to function \(function); a JSON string or JSON type is required.")
    }
}

extension ExprCompiler {
    /// Comparing a JSON value with anything compares as JSON (MySQL's `compare_json`): the
    /// other side becomes a JSON scalar — a string a JSON string, TRUE/FALSE and comparisons
    /// true/false, numbers numbers — and JSON text read back from a derived table is parsed.
    func jsonComparisonOperands(_ x: Compiled, _ y: Compiled) -> (Compiled, Compiled) {
        guard x.type.isJSON || y.type.isJSON else { return (x, y) }
        func asJSON(_ c: Compiled) -> Compiled {
            var t = c.type
            t.isJSON = true
            t.kind = .text
            var out = derive([c], t) { row in
                let v = try c.eval(row)
                switch v {
                case .null, .json: return v
                default: return JSONBinary.scalar(v, c.type).map(Value.json) ?? .null
                }
            }
            out.columnSlot = nil
            return out
        }
        return (asJSON(x), asJSON(y))
    }
}
