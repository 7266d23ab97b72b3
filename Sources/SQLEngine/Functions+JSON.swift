import Foundation

/// The JSON functions (JSON is stored as text; parsed with JSONSerialization when queried).
extension ExprCompiler {
    func compileJSONFunction(_ name: String, _ args: [Compiled]) throws -> Compiled {
        let json = ExprType(.text, length: 4096)
        switch name {
        case "JSON_VALID":
            return fn(args, .bool) { v in .bool(parseJSON(v[0].textBytes) != nil) }
        case "JSON_EXTRACT", "JSON_UNQUOTE_EXTRACT":
            let unquote = name == "JSON_UNQUOTE_EXTRACT"
            return fn(args, json) { v in
                guard let doc = parseJSON(v[0].textBytes) else { throw SQLError(code: 3141, sqlState: "22032", message: "Invalid JSON text in argument 1 to function json_extract: \"Invalid value.\" at position 0.") }
                var results: [Any] = []
                for p in v.dropFirst() {
                    guard let path = parseJSONPath(p.textString) else { throw SQLError(code: 3143, sqlState: "42000", message: "Invalid JSON path expression.") }
                    if let r = jsonLookup(doc, path) { results.append(r) }
                }
                if results.isEmpty { return .null }
                let r: Any = v.count > 2 ? results : results[0]
                if unquote, let s = r as? String { return .text(Array(s.utf8)) }
                return .text(Array(jsonText(r).utf8))
            }
        case "JSON_UNQUOTE":
            return fn(args, json) { v in
                let b = v[0].textBytes
                if b.first == 34, let s = parseJSON(b) as? String { return .text(Array(s.utf8)) }
                return .text(b)
            }
        case "JSON_QUOTE":
            return fn(args, json) { v in .text(Array(jsonText(v[0].textString).utf8)) }
        case "JSON_OBJECT":
            guard args.count % 2 == 0 else { throw SQLError.wrongParameterCount("json_object") }
            return fn(args, json, nullIn: false) { v in
                var parts: [String] = []
                for i in stride(from: 0, to: v.count, by: 2) {
                    if v[i].isNull { throw SQLError(code: 3158, sqlState: "22032", message: "JSON documents may not contain NULL member names.") }
                    parts.append(jsonText(v[i].textString) + ": " + jsonValueText(v[i + 1], args[i + 1].type))
                }
                return .text(Array(("{" + parts.joined(separator: ", ") + "}").utf8))
            }
        case "JSON_ARRAY":
            return fn(args, json, nullIn: false) { v in
                .text(Array(("[" + v.enumerated().map { jsonValueText($0.element, args[$0.offset].type) }.joined(separator: ", ") + "]").utf8))
            }
        case "JSON_LENGTH":
            return fn(args, .int) { v in
                guard var doc = parseJSON(v[0].textBytes) else { return .null }
                if v.count > 1 { guard let p = parseJSONPath(v[1].textString), let d = jsonLookup(doc, p) else { return .null }; doc = d }
                if let a = doc as? [Any] { return .int(Int64(a.count)) }
                if let o = doc as? [String: Any] { return .int(Int64(o.count)) }
                return .int(1)
            }
        case "JSON_TYPE":
            return fn(args, .text) { v in
                guard let doc = parseJSON(v[0].textBytes) else { return .null }
                let t: String
                switch doc {
                case is [Any]: t = "ARRAY"
                case is [String: Any]: t = "OBJECT"
                case is String: t = "STRING"
                case is NSNull: t = "NULL"
                case let n as NSNumber: t = CFGetTypeIDIsBool(n) ? "BOOLEAN" : (n.doubleValue == n.doubleValue.rounded() && !"\(n)".contains(".") ? "INTEGER" : "DOUBLE")
                default: t = "NULL"
                }
                return .text(Array(t.utf8))
            }
        case "JSON_KEYS":
            return fn(args, json) { v in
                guard let doc = parseJSON(v[0].textBytes) as? [String: Any] else { return .null }
                return .text(Array(jsonText(doc.keys.sorted()).utf8))
            }
        case "JSON_CONTAINS":
            return fn(args, .bool) { v in
                guard let doc = parseJSON(v[0].textBytes), let candidate = parseJSON(v[1].textBytes) else { return .null }
                return .bool(jsonContains(doc, candidate))
            }
        default:
            throw SQLError.functionDoesNotExist("", name.lowercased())
        }
    }
}

