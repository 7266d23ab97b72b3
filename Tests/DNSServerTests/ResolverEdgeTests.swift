@testable import DNSServer
import Testing

/// Less common paths: chains across zones and into delegations, chain limits, huge
/// RRsets on TCP, odd but legal queries.
@Suite struct ResolverEdgeTests {
    static func zones() throws -> [Zone] {
        var chain = "@ 60 SOA ns h 1 1 1 1 1\n@ 60 NS ns\nns 60 A 192.0.2.1\n"
        for index in 0..<20 { chain += "c\(index) 60 CNAME c\(index + 1)\n" }
        chain += "c20 60 A 192.0.2.20\n"
        chain += "tob 60 CNAME host.b.example.\n"
        chain += "tosub 60 CNAME www.sub.a.example.\n"
        chain += "sub 60 NS ns.sub\nns.sub 60 A 192.0.2.53\n"
        chain += "x 60 RRSIG \\# 1 00\nx 60 CNAME tob\n"
        for index in 0..<300 { chain += "huge 60 TXT \"\(index) \(String(repeating: "x", count: 240))\"\n" }
        let a = try makeZone(chain, origin: "a.example.")
        let b = try makeZone("@ 60 SOA ns h 1 1 1 1 1\nhost 60 A 192.0.2.2\n", origin: "b.example.")
        return [a, b]
    }

    let responder: DNSResponder

    init() throws {
        responder = DNSResponder(zones: try Self.zones())
    }

    @Test func chainCrossesZones() throws {
        let reply = try ask(responder, makeQuery("tob.a.example.", .a))
        #expect(reply.answerData == [.cname("host.b.example."), .a(IPAddress("192.0.2.2")!)])
        #expect(reply.header.isAuthoritative)
        let viaRRSIGName = try ask(responder, makeQuery("x.a.example.", .a))
        #expect(viaRRSIGName.answers.count == 3)
    }

    @Test func chainIntoADelegationEndsWithAReferral() throws {
        let reply = try ask(responder, makeQuery("tosub.a.example.", .a))
        #expect(reply.header.isAuthoritative)
        #expect(reply.rcode == .noError)
        #expect(reply.answerData == [.cname("www.sub.a.example.")])
        #expect(reply.authority.map(\.rdata) == [.ns("ns.sub.a.example.")])
        #expect(reply.additional.map(\.rdata) == [.a(IPAddress("192.0.2.53")!)])
    }

    @Test func longChainsStopAtTheLimit() throws {
        let reply = try ask(responder, makeQuery("c0.a.example.", .a), transport: .tcp)
        #expect(reply.answers.count == Resolver.maxCNAMEChain + 1)
        #expect(reply.answers.allSatisfy { $0.type == .cname })
        let short = try ask(responder, makeQuery("c10.a.example.", .a), transport: .tcp)
        #expect(short.answers.last?.rdata == .a(IPAddress("192.0.2.20")!))
    }

    @Test func answersBeyondTCPLimitAreTruncated() throws {
        let reply = try ask(responder, makeQuery("huge.a.example.", .txt), transport: .tcp)
        #expect(reply.header.isTruncated)
        #expect(reply.answers.isEmpty)
    }

    @Test func ednsPayloadBelow512CountsAs512() throws {
        let reply = try ask(responder, makeQuery("b.example.", .soa, edns: (0, 0, false)))
        #expect(!reply.header.isTruncated)
        #expect(reply.answers.count == 1)
    }

    @Test func recordsInQuerySectionsAreTolerated() throws {
        var message = try DNSMessage.parse(makeQuery("host.b.example.", .a))
        message.answers = [DNSRecord(name: "host.b.example.", ttl: 1, rdata: .a(IPAddress("192.0.2.9")!))]
        message.additional = [DNSRecord(name: "key.", type: .tsig, rrClass: .any, ttl: 0, rdata: .unknown([0, 1, 2])),
                              EDNS(payloadSize: 1232).record]
        let reply = try ask(responder, message.serialized())
        #expect(reply.answerData == [.a(IPAddress("192.0.2.2")!)])
        #expect(reply.edns != nil)
    }

    @Test func recordTypeMnemonics() {
        #expect(DNSRecordType(mnemonic: "aaaa") == .aaaa)
        #expect(DNSRecordType(mnemonic: "TYPE65000") == DNSRecordType(65000))
        #expect(DNSRecordType(mnemonic: "type1") == .a)
        for bad in ["TYPE", "TYPEx", "TYPE70000", "TYPE-1", "AAA", ""] {
            #expect(DNSRecordType(mnemonic: bad) == nil, "\(bad)")
        }
        #expect(DNSRecordType.caa.description == "CAA")
        #expect(DNSRecordType(65000).description == "TYPE65000")
        #expect(DNSRcode.badVersion.description == "BADVERS")
        #expect(DNSRcode(rawValue: 23).description == "RCODE23")
    }

    @Test func writerTruncationForgetsLaterSuffixes() throws {
        var writer = WireWriter()
        writer.writeBytes([UInt8](repeating: 0, count: 12))
        writer.writeName("a.example.", compress: true)
        let mark = writer.count
        writer.writeName("b.other.", compress: true)
        writer.truncate(to: mark)
        writer.writeName("c.other.", compress: true)
        // "other." must be written again, not pointed at the removed bytes.
        #expect(writer.bytes.count == mark + 9)
        writer.writeName("d.example.", compress: true)
        #expect(Array(writer.bytes.suffix(2)) == [0xC0, 14])
    }

    @Test func namesBeyondPointerRangeAreNotTargets() throws {
        var writer = WireWriter(capacity: 0x5000)
        writer.writeBytes([UInt8](repeating: 0, count: 0x4000))
        writer.writeName("far.example.", compress: true)
        writer.writeName("far.example.", compress: true)
        #expect(writer.count == 0x4000 + 26)
    }
}
