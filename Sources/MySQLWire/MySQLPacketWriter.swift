/// Builds one packet payload (little-endian fields, length-encoded integers and
/// strings). The framing header is added by `MySQLPacketEncoder`.
public struct MySQLPacketWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// A writer that appends to `output`, which is moved in (left empty) without a copy;
    /// `takeBytes()` hands the bytes back.
    public init(continuing output: inout [UInt8]) {
        bytes = []
        swap(&bytes, &output)
    }

    /// The bytes written, moved out (the writer is left empty).
    public mutating func takeBytes() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &bytes)
        return out
    }

    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }
    public mutating func writeUInt16(_ value: UInt16) { writeFixed(UInt64(value), 2) }
    public mutating func writeUInt24(_ value: UInt32) { writeFixed(UInt64(value), 3) }
    public mutating func writeUInt32(_ value: UInt32) { writeFixed(UInt64(value), 4) }
    public mutating func writeUInt64(_ value: UInt64) { writeFixed(value, 8) }

    /// The low `count` bytes of `value`, little-endian.
    public mutating func writeFixed(_ value: UInt64, _ count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    public mutating func writeLengthEncodedInteger(_ value: UInt64) {
        switch value {
        case 0..<0xFB: bytes.append(UInt8(value))
        case 0xFB...0xFFFF: bytes.append(0xFC); writeFixed(value, 2)
        case 0x1_0000...0xFF_FFFF: bytes.append(0xFD); writeFixed(value, 3)
        default: bytes.append(0xFE); writeFixed(value, 8)
        }
    }

    public mutating func writeBytes(_ value: [UInt8]) { bytes.append(contentsOf: value) }
    public mutating func writeBytes(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }
    public mutating func writeString(_ value: String) { bytes.append(contentsOf: value.utf8) }

    public mutating func writeLengthEncodedBytes(_ value: [UInt8]) {
        writeLengthEncodedInteger(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeLengthEncodedBytes(_ value: some Collection<UInt8>) {
        writeLengthEncodedInteger(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeLengthEncodedString(_ value: String) {
        writeLengthEncodedBytes(Array(value.utf8))
    }

    /// The NULL marker of a text row.
    public mutating func writeNull() { bytes.append(0xFB) }

    public mutating func writeNullTerminated(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
        bytes.append(0)
    }

    public mutating func writeNullTerminatedString(_ value: String) { writeNullTerminated(Array(value.utf8)) }
    public mutating func writeZeros(_ count: Int) {
        for _ in 0..<count { bytes.append(0) }
    }
}