private func CFGetTypeIDIsBool(_ n: NSNumber) -> Bool {
    String(cString: n.objCType) == "c" && (n == NSNumber(value: true) || n == NSNumber(value: false))
}

func parseJSON(_ b: [UInt8]) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(b), options: [.fragmentsAllowed])
}

enum JSONPathStep { case key(String), index(Int), anyKey, anyIndex }

func parseJSONPath(_ s: String) -> [JSONPathStep]? {
    var chars = Substring(s.trimmingSpaces)
    guard chars.first == "$" else { return nil }
    chars.removeFirst()
    var steps: [JSONPathStep] = []
    while let c = chars.first {
        if c == "." {
            chars.removeFirst()
            if chars.first == "*" { chars.removeFirst(); steps.append(.anyKey); continue }
            if chars.first == "\"" {
                chars.removeFirst()
                guard let end = chars.firstIndex(of: "\"") else { return nil }
                steps.append(.key(String(chars[..<end])))
                chars = chars[chars.index(after: end)...]
                continue
            }
            let end = chars.firstIndex { $0 == "." || $0 == "[" } ?? chars.endIndex
            steps.append(.key(String(chars[..<end])))
            chars = chars[end...]
        } else if c == "[" {
            chars.removeFirst()
            guard let end = chars.firstIndex(of: "]") else { return nil }
            let inner = chars[..<end].trimmingCharacters(in: .whitespaces)
            if inner == "*" { steps.append(.anyIndex) } else { guard let i = Int(inner) else { return nil }; steps.append(.index(i)) }
            chars = chars[chars.index(after: end)...]
        } else {
            return nil
        }
    }
    return steps
}

func jsonLookup(_ doc: Any, _ path: [JSONPathStep]) -> Any? {
    var cur: Any = doc
    for step in path {
        switch step {
        case .key(let k):
            guard let o = cur as? [String: Any], let v = o[k] else { return nil }
            cur = v
        case .index(let i):
            if let a = cur as? [Any] { guard i >= 0 && i < a.count else { return nil }; cur = a[i] } else if i == 0 { continue } else { return nil }
        case .anyKey:
            guard let o = cur as? [String: Any] else { return nil }
            cur = o.keys.sorted().map { o[$0]! }
        case .anyIndex:
            guard let a = cur as? [Any] else { return nil }
            cur = a
        }
    }
    return cur
}

func jsonText(_ v: Any) -> String {
    switch v {
    case let s as String:
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    case is NSNull: return "null"
    case let n as NSNumber:
        if CFGetTypeIDIsBool(n) { return n.boolValue ? "true" : "false" }
        let d = n.doubleValue
        if d == d.rounded() && abs(d) < 1e15 && !"\(n)".contains(".") { return String(n.int64Value) }
        return formatDouble(d)
    case let a as [Any]: return "[" + a.map(jsonText).joined(separator: ", ") + "]"
    case let o as [String: Any]:
        let keys = o.keys.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count < $1.utf8.count : $0 < $1 }
        return "{" + keys.map { jsonText($0) + ": " + jsonText(o[$0]!) }.joined(separator: ", ") + "}"
    default: return "null"
    }
}

func jsonValueText(_ v: Value, _ t: ExprType) -> String {
    switch v {
    case .null: return "null"
    case .int, .uint, .decimal: return v.textString
    case .double(let d): return formatDouble(d)
    case .text(let b):
        if t.column?.column.type.base == .json, let doc = parseJSON(b) { return jsonText(doc) }
        return jsonText(String(decoding: b, as: UTF8.self))
    default: return jsonText(v.textString)
    }
}

func jsonContains(_ doc: Any, _ candidate: Any) -> Bool {
    if let a = doc as? [Any] {
        if let c = candidate as? [Any] { return c.allSatisfy { x in a.contains { jsonContains($0, x) } } }
        return a.contains { jsonContains($0, candidate) }
    }
    if let o = doc as? [String: Any], let c = candidate as? [String: Any] {
        return c.allSatisfy { k, v in o[k].map { jsonContains($0, v) } ?? false }
    }
    return jsonText(doc) == jsonText(candidate)
}
