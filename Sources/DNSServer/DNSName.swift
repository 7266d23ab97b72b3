// A domain name in uncompressed wire form.
//
// Invariants (checked by every public initializer, assumed by `init(unchecked:)`):
// - `wire` is a sequence of labels, each a length byte 1...63 followed by that many
//   bytes, ending with the zero-length root label;
// - `wire.count` <= 255 (RFC 1035 2.3.4), so a name has at most 127 labels;
// - case is kept as given; equality, hashing and ordering ignore ASCII case.
//
//   offset  0        1 ... n     n+1      ...          count-1
//          +--------+-----------+--------+-----------+--------+
//          | len n  | label     | len m  | label ... |   0    |
//          +--------+-----------+--------+-----------+--------+
//
// Length bytes are <= 63, so they never fall in 'A'...'Z' (65...90): lowercasing the
// whole wire form lowercases the labels and leaves the structure alone.

/// A domain name: labels, case-insensitive comparison and hashing, canonical order
/// (RFC 4034 6.1), wire form and text form (see `DNSName+Text.swift`).
public struct DNSName: Sendable {
    /// The uncompressed wire form, case as given, ending with the root label.
    public let wire: [UInt8]

    /// Longest name in wire form (RFC 1035 2.3.4).
    public static let maxWireLength = 255
    /// Longest label (RFC 1035 2.3.4).
    public static let maxLabelLength = 63
    /// The root name ".".
    public static let root = DNSName(unchecked: [0])

    /// Wraps bytes already known to satisfy the invariants.
    init(unchecked wire: [UInt8]) {
        self.wire = wire
    }

    /// Builds a name from its labels, most specific first; the root label is implied.
    public init(labels: [[UInt8]]) throws(DNSNameError) {
        var wire: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= Self.maxLabelLength else { throw .labelTooLong(label.count) }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= Self.maxWireLength else { throw .nameTooLong(wire.count) }
        self.wire = wire
    }

    /// Validates an uncompressed wire-form name that fills `bytes` exactly.
    public init(wire bytes: some Collection<UInt8>) throws(DNSNameError) {
        let wire = Array(bytes)
        guard wire.count <= Self.maxWireLength else { throw .nameTooLong(wire.count) }
        var index = 0
        while true {
            guard index < wire.count else { throw .missingRootLabel }
            let length = Int(wire[index])
            if length == 0 { break }
            guard length <= Self.maxLabelLength else { throw .labelTooLong(length) }
            index += 1 + length
        }
        guard index == wire.count - 1 else { throw .missingRootLabel }
        self.wire = wire
    }

    /// Whether this is the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// Number of labels, not counting the root label.
    public var labelCount: Int {
        var count = 0
        var index = 0
        while wire[index] != 0 {
            count += 1
            index += 1 + Int(wire[index])
        }
        return count
    }

    /// The labels, most specific first, without the root label.
    public var labels: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            result.append(wire[(index + 1)..<(index + 1 + length)])
            index += 1 + length
        }
        return result
    }

    /// Offsets in `wire` where each label (and finally the root label) starts.
    var labelOffsets: [Int] {
        var result: [Int] = []
        var index = 0
        while true {
            result.append(index)
            if wire[index] == 0 { return result }
            index += 1 + Int(wire[index])
        }
    }

    /// The name with its first label removed; nil for the root.
    public var parent: DNSName? {
        guard !isRoot else { return nil }
        return DNSName(unchecked: Array(wire[(1 + Int(wire[0]))...]))
    }

    /// The last `count` labels of this name (`count` <= `labelCount`).
    public func suffix(labelCount count: Int) -> DNSName {
        let offsets = labelOffsets
        precondition(count >= 0 && count < offsets.count, "suffix(labelCount:) beyond the name")
        return DNSName(unchecked: Array(wire[offsets[offsets.count - 1 - count]...]))
    }

    /// Whether the first label is the single byte `*` (RFC 4592).
    public var isWildcard: Bool { wire.count >= 2 && wire[0] == 1 && wire[1] == UInt8(ascii: "*") }

    /// Whether this name equals `other` or lies below it.
    public func isSubdomain(of other: DNSName) -> Bool {
        guard wire.count >= other.wire.count else { return false }
        let start = wire.count - other.wire.count
        if start > 0 {
            // The suffix must begin on a label boundary.
            guard labelOffsets.contains(start) else { return false }
        }
        for i in 0..<other.wire.count where DNSName.lower(wire[start + i]) != DNSName.lower(other.wire[i]) {
            return false
        }
        return true
    }

    /// This name with `label` put in front.
    public func prepending(label: some Collection<UInt8>) throws(DNSNameError) -> DNSName {
        guard !label.isEmpty else { throw .emptyLabel }
        guard label.count <= Self.maxLabelLength else { throw .labelTooLong(label.count) }
        let length = wire.count + 1 + label.count
        guard length <= Self.maxWireLength else { throw .nameTooLong(length) }
        return DNSName(unchecked: [UInt8(label.count)] + Array(label) + wire)
    }

    /// The wildcard name `*.self`.
    public var wildcard: DNSName? {
        try? prepending(label: [UInt8(ascii: "*")])
    }

    /// `wire` with ASCII letters lowercased; the form used for hashing and matching.
    public var lowercasedWire: [UInt8] { wire.map(DNSName.lower) }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }
}

extension DNSName: Hashable {
    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.wire.count == rhs.wire.count else { return false }
        for i in 0..<lhs.wire.count where lower(lhs.wire[i]) != lower(rhs.wire[i]) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // One combine of a FNV-1a digest: per-byte combines dominated lookups.
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in wire { digest = (digest ^ UInt64(DNSName.lower(byte))) &* 0x100_0000_01b3 }
        hasher.combine(digest)
    }
}

extension DNSName: Comparable {
    /// Canonical DNS name order (RFC 4034 6.1): compare labels from the root down,
    /// each as a lowercased octet string; a name sorts before its descendants.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.canonicalSortKey.lexicographicallyPrecedes(rhs.canonicalSortKey)
    }

    /// A key whose lexicographic order is the canonical order: labels from the root
    /// down, each byte lowercased and shifted up by one, each label ended by 0 (so a
    /// label sorts before any longer label it is a prefix of).
    var canonicalSortKey: [UInt16] {
        var starts: [Int] = []
        var index = 0
        while wire[index] != 0 {
            starts.append(index)
            index += 1 + Int(wire[index])
        }
        var key: [UInt16] = []
        key.reserveCapacity(wire.count)
        for start in starts.reversed() {
            for offset in 1...Int(wire[start]) { key.append(UInt16(DNSName.lower(wire[start + offset])) + 1) }
            key.append(0)
        }
        return key
    }

    /// `names` in canonical order, each sort key computed once.
    static func canonicallySorted(_ names: some Sequence<DNSName>) -> [DNSName] {
        names.map { ($0.canonicalSortKey, $0) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            .map(\.1)
    }
}
