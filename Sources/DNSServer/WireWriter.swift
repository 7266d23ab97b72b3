// Builds a DNS message, compressing names (RFC 1035 4.1.4).
//
// Invariants: `compression` maps the lowercased uncompressed wire form of every name
// suffix already written (at an offset < 0x4000) to that offset, so a pointer
// emitted by `writeName` always points backwards, to bytes already in `bytes`;
// `truncate(to:)` forgets suffixes at or beyond the cut so this stays true.
// Matching ignores case, so a later name may take the case of an earlier one (DNS
// names are case-insensitive; this is also what lets answers share the question's case).

/// Appends big-endian fields and (compressed) names to a message being built.
struct WireWriter {
    private(set) var bytes: [UInt8] = []
    private var compression: [[UInt8]: Int] = [:]

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(value & 0xFFFF))
    }

    mutating func writeBytes(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    mutating func patchUInt16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Writes `name`, replacing its longest already-written suffix by a pointer when
    /// `compress` is set. Every suffix written in full becomes a pointer target.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let lower = name.lowercasedWire
        let offsets = name.labelOffsets
        var pointer: Int? = nil
        var stop = offsets.count - 1 // index of the root label
        if compress {
            for (index, start) in offsets.enumerated() where index < offsets.count - 1 {
                if let target = compression[Array(lower[start...])] {
                    pointer = target
                    stop = index
                    break
                }
            }
        }
        let base = bytes.count
        for index in 0..<stop {
            let start = offsets[index]
            let here = base + start
            if here < 0x4000 {
                let key = Array(lower[start...])
                if compression[key] == nil { compression[key] = here }
            }
        }
        bytes.append(contentsOf: name.wire[0..<offsets[stop]])
        if let pointer {
            writeUInt16(0xC000 | UInt16(pointer))
        } else {
            bytes.append(0)
        }
    }

    /// Cuts the message back to `count` bytes (to undo a record that did not fit).
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
        compression = compression.filter { $0.value < count }
    }
}
