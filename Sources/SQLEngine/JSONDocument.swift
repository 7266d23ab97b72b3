/// A JSON value as MySQL handles it: numbers keep their integer, unsigned, decimal or
/// double nature; object members are unique (the last duplicate wins) and print in MySQL's
/// order — shorter keys first, then by bytes; text is MySQL's (`{"a": 1, "b": [1, 2]}`).
indirect enum JSONDocument: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case decimal(String)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    /// MySQL's maximum nesting depth of a document.
    static let maxDepth = 100

    /// Parses JSON text (RFC 8259); nil for anything else.
    init?(parsing bytes: [UInt8]) {
        var parser = JSONParser(bytes: bytes)
        guard let value = try? parser.document() else { return nil }
        self = value
    }

    /// Object keys in MySQL's storage order.
    static func orderedKeys(_ o: [String: JSONDocument]) -> [String] {
        o.keys.sorted { a, b in
            let la = a.utf8.count, lb = b.utf8.count
            return la != lb ? la < lb : Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
    }

    var text: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// JSON_PRETTY's form: two-space indentation, one member or element per line.
    var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .decimal(let d): out += d
        case .double(let d):
            if d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) + ".0" } else { out += formatDouble(d) }
        case .string(let s): out += JSONDocument.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in JSONDocument.orderedKeys(members).enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                out += JSONDocument.quoted(key) + ": "
                members[key]!.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// JSON_TYPE's name.
    var typeName: String {
        switch self {
        case .null: "NULL"
        case .bool: "BOOLEAN"
        case .int: "INTEGER"
        case .uint: "UNSIGNED INTEGER"
        case .double: "DOUBLE"
        case .decimal: "DECIMAL"
        case .string: "STRING"
        case .array: "ARRAY"
        case .object: "OBJECT"
        }
    }

    var depth: Int {
        switch self {
        case .array(let items) where !items.isEmpty: 1 + (items.map(\.depth).max() ?? 0)
        case .object(let members) where !members.isEmpty: 1 + (members.values.map(\.depth).max() ?? 0)
        default: 1
        }
    }

    var length: Int {
        switch self {
        case .array(let items): items.count
        case .object(let members): members.count
        default: 1
        }
    }

    /// Numbers compare by value whatever their representation.
    static func == (a: JSONDocument, b: JSONDocument) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default:
            guard let x = a.numericValue, let y = b.numericValue else { return false }
            return x == y
        }
    }

    var numericValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        case .decimal(let s): Double(s)
        default: nil
        }
    }

    /// JSON_CONTAINS: an array contains each candidate element somewhere; an object contains
    /// the candidate's members; scalars are equal.
    func contains(_ candidate: JSONDocument) -> Bool {
        switch (self, candidate) {
        case (.array(let items), .array(let wanted)): return wanted.allSatisfy { w in items.contains { $0.contains(w) } }
        case (.array(let items), _): return items.contains { $0.contains(candidate) }
        case (.object(let members), .object(let wanted)):
            return wanted.allSatisfy { key, value in members[key].map { $0.contains(value) } ?? false }
        default: return self == candidate
        }
    }
}

/// A strict recursive-descent JSON parser with MySQL's depth limit.
private struct JSONParser {
    struct Failure: Error {}
    let bytes: [UInt8]
    var pos = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws -> JSONDocument {
        let value = try parseValue(depth: 1)
        skipSpace()
        guard pos == bytes.count else { throw Failure() }
        return value
    }

    mutating func skipSpace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    mutating func expect(_ word: String) throws {
        for b in word.utf8 {
            guard pos < bytes.count, bytes[pos] == b else { throw Failure() }
            pos += 1
        }
    }

