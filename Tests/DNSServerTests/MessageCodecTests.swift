@testable import DNSServer
import Testing

@Suite struct MessageCodecTests {
    static let owner: DNSName = "host.foobar.com."

    static let everyType: [DNSRecord] = [
        DNSRecord(name: owner, ttl: 300, rdata: .a(IPAddress("192.0.2.1")!)),
        DNSRecord(name: owner, ttl: 300, rdata: .aaaa(IPAddress("2001:db8::1")!)),
        DNSRecord(name: owner, ttl: 300, rdata: .ns("ns1.foobar.com.")),
        DNSRecord(name: "alias.foobar.com.", ttl: 300, rdata: .cname("host.foobar.com.")),
        DNSRecord(name: "1.2.0.192.in-addr.arpa.", ttl: 300, rdata: .ptr(owner)),
        DNSRecord(name: owner, ttl: 300, rdata: .mx(preference: 10, exchange: "mail.foobar.com.")),
        DNSRecord(name: owner, ttl: 300, rdata: .txt([Array("v=spf1 mx -all".utf8), [], Array(repeating: 0xFF, count: 255)])),
        DNSRecord(name: owner, ttl: 300, rdata: .srv(priority: 1, weight: 2, port: 443, target: "host.foobar.com.")),
        DNSRecord(name: owner, ttl: 300, rdata: .caa(flags: 128, tag: Array("issue".utf8), value: Array("letsencrypt.org".utf8))),
        DNSRecord(name: "foobar.com.", ttl: 3600, rdata: .soa(DNSSOA(
            primary: "ns1.foobar.com.", mailbox: "hostmaster.foobar.com.", serial: 2026112601,
            refresh: 7200, retry: 900, expire: 1209600, minimum: 300))),
        DNSRecord(name: owner, type: DNSRecordType(65000), ttl: 1, rdata: .unknown([1, 2, 3])),
        DNSRecord(name: owner, type: DNSRecordType(99), ttl: 1, rdata: .unknown([])),
    ]

    @Test(arguments: everyType)
    func roundTrip(record: DNSRecord) throws {
        var header = DNSHeader(id: 7, isResponse: true)
        header.isAuthoritative = true
        let message = DNSMessage(header: header, questions: [DNSQuestion(name: record.name, type: record.type)],
                                 answers: [record], authority: [record], additional: [record])
        let bytes = message.serialized()
        let parsed = try DNSMessage.parse(bytes)
        #expect(parsed == message)
        #expect(parsed.serialized() == bytes)
        try expectBackwardPointersOnly(bytes)
    }

    @Test func headerFlagsRoundTrip() throws {
        for flags: UInt16 in [0, 0x8000, 0x7800, 0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010, 0x000F, 0xFFBF] {
            var header = DNSHeader()
            header.flags = flags
            #expect(header.flags == flags & ~0x0040) // Z bit is not kept
        }
    }

    @Test func compressesRepeatedSuffixes() throws {
        let message = DNSMessage(header: DNSHeader(id: 1, isResponse: true),
                                 questions: [DNSQuestion(name: "www.foobar.com.", type: .a)],
                                 answers: [DNSRecord(name: "WWW.FOOBAR.COM.", ttl: 1, rdata: .cname("foobar.com.")),
                                           DNSRecord(name: "foobar.com.", ttl: 1, rdata: .a(IPAddress("127.0.0.1")!))])
        let bytes = message.serialized()
        // question 16+4; CNAME: pointer(2) + 10 + rdata pointer(2); A: pointer(2) + 10 + 4.
        #expect(bytes.count == 12 + 20 + 14 + 16)
        #expect(Array(bytes[32..<34]) == [0xC0, 12])           // owner -> question name
        #expect(Array(bytes[44..<46]) == [0xC0, 16])           // CNAME target -> "foobar.com" in it
        let parsed = try DNSMessage.parse(bytes)
        #expect(parsed.answers[1].name == "foobar.com.")
        try expectBackwardPointersOnly(bytes)
    }

    @Test func srvTargetIsNotCompressed() throws {
        let message = DNSMessage(header: DNSHeader(id: 1, isResponse: true),
                                 questions: [DNSQuestion(name: "_sip._tcp.foobar.com.", type: .srv)],
                                 answers: [DNSRecord(name: "_sip._tcp.foobar.com.", ttl: 1,
                                                     rdata: .srv(priority: 1, weight: 1, port: 1, target: "foobar.com."))])
        let bytes = message.serialized()
        #expect(bytes.suffix(12) == [6, 102, 111, 111, 98, 97, 114, 3, 99, 111, 109, 0])
    }

    @Test func ednsFields() throws {
        let edns = EDNS(payloadSize: 1232, extendedRcodeBits: 1, version: 0, isDNSSECOK: true)
        #expect(EDNS(record: edns.record) == edns)
        let message = DNSMessage(header: DNSHeader(id: 1, isResponse: true), additional: [edns.record])
        let parsed = try DNSMessage.parse(message.serialized())
        #expect(parsed.edns == edns)
        #expect(parsed.rcode == .badVersion)
        #expect(message.serialized().suffix(11) == EDNS.wire(payloadSize: 1232, extendedRcodeBits: 1, isDNSSECOK: true)[...])
    }

