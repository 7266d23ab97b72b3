/// A JSON document in MySQL's binary form (MySQL 8.0's `json_binary.h`): how JSON columns are
/// stored and how JSON values travel through the executor. A path lookup walks offsets and
/// binary-searches sorted keys; nothing is parsed as text.
///
/// ```
/// doc      := type(1) value
/// type     := 0x00 small object | 0x01 large object | 0x02 small array | 0x03 large array
///           | 0x04 literal | 0x05 int16 | 0x06 uint16 | 0x07 int32 | 0x08 uint32
///           | 0x09 int64 | 0x0A uint64 | 0x0B double | 0x0C string | 0x0F opaque
/// object   := count size key-entry{count} value-entry{count} key* value*
/// array    := count size value-entry{count} value*
///   count, size, offsets: u16 LE in the small form, u32 LE in the large one
///   key-entry   := key-offset key-length(u16)
///   value-entry := type(1) offset-or-inlined-value
/// literal  := 0x00 null | 0x01 true | 0x02 false
/// int/uint := LE two's complement of the type's width; double := 8 bytes LE IEEE
/// string   := varint length (7 bits a byte, high bit = more) utf8mb4 bytes
/// opaque   := field type(1) varint length bytes
/// ```
///
/// Invariants (made by `JSONBinary.init(_:)`, relied on by the lookups): offsets count from
/// the container's `count` field; object keys are unique and sorted by length, then bytes
/// (MySQL's order); literals and 16-bit integers are inlined in the value entry (32-bit ones
/// too in the large form). A container uses the small form unless its size needs the large.
/// Deviation from MySQL: a DECIMAL is opaque field type 246 whose bytes are the decimal's text
/// (MySQL stores precision, scale and its packed decimal there); the format is onebox's own
/// on disk, so nothing else reads it. Stored bytes are read with bounds checks everywhere:
/// corrupt input is error 3142, never a crash.
struct JSONBinary: Sendable {
    /// A whole document: type byte, then the value.
    let bytes: [UInt8]

    init(validatedBytes: [UInt8]) { bytes = validatedBytes }

    var root: JSONNode { JSONNode(base: bytes, type: bytes.first ?? 0xFF, start: 1) }

    enum TypeCode {
        static let smallObject: UInt8 = 0x00, largeObject: UInt8 = 0x01
        static let smallArray: UInt8 = 0x02, largeArray: UInt8 = 0x03
        static let literal: UInt8 = 0x04
        static let int16: UInt8 = 0x05, uint16: UInt8 = 0x06, int32: UInt8 = 0x07, uint32: UInt8 = 0x08
        static let int64: UInt8 = 0x09, uint64: UInt8 = 0x0A, double: UInt8 = 0x0B
        static let string: UInt8 = 0x0C, opaque: UInt8 = 0x0F
    }

    enum Literal {
        static let null: UInt8 = 0x00, trueValue: UInt8 = 0x01, falseValue: UInt8 = 0x02
    }

    /// MySQL's field type of a DECIMAL held as opaque data.
    static let decimalFieldType: UInt8 = 246

    static func corrupt() -> SQLError {
        SQLError(code: 3142, sqlState: "HY000", message: "The JSON binary value contains invalid data.")
    }

    /// Bytes read from storage, checked once so that every later lookup stays in bounds:
    /// types, sizes, offsets, key order and depth. A linear walk without allocation.
    init(checking bytes: [UInt8]) throws {
        let doc = JSONBinary(validatedBytes: bytes)
        let root = doc.root
        let end = try root.check(depth: 1)
        guard end == bytes.count else { throw JSONBinary.corrupt() }
        self = doc
    }
}

extension JSONNode {
    /// Checks this value and returns where it ends (for an inlined value, where its field ends).
    fileprivate func check(depth: Int) throws -> Int {
        guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        switch type {
        case JSONBinary.TypeCode.literal:
            guard try byte(start) <= JSONBinary.Literal.falseValue else { throw JSONBinary.corrupt() }
            return start + 1
        case JSONBinary.TypeCode.int16, JSONBinary.TypeCode.uint16: _ = try unsigned(start, 2); return start + 2
        case JSONBinary.TypeCode.int32, JSONBinary.TypeCode.uint32: _ = try unsigned(start, 4); return start + 4
        case JSONBinary.TypeCode.int64, JSONBinary.TypeCode.uint64, JSONBinary.TypeCode.double: _ = try unsigned(start, 8); return start + 8
        case JSONBinary.TypeCode.string, JSONBinary.TypeCode.opaque:
            let bytes = try stringBytes()
            if type == JSONBinary.TypeCode.opaque, try opaqueFieldType() == JSONBinary.decimalFieldType, SQLDecimal(text: Array(bytes)) == nil {
                throw JSONBinary.corrupt()
            }
            return bytes.endIndex
        case JSONBinary.TypeCode.smallObject, JSONBinary.TypeCode.largeObject, JSONBinary.TypeCode.smallArray, JSONBinary.TypeCode.largeArray:
            let w = width
            let n = try count(), size = try containerSize()
            guard size <= base.count - start else { throw JSONBinary.corrupt() }
            let header = 2 * w + (isObject ? n * (w + 2) : 0) + n * (1 + w)
            guard header <= size else { throw JSONBinary.corrupt() }
            var previous: ArraySlice<UInt8>? = nil
            for i in 0..<n {
                let value: JSONNode
                if isObject {
                    let k = try key(i)
                    guard k.startIndex >= start + header, k.endIndex <= start + size else { throw JSONBinary.corrupt() }
                    if let p = previous, p.count > k.count || (p.count == k.count && compareBytes(p, k) >= 0) { throw JSONBinary.corrupt() }
                    previous = k
                    value = try memberValue(i, count: n)
                } else {
                    value = try element(i)
                }
                let valueEnd = try value.check(depth: depth + 1)
                if !JSONNode.isInlined(value.type, large: isLarge) {
                    guard value.start >= start + header, valueEnd <= start + size else { throw JSONBinary.corrupt() }
                }
            }
            return start + size
        default:
            throw JSONBinary.corrupt()
        }
    }
}

