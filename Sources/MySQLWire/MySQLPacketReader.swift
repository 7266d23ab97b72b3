// Bounds-checked reading of one MySQL packet payload (little-endian fields).
//
// Invariant: every read checks the remaining length first and throws
// `MySQLWireError.truncated` naming the field; nothing here can trap on input.
//
//   length-encoded integer (first byte)
//   0x00...0xFA   the value itself
//   0xFB          NULL (in text rows only; an error elsewhere)
//   0xFC + 2      16-bit value
//   0xFD + 3      24-bit value
//   0xFE + 8      64-bit value
//   0xFF          ERR packet header, never an integer

/// Reads the fields of a received payload without trusting it.
public struct MySQLPacketReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(offset, 0), bytes.count)
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    private func need(_ count: Int, _ field: String) throws(MySQLWireError) {
        guard count >= 0, count <= bytes.count - offset else { throw .truncated(field: field) }
    }

    public func peekUInt8() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    public mutating func readUInt8(_ field: String) throws(MySQLWireError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16(_ field: String) throws(MySQLWireError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readFixed(2, field))
    }

    public mutating func readUInt24(_ field: String) throws(MySQLWireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readFixed(3, field))
    }

    public mutating func readUInt32(_ field: String) throws(MySQLWireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readFixed(4, field))
    }

    public mutating func readUInt64(_ field: String) throws(MySQLWireError) -> UInt64 {
        try readFixed(8, field)
    }

    /// A little-endian integer of `count` (1...8) bytes.
    public mutating func readFixed(_ count: Int, _ field: String) throws(MySQLWireError) -> UInt64 {
        precondition((1...8).contains(count), "readFixed of \(count) bytes")
        try need(count, field)
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += count
        return value
    }

    /// A length-encoded integer; 0xFB (NULL) and 0xFF are errors here.
    public mutating func readLengthEncodedInteger(_ field: String) throws(MySQLWireError) -> UInt64 {
        guard let value = try readLengthEncodedIntegerOrNull(field) else {
            throw .malformed(field: field, reason: "NULL marker where an integer is required")
        }
        return value
    }

    /// A length-encoded integer, or nil for the NULL marker 0xFB.
    public mutating func readLengthEncodedIntegerOrNull(_ field: String) throws(MySQLWireError) -> UInt64? {
        let first = try readUInt8(field)
        switch first {
        case 0..<0xFB: return UInt64(first)
        case 0xFB: return nil
        case 0xFC: return try readFixed(2, field)
        case 0xFD: return try readFixed(3, field)
        case 0xFE: return try readFixed(8, field)
        default: throw .malformed(field: field, reason: "0xFF is not a length-encoded integer")
        }
    }

    public mutating func readBytes(_ count: Int, _ field: String) throws(MySQLWireError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    public mutating func skip(_ count: Int, _ field: String) throws(MySQLWireError) {
        try need(count, field)
        offset += count
    }

    /// A length-encoded string.
    public mutating func readLengthEncodedBytes(_ field: String) throws(MySQLWireError) -> [UInt8] {
        let length = try readLengthEncodedInteger(field)
        guard length <= UInt64(remaining) else { throw .truncated(field: field) }
        return try readBytes(Int(length), field)
    }

    /// A length-encoded string or NULL (text rows).
    public mutating func readLengthEncodedBytesOrNull(_ field: String) throws(MySQLWireError) -> [UInt8]? {
        guard let length = try readLengthEncodedIntegerOrNull(field) else { return nil }
        guard length <= UInt64(remaining) else { throw .truncated(field: field) }
        return try readBytes(Int(length), field)
    }

    public mutating func readLengthEncodedString(_ field: String) throws(MySQLWireError) -> String {
        String(decoding: try readLengthEncodedBytes(field), as: UTF8.self)
    }

    /// Bytes up to a NUL, which is consumed; a missing NUL is truncation.
    public mutating func readNullTerminatedBytes(_ field: String) throws(MySQLWireError) -> [UInt8] {
        guard offset < bytes.count, let end = bytes[offset...].firstIndex(of: 0) else { throw .truncated(field: field) }
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }

    public mutating func readNullTerminatedString(_ field: String) throws(MySQLWireError) -> String {
        String(decoding: try readNullTerminatedBytes(field), as: UTF8.self)
    }

    /// Everything left in the payload.
    public mutating func readRest() -> [UInt8] {
        defer { offset = bytes.count }
        return offset < bytes.count ? Array(bytes[offset...]) : []
    }

    public mutating func readRestString() -> String {
        String(decoding: readRest(), as: UTF8.self)
    }
}
