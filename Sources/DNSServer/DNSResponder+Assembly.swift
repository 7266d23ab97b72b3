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
        let total = length + optLength
        let payload = advertisedPayload
        // One allocation, filled in place: this is the hot path.
        return [UInt8](unsafeUninitializedCapacity: total) { out, count in
            let bytes = UnsafeMutableRawBufferPointer(out)
            response.bytes.withUnsafeBytes { template in
                bytes.baseAddress!.copyMemory(from: template.baseAddress!, byteCount: length)
            }
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
            if optLength > 0 {
                // The OPT record as laid out in EDNS.swift, then ARCOUNT + 1.
                let opt = bytes.baseAddress!.advanced(by: length).assumingMemoryBound(to: UInt8.self)
                opt[0] = 0; opt[1] = 0; opt[2] = 41
                opt[3] = UInt8(payload >> 8); opt[4] = UInt8(payload & 0xFF)
                opt[5] = 0; opt[6] = 0; opt[7] = query.isDNSSECOK ? 0x80 : 0
                opt[8] = 0; opt[9] = 0; opt[10] = 0
                let arcount = (UInt16(bytes[10]) << 8 | UInt16(bytes[11])) &+ 1
                bytes[10] = UInt8(arcount >> 8)
                bytes[11] = UInt8(arcount & 0xFF)
            }
            count = total
        }
    }

    /// A reply from a template built for another question name (a zone's origin for
    /// NXDOMAIN, `*.encloser` for wildcard answers): the query's longer question goes
    /// in, the rest of the template moves by the length difference, and so does each
    /// pointer target — except, with `keepsQuestionPointers`, pointers to the whole
    /// question (offset 12). Nil when the result would not fit `limit` or the template
    /// has no pointer list; the general path then answers.
    func assembleShifted(_ template: PrecomputedResponse, _ raw: UnsafeRawBufferPointer, _ query: IncomingQuery,
                         limit: Int, keepsQuestionPointers: Bool) -> [UInt8]? {
        guard let pointerOffsets = template.pointerOffsets else { return nil }
        let questionLength = query.questionEnd - 12
        let delta = questionLength - (template.questionEnd - 12)
        let tailLength = template.bytes.count - template.questionEnd
        let optLength = query.hasEDNS ? EDNS.wireLength : 0
        guard delta >= 0, 12 + questionLength + tailLength + optLength <= limit,
              template.bytes.count + delta < 0x4000 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(12 + questionLength + tailLength + optLength)
        out += template.bytes[0..<12]
        out += raw[12..<query.questionEnd]
        out += template.bytes[template.questionEnd...]
        out[0] = raw[0]
        out[1] = raw[1]
        out[2] |= raw[2] & 0x01
        out[3] |= raw[3] & 0x10
        for offset in pointerOffsets {
            let at = offset + delta
            var target = Int(out[at] & 0x3F) << 8 | Int(out[at + 1])
            if !(keepsQuestionPointers && target == 12) { target += delta }
            out[at] = 0xC0 | UInt8(target >> 8)
            out[at + 1] = UInt8(target & 0xFF)
        }
        if query.hasEDNS { appendOPT(to: &out, rcode: .noError, query) }
        return out
    }

    /// Appends our OPT record and counts it in ARCOUNT.
    func appendOPT(to out: inout [UInt8], rcode: DNSRcode, _ query: IncomingQuery) {
        // Byte by byte: no temporary array on the hot path. Layout as in EDNS.wire.
        let payload = advertisedPayload
        out.append(0)
        out.append(0)
        out.append(41)
        out.append(UInt8(payload >> 8))
        out.append(UInt8(payload & 0xFF))
        out.append(rcode.extendedBits)
        out.append(0)
        out.append(query.isDNSSECOK ? 0x80 : 0)
        out.append(0)
        out.append(0)
        out.append(0)
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
