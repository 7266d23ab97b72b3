import Foundation

/// JSON_SCHEMA_VALID and JSON_SCHEMA_VALIDATION_REPORT: validation of a document against a
/// JSON Schema of draft 4, as MySQL 8.0 (which uses rapidjson's validator).
///
/// Keywords: type (integer is an integer value only, not 1.0), enum, properties,
/// patternProperties, additionalProperties, required, minProperties, maxProperties,
/// dependencies (property lists and schemas), items (one schema or a tuple),
/// additionalItems, minItems, maxItems, uniqueItems, minLength and maxLength (code points),
/// pattern (ICU regular expression, searched anywhere in the string; an invalid pattern is
/// ignored, as MySQL), minimum/maximum with the boolean exclusiveMinimum/exclusiveMaximum,
/// multipleOf, allOf, anyOf, oneOf, not, and `$ref` to a JSON pointer inside the schema
/// (`#`, `#/definitions/x`). A `$ref` to anything else is an external resource, which MySQL
/// refuses with 1235. id, $schema, title, description, default and format are accepted and
/// not checked (format is optional in draft 4).
///
/// The first failure is reported the way rapidjson finds it: a value's type first, then an
/// object's members or an array's elements in order (the deepest failure wins), then the
/// keywords checked at the value's end (required, min/maxProperties, dependencies,
/// min/maxItems), then enum and the combinators, which report themselves.
struct JSONSchemaValidator {
    struct Failure: Equatable {
        var schemaLocation: String
        var keyword: String
        var documentLocation: String
    }

    let root: [String: JSONDocument]

    /// The function's argument 1 must be an object (3853 otherwise).
    init(schema: JSONDocument, function: String) throws {
        guard case .object(let members) = schema else {
            throw SQLError(code: 3853, sqlState: "22032",
                           message: "Invalid JSON type in argument 1 to function \(function); an object is required.")
        }
        root = members
        try Self.checkReferences(schema)
    }

    /// 1235 for a `$ref` that does not point inside the schema.
    private static func checkReferences(_ d: JSONDocument) throws {
        switch d {
        case .object(let members):
            if case .string(let ref)? = members["$ref"], !ref.hasPrefix("#") {
                throw SQLError.unsupported("references in JSON Schema")
            }
            for value in members.values { try checkReferences(value) }
        case .array(let items):
            for item in items { try checkReferences(item) }
        default: break
        }
    }

    func validate(_ document: JSONDocument) -> Failure? {
        validate(document, against: root, schemaAt: "#", documentAt: "#", depth: 0)
    }

    /// A JSON pointer step in URI fragment form (`~0`, `~1`, then percent-encoding).
    static func step(_ key: String) -> String {
        var out = ""
        for byte in key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1").utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "/" + out
    }

