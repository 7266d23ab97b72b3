/// MySQL's JSON functions over `JSONDocument`. Documents travel as their JSON text; a
/// function's result type is marked `isJSON` so that JSON_OBJECT, JSON_ARRAY and the setters
/// embed it as JSON, not as a string.
extension ExprCompiler {
    func compileJSONFunction(_ name: String, _ args: [Compiled]) throws -> Compiled {
        var json = ExprType(.text, length: 4096)
        json.isJSON = true
        let fname = name.lowercased()
        let types = args.map(\.type)
        func count(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else { throw SQLError.wrongParameterCount(fname) }
        }
        /// Argument `i` (0-based) as a document.
        func doc(_ v: [Value], _ i: Int) throws -> JSONDocument { try jsonDocumentArgument(v[i], types[i], function: fname, position: i + 1) }
        func path(_ v: Value, wildcards: Bool = true) throws -> JSONPath {
            let text = v.textString
            switch JSONPath.parse(text) {
            case .success(let p):
                if !wildcards && p.hasWildcard {
                    throw SQLError(code: 3149, sqlState: "42000", message: "In this situation, path expressions may not contain the * and ** tokens or an array range.")
                }
                return p
            case .failure(let error):
                throw SQLError(code: 3143, sqlState: "42000", message: "Invalid JSON path expression. The error is around character position \(error.position).")
            }
        }
        func result(_ d: JSONDocument?) -> Value { d.map { .text(Array($0.text.utf8)) } ?? .null }

        switch name {
        case "JSON_VALID":
            try count(1...1)
            return fn(args, .bool) { v in
                if types[0].isJSON { return .bool(true) }
                guard case .text(let b) = v[0] else { return .bool(false) }
                return .bool(JSONDocument(parsing: b) != nil)
            }
        case "JSON_EXTRACT", "JSON_UNQUOTE_EXTRACT":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            let unquote = name == "JSON_UNQUOTE_EXTRACT"
            return fn(args, unquote ? ExprType(.text, length: 4096) : json) { v in
                let d = try doc(v, 0)
                let paths = try v.dropFirst().map { try path($0) }
                var found: [JSONDocument] = []
                for p in paths { found += p.matches(in: d) }
                let value: JSONDocument
                if paths.count == 1 && !paths[0].hasWildcard {
                    guard let only = found.first else { return .null }
                    value = only
                } else {
                    guard !found.isEmpty else { return .null }
                    value = .array(found)
                }
                if unquote, case .string(let s) = value { return .text(Array(s.utf8)) }
                return result(value)
            }
        case "JSON_UNQUOTE":
            try count(1...1)
            return fn(args, ExprType(.text, length: 4096)) { v in
                let b = v[0].textBytes
                if b.count >= 2, b.first == UInt8(ascii: "\""), b.last == UInt8(ascii: "\"") {
                    guard case .string(let s)? = JSONDocument(parsing: b) else {
                        throw SQLError(code: 3141, sqlState: "22032", message: "Invalid JSON text in argument 1 to function json_unquote: \"Missing a closing quotation mark in string.\" at position \(b.count).")
                    }
                    return .text(Array(s.utf8))
                }
                return .text(b)
            }
        case "JSON_QUOTE":
            try count(1...1)
            return fn(args, json) { v in .text(Array(JSONDocument.quoted(v[0].textString).utf8)) }
        case "JSON_OBJECT":
            guard args.count % 2 == 0 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, json, nullIn: false) { v in
                var members: [String: JSONDocument] = [:]
                for i in stride(from: 0, to: v.count, by: 2) {
                    guard !v[i].isNull else {
                        throw SQLError(code: 3158, sqlState: "22032", message: "JSON documents may not contain NULL member names.")
                    }
                    members[v[i].textString] = jsonValue(v[i + 1], types[i + 1])
                }
                return result(.object(members))
            }
        case "JSON_ARRAY":
            return fn(args, json, nullIn: false) { v in result(.array(v.indices.map { jsonValue(v[$0], types[$0]) })) }
        case "JSON_LENGTH":
            try count(1...2)
            return fn(args, .int) { v in
                var d = try doc(v, 0)
                if v.count > 1 {
                    guard let target = try path(v[1], wildcards: false).matches(in: d).first else { return .null }
                    d = target
                }
                return .int(Int64(d.length))
            }
        case "JSON_DEPTH":
            try count(1...1)
            return fn(args, .int) { v in .int(Int64(try doc(v, 0).depth)) }
        case "JSON_TYPE":
            try count(1...1)
            return fn(args, ExprType(.text, length: 16)) { v in .text(Array(try doc(v, 0).typeName.utf8)) }
        case "JSON_KEYS":
            try count(1...2)
            return fn(args, json) { v in
                var d = try doc(v, 0)
                if v.count > 1 {
                    guard let target = try path(v[1], wildcards: false).matches(in: d).first else { return .null }
                    d = target
                }
                guard case .object(let members) = d else { return .null }
                return result(.array(JSONDocument.orderedKeys(members).map(JSONDocument.string)))
            }
        case "JSON_CONTAINS":
            try count(2...3)
            return fn(args, .bool) { v in
                var target = try doc(v, 0)
                let candidate = try doc(v, 1)
                if v.count > 2 {
                    guard let t = try path(v[2], wildcards: false).matches(in: target).first else { return .null }
                    target = t
                }
                return .bool(target.contains(candidate))
            }
        case "JSON_CONTAINS_PATH":
            guard args.count >= 3 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, .bool) { v in
                let d = try doc(v, 0)
                let mode = v[1].textString.lowercased()
                guard mode == "one" || mode == "all" else {
                    throw SQLError(code: 3150, sqlState: "42000", message: "The oneOrAll argument to json_contains_path may take these values: 'one' or 'all'.")
                }
                let hits = try v.dropFirst(2).map { !(try path($0).matches(in: d)).isEmpty }
                return .bool(mode == "one" ? hits.contains(true) : hits.allSatisfy { $0 })
            }
        case "JSON_SET", "JSON_INSERT", "JSON_REPLACE":
            guard args.count >= 3 && args.count % 2 == 1 else { throw SQLError.wrongParameterCount(fname) }
            let mode: JSONPath.Write = name == "JSON_SET" ? .set : (name == "JSON_INSERT" ? .insert : .replace)
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in stride(from: 1, to: v.count, by: 2) {
                    d = try path(v[i], wildcards: false).write(jsonValue(v[i + 1], types[i + 1]), into: d, mode: mode)
                }
                return result(d)
            }
        case "JSON_REMOVE":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for p in v.dropFirst() {
                    let legs = try path(p, wildcards: false)
                    guard !legs.legs.isEmpty else {
                        throw SQLError(code: 3153, sqlState: "42000", message: "The path expression '$' is not allowed in this context.")
                    }
                    d = legs.remove(from: d)
                }
                return result(d)
            }
        case "JSON_ARRAY_APPEND", "JSON_ARRAY_INSERT":
            guard args.count >= 3 && args.count % 2 == 1 else { throw SQLError.wrongParameterCount(fname) }
            let append = name == "JSON_ARRAY_APPEND"
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in stride(from: 1, to: v.count, by: 2) {
                    let p = try path(v[i], wildcards: false)
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
                return result(d)
            }
        case "JSON_MERGE_PRESERVE", "JSON_MERGE", "JSON_MERGE_PATCH":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            let patch = name == "JSON_MERGE_PATCH"
            return fn(args, json) { v in
                var d = try doc(v, 0)
                for i in 1..<v.count { d = patch ? mergePatch(d, try doc(v, i)) : mergePreserve(d, try doc(v, i)) }
                return result(d)
            }
        case "JSON_VALUE":
            // (doc, path, empty mode, empty default, error mode, error default): see the parser
            guard args.count == 6 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, ExprType(.text, length: 512, collation: .bin), nullIn: false) { v in
                if v[0].isNull || v[1].isNull { return .null }
                let d = try doc(v, 0)
                let p = try path(v[1], wildcards: false)
                func respond(_ mode: Value, _ fallback: Value, _ error: SQLError) throws -> Value {
                    switch mode.int64Value {
                    case 1: throw error
                    case 2: return fallback
                    default: return .null
                    }
                }
                guard let found = p.matches(in: d).first else {
                    return try respond(v[2], v[3], SQLError(code: 3966, sqlState: "22035", message: "No value was found by 'json_value' on the specified path."))
                }
                switch found {
                case .null: return .null
                case .string(let s): return .text(Array(s.utf8))
                case .array, .object:
                    return try respond(v[4], v[5], SQLError(code: 3967, sqlState: "22034", message: "More than one value was found by 'json_value' on the specified path."))
                default: return .text(Array(found.text.utf8))
                }
            }
        case "JSON_MEMBER_OF":
            // value MEMBER OF (array): an element equal to the value (a non-array document: the document itself)
            try count(2...2)
            return fn(args, .bool) { v in
                let candidate = jsonValue(v[0], types[0])
                let target = try doc(v, 1)
                if case .array(let items) = target { return .bool(items.contains(candidate)) }
                return .bool(target == candidate)
            }
        case "JSON_OVERLAPS":
            try count(2...2)
            return fn(args, .bool) { v in
                let a = try doc(v, 0), b = try doc(v, 1)
                switch (a, b) {
                case (.array(let x), .array(let y)): return .bool(x.contains { y.contains($0) })
                case (.array(let x), _): return .bool(x.contains(b))
                case (_, .array(let y)): return .bool(y.contains(a))
                case (.object(let x), .object(let y)): return .bool(x.contains { key, value in y[key] == value })
                default: return .bool(a == b)
                }
            }
        case "JSON_PRETTY":
            try count(1...1)
            return fn(args, ExprType(.text, length: 4096)) { v in .text(Array(try doc(v, 0).prettyText.utf8)) }
        case "JSON_SEARCH":
            guard args.count >= 3 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, json, nullIn: false) { v in
                guard !v[0].isNull, !v[1].isNull, !v[2].isNull else { return .null }
                let d = try doc(v, 0)
                let mode = v[1].textString.lowercased()
                guard mode == "one" || mode == "all" else {
                    throw SQLError(code: 3150, sqlState: "42000", message: "The oneOrAll argument to json_search may take these values: 'one' or 'all'.")
                }
                let escape = v.count > 3 && !v[3].isNull ? (v[3].textBytes.first ?? UInt8(ascii: "\\")) : UInt8(ascii: "\\")
                let matcher = LikeMatcher(pattern: v[2].textBytes, escape: escape, collation: .general)
                var scopes: [String]? = nil
                if v.count > 4 { scopes = try v.dropFirst(4).map { _ = try path($0); return $0.textString } }
                var found: [String] = []
                jsonSearch(d, at: "$") { text, at in
                    if matcher.matches(Array(text.utf8)) && (scopes.map { $0.contains { at.hasPrefix($0.replacingOccurrences(of: " ", with: "")) } } ?? true) {
                        found.append(at)
                    }
                    return mode == "all" || found.isEmpty
                }
                if found.isEmpty { return .null }
                return result(found.count == 1 ? .string(found[0]) : .array(found.map(JSONDocument.string)))
            }
        default:
            throw SQLError.functionDoesNotExist(ctx.session.currentDatabase ?? "", fname)
        }
    }
}

