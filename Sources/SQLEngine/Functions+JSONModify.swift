/// The JSON functions that change a document: JSON_SET/INSERT/REPLACE, JSON_REMOVE,
/// JSON_ARRAY_APPEND/INSERT and the merges. Each decodes the binary argument into a
/// `JSONDocument`, changes that, and returns the binary form of the result.
extension ExprCompiler {
    func compileJSONModifyFunction(_ name: String, _ args: [Compiled]) throws -> Compiled {
        var json = ExprType(.text, length: 4096)
        json.isJSON = true
        let fname = name.lowercased()
        let types = args.map(\.type)
        /// Argument `i` (0-based) as a tree.
        func doc(_ v: [Value], _ i: Int) throws -> JSONDocument { try jsonDocumentArgument(v[i], types[i], function: fname, position: i + 1) }
        let paths = JSONPathArguments(args)
        func path(_ v: [Value], _ i: Int) throws -> JSONPath { try paths.path(v[i], at: i, wildcards: false) }
        func result(_ d: JSONDocument) throws -> Value { .json(try JSONBinary(d)) }

        switch name {
        case "JSON_SET", "JSON_INSERT", "JSON_REPLACE":
            guard args.count >= 3 && args.count % 2 == 1 else { throw SQLError.wrongParameterCount(fname) }
            let mode: JSONPath.Write = name == "JSON_SET" ? .set : (name == "JSON_INSERT" ? .insert : .replace)
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in stride(from: 1, to: v.count, by: 2) {
                    d = try path(v, i).write(jsonValue(v[i + 1], types[i + 1]), into: d, mode: mode)
                }
                return try result(d)
            }
        case "JSON_REMOVE":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in 1..<v.count {
                    let p = try path(v, i)
                    guard !p.legs.isEmpty else {
                        throw SQLError(code: 3153, sqlState: "42000", message: "The path expression '$' is not allowed in this context.")
                    }
                    d = p.remove(from: d)
                }
                return try result(d)
            }
        case "JSON_ARRAY_APPEND", "JSON_ARRAY_INSERT":
            guard args.count >= 3 && args.count % 2 == 1 else { throw SQLError.wrongParameterCount(fname) }
            let append = name == "JSON_ARRAY_APPEND"
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in stride(from: 1, to: v.count, by: 2) {
                    let p = try path(v, i)
                    let value = jsonValue(v[i + 1], types[i + 1])
                    if append {
                        d = JSONPath.update(d, p.legs[...]) { target in
                            if case .array(let items) = target { return .array(items + [value]) }
                            return .array([target, value])
                        }
                    } else {
                        guard case .index(let n, let fromLast)? = p.legs.last else {
                            throw SQLError(code: 3165, sqlState: "42000", message: "A path expression is not a path to a cell in an array.")
                        }
                        d = JSONPath.update(d, p.legs.dropLast()) { parent in
                            guard case .array(var items) = parent else { return parent }
                            let at = fromLast ? max(items.count - 1 - n, 0) : min(n, items.count)
                            items.insert(value, at: at)
                            return .array(items)
                        }
                    }
                }
                return try result(d)
            }
        case "JSON_MERGE_PRESERVE", "JSON_MERGE", "JSON_MERGE_PATCH":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            let patch = name == "JSON_MERGE_PATCH"
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in 1..<v.count { d = patch ? mergePatch(d, try doc(v, i)) : mergePreserve(d, try doc(v, i)) }
                return try result(d)
            }
        default:
            throw SQLError.functionDoesNotExist(ctx.session.currentDatabase ?? "", fname)
        }
    }
}

/// JSON_MERGE_PRESERVE: arrays concatenate, objects merge member by member, anything else
/// is wrapped into an array first.
func mergePreserve(_ a: JSONDocument, _ b: JSONDocument) -> JSONDocument {
    switch (a, b) {
    case (.object(var x), .object(let y)):
        for (key, value) in y { x[key] = x[key].map { mergePreserve($0, value) } ?? value }
        return .object(x)
    case (.array(let x), .array(let y)): return .array(x + y)
    case (.array(let x), _): return .array(x + [b])
    case (_, .array(let y)): return .array([a] + y)
    default: return .array([a, b])
    }
}

/// JSON_MERGE_PATCH (RFC 7396): an object patch merges, null removes, anything else replaces.
func mergePatch(_ target: JSONDocument, _ patch: JSONDocument) -> JSONDocument {
    guard case .object(let changes) = patch else { return patch }
    var members: [String: JSONDocument] = [:]
    if case .object(let existing) = target { members = existing }
    for (key, value) in changes {
        if value == .null { members[key] = nil } else { members[key] = mergePatch(members[key] ?? .null, value) }
    }
    return .object(members)
}
