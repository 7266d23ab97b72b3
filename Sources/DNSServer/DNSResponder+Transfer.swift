// Outgoing zone transfers: AXFR (RFC 5936) and IXFR answered AXFR-style (RFC 1995 4).
//
// Stream layout: SOA, every other record in canonical order, SOA again, split into
// messages of at most `maxTransferMessageSize` bytes. Every message carries the
// question (allowed by RFC 5936 2.2.1; names compress against it) and AA; each is
// compressed on its own. An IXFR whose SOA serial is not older than ours gets one
// message holding just our SOA (RFC 1995 2).
//
// Policy: only over TCP and only to clients in `transferACL`, else REFUSED (UDP
// transfers are refused outright rather than truncated: no client needs them);
// a name that is not the apex of a served zone gets NOTAUTH.

extension DNSResponder {
    func transfer(_ raw: UnsafeRawBufferPointer, _ query: IncomingQuery, transport: DNSTransport,
                  client: IPAddress?) -> DNSReply {
        guard transport == .tcp, let client, options.transferACL.contains(client) else {
            return .message(questionReply(raw, query, rcode: .refused))
        }
        let name = DNSName(unchecked: Array(raw[12..<query.nameEnd]))
        guard let zone = resolver.indexes[name]?.zone else {
            return .message(questionReply(raw, query, rcode: .notAuth))
        }
        var records = zone.records + [zone.soaRecord]
        if query.qtype == DNSRecordType.ixfr.rawValue, let serial = query.ixfrSerial,
           !Self.isSerial(zone.serial, newerThan: serial) {
            records = [zone.soaRecord]
        }
        return .stream(transferMessages(records, raw, query, name: name))
    }

    /// Serial number order (RFC 1982 3.2).
    static func isSerial(_ a: UInt32, newerThan b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }

    private func transferMessages(_ records: [DNSRecord], _ raw: UnsafeRawBufferPointer, _ query: IncomingQuery,
                                  name: DNSName) -> [[UInt8]] {
        let optLength = query.hasEDNS ? EDNS.wireLength : 0
        let limit = max(options.maxTransferMessageSize, 512) - optLength
        var messages: [[UInt8]] = []
        var next = 0
        while next < records.count {
            var writer = WireWriter(capacity: limit + optLength)
            writer.writeUInt16(query.id)
            writer.writeUInt16(0x8400 | (query.flags & 0x0110))
            writer.writeUInt16(1)
            writer.writeUInt16(0)
            writer.writeUInt32(0)
            writer.writeName(name, compress: true)
            writer.writeUInt16(query.qtype)
            writer.writeUInt16(query.qclass)
            var count = 0
            while next < records.count {
                let mark = writer.count
                records[next].write(into: &writer)
                if writer.count > limit, count > 0 {
                    writer.truncate(to: mark)
                    break
                }
                count += 1
                next += 1
            }
            writer.patchUInt16(UInt16(count), at: 6)
            var message = writer.bytes
            if query.hasEDNS { appendOPT(to: &message, rcode: .noError, query) }
            messages.append(message)
        }
        return messages
    }
}