/// One value inside a binary document: its type code and where its data starts (for an
/// inlined value, where the inlined field starts). Holding the document array is a reference
/// count, not a copy.
struct JSONNode {
    let base: [UInt8]
    let type: UInt8
    let start: Int

    enum Kind: Equatable { case null, bool, int, uint, double, decimal, string, object, array, opaque }

    var isObject: Bool { type == JSONBinary.TypeCode.smallObject || type == JSONBinary.TypeCode.largeObject }
    var isArray: Bool { type == JSONBinary.TypeCode.smallArray || type == JSONBinary.TypeCode.largeArray }
    var isContainer: Bool { type <= JSONBinary.TypeCode.largeArray }
    var isLarge: Bool { type == JSONBinary.TypeCode.largeObject || type == JSONBinary.TypeCode.largeArray }
    /// Width of count, size and offset fields.
    var width: Int { isLarge ? 4 : 2 }

    func kind() throws -> Kind {
        switch type {
        case JSONBinary.TypeCode.smallObject, JSONBinary.TypeCode.largeObject: return .object
        case JSONBinary.TypeCode.smallArray, JSONBinary.TypeCode.largeArray: return .array
        case JSONBinary.TypeCode.literal:
            switch try byte(start) {
            case JSONBinary.Literal.null: return .null
            case JSONBinary.Literal.trueValue, JSONBinary.Literal.falseValue: return .bool
            default: throw JSONBinary.corrupt()
            }
        case JSONBinary.TypeCode.int16, JSONBinary.TypeCode.int32, JSONBinary.TypeCode.int64: return .int
        case JSONBinary.TypeCode.uint16, JSONBinary.TypeCode.uint32, JSONBinary.TypeCode.uint64: return .uint
        case JSONBinary.TypeCode.double: return .double
        case JSONBinary.TypeCode.string: return .string
        case JSONBinary.TypeCode.opaque: return try byte(start) == JSONBinary.decimalFieldType ? .decimal : .opaque
        default: throw JSONBinary.corrupt()
        }
    }

    // MARK: bounds-checked reads

    func byte(_ at: Int) throws -> UInt8 {
        guard at >= 0, at < base.count else { throw JSONBinary.corrupt() }
        return base[at]
    }

    func unsigned(_ at: Int, _ width: Int) throws -> UInt64 {
        guard at >= 0, width <= base.count, at <= base.count - width else { throw JSONBinary.corrupt() }
        var v: UInt64 = 0
        for k in 0..<width { v |= UInt64(base[at + k]) << (8 * UInt64(k)) }
        return v
    }

