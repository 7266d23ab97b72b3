// Bounds-checked reading of a DNS message (RFC 1035 4.1.4 for names).
//
// Invariants: every read checks `offset + n <= bytes.count` first and throws
// `.truncated` otherwise (the buffer's own subscript checks only in debug builds);
// a compression pointer must point strictly before the start of the name segment it
// ends, so each jump lowers the position and decompression always terminates.
//
//   label byte   meaning
//   00xxxxxx     label of length 0...63 follows (0 = root, end of name)
//   11xxxxxx +1  pointer: 14-bit offset from the message start
//   01xxxxxx     reserved (was extended label type)  -> error
//   10xxxxxx     reserved                            -> error

/// Reads big-endian integers and names from a received message without trusting it.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func need(_ count: Int) throws(DNSWireError) {
        guard count <= bytes.count - offset else { throw .truncated(offset: offset) }
    }

    mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        try need(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int) throws(DNSWireError) {
        try need(count)
        offset += count
    }

    /// Reads a possibly compressed name and returns it decompressed.
    mutating func readName() throws(DNSWireError) -> DNSName {
        var wire: [UInt8] = []
        offset = try walkName(from: offset) { label in wire.append(contentsOf: label) }
        wire.append(0)
        return DNSName(unchecked: wire)
    }

    /// Validates a possibly compressed name and moves past it without building it.
    mutating func skipName() throws(DNSWireError) {
        offset = try walkName(from: offset) { _ in }
    }

    /// Walks the name at `start`, handing each label (with its length byte) to `visit`;
    /// returns the offset just after the name's bytes at `start`.
    func walkName(from start: Int, visit: (UnsafeRawBufferPointer) -> Void) throws(DNSWireError) -> Int {
        var position = start
        var segmentStart = start
        var end: Int? = nil
        var length = 1 // the root label
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let byte = bytes[position]
            switch byte & 0xC0 {
            case 0x00:
                if byte == 0 {
                    return end ?? position + 1
                }
                let labelEnd = position + 1 + Int(byte)
                guard labelEnd <= bytes.count else { throw .truncated(offset: position) }
                length += 1 + Int(byte)
                guard length <= DNSName.maxWireLength else { throw .nameTooLong(offset: start) }
                visit(UnsafeRawBufferPointer(rebasing: bytes[position..<labelEnd]))
                position = labelEnd
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < segmentStart, target >= 12 else { throw .badPointer(offset: position) }
                if end == nil { end = position + 2 }
                segmentStart = target
                position = target
            default:
                throw .badLabelType(offset: position)
            }
        }
    }
}
