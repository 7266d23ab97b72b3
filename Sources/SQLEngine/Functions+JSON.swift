/// MySQL's JSON functions. Documents travel as `Value.json` (MySQL's binary form, see
/// JSONBinary.swift); JSON text arguments are parsed once into it. The functions that read
/// (JSON_EXTRACT, `->`, `->>`, JSON_LENGTH, JSON_KEYS, JSON_TYPE, JSON_CONTAINS_PATH,
/// JSON_VALUE, MEMBER OF, ...) walk the binary form; those that change a document
/// (Functions+JSONModify.swift) decode it into a `JSONDocument`, change that and encode it again.
extension ExprCompiler {
    func compileJSONFunction(_ name: String, _ args: [Compiled]) throws -> Compiled {
        var json = ExprType(.text, length: 4096)
        json.isJSON = true
        let fname = name.lowercased()
        let types = args.map(\.type)
        func count(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else { throw SQLError.wrongParameterCount(fname) }
        }
        /// Argument `i` (0-based) as a binary document.
        func bin(_ v: [Value], _ i: Int) throws -> JSONBinary { try jsonBinaryArgument(v[i], function: fname, position: i + 1) }
        let paths = JSONPathArguments(args)
        func path(_ v: [Value], _ i: Int, wildcards: Bool = true) throws -> JSONPath { try paths.path(v[i], at: i, wildcards: wildcards) }
        /// The value at argument `i`'s path (no wildcards), if any.
        func target(_ v: [Value], _ i: Int, in doc: JSONBinary) throws -> JSONNode? {
            try path(v, i, wildcards: false).first(in: doc.root)
        }
        var unquotedText = ExprType(.text, length: 4096, collation: .bin)
        unquotedText.isJSON = false

        switch name {
        case "JSON_VALID":
            try count(1...1)
            return fn(args, .bool) { v in
                if case .json = v[0] { return .bool(true) }
                guard case .text(let b) = v[0] else { return .bool(false) }
                return .bool(JSONDocument(parsing: b) != nil)
            }
        case "JSON_EXTRACT", "JSON_UNQUOTE_EXTRACT":
            guard args.count >= 2 else { throw SQLError.wrongParameterCount(fname) }
            let unquote = name == "JSON_UNQUOTE_EXTRACT"
            return fn(args, unquote ? unquotedText : json) { v in
                let d = try bin(v, 0)
                if v.count == 2 {
                    let p = try path(v, 1)
                    if !p.hasWildcard {
                        guard let found = try p.first(in: d.root) else { return .null }
                        return unquote ? .text(try found.text(unquoted: true)) : .json(try found.document())
                    }
                }
                var found: [JSONDocument] = []
                for i in 1..<v.count { found += try path(v, i).matches(in: d.root).map { try $0.decoded() } }
                if found.isEmpty { return .null }
                let array = try JSONBinary(.array(found))
                return unquote ? .text(array.text) : .json(array)
            }
        case "JSON_UNQUOTE":
            try count(1...1)
            return fn(args, unquotedText) { v in
                if case .json(let j) = v[0] { return .text(try j.root.text(unquoted: true)) }
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
            // a utf8mb4_bin string, not a JSON value (MySQL's Item_str_func): JSON_ARRAY embeds it quoted again
            return fn(args, unquotedText) { v in .text(Array(JSONDocument.quoted(v[0].textString).utf8)) }
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
                return .json(try JSONBinary(.object(members)))
            }
        case "JSON_ARRAY":
            return fn(args, json, nullIn: false) { v in .json(try JSONBinary(.array(v.indices.map { jsonValue(v[$0], types[$0]) }))) }
        case "JSON_LENGTH":
            try count(1...2)
            return fn(args, .int) { v in
                let d = try bin(v, 0)
                guard let node = v.count > 1 ? try target(v, 1, in: d) : d.root else { return .null }
                return .int(Int64(try node.count()))
            }
        case "JSON_DEPTH":
            try count(1...1)
            return fn(args, .int) { v in .int(Int64(try bin(v, 0).root.depth())) }
        case "JSON_TYPE":
            try count(1...1)
            return fn(args, ExprType(.text, length: 16)) { v in .text(Array(try bin(v, 0).root.typeName().utf8)) }
        case "JSON_KEYS":
            try count(1...2)
            return fn(args, json) { v in
                let d = try bin(v, 0)
                guard let node = v.count > 1 ? try target(v, 1, in: d) : d.root, node.isObject else { return .null }
                let n = try node.count()
                let keys = try (0..<n).map { JSONDocument.string(String(decoding: try node.key($0), as: UTF8.self)) }
                return .json(try JSONBinary(.array(keys)))
            }
        case "JSON_CONTAINS":
            try count(2...3)
            return fn(args, .bool) { v in
                let d = try bin(v, 0)
                let candidate = try bin(v, 1).document
                guard let node = v.count > 2 ? try target(v, 2, in: d) : d.root else { return .null }
                return .bool(try node.decoded().contains(candidate))
            }
        case "JSON_CONTAINS_PATH":
            guard args.count >= 3 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, .bool) { v in
                let d = try bin(v, 0)
                let mode = v[1].textString.lowercased()
                guard mode == "one" || mode == "all" else { throw SQLError.jsonOneOrAll(fname) }
                for i in 2..<v.count {
                    let hit = !(try path(v, i).matches(in: d.root)).isEmpty
                    if hit && mode == "one" { return .bool(true) }
                    if !hit && mode == "all" { return .bool(false) }
                }
                return .bool(mode == "all")
            }
        case "JSON_VALUE":
            // (doc, path, empty mode, empty default, error mode, error default): see the parser
            guard args.count == 6 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, ExprType(.text, length: 512, collation: .bin), nullIn: false) { v in
                if v[0].isNull || v[1].isNull { return .null }
                let d = try bin(v, 0)
                let p = try path(v, 1, wildcards: false)
                func respond(_ mode: Value, _ fallback: Value, _ error: SQLError) throws -> Value {
                    switch mode.int64Value {
                    case 1: throw error
                    case 2: return fallback
                    default: return .null
                    }
                }
                guard let found = try p.first(in: d.root) else {
                    return try respond(v[2], v[3], SQLError(code: 3966, sqlState: "22035", message: "No value was found by 'json_value' on the specified path."))
                }
                switch try found.kind() {
                case .null: return .null
                case .array, .object:
                    return try respond(v[4], v[5], SQLError(code: 3967, sqlState: "22034", message: "More than one value was found by 'json_value' on the specified path."))
                default: return .text(try found.text(unquoted: true))
                }
            }
        case "JSON_MEMBER_OF":
            // value MEMBER OF (array): an element equal to the value (a non-array document: the document itself)
            try count(2...2)
            return fn(args, .bool) { v in
                guard let candidate = JSONBinary.scalar(v[0], types[0]) else { return .null }
                let target = try bin(v, 1).root
                guard target.isArray else { return .bool(try JSONNode.compare(target, candidate.root) == 0) }
                for i in 0..<(try target.count()) where try JSONNode.compare(target.element(i), candidate.root) == 0 { return .bool(true) }
                return .bool(false)
            }
        case "JSON_OVERLAPS":
            try count(2...2)
            return fn(args, .bool) { v in
                let a = try bin(v, 0).document, b = try bin(v, 1).document
                switch (a, b) {
                case (.array(let x), .array(let y)): return .bool(x.contains { y.contains($0) })
                case (.array(let x), _): return .bool(x.contains(b))
                case (_, .array(let y)): return .bool(y.contains(a))
                case (.object(let x), .object(let y)): return .bool(x.contains { key, value in y[key] == value })
                default: return .bool(a == b)
                }
            }
        case "JSON_SCHEMA_VALID", "JSON_SCHEMA_VALIDATION_REPORT":
            try count(2...2)
            let report = name == "JSON_SCHEMA_VALIDATION_REPORT"
            // a constant schema is read once; any error it has is raised when a row is evaluated
            let constant = args[0].isConstant ? (try? args[0].eval(Row(width: 0))).flatMap { v in
                try? JSONSchemaValidator(schema: jsonDocumentArgument(v, types[0], function: fname, position: 1), function: fname)
            } : nil
            return fn(args, report ? json : .bool) { v in
                let validator = try constant ?? JSONSchemaValidator(
                    schema: jsonDocumentArgument(v[0], types[0], function: fname, position: 1), function: fname)
                let failure = validator.validate(try jsonDocumentArgument(v[1], types[1], function: fname, position: 2))
                return report ? .json(try JSONBinary(JSONSchemaValidator.report(failure))) : .bool(failure == nil)
            }
        case "JSON_PRETTY":
            try count(1...1)
            return fn(args, ExprType(.text, length: 4096)) { v in .text(Array(try bin(v, 0).document.prettyText.utf8)) }
        case "JSON_STORAGE_SIZE":
            // the bytes of the binary form (MySQL's, so the same sizes as MySQL's)
            try count(1...1)
            return fn(args, .int) { v in .int(Int64(try bin(v, 0).bytes.count)) }
        case "JSON_STORAGE_FREE":
            // space a partial update left unused: onebox rewrites the whole value, so none
            try count(1...1)
            return fn(args, .int) { v in _ = try bin(v, 0); return .int(0) }
        case "JSON_SEARCH":
            guard args.count >= 3 else { throw SQLError.wrongParameterCount(fname) }
            return fn(args, json, nullIn: false) { v in
                guard !v[0].isNull, !v[1].isNull, !v[2].isNull else { return .null }
                let d = try bin(v, 0).document
                let mode = v[1].textString.lowercased()
                guard mode == "one" || mode == "all" else { throw SQLError.jsonOneOrAll(fname) }
                let escape = v.count > 3 && !v[3].isNull ? (v[3].textBytes.first ?? UInt8(ascii: "\\")) : UInt8(ascii: "\\")
                let matcher = LikeMatcher(pattern: v[2].textBytes, escape: escape, collation: .general)
                var scopes: [String]? = nil
                if v.count > 4 { scopes = try (4..<v.count).map { _ = try path(v, $0); return v[$0].textString } }
                var found: [String] = []
                jsonSearch(d, at: "$") { text, at in
                    if matcher.matches(Array(text.utf8)) && (scopes.map { $0.contains { at.hasPrefix($0.replacingOccurrences(of: " ", with: "")) } } ?? true) {
                        found.append(at)
                    }
                    return mode == "all" || found.isEmpty
                }
                if found.isEmpty { return .null }
                return .json(try JSONBinary(found.count == 1 ? .string(found[0]) : .array(found.map(JSONDocument.string))))
            }
        default:
            return try compileJSONModifyFunction(name, args)
        }
    }
}

