/// An RR TYPE value (RFC 1035 3.2.2, IANA registry). An open set: unknown values are
/// carried as `TYPEnnn` (RFC 3597).
public struct DNSRecordType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A type from its number.
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(1)
    public static let ns = DNSRecordType(2)
    public static let cname = DNSRecordType(5)
    public static let soa = DNSRecordType(6)
    public static let ptr = DNSRecordType(12)
    public static let hinfo = DNSRecordType(13)
    public static let mx = DNSRecordType(15)
    public static let txt = DNSRecordType(16)
    public static let aaaa = DNSRecordType(28)
    public static let srv = DNSRecordType(33)
    public static let opt = DNSRecordType(41)
    public static let ds = DNSRecordType(43)
    public static let rrsig = DNSRecordType(46)
    public static let tsig = DNSRecordType(250)
    public static let ixfr = DNSRecordType(251)
    public static let axfr = DNSRecordType(252)
    public static let any = DNSRecordType(255)
    public static let caa = DNSRecordType(257)

    static let mnemonics: [String: DNSRecordType] = [
        "A": .a, "NS": .ns, "CNAME": .cname, "SOA": .soa, "PTR": .ptr, "HINFO": .hinfo, "MX": .mx,
        "TXT": .txt, "AAAA": .aaaa, "SRV": .srv, "OPT": .opt, "DS": .ds, "RRSIG": .rrsig,
        "TSIG": .tsig, "IXFR": .ixfr, "AXFR": .axfr, "ANY": .any, "CAA": .caa,
    ]

    /// Parses a mnemonic (`MX`, case-insensitive) or the RFC 3597 form `TYPE15`.
    public init?(mnemonic text: String) {
        let upper = text.uppercased()
        if let known = Self.mnemonics[upper] {
            self = known
        } else if upper.hasPrefix("TYPE"), let value = UInt16(upper.dropFirst(4)), upper.count > 4,
                  upper.dropFirst(4).allSatisfy({ $0.isASCII && $0.isNumber }) {
            self.init(value)
        } else {
            return nil
        }
    }

    public var description: String {
        Self.mnemonics.first { $0.value == self }?.key ?? "TYPE\(rawValue)"
    }

    public static func < (lhs: DNSRecordType, rhs: DNSRecordType) -> Bool { lhs.rawValue < rhs.rawValue }
}
