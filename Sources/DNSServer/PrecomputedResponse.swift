// A response built ahead of the query, to be copied and patched.
//
//   offset               contents
//   0                    ID = 0           (patched: query ID)
//   2                    QR AA RCODE      (patched: RD, CD from the query; TC if cut)
//   4                    QDCOUNT=1 ANCOUNT NSCOUNT ARCOUNT
//   12                   question name    (patched: the query's bytes, same length)
//   questionEnd-4        QTYPE QCLASS     (patched: the query's)
//   questionEnd          answer, authority records
//   additionalOffset     additional records (dropped first when the answer is too big)
//
// Templates that serve other question names keep `pointerOffsets`:
// - a name-error template is built with the zone's origin as the question and serves
//   every nonexistent name below it: the longer question shifts every later byte, and
//   every pointer target, by the same amount;
// - a wildcard template is built with `*.encloser` as the question and serves every
//   name it synthesizes: pointers to 12 (the whole question, i.e. the rewritten owner)
//   stay, all others move by the length difference. Kept only when no RDATA names the
//   wildcard itself, which would also point at 12.
//
// Invariants: names after the question are compressed against it (pointers to 12 and
// its suffixes), so copying in the query's name bytes makes every such name take the
// query's case; every pointer points backwards, so cutting the message at
// `additionalOffset` or `questionEnd` leaves no dangling pointer.

/// A response template for one (name, type), or for all absent types of a name.
struct PrecomputedResponse: Sendable {
    let bytes: [UInt8]
    let questionEnd: Int
    let additionalOffset: Int
    let isAdditionalRequired: Bool
    /// Offsets of the compression pointers, when asked for (templates that serve other
    /// question names: name errors, wildcard synthesis); nil otherwise.
    let pointerOffsets: [Int]?

    /// Serializes `resolution` as the answer to (`name`, `qtype`, `qclass`).
    init(_ resolution: Resolution, name: DNSName, qtype: UInt16, qclass: UInt16, keepsPointers: Bool = false) {
        var writer = WireWriter(capacity: 512)
        writer.writeUInt16(0)
        var flags: UInt16 = 0x8000 | UInt16(resolution.rcode.headerBits)
        if resolution.isAuthoritative { flags |= 0x0400 }
        writer.writeUInt16(flags)
        writer.writeUInt16(1)
        writer.writeUInt16(UInt16(truncatingIfNeeded: resolution.answer.count))
        writer.writeUInt16(UInt16(truncatingIfNeeded: resolution.authority.count))
        writer.writeUInt16(UInt16(truncatingIfNeeded: resolution.additional.count))
        writer.writeName(name, compress: true)
        writer.writeUInt16(qtype)
        writer.writeUInt16(qclass)
        questionEnd = writer.count
        for record in resolution.answer + resolution.authority { record.write(into: &writer) }
        additionalOffset = writer.count
        for record in resolution.additional { record.write(into: &writer) }
        bytes = writer.bytes
        pointerOffsets = keepsPointers ? writer.pointerOffsets : nil
        isAdditionalRequired = resolution.isAdditionalRequired && !resolution.additional.isEmpty
    }
}
