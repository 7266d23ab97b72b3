// Turning a precomputed response into the reply to one query.
//
// Order of resort when the response is larger than the size limit (RFC 2181 9,
// RFC 9471): drop the whole additional section (unless it is referral glue); else send
// header + question (+ OPT) with TC set and no records, so the client retries on TCP.

extension DNSResponder {
    /// Our OPT record's payload size: `maxUDPPayload` clamped to 512...65535.
    var advertisedPayload: UInt16 { UInt16(min(max(options.maxUDPPayload, 512), 65535)) }

    /// Copies `response`, patches in the query's ID, RD/CD flags and question, fits it
    /// within `limit` and appends our OPT if the query had one.
    func assemble(_ response: PrecomputedResponse, _ raw: UnsafeRawBufferPointer, _ query: IncomingQuery,
                  limit: Int) -> [UInt8] {
        let optLength = query.hasEDNS ? EDNS.wireLength : 0
        var length = response.bytes.count
        var isTruncated = false
        var dropsAdditional = false
        if length + optLength > limit {
            if !response.isAdditionalRequired, response.additionalOffset + optLength <= limit {
                length = response.additionalOffset
                dropsAdditional = true
            } else {
                length = response.questionEnd
                isTruncated = true
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(length + optLength)
        out.append(contentsOf: response.bytes[0..<length])
        out.withUnsafeMutableBytes { bytes in
            bytes[0] = raw[0]
            bytes[1] = raw[1]
            bytes[2] |= raw[2] & 0x01 // RD
            bytes[3] |= raw[3] & 0x10 // CD
            bytes.baseAddress!.advanced(by: 12)
                .copyMemory(from: raw.baseAddress!.advanced(by: 12), byteCount: query.questionEnd - 12)
            if isTruncated {
                bytes[2] |= 0x02
                for index in 6..<12 { bytes[index] = 0 }
            } else if dropsAdditional {
                bytes[10] = 0
                bytes[11] = 0
            }
        }
        if query.hasEDNS { appendOPT(to: &out, rcode: .noError, query) }
        return out
    }

    /// Appends our OPT record and counts it in ARCOUNT.
    func appendOPT(to out: inout [UInt8], rcode: DNSRcode, _ query: IncomingQuery) {
        out += EDNS.wire(payloadSize: advertisedPayload, extendedRcodeBits: rcode.extendedBits, isDNSSECOK: query.isDNSSECOK)
        let count = (UInt16(out[10]) << 8 | UInt16(out[11])) &+ 1
        out[10] = UInt8(count >> 8)
        out[11] = UInt8(count & 0xFF)
    }

    /// A reply with no sections, for queries we cannot or will not read (FORMERR,
    /// NOTIMP): ID, opcode and RD copied.
    func headerOnlyReply(_ raw: UnsafeRawBufferPointer, rcode: DNSRcode) -> [UInt8] {
        [raw[0], raw[1], 0x80 | (raw[2] & 0x79), rcode.headerBits, 0, 0, 0, 0, 0, 0, 0, 0]
    }

    /// A reply with the question echoed and no records (REFUSED, NOTAUTH, BADVERS),
    /// with our OPT if the query had one.
    func questionReply(_ raw: UnsafeRawBufferPointer, _ query: IncomingQuery, rcode: DNSRcode) -> [UInt8] {
        var out: [UInt8] = [raw[0], raw[1], 0x80 | (raw[2] & 0x01), (raw[3] & 0x10) | rcode.headerBits, 0, 1, 0, 0, 0, 0, 0, 0]
        out += raw[12..<query.questionEnd]
        if query.hasEDNS { appendOPT(to: &out, rcode: rcode, query) }
        return out
    }
}
