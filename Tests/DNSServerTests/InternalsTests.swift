@testable import DNSServer
import Testing

/// Unit tests of the pieces under the responder: query parsing, zone index, resolver
/// bookkeeping, transfer splitting, more zone-file syntax.
@Suite struct InternalsTests {
    private func parse(_ bytes: [UInt8]) throws -> IncomingQuery {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(DNSWireError) in try IncomingQuery.parse(raw) } }
        return try result.get()
    }

    @Test func incomingQueryFields() throws {
        let query = try parse(makeQuery("WWW.foobar.com.", .mx, id: 0xABCD, qclass: 255, edns: (4096, 0, true)))
        #expect(query.id == 0xABCD)
        #expect(query.nameEnd == 12 + 16)
        #expect(query.questionEnd == 12 + 20)
        #expect(query.qtype == 15 && query.qclass == 255)
        #expect(query.hasEDNS && query.ednsPayload == 4096 && query.isDNSSECOK && query.ednsVersion == 0)
        #expect(query.ixfrSerial == nil)
        let plain = try parse(makeQuery("foobar.com.", .a))
        #expect(!plain.hasEDNS)
    }

    @Test func incomingQueryIXFRSerial() throws {
        var message = DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: "foobar.com.", type: .ixfr)])
        message.authority = [DNSRecord(name: "foobar.com.", ttl: 0, rdata: .soa(DNSSOA(
            primary: "ns1.foobar.com.", mailbox: "h.foobar.com.", serial: 77, refresh: 0, retry: 0, expire: 0, minimum: 0)))]
        #expect(try parse(message.serialized()).ixfrSerial == 77)
        // The same SOA on a non-IXFR query is just walked.
        message.questions[0].type = .soa
        #expect(try parse(message.serialized()).ixfrSerial == nil)
        // A truncated SOA RDATA inside a correct RDLENGTH is FORMERR material.
        message.questions[0].type = .ixfr
        message.authority = [DNSRecord(name: "foobar.com.", type: .soa, ttl: 0, rdata: .unknown([0, 0, 0, 1]))]
        #expect(throws: DNSWireError.badRData(type: .soa, offset: 12 + 16 + 12)) { try parse(message.serialized()) }
    }

    @Test func zoneIndexFindsEmptyNonTerminalsCutsAndEnclosers() throws {
        let index = ZoneIndex(zone: try testZone())
        #expect(index.nodes["c.ent.foobar.com."]?.rrsets.isEmpty == true)
        #expect(index.nodes["ent.foobar.com."] != nil)
        #expect(index.nodes["_tcp.foobar.com."] != nil)
        #expect(index.nodes["sub.foobar.com."]?.isDelegation == true)
        #expect(index.nodes["foobar.com."]?.isDelegation == false)
        #expect(index.zoneCut(above: "x.y.sub.foobar.com.") == "sub.foobar.com.")
        #expect(index.zoneCut(above: "sub.foobar.com.") == "sub.foobar.com.")
        #expect(index.zoneCut(above: "www.foobar.com.") == nil)
        #expect(index.zoneCut(above: "foobar.com.") == nil)
        #expect(index.closestEncloser(of: "x.y.c.ent.foobar.com.") == "c.ent.foobar.com.")
        #expect(index.closestEncloser(of: "nope.foobar.com.") == "foobar.com.")
    }

    @Test func consultedTypesCoverEveryNodeOnThePath() throws {
        let resolver = Resolver(zones: [try testZone()])
        let chain = try #require(resolver.resolve("chain1.foobar.com.", DNSRecordType(65000)))
        #expect(chain.consultedTypes.isSuperset(of: [.cname, .a, .aaaa, .soa, .ns, .mx, .txt, .caa]))
        let referral = try #require(resolver.resolve("x.sub.foobar.com.", .a))
        #expect(referral.consultedTypes.contains(.ds))
        #expect(!referral.isAuthoritative)
        #expect(resolver.resolve("example.org.", .a) == nil)
        #expect(resolver.index(for: "deep.www.foobar.com.")?.zone.origin == "foobar.com.")
    }

    @Test func transferSplitsAtTheConfiguredSizeAndKeepsBigRecordsWhole() throws {
        var text = "@ 60 SOA ns h 1 1 1 1 1\n"
        for index in 0..<40 { text += "h\(index) 60 A 192.0.2.\(index + 1)\n" }
        text += "big 60 TXT " + Array(repeating: "\"\(String(repeating: "z", count: 250))\"", count: 4).joined(separator: " ") + "\n"
        let zone = try makeZone(text, origin: "split.example.")
        var options = DNSResponderOptions(transferACL: try IPAccessList(parsing: ["::1"]))
        options.maxTransferMessageSize = 100 // below the floor of 512
        let responder = DNSResponder(zones: [zone], options: options)
        guard case .stream(let messages) = responder.respond(to: makeQuery("split.example.", .axfr), transport: .tcp,
                                                              client: IPAddress("::1")) else {
            Issue.record("no stream")
            return
        }
        #expect(messages.count > 3)
        #expect(messages.filter { $0.count > 512 }.count == 1) // the 1 KB TXT alone
        let records = try messages.flatMap { try DNSMessage.parse($0).answers }
        #expect(records == zone.records + [zone.soaRecord])
    }

    @Test func moreZoneFileSyntax() throws {
        let zone = try makeZone("""
            $ORIGIN inner
            @\t1H\tIN\tSOA\tns h ( 1 2 3 4 5 ) ; tabs, uppercase unit, parens on one line\r
            @ IN 60 NS ns
            @ CLASS1 60 MX 0 .
            @ 60 TXT ""
            @ 60 CAA 0 issuewild ";"
            _x._tcp 60 SRV 0 0 0 .
            q 60 TXT "a\\"b" c\\ d
            """, origin: "z.example.")
        #expect(zone.origin == "inner.z.example.")
        #expect(zone.soaRecord.ttl == 3600)
        #expect(zone.records.contains { $0.rdata == .mx(preference: 0, exchange: .root) })
        #expect(zone.records.contains { $0.rdata == .txt([[]]) })
        #expect(zone.records.contains { $0.rdata == .caa(flags: 0, tag: Array("issuewild".utf8), value: Array(";".utf8)) })
        #expect(zone.records.contains { $0.rdata == .srv(priority: 0, weight: 0, port: 0, target: .root) })
        #expect(zone.records.contains { $0.rdata == .txt([Array("a\"b".utf8), Array("c d".utf8)]) })
        #expect(throws: ZoneFileError.self) {
            try makeZone("@ 60 SOA ns h 1 2 3 4 5\n@ 60 CAA 0 issuewild\n", origin: "z.example.")
        }
        #expect(throws: ZoneFileError(file: "z.example.zone", line: 2, reason: .invalidGenericRData("not valid TXT data"))) {
            try makeZone("@ 60 SOA ns h 1 2 3 4 5\n@ 60 TXT \\# 0\n", origin: "z.example.")
        }
    }

    @Test func nameBuilding() throws {
        let name: DNSName = "foobar.com."
        #expect(try name.prepending(label: Array("www".utf8)) == "www.foobar.com.")
        #expect(name.wildcard == "*.foobar.com.")
        #expect(DNSName.root.labelCount == 0)
        #expect(DNSName.root.labels.isEmpty)
        #expect(throws: DNSNameError.emptyLabel) { try name.prepending(label: []) }
        #expect(throws: DNSNameError.labelTooLong(64)) { try name.prepending(label: [UInt8](repeating: 97, count: 64)) }
        var long = DNSName.root
        for _ in 0..<3 { long = try long.prepending(label: [UInt8](repeating: 97, count: 63)) }
        #expect(throws: DNSNameError.nameTooLong(257)) { try long.prepending(label: [UInt8](repeating: 97, count: 63)) }
        #expect(long.wildcard != nil)
        #expect(try DNSName("a", origin: long.parent).wire.count == 131)
    }
}
