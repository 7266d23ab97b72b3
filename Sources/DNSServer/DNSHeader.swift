// The 12-byte message header (RFC 1035 4.1.1; AD/CD from RFC 4035).
//
//   offset  field
//   0       ID (2)
//   2       |QR|  OPCODE (4) |AA|TC|RD|   (bit 7 ... bit 0 of byte 2)
//   3       |RA| Z|AD|CD|  RCODE (4)  |   (bit 7 ... bit 0 of byte 3)
//   4       QDCOUNT (2)   6 ANCOUNT (2)   8 NSCOUNT (2)   10 ARCOUNT (2)
//
// The counts are not stored here: `DNSMessage` derives them from its sections.

/// The ID and flags of a message.
public struct DNSHeader: Sendable, Hashable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: DNSOpcode
    public var isAuthoritative: Bool
    public var isTruncated: Bool
    public var isRecursionDesired: Bool
    public var isRecursionAvailable: Bool
    public var isAuthenticData: Bool
    public var isCheckingDisabled: Bool
    /// The 4 header bits of the response code; `DNSMessage.rcode` adds the OPT bits.
    public var rcodeBits: UInt8

    /// A header with the given ID and every flag clear.
    public init(id: UInt16 = 0, isResponse: Bool = false, opcode: DNSOpcode = .query) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        isAuthoritative = false
        isTruncated = false
        isRecursionDesired = false
        isRecursionAvailable = false
        isAuthenticData = false
        isCheckingDisabled = false
        rcodeBits = 0
    }

    /// The flags as the 16 bits at offset 2.
    public var flags: UInt16 {
        get {
            var value = UInt16(opcode.rawValue) << 11 | UInt16(rcodeBits & 0x0F)
            if isResponse { value |= 0x8000 }
            if isAuthoritative { value |= 0x0400 }
            if isTruncated { value |= 0x0200 }
            if isRecursionDesired { value |= 0x0100 }
            if isRecursionAvailable { value |= 0x0080 }
            if isAuthenticData { value |= 0x0020 }
            if isCheckingDisabled { value |= 0x0010 }
            return value
        }
        set {
            isResponse = newValue & 0x8000 != 0
            opcode = DNSOpcode(rawValue: UInt8((newValue >> 11) & 0x0F))
            isAuthoritative = newValue & 0x0400 != 0
            isTruncated = newValue & 0x0200 != 0
            isRecursionDesired = newValue & 0x0100 != 0
            isRecursionAvailable = newValue & 0x0080 != 0
            isAuthenticData = newValue & 0x0020 != 0
            isCheckingDisabled = newValue & 0x0010 != 0
            rcodeBits = UInt8(newValue & 0x0F)
        }
    }
}