    /// The schema a `$ref` names: a JSON pointer into the root schema.
    private func resolve(_ ref: String) -> (schema: [String: JSONDocument], location: String)? {
        var node = JSONDocument.object(root)
        let pointer = ref.dropFirst()  // "#"
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: true) {
            let key = (String(raw).removingPercentEncoding ?? String(raw))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let members):
                guard let next = members[key] else { return nil }
                node = next
            case .array(let items):
                guard let i = Int(key), items.indices.contains(i) else { return nil }
                node = items[i]
            default: return nil
            }
        }
        guard case .object(let schema) = node else { return nil }
        return (schema, "#" + pointer)
    }

    private func validate(_ d: JSONDocument, against schema: [String: JSONDocument],
                          schemaAt: String, documentAt: String, depth: Int) -> Failure? {
        // a reference cycle (`{"$ref": "#"}` inside itself) ends here rather than in the stack
        guard depth < JSONDocument.maxDepth * 2 else { return nil }
        if case .string(let ref)? = schema["$ref"], let (target, location) = resolve(ref) {
            // draft 4: a schema with $ref is that reference and nothing else
            return validate(d, against: target, schemaAt: location, documentAt: documentAt, depth: depth + 1)
        }
        func fail(_ keyword: String, at location: String = documentAt) -> Failure {
            Failure(schemaLocation: schemaAt, keyword: keyword, documentLocation: location)
        }
        if let type = schema["type"], !Self.matches(d, type: type) { return fail("type") }

        switch d {
        case .object(let members):
            let properties = schema["properties"]?.objectMembers ?? [:]
            let patterns = (schema["patternProperties"]?.objectMembers ?? [:]).sorted { $0.key < $1.key }
            for key in JSONDocument.orderedKeys(members) {
                let value = members[key]!
                let at = documentAt + Self.step(key)
                var matched = false
                if case .object(let sub)? = properties[key] {
                    matched = true
                    if let f = validate(value, against: sub, schemaAt: schemaAt + "/properties" + Self.step(key), documentAt: at, depth: depth + 1) { return f }
                }
                for (pattern, subSchema) in patterns {
                    guard case .object(let sub) = subSchema, let regex = try? RegexMatcher.cached(Array(pattern.utf8), caseInsensitive: false),
                          regex.matches(Array(key.utf8)) else { continue }
                    matched = true
                    if let f = validate(value, against: sub, schemaAt: schemaAt + "/patternProperties" + Self.step(pattern), documentAt: at, depth: depth + 1) { return f }
                }
                if !matched {
                    switch schema["additionalProperties"] {
                    case .bool(false)?: return fail("additionalProperties")
                    case .object(let sub)?:
                        if let f = validate(value, against: sub, schemaAt: schemaAt + "/additionalProperties", documentAt: at, depth: depth + 1) { return f }
                    default: break
                    }
                }
            }
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where members[name] == nil { return fail("required") }
            }
            if let n = schema["minProperties"]?.count, members.count < n { return fail("minProperties") }
            if let n = schema["maxProperties"]?.count, members.count > n { return fail("maxProperties") }
            if case .object(let dependencies)? = schema["dependencies"] {
                for name in JSONDocument.orderedKeys(dependencies) where members[name] != nil {
                    switch dependencies[name]! {
                    case .array(let needed):
                        for case .string(let other) in needed where members[other] == nil { return fail("dependencies") }
                    case .object(let sub):
                        if validate(d, against: sub, schemaAt: schemaAt + "/dependencies" + Self.step(name), documentAt: documentAt, depth: depth + 1) != nil {
                            return fail("dependencies")
                        }
                    default: break
                    }
                }
            }
        case .array(let items):
            for (i, item) in items.enumerated() {
                let at = documentAt + "/\(i)"
                switch schema["items"] {
                case .object(let sub)?:
                    if let f = validate(item, against: sub, schemaAt: schemaAt + "/items", documentAt: at, depth: depth + 1) { return f }
                case .array(let tuple)?:
                    if i < tuple.count {
                        if case .object(let sub) = tuple[i],
                           let f = validate(item, against: sub, schemaAt: schemaAt + "/items/\(i)", documentAt: at, depth: depth + 1) { return f }
                    } else {
                        switch schema["additionalItems"] {
                        case .bool(false)?: return fail("additionalItems")
                        case .object(let sub)?:
                            if let f = validate(item, against: sub, schemaAt: schemaAt + "/additionalItems", documentAt: at, depth: depth + 1) { return f }
                        default: break
                        }
                    }
                default: break
                }
                if case .bool(true)? = schema["uniqueItems"], items[..<i].contains(where: { Self.equal($0, item) }) {
                    return fail("uniqueItems")
                }
            }
            if let n = schema["minItems"]?.count, items.count < n { return fail("minItems") }
            if let n = schema["maxItems"]?.count, items.count > n { return fail("maxItems") }
        case .string(let s):
            let length = s.unicodeScalars.count
            if let n = schema["minLength"]?.count, length < n { return fail("minLength") }
            if let n = schema["maxLength"]?.count, length > n { return fail("maxLength") }
            if case .string(let pattern)? = schema["pattern"],
               let regex = try? RegexMatcher.cached(Array(pattern.utf8), caseInsensitive: false), !regex.matches(Array(s.utf8)) {
                return fail("pattern")
            }
        default:
            if let x = d.number {
                if let minimum = schema["minimum"]?.number {
                    let exclusive = schema["exclusiveMinimum"] == .bool(true)
                    if exclusive ? x <= minimum : x < minimum { return fail("minimum") }
                }
                if let maximum = schema["maximum"]?.number {
                    let exclusive = schema["exclusiveMaximum"] == .bool(true)
                    if exclusive ? x >= maximum : x > maximum { return fail("maximum") }
                }
                if let divisor = schema["multipleOf"]?.number, divisor > 0 {
                    let quotient = x / divisor
                    if quotient.isFinite, quotient != quotient.rounded() { return fail("multipleOf") }
                }
            }
        }

        if case .array(let allowed)? = schema["enum"], !allowed.contains(where: { Self.equal($0, d) }) { return fail("enum") }
        if case .array(let all)? = schema["allOf"] {
            for (i, s) in all.enumerated() {
                if case .object(let sub) = s,
                   validate(d, against: sub, schemaAt: schemaAt + "/allOf/\(i)", documentAt: documentAt, depth: depth + 1) != nil {
                    return fail("allOf")
                }
            }
        }
        if case .array(let any)? = schema["anyOf"] {
            let passes = any.enumerated().contains { i, s in
                guard case .object(let sub) = s else { return false }
                return validate(d, against: sub, schemaAt: schemaAt + "/anyOf/\(i)", documentAt: documentAt, depth: depth + 1) == nil
            }
            if !passes { return fail("anyOf") }
        }
        if case .array(let one)? = schema["oneOf"] {
            let passing = one.enumerated().filter { i, s in
                guard case .object(let sub) = s else { return false }
                return validate(d, against: sub, schemaAt: schemaAt + "/oneOf/\(i)", documentAt: documentAt, depth: depth + 1) == nil
            }
            if passing.count != 1 { return fail("oneOf") }
        }
        if case .object(let sub)? = schema["not"],
           validate(d, against: sub, schemaAt: schemaAt + "/not", documentAt: documentAt, depth: depth + 1) == nil {
            return fail("not")
        }
        return nil
    }

    /// draft 4's type names; a list matches when any of its names does.
    private static func matches(_ d: JSONDocument, type: JSONDocument) -> Bool {
        switch type {
        case .string(let name):
            switch (name, d) {
            case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string),
                 ("integer", .int), ("integer", .uint),
                 ("number", .int), ("number", .uint), ("number", .double), ("number", .decimal):
                return true
            case ("any", _): return true
            default: return false
            }
        case .array(let names): return names.contains { matches(d, type: $0) }
        default: return true  // not a type: the keyword is ignored
        }
    }

    /// JSON equality for enum and uniqueItems: numbers by value (1 = 1.0), the rest structurally.
    private static func equal(_ a: JSONDocument, _ b: JSONDocument) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    /// JSON_SCHEMA_VALIDATION_REPORT's object (keys print in MySQL's order).
    static func report(_ failure: Failure?) -> JSONDocument {
        guard let f = failure else { return .object(["valid": .bool(true)]) }
        return .object([
            "valid": .bool(false),
            "reason": .string("The JSON document location '\(f.documentLocation)' failed requirement '\(f.keyword)' at JSON Schema location '\(f.schemaLocation)'"),
            "schema-location": .string(f.schemaLocation),
            "document-location": .string(f.documentLocation),
            "schema-failed-keyword": .string(f.keyword),
        ])
    }
}

private extension JSONDocument {
    var objectMembers: [String: JSONDocument]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        case .double(let d): return d
        case .decimal(let text): return Double(text)
        default: return nil
        }
    }

    /// A non-negative integer keyword value (minItems, maxLength, ...).
    var count: Int? {
        switch self {
        case .int(let i) where i >= 0: return Int(i)
        case .uint(let u): return Int(clamping: u)
        case .double(let d) where d >= 0 && d == d.rounded() && d < 9e18: return Int(d)
        default: return nil
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