/// Path arguments: a constant path is parsed once, when the statement is compiled.
struct JSONPathArguments {
    private var constant: [Int: (String, JSONPath)] = [:]

    init(_ args: [Compiled]) {
        for (i, a) in args.enumerated() where i > 0 && a.isConstant {
            guard let v = try? a.eval(Row(width: 0)), !v.isNull, case .success(let p) = JSONPath.parse(v.textString) else { continue }
            constant[i] = (v.textString, p)
        }
    }

    /// 3143 for a malformed path, 3149 for a wildcard where none may be.
    func path(_ v: Value, at i: Int, wildcards: Bool) throws -> JSONPath {
        let p: JSONPath
        if let (text, parsed) = constant[i], case .text(let b) = v, b.elementsEqual(text.utf8) {
            p = parsed
        } else {
            switch JSONPath.parse(v.textString) {
            case .success(let parsed): p = parsed
            case .failure(let error):
                throw SQLError(code: 3143, sqlState: "42000", message: "Invalid JSON path expression. The error is around character position \(error.position).")
            }
        }
        if !wildcards && p.hasWildcard {
            throw SQLError(code: 3149, sqlState: "42000", message: "In this situation, path expressions may not contain the * and ** tokens or an array range.")
        }
        return p
    }
}

extension SQLError {
    static func jsonOneOrAll(_ function: String) -> SQLError {
        SQLError(code: 3154, sqlState: "42000", message: "The oneOrAll argument to \(function) may take these values: 'one' or 'all'.")
    }
}