    @Test func rejectsMalformedRData() throws {
        // An A record with RDLENGTH 3.
        var bytes = DNSMessage(header: DNSHeader(id: 1), answers: [DNSRecord(name: .root, type: .a, ttl: 0, rdata: .unknown([1, 2, 3]))]).serialized()
        #expect(throws: DNSWireError.badRData(type: .a, offset: 23)) { try DNSMessage.parse(bytes) }
        // An MX whose name runs past RDLENGTH.
        bytes = DNSMessage(header: DNSHeader(id: 1), answers: [DNSRecord(name: .root, type: .mx, ttl: 0, rdata: .unknown([0, 1, 3, 97]))]).serialized()
        #expect(throws: DNSWireError.badRData(type: .mx, offset: 23)) { try DNSMessage.parse(bytes) }
        // TXT with a string length past the end, and empty TXT.
        bytes = DNSMessage(header: DNSHeader(id: 1), answers: [DNSRecord(name: .root, type: .txt, ttl: 0, rdata: .unknown([5, 97]))]).serialized()
        #expect(throws: DNSWireError.badRData(type: .txt, offset: 23)) { try DNSMessage.parse(bytes) }
        bytes = DNSMessage(header: DNSHeader(id: 1), answers: [DNSRecord(name: .root, type: .txt, ttl: 0, rdata: .unknown([]))]).serialized()
        #expect(throws: DNSWireError.badRData(type: .txt, offset: 23)) { try DNSMessage.parse(bytes) }
        // CAA with an empty tag.
        bytes = DNSMessage(header: DNSHeader(id: 1), answers: [DNSRecord(name: .root, type: .caa, ttl: 0, rdata: .unknown([0, 0]))]).serialized()
        #expect(throws: DNSWireError.badRData(type: .caa, offset: 23)) { try DNSMessage.parse(bytes) }
    }

    @Test func rejectsTrailingBytesAndOPTMisuse() throws {
        let query = makeQuery("foobar.com.", .a)
        #expect(throws: DNSWireError.trailingBytes(count: 1)) { try DNSMessage.parse(query + [0]) }
        let opt = EDNS(payloadSize: 512).record
        var message = DNSMessage(header: DNSHeader(id: 1), additional: [opt, opt])
        #expect(throws: DNSWireError.multipleOPT) { try DNSMessage.parse(message.serialized()) }
        message = DNSMessage(header: DNSHeader(id: 1), answers: [opt])
        #expect(throws: DNSWireError.misplacedOPT) { try DNSMessage.parse(message.serialized()) }
        var owned = opt
        owned.name = "foobar.com."
        message = DNSMessage(header: DNSHeader(id: 1), additional: [owned])
        #expect(throws: DNSWireError.misplacedOPT) { try DNSMessage.parse(message.serialized()) }
    }

    @Test func makesNotify() throws {
        let zone = try testZone()
        let notify = DNSMessage.makeNotify(zone: zone, id: 99)
        let parsed = try DNSMessage.parse(notify.serialized())
        #expect(parsed.header.opcode == .notify)
        #expect(parsed.header.isAuthoritative)
        #expect(!parsed.header.isResponse)
        #expect(parsed.header.id == 99)
        #expect(parsed.questions == [DNSQuestion(name: "foobar.com.", type: .soa)])
        #expect(parsed.answers == [zone.soaRecord])
    }
}

/// Walks every name in `bytes` (a message), independently of the library's reader, and
/// checks that each compression pointer points before the pointer itself, to the start
/// of a label that was already written.
func expectBackwardPointersOnly(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
    var labelStarts: Set<Int> = []
    var offset = 12
    func walkName() {
        var position = offset
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 0xC0 {
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                #expect(target < position, "forward pointer at \(position)", sourceLocation: sourceLocation)
                #expect(labelStarts.contains(target), "pointer into the middle of a label at \(position)", sourceLocation: sourceLocation)
                offset = position + 2
                return
            }
            labelStarts.insert(position)
            if byte == 0 { offset = position + 1; return }
            position += 1 + Int(byte)
        }
        offset = position
    }
    func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    let questions = u16(4)
    let records = u16(6) + u16(8) + u16(10)
    for _ in 0..<questions { walkName(); offset += 4 }
    for _ in 0..<records {
        walkName()
        let type = u16(offset)
        let length = u16(offset + 8)
        offset += 10
        let end = offset + length
        switch DNSRecordType(UInt16(type)) {
        case .ns, .cname, .ptr: walkName()
        case .mx: offset += 2; walkName()
        case .srv: offset += 6; walkName()
        case .soa: walkName(); walkName()
        default: break
        }
        offset = end
    }
    #expect(offset == bytes.count, sourceLocation: sourceLocation)
}