/// A JSON document argument: JSON text (or a JSON value); 3141 for invalid text, 3146 for
/// a value that is not text.
func jsonDocumentArgument(_ v: Value, _ t: ExprType, function: String, position: Int) throws -> JSONDocument {
    switch v {
    case .text(let b), .binary(let b):
        if let d = JSONDocument(parsing: b) { return d }
        throw SQLError(code: 3141, sqlState: "22032", message: "Invalid JSON text in argument \(position) to function \(function): \"Invalid value.\" at position 0.")
    default:
        throw SQLError(code: 3146, sqlState: "22032", message: "Invalid data type for JSON data in argument \(position) to function \(function); a JSON string or JSON type is required.")
    }
}

/// A SQL value embedded in a document: JSON stays JSON, booleans (TRUE, comparisons) become
/// true/false, numbers stay numbers, everything else is a string.
func jsonValue(_ v: Value, _ t: ExprType) -> JSONDocument {
    switch v {
    case .null: return .null
    case .int(let i):
        if t.isBoolean && (i == 0 || i == 1) { return .bool(i == 1) }
        return .int(i)
    case .uint(let u): return .uint(u)
    case .double(let d): return .double(d)
    case .decimal(let d): return .decimal(d.text)
    case .text(let b):
        if t.isJSON, let d = JSONDocument(parsing: b) { return d }
        return .string(String(decoding: b, as: UTF8.self))
    default: return .string(v.textString)
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

/// Visits every string scalar with its path; `visit` returns false to stop.
@discardableResult
func jsonSearch(_ d: JSONDocument, at path: String, _ visit: (String, String) -> Bool) -> Bool {
    switch d {
    case .string(let s): return visit(s, path)
    case .array(let items):
        for (i, item) in items.enumerated() where !jsonSearch(item, at: "\(path)[\(i)]", visit) { return false }
    case .object(let members):
        for key in JSONDocument.orderedKeys(members) {
            let plain = key.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
                && !(key.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
            let leg = plain ? ".\(key)" : "." + JSONDocument.quoted(key)
            if !jsonSearch(members[key]!, at: path + leg, visit) { return false }
        }
    default: break
    }
    return true
}