    mutating func parseValue(depth: Int) throws -> JSONDocument {
        guard depth <= JSONDocument.maxDepth else { throw Failure() }
        skipSpace()
        guard pos < bytes.count else { throw Failure() }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [String: JSONDocument] = [:]
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            while true {
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw Failure() }
                let key = try parseString()
                skipSpace()
                try expect(":")
                members[key] = try parseValue(depth: depth + 1)
                skipSpace()
                guard pos < bytes.count else { throw Failure() }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                throw Failure()
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONDocument] = []
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard pos < bytes.count else { throw Failure() }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                throw Failure()
            }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try parseNumber()
        }
    }

    mutating func parseString() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            pos += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw Failure() }
                return s
            case UInt8(ascii: "\\"):
                guard pos < bytes.count else { throw Failure() }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure() }
                    out += Array(String(Character(u)).utf8)
                default: throw Failure()
                }
            default:
                guard c >= 0x20 else { throw Failure() }
                out.append(c)
            }
        }
        throw Failure()
    }

    mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16) else { throw Failure() }
        pos += 4
        return v
    }

    mutating func parseNumber() throws -> JSONDocument {
        let start = pos
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        func digits() -> Int {
            let s = pos
            while pos < bytes.count, bytes[pos] >= UInt8(ascii: "0"), bytes[pos] <= UInt8(ascii: "9") { pos += 1 }
            return pos - s
        }
        let intStart = pos
        guard digits() > 0 else { throw Failure() }
        if bytes[intStart] == UInt8(ascii: "0") && pos - intStart > 1 { throw Failure() }
        var isInteger = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            isInteger = false
            guard digits() > 0 else { throw Failure() }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            isInteger = false
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw Failure() }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isInteger {
            if let i = Int64(text) { return .int(i) }
            if let u = UInt64(text) { return .uint(u) }
        }
        guard let d = Double(text), d.isFinite else { throw Failure() }
        return .double(d)
    }
}

/// A JSON path (`$`, `.key`, `."key"`, `.*`, `[n]`, `[last]`, `[last-n]`, `[*]`, `**`).
struct JSONPath {
    enum Leg: Equatable {
        case member(String)
        case anyMember
        case index(Int, fromLast: Bool)
        case anyIndex
        case anyDepth
    }
    var legs: [Leg]

    var hasWildcard: Bool { legs.contains { [.anyMember, .anyIndex, .anyDepth].contains($0) } }

    /// Where a path is malformed: the character position MySQL reports.
    struct SyntaxError: Error { var position: Int }

