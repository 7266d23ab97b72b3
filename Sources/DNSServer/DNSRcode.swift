/// A response code: the 4 bits in the header, extended to 12 bits by the OPT record
/// (RFC 6891 6.1.3). Values above 15 need an OPT record to be sent.
public struct DNSRcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let noError = DNSRcode(rawValue: 0)
    public static let formatError = DNSRcode(rawValue: 1)
    public static let serverFailure = DNSRcode(rawValue: 2)
    public static let nameError = DNSRcode(rawValue: 3)
    public static let notImplemented = DNSRcode(rawValue: 4)
    public static let refused = DNSRcode(rawValue: 5)
    public static let notAuth = DNSRcode(rawValue: 9)
    public static let badVersion = DNSRcode(rawValue: 16)

    /// The low 4 bits, as carried in the header.
    public var headerBits: UInt8 { UInt8(rawValue & 0x0F) }
    /// The high 8 bits, as carried in the OPT record's TTL field.
    public var extendedBits: UInt8 { UInt8(rawValue >> 4) }

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .notAuth: "NOTAUTH"
        case .badVersion: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}
