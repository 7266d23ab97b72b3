// The OPT pseudo-record (RFC 6891 6.1.2, 6.1.3), as it is laid out on the wire:
//
//   NAME   0 (root)           TYPE   41
//   CLASS  UDP payload size   TTL    | EXT-RCODE (8) | VERSION (8) | DO (1) | Z (15) |
//   RDLEN  options length     RDATA  { code (2) | length (2) | data }*

/// What an OPT record says: payload size, extended RCODE bits, version, DO flag.
public struct EDNS: Sendable, Hashable {
    /// The sender's UDP payload size.
    public var payloadSize: UInt16
    /// The high 8 bits of the 12-bit RCODE.
    public var extendedRcodeBits: UInt8
    public var version: UInt8
    /// DNSSEC OK (RFC 3225).
    public var isDNSSECOK: Bool
    /// The options, as raw RDATA.
    public var options: [UInt8]

    /// An OPT description; version 0 and no options by default.
    public init(payloadSize: UInt16, extendedRcodeBits: UInt8 = 0, version: UInt8 = 0, isDNSSECOK: Bool = false,
                options: [UInt8] = []) {
        self.payloadSize = payloadSize
        self.extendedRcodeBits = extendedRcodeBits
        self.version = version
        self.isDNSSECOK = isDNSSECOK
        self.options = options
    }

    /// Reads the fields out of an OPT record.
    public init(record: DNSRecord) {
        payloadSize = record.rrClass.rawValue
        extendedRcodeBits = UInt8(record.ttl >> 24)
        version = UInt8((record.ttl >> 16) & 0xFF)
        isDNSSECOK = record.ttl & 0x8000 != 0
        if case .unknown(let bytes) = record.rdata { options = bytes } else { options = [] }
    }

    /// The OPT record carrying these fields.
    public var record: DNSRecord {
        let ttl = UInt32(extendedRcodeBits) << 24 | UInt32(version) << 16 | (isDNSSECOK ? 0x8000 : 0)
        return DNSRecord(name: .root, type: .opt, rrClass: DNSClass(rawValue: payloadSize), ttl: ttl, rdata: .unknown(options))
    }

    /// Wire bytes of an option-less OPT record: 11 bytes.
    static func wire(payloadSize: UInt16, extendedRcodeBits: UInt8, isDNSSECOK: Bool) -> [UInt8] {
        [0, 0, 41, UInt8(payloadSize >> 8), UInt8(payloadSize & 0xFF), extendedRcodeBits, 0,
         isDNSSECOK ? 0x80 : 0, 0, 0, 0]
    }

    static let wireLength = 11
}
