// Builds a DNS message, compressing names (RFC 1035 4.1.4).
//
// Invariants: `suffixes` lists every name suffix already written (at an offset
// < 0x4000) with its lowercased uncompressed wire form (in `suffixKeys`), in
// increasing offset order, so a pointer emitted by `writeName` always points
// backwards, to bytes already in `bytes`; `truncate(to:)` forgets suffixes at or
// beyond the cut so this stays true. Lookups scan the list comparing a hash first:
// messages hold tens of names, and this way writing a name allocates nothing.
// Matching ignores case, so a later name may take the case of an earlier one (DNS
// names are case-insensitive; this is also what lets answers share the question's case).

/// Appends big-endian fields and (compressed) names to a message being built.
struct WireWriter {
    private struct Suffix {
        var hash: UInt64
        var keyStart: Int
        var keyLength: Int
        var offset: Int
    }

    private(set) var bytes: [UInt8] = []
    /// Where each compression pointer was written, in order.
    private(set) var pointerOffsets: [Int] = []
    private var suffixKeys: [UInt8] = []
    private var suffixes: [Suffix] = []

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        suffixKeys.reserveCapacity(256)
        suffixes.reserveCapacity(16)
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

    /// FNV-1a of the lowercased bytes `wire[start...]`.
    private static func hash(_ wire: [UInt8], from start: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<wire.count {
            hash = (hash ^ UInt64(DNSName.lower(wire[index]))) &* 0x100_0000_01b3
        }
        return hash
    }

    /// The offset of an earlier suffix equal (ignoring case) to `wire[start...]`.
    private func find(_ wire: [UInt8], from start: Int, hash: UInt64) -> Int? {
        let length = wire.count - start
        for suffix in suffixes where suffix.hash == hash && suffix.keyLength == length {
            var equal = true
            for index in 0..<length where suffixKeys[suffix.keyStart + index] != DNSName.lower(wire[start + index]) {
                equal = false
                break
            }
            if equal { return suffix.offset }
        }
        return nil
    }

    /// Writes `name`, replacing its longest already-written suffix by a pointer when
    /// `compress` is set. Every suffix written in full becomes a pointer target.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let wire = name.wire
        let base = bytes.count
        var start = 0
        while wire[start] != 0 {
            let hash = Self.hash(wire, from: start)
            if compress, let target = find(wire, from: start, hash: hash) {
                bytes.append(contentsOf: wire[0..<start])
                pointerOffsets.append(bytes.count)
                writeUInt16(0xC000 | UInt16(target))
                return
            }
            if base + start < 0x4000 {
                suffixes.append(Suffix(hash: hash, keyStart: suffixKeys.count, keyLength: wire.count - start,
                                       offset: base + start))
                for index in start..<wire.count { suffixKeys.append(DNSName.lower(wire[index])) }
            }
            start += 1 + Int(wire[start])
        }
        bytes.append(contentsOf: wire)
    }

    /// Cuts the message back to `count` bytes (to undo a record that did not fit).
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
        while let last = pointerOffsets.last, last >= count { pointerOffsets.removeLast() }
        while let last = suffixes.last, last.offset >= count {
            suffixKeys.removeSubrange(last.keyStart...)
            suffixes.removeLast()
        }
    }
}
