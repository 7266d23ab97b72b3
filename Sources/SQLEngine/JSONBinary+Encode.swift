/// Building binary documents from `JSONDocument` (the mutable tree the setters and JSON_OBJECT
/// work on) and reading them back into one.
extension JSONBinary {
    /// The binary form of a document; 3151 for a key longer than 65535 bytes, 3150 for a
    /// document past 4 GiB.
    init(_ doc: JSONDocument) throws {
        var out: [UInt8] = [0]
        out[0] = try JSONBinary.append(doc, to: &out)
        self.init(validatedBytes: out)
    }

    /// JSON text to binary; nil for text that is not JSON.
    init?(parsing text: [UInt8]) {
        guard let doc = JSONDocument(parsing: text), let bin = try? JSONBinary(doc) else { return nil }
        self = bin
    }

    /// A scalar's inlined field, when the container entry can hold it.
    private static func inlined(_ d: JSONDocument, large: Bool) -> (UInt8, UInt64)? {
        switch d {
        case .null: return (TypeCode.literal, UInt64(Literal.null))
        case .bool(let b): return (TypeCode.literal, UInt64(b ? Literal.trueValue : Literal.falseValue))
        case .int(let i):
            if let x = Int16(exactly: i) { return (TypeCode.int16, UInt64(UInt16(bitPattern: x))) }
            if large, let x = Int32(exactly: i) { return (TypeCode.int32, UInt64(UInt32(bitPattern: x))) }
            return nil
        case .uint(let u):
            if u <= UInt64(UInt16.max) { return (TypeCode.uint16, u) }
            if large && u <= UInt64(UInt32.max) { return (TypeCode.uint32, u) }
            return nil
        default: return nil
        }
    }

    /// Appends `d`'s value (not inlined) and returns its type code.
    private static func append(_ d: JSONDocument, to out: inout [UInt8]) throws -> UInt8 {
        switch d {
        case .null: out.append(Literal.null); return TypeCode.literal
        case .bool(let b): out.append(b ? Literal.trueValue : Literal.falseValue); return TypeCode.literal
        case .int(let i):
            if let x = Int16(exactly: i) { appendLE(&out, UInt64(UInt16(bitPattern: x)), 2); return TypeCode.int16 }
            if let x = Int32(exactly: i) { appendLE(&out, UInt64(UInt32(bitPattern: x)), 4); return TypeCode.int32 }
            appendLE(&out, UInt64(bitPattern: i), 8)
            return TypeCode.int64
        case .uint(let u):
            if u <= UInt64(UInt16.max) { appendLE(&out, u, 2); return TypeCode.uint16 }
            if u <= UInt64(UInt32.max) { appendLE(&out, u, 4); return TypeCode.uint32 }
            appendLE(&out, u, 8)
            return TypeCode.uint64
        case .double(let x): appendLE(&out, x.bitPattern, 8); return TypeCode.double
        case .decimal(let text):
            out.append(decimalFieldType)
            appendString(Array(text.utf8), to: &out)
            return TypeCode.opaque
        case .string(let s): appendString(Array(s.utf8), to: &out); return TypeCode.string
        case .array, .object:
            let start = out.count
            if try appendContainer(d, large: false, to: &out) { return d.isObject ? TypeCode.smallObject : TypeCode.smallArray }
            out.removeSubrange(start...)
            _ = try appendContainer(d, large: true, to: &out)
            return d.isObject ? TypeCode.largeObject : TypeCode.largeArray
        }
    }

    private static func appendString(_ b: [UInt8], to out: inout [UInt8]) {
        var n = b.count
        while n >= 0x80 { out.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        out.append(UInt8(n))
        out += b
    }

    static func appendLE(_ out: inout [UInt8], _ v: UInt64, _ width: Int) {
        for k in 0..<width { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    private static func patchLE(_ out: inout [UInt8], at: Int, _ v: UInt64, _ width: Int) {
        for k in 0..<width { out[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }

    /// Appends an object or array in the small or large form; false when the small form's
    /// 16-bit offsets cannot reach (the caller then retries with the large one).
    private static func appendContainer(_ d: JSONDocument, large: Bool, to out: inout [UInt8]) throws -> Bool {
        let width = large ? 4 : 2
        let limit = large ? UInt64(UInt32.max) : UInt64(UInt16.max)
        let keys: [[UInt8]]
        let values: [JSONDocument]
        switch d {
        case .object(let members):
            let ordered = JSONDocument.orderedKeys(members)
            keys = ordered.map { Array($0.utf8) }
            values = ordered.map { members[$0]! }
        case .array(let items):
            keys = []
            values = items
        default:
            preconditionFailure("appendContainer: a scalar")
        }
        let start = out.count
        let n = values.count
        guard UInt64(n) <= limit else { return false }
        let keyEntries = start + 2 * width
        let valueEntries = keyEntries + keys.count * (width + 2)
        out += repeatElement(0, count: valueEntries + n * (1 + width) - start)
        for (i, key) in keys.enumerated() {
            guard key.count <= Int(UInt16.max) else {
                throw SQLError(code: 3151, sqlState: "22032", message: "The JSON object contains a key name that is too long.")
            }
            let offset = UInt64(out.count - start)
            guard offset <= limit else { return false }
            patchLE(&out, at: keyEntries + i * (width + 2), offset, width)
            patchLE(&out, at: keyEntries + i * (width + 2) + width, UInt64(key.count), 2)
            out += key
        }
        for (i, value) in values.enumerated() {
            let entry = valueEntries + i * (1 + width)
            if let (type, field) = inlined(value, large: large) {
                out[entry] = type
                patchLE(&out, at: entry + 1, field, width)
                continue
            }
            let offset = UInt64(out.count - start)
            guard offset <= limit else { return false }
            patchLE(&out, at: entry + 1, offset, width)
            out[entry] = try append(value, to: &out)
        }
        let size = UInt64(out.count - start)
        guard size <= limit else {
            if large { throw SQLError(code: 3150, sqlState: "22032", message: "The JSON document exceeds the maximum size.") }
            return false
        }
        patchLE(&out, at: start, UInt64(n), width)
        patchLE(&out, at: start + width, size, width)
        return true
    }
}

extension JSONDocument {
    var isObject: Bool { if case .object = self { return true }; return false }
}

extension JSONNode {
    /// The value as a tree (for the functions that change documents).
    func decoded(depth: Int = 1) throws -> JSONDocument {
        guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        switch try kind() {
        case .null: return .null
        case .bool: return .bool(bool)
        case .int: return .int(try int())
        case .uint: return .uint(try uint())
        case .double: return .double(try double())
        case .decimal: return .decimal(String(decoding: try stringBytes(), as: UTF8.self))
        case .string, .opaque: return .string(String(decoding: try stringBytes(), as: UTF8.self))
        case .array:
            let n = try count()
            return .array(try (0..<n).map { try element($0).decoded(depth: depth + 1) })
        case .object:
            let n = try count()
            var members: [String: JSONDocument] = [:]
            members.reserveCapacity(n)
            for i in 0..<n {
                members[String(decoding: try key(i), as: UTF8.self)] = try memberValue(i, count: n).decoded(depth: depth + 1)
            }
            return .object(members)
        }
    }
}

extension JSONBinary {
    var document: JSONDocument { get throws { try root.decoded() } }
}
