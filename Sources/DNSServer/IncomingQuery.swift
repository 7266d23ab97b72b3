// What the responder needs from a received query, read in one bounds-checked pass.
//
// Invariants on success: the message is well formed to its last byte (every record
// walked, names and compression pointers validated, nothing trailing); QDCOUNT is 1;
// the question name is uncompressed and spans bytes 12..<nameEnd; at most one OPT,
// in the additional section, owned by the root.
//
//   12            nameEnd          questionEnd
//   | qname ...  0 | QTYPE | QCLASS | records (walked, not kept) ... |

/// The parsed header, question and EDNS fields of a query.
struct IncomingQuery {
    var id: UInt16 = 0
    var flags: UInt16 = 0
    var nameEnd = 12
    var questionEnd = 12
    var qtype: UInt16 = 0
    var qclass: UInt16 = 0
    var hasEDNS = false
    var ednsPayload: UInt16 = 0
    var ednsVersion: UInt8 = 0
    var isDNSSECOK = false
    /// The serial in an IXFR query's authority-section SOA (RFC 1995 3).
    var ixfrSerial: UInt32? = nil

    /// Reads a query whose header (12 bytes, QR clear) the caller has checked.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(DNSWireError) -> IncomingQuery {
        var query = IncomingQuery()
        var reader = WireReader(bytes)
        query.id = try reader.readUInt16()
        query.flags = try reader.readUInt16()
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())
        guard questionCount == 1 else { throw .questionCount(questionCount) }

        // The question name may not be compressed: nothing precedes it to point at.
        var length = 1
        while true {
            let position = reader.offset
            let byte = try reader.readUInt8()
            if byte == 0 { break }
            switch byte & 0xC0 {
            case 0x00: break
            case 0xC0: throw .badPointer(offset: position)
            default: throw .badLabelType(offset: position)
            }
            length += 1 + Int(byte)
            guard length <= DNSName.maxWireLength else { throw .nameTooLong(offset: 12) }
            try reader.skip(Int(byte))
        }
        query.nameEnd = reader.offset
        query.qtype = try reader.readUInt16()
        query.qclass = try reader.readUInt16()
        query.questionEnd = reader.offset

        for section in 0..<3 {
            let count = section == 0 ? answerCount : section == 1 ? authorityCount : additionalCount
            for _ in 0..<count {
                let ownerStart = reader.offset
                try reader.skipName()
                let isRootOwner = reader.offset == ownerStart + 1
                let type = DNSRecordType(try reader.readUInt16())
                let rrClass = try reader.readUInt16()
                let ttl = try reader.readUInt32()
                let rdataLength = Int(try reader.readUInt16())
                let rdataStart = reader.offset
                try reader.skip(rdataLength)
                if type == .opt {
                    guard section == 2, isRootOwner else { throw .misplacedOPT }
                    guard !query.hasEDNS else { throw .multipleOPT }
                    query.hasEDNS = true
                    query.ednsPayload = rrClass
                    query.ednsVersion = UInt8((ttl >> 16) & 0xFF)
                    query.isDNSSECOK = ttl & 0x8000 != 0
                } else if section == 1, type == .soa, query.qtype == DNSRecordType.ixfr.rawValue {
                    var soaReader = WireReader(UnsafeRawBufferPointer(rebasing: bytes[0..<(rdataStart + rdataLength)]),
                                               offset: rdataStart)
                    do {
                        try soaReader.skipName()
                        try soaReader.skipName()
                        query.ixfrSerial = try soaReader.readUInt32()
                    } catch {
                        throw .badRData(type: .soa, offset: rdataStart)
                    }
                }
            }
        }
        guard reader.remaining == 0 else { throw .trailingBytes(count: reader.remaining) }
        return query
    }
}
