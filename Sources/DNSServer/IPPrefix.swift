/// An address prefix in CIDR form (`10.0.0.0/8`, `2001:db8::/32`); a bare address is
/// a prefix of full length.
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible {
    /// The network address, with host bits cleared.
    public let address: IPAddress
    /// Number of leading bits that must match, 0...32 or 0...128.
    public let length: Int

    /// Parses `ADDRESS` or `ADDRESS/LENGTH`; nil when either part is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 &- 48 < 10 }), parts[1].count <= 3,
                  let value = Int(parts[1]), value <= maxLength else { return nil }
            length = value
        }
        self.length = length
        self.address = IPAddress(checkedBytes: Self.masked(address.bytes, length: length))
    }

    static func masked(_ bytes: [UInt8], length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(length - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(0xFF >> UInt8(bits))
        }
    }

    /// Whether `candidate` (of the same family) lies inside this prefix.
    public func contains(_ candidate: IPAddress) -> Bool {
        guard candidate.bytes.count == address.bytes.count else { return false }
        return Self.masked(candidate.bytes, length: length) == address.bytes
    }

    public var description: String { "\(address)/\(length)" }
}
