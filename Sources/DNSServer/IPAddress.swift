// An IPv4 or IPv6 address as network-order bytes.
//
// Invariant: `bytes.count` is 4 (IPv4) or 16 (IPv6). IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) stay IPv6 here; `unmappedIPv4` gives the IPv4 address they carry,
// which is what access lists compare (a dual-stack socket reports IPv4 clients so).

import Foundation

/// An IPv4 or IPv6 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Wraps 4 or 16 network-order bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        guard array.count == 4 || array.count == 16 else { return nil }
        self.bytes = array
    }

    /// Wraps bytes whose count the caller has checked to be 4 or 16.
    init(checkedBytes: [UInt8]) {
        assert(checkedBytes.count == 4 || checkedBytes.count == 16, "IPAddress needs 4 or 16 bytes")
        bytes = checkedBytes
    }

    /// Parses `192.0.2.1`, `2001:db8::1`, `::1`, `::ffff:1.2.3.4`; a `%scope` suffix
    /// on IPv6 is ignored. Leading zeros in IPv4 parts are rejected (octal ambiguity).
    public init?(_ string: String) {
        var text = Substring(string)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        if let v4 = Self.parseIPv4(text) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// Whether this is an IPv4 address (4 bytes).
    public var isIPv4: Bool { bytes.count == 4 }

    /// For ::ffff:a.b.c.d, the IPv4 address a.b.c.d; otherwise nil.
    public var unmappedIPv4: IPAddress? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else {
            return nil
        }
        return IPAddress(bytes: bytes[12..<16])
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
            guard part.count == 1 || part.first != "0" else { return nil }
            guard let value = UInt8(part) else { return nil }
            result.append(value)
        }
        return result
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.count >= 2, text.contains(":") else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        sawDoubleColon = halves.count == 2
        var extraV4: [UInt8]? = nil
        func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowV4, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    extraV4 = v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        if sawDoubleColon {
            guard let h = groups(halves[0], allowV4: false), let t = groups(halves[1], allowV4: true) else { return nil }
            head = h
            tail = t
        } else {
            guard let h = groups(halves[0], allowV4: true) else { return nil }
            head = h
        }
        let v4Groups = extraV4 == nil ? 0 : 2
        let used = head.count + tail.count + v4Groups
        if sawDoubleColon {
            guard used <= 7 else { return nil }
        } else {
            guard used == 8 else { return nil }
        }
        var all = head + Array(repeating: 0, count: 8 - used) + tail
        if let extraV4 {
            all.append(UInt16(extraV4[0]) << 8 | UInt16(extraV4[1]))
            all.append(UInt16(extraV4[2]) << 8 | UInt16(extraV4[3]))
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// `192.0.2.1` or the RFC 5952 form `2001:db8::1`.
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // Longest run of two or more zero groups becomes "::".
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength { bestStart = index; bestLength = end - index }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let left = hex[0..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}