    /// A varint length at `at`: (length, bytes it took).
    func varint(_ at: Int) throws -> (Int, Int) {
        var len = 0, shift = 0, pos = at
        while true {
            let b = try byte(pos)
            pos += 1
            len |= Int(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift > 28 { throw JSONBinary.corrupt() }
        }
        return (len, pos - at)
    }

    // MARK: scalars

    var bool: Bool { (try? byte(start)) == JSONBinary.Literal.trueValue }

    func int() throws -> Int64 {
        switch type {
        case JSONBinary.TypeCode.int16: return Int64(Int16(truncatingIfNeeded: try unsigned(start, 2)))
        case JSONBinary.TypeCode.int32: return Int64(Int32(truncatingIfNeeded: try unsigned(start, 4)))
        default: return Int64(bitPattern: try unsigned(start, 8))
        }
    }

    func uint() throws -> UInt64 {
        switch type {
        case JSONBinary.TypeCode.uint16: return try unsigned(start, 2)
        case JSONBinary.TypeCode.uint32: return try unsigned(start, 4)
        default: return try unsigned(start, 8)
        }
    }

    func double() throws -> Double { Double(bitPattern: try unsigned(start, 8)) }

    /// A string's bytes, or an opaque value's (after its field type).
    func stringBytes() throws -> ArraySlice<UInt8> {
        let at = type == JSONBinary.TypeCode.opaque ? start + 1 : start
        let (len, n) = try varint(at)
        guard at + n + len <= base.count else { throw JSONBinary.corrupt() }
        return base[(at + n)..<(at + n + len)]
    }

    func opaqueFieldType() throws -> UInt8 { try byte(start) }

    func decimal() throws -> SQLDecimal {
        guard let d = SQLDecimal(text: Array(try stringBytes())) else { throw JSONBinary.corrupt() }
        return d
    }

    // MARK: containers

    /// Members of an object or elements of an array; 1 for a scalar (JSON_LENGTH's view).
    func count() throws -> Int {
        isContainer ? Int(try unsigned(start, width)) : 1
    }

    /// Bytes of a container from its count field to its end.
    func containerSize() throws -> Int { Int(try unsigned(start + width, width)) }

    /// A value entry at `entry`: inlined or at an offset from the container's start.
    private func value(atEntry entry: Int) throws -> JSONNode {
        let t = try byte(entry)
        if JSONNode.isInlined(t, large: isLarge) { return JSONNode(base: base, type: t, start: entry + 1) }
        let offset = Int(try unsigned(entry + 1, width))
        guard offset < (try containerSize()) else { throw JSONBinary.corrupt() }
        return JSONNode(base: base, type: t, start: start + offset)
    }

    static func isInlined(_ t: UInt8, large: Bool) -> Bool {
        switch t {
        case JSONBinary.TypeCode.literal, JSONBinary.TypeCode.int16, JSONBinary.TypeCode.uint16: return true
        case JSONBinary.TypeCode.int32, JSONBinary.TypeCode.uint32: return large
        default: return false
        }
    }

    /// Element `i` of an array (0 ≤ i < count).
    func element(_ i: Int) throws -> JSONNode {
        try value(atEntry: start + 2 * width + i * (1 + width))
    }

    /// Key `i` of an object, in storage order.
    func key(_ i: Int) throws -> ArraySlice<UInt8> {
        let entry = start + 2 * width + i * (width + 2)
        let offset = Int(try unsigned(entry, width)), length = Int(try unsigned(entry + width, 2))
        guard start + offset + length <= base.count else { throw JSONBinary.corrupt() }
        return base[(start + offset)..<(start + offset + length)]
    }

    /// Value `i` of an object, in storage order.
    func memberValue(_ i: Int, count: Int) throws -> JSONNode {
        try value(atEntry: start + 2 * width + count * (width + 2) + i * (1 + width))
    }

    /// The member named `name`: binary search over the sorted keys.
    func member(_ name: [UInt8]) throws -> JSONNode? {
        let n = try count()
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = try key(mid)
            let c = k.count != name.count ? (k.count < name.count ? -1 : 1) : compareBytes(k, name[...])
            if c == 0 { return try memberValue(mid, count: n) }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// This value as a document of its own (a copy of its bytes).
    func document() throws -> JSONBinary {
        var out: [UInt8] = [type]
        switch type {
        case JSONBinary.TypeCode.smallObject, JSONBinary.TypeCode.largeObject, JSONBinary.TypeCode.smallArray, JSONBinary.TypeCode.largeArray:
            let size = try containerSize()
            guard size <= base.count - start else { throw JSONBinary.corrupt() }
            if start == 1 && size == base.count - 1 { return JSONBinary(validatedBytes: base) }
            out += base[start..<(start + size)]
        case JSONBinary.TypeCode.literal: out.append(try byte(start))
        case JSONBinary.TypeCode.int16, JSONBinary.TypeCode.uint16: out += try slice(2)
        case JSONBinary.TypeCode.int32, JSONBinary.TypeCode.uint32: out += try slice(4)
        case JSONBinary.TypeCode.int64, JSONBinary.TypeCode.uint64, JSONBinary.TypeCode.double: out += try slice(8)
        case JSONBinary.TypeCode.string:
            let (len, n) = try varint(start)
            out += try slice(n + len)
        case JSONBinary.TypeCode.opaque:
            let (len, n) = try varint(start + 1)
            out += try slice(1 + n + len)
        default: throw JSONBinary.corrupt()
        }
        return JSONBinary(validatedBytes: out)
    }

    private func slice(_ n: Int) throws -> ArraySlice<UInt8> {
        guard start >= 0, n <= base.count - start else { throw JSONBinary.corrupt() }
        return base[start..<(start + n)]
    }
}

func compareBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    var i = a.startIndex, j = b.startIndex
    while i < a.endIndex && j < b.endIndex {
        if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
        i += 1
        j += 1
    }
    let la = a.count, lb = b.count
    return la < lb ? -1 : (la > lb ? 1 : 0)
}