extension JSONNode {
    /// JSON_DEPTH: 1 for a scalar or an empty container, else 1 + the deepest member's.
    func depth(level: Int = 1) throws -> Int {
        guard level <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        guard isContainer else { return 1 }
        let n = try count()
        var deepest = 0
        for i in 0..<n {
            let child = isArray ? try element(i) : try memberValue(i, count: n)
            deepest = max(deepest, try child.depth(level: level + 1))
        }
        return n == 0 ? 1 : 1 + deepest
    }

    /// JSON_TYPE's name.
    func typeName() throws -> String {
        switch try kind() {
        case .null: return "NULL"
        case .bool: return "BOOLEAN"
        case .int: return "INTEGER"
        case .uint: return "UNSIGNED INTEGER"
        case .double: return "DOUBLE"
        case .decimal: return "DECIMAL"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .object: return "OBJECT"
        case .opaque: return "OPAQUE"
        }
    }
}

/// A JSON document argument as a tree: a JSON value decoded, JSON text parsed (3141 when it is
/// not JSON); 3146 for a value that is neither.
func jsonDocumentArgument(_ v: Value, _ t: ExprType, function: String, position: Int) throws -> JSONDocument {
    if case .json(let j) = v { return try j.document }
    return try jsonBinaryArgument(v, function: function, position: position).document
}

/// A SQL value embedded in a document: JSON stays JSON, booleans (TRUE, comparisons) become
/// true/false, numbers stay numbers, everything else is a string.
func jsonValue(_ v: Value, _ t: ExprType) -> JSONDocument {
    switch v {
    case .null: return .null
    case .json(let j): return (try? j.document) ?? .null
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
