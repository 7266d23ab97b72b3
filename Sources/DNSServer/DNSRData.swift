/// The RDATA of a resource record. Types onebox knows are parsed into fields; any
/// other type is kept as opaque bytes (RFC 3597), which also covers OPT.
public enum DNSRData: Sendable, Hashable {
    /// IPv4 address (4 bytes).
    case a(IPAddress)
    /// IPv6 address (16 bytes).
    case aaaa(IPAddress)
    case ns(DNSName)
    case cname(DNSName)
    case ptr(DNSName)
    case mx(preference: UInt16, exchange: DNSName)
    /// One or more character strings of at most 255 bytes each.
    case txt([[UInt8]])
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    /// RFC 8659: flags, a tag (`issue`, `issuewild`, `iodef`) and its value.
    case caa(flags: UInt8, tag: [UInt8], value: [UInt8])
    case soa(DNSSOA)
    /// Any other type, as the bytes of its RDATA.
    case unknown([UInt8])

    /// The type these fields belong to; nil for `.unknown`, whose type the record holds.
    public var knownType: DNSRecordType? {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .ptr: .ptr
        case .mx: .mx
        case .txt: .txt
        case .srv: .srv
        case .caa: .caa
        case .soa: .soa
        case .unknown: nil
        }
    }

    /// The domain name this RDATA points at, for additional-section processing and
    /// CNAME chasing.
    public var target: DNSName? {
        switch self {
        case .ns(let name), .cname(let name), .ptr(let name): name
        case .mx(_, let name): name
        case .srv(_, _, _, let name): name
        default: nil
        }
    }
}