    /// Parses a path.
    static func parse(_ text: String) -> Result<JSONPath, SyntaxError> {
        let chars = Array(text.unicodeScalars)
        var i = 0
        func skip() { while i < chars.count, chars[i] == " " { i += 1 } }
        skip()
        guard i < chars.count, chars[i] == "$" else { return .failure(SyntaxError(position: i)) }
        i += 1
        var legs: [Leg] = []
        while true {
            skip()
            guard i < chars.count else { break }
            if chars[i] == "." {
                i += 1
                skip()
                guard i < chars.count else { return .failure(SyntaxError(position: i)) }
                if chars[i] == "*" { i += 1; legs.append(.anyMember); continue }
                if chars[i] == "\"" {
                    i += 1
                    var key = ""
                    while i < chars.count, chars[i] != "\"" {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        key.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count else { return .failure(SyntaxError(position: i)) }
                    i += 1
                    legs.append(.member(key))
                    continue
                }
                var key = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[", chars[i] != " ", chars[i] != "*" {
                    key.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard !key.isEmpty, key.unicodeScalars.first.map({ !("0"..."9").contains($0) }) ?? false else { return .failure(SyntaxError(position: i)) }
                legs.append(.member(key))
            } else if chars[i] == "[" {
                i += 1
                skip()
                var inner = ""
                while i < chars.count, chars[i] != "]" { inner.unicodeScalars.append(chars[i]); i += 1 }
                guard i < chars.count else { return .failure(SyntaxError(position: i)) }
                i += 1
                let spec = inner.replacingOccurrences(of: " ", with: "")
                if spec == "*" { legs.append(.anyIndex); continue }
                if spec == "last" { legs.append(.index(0, fromLast: true)); continue }
                if spec.hasPrefix("last-"), let n = Int(spec.dropFirst(5)), n >= 0 { legs.append(.index(n, fromLast: true)); continue }
                guard let n = Int(spec), n >= 0 else { return .failure(SyntaxError(position: i)) }
                legs.append(.index(n, fromLast: false))
            } else if chars[i] == "*", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                legs.append(.anyDepth)
            } else {
                return .failure(SyntaxError(position: i))
            }
        }
        if legs.last == .anyDepth { return .failure(SyntaxError(position: chars.count)) }
        return .success(JSONPath(legs: legs))
    }

    /// Every value the path reaches, in document order.
    func matches(in doc: JSONDocument) -> [JSONDocument] {
        var current = [doc]
        for leg in legs {
            var next: [JSONDocument] = []
            for value in current { next += JSONPath.step(leg, value) }
            current = next
        }
        return current
    }

    private static func step(_ leg: Leg, _ value: JSONDocument) -> [JSONDocument] {
        switch (leg, value) {
        case (.member(let key), .object(let members)): return members[key].map { [$0] } ?? []
        case (.anyMember, .object(let members)): return JSONDocument.orderedKeys(members).map { members[$0]! }
        case (.index(let n, let fromLast), .array(let items)):
            let i = fromLast ? items.count - 1 - n : n
            return i >= 0 && i < items.count ? [items[i]] : []
        case (.index(let n, _), _): return n == 0 ? [value] : []   // a scalar is its own [0]
        case (.anyIndex, .array(let items)): return items
        case (.anyDepth, _):
            var all = [value]
            switch value {
            case .array(let items): for item in items { all += step(.anyDepth, item) }
            case .object(let members): for key in JSONDocument.orderedKeys(members) { all += step(.anyDepth, members[key]!) }
            default: break
            }
            return all
        default: return []
        }
    }

    enum Write { case set, insert, replace }

    /// JSON_SET/INSERT/REPLACE at this (wildcard-free) path.
    func write(_ new: JSONDocument, into doc: JSONDocument, mode: Write) -> JSONDocument {
        guard let last = legs.last else { return mode == .insert ? doc : new }
        return JSONPath.update(doc, Array(legs.dropLast())[...]) { parent in
            switch (last, parent) {
            case (.member(let key), .object(var members)):
                let exists = members[key] != nil
                if (exists && mode == .insert) || (!exists && mode == .replace) { return parent }
                members[key] = new
                return .object(members)
            case (.index(let n, let fromLast), .array(var items)):
                let i = fromLast ? items.count - 1 - n : n
                if i >= 0 && i < items.count {
                    if mode == .insert { return parent }
                    items[i] = new
                } else {
                    if mode == .replace { return parent }
                    items.append(new)
                }
                return .array(items)
            case (.index(let n, let fromLast), _):
                // a scalar or object is an array of one: [0] is itself, past it appends
                if n == 0 { return mode == .insert ? parent : new }
                if fromLast || mode == .replace { return parent }
                return .array([parent, new])
            default:
                return parent
            }
        }
    }

    /// JSON_REMOVE at this path.
    func remove(from doc: JSONDocument) -> JSONDocument {
        guard let last = legs.last else { return doc }
        return JSONPath.update(doc, Array(legs.dropLast())[...]) { parent in
            switch (last, parent) {
            case (.member(let key), .object(var members)):
                members[key] = nil
                return .object(members)
            case (.index(let n, let fromLast), .array(var items)):
                let i = fromLast ? items.count - 1 - n : n
                if i >= 0 && i < items.count { items.remove(at: i) }
                return .array(items)
            default:
                return parent
            }
        }
    }

    /// Applies `change` to the value at `legs` (when it exists) and rebuilds the document.
    static func update(_ value: JSONDocument, _ legs: ArraySlice<Leg>, _ change: (JSONDocument) -> JSONDocument) -> JSONDocument {
        guard let leg = legs.first else { return change(value) }
        let rest = legs.dropFirst()
        switch (leg, value) {
        case (.member(let key), .object(var members)):
            guard let child = members[key] else { return value }
            members[key] = update(child, rest, change)
            return .object(members)
        case (.index(let n, let fromLast), .array(var items)):
            let i = fromLast ? items.count - 1 - n : n
            guard i >= 0 && i < items.count else { return value }
            items[i] = update(items[i], rest, change)
            return .array(items)
        case (.index(0, _), _):
            return update(value, rest, change)
        default:
            return value
        }
    }
}
