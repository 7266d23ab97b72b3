@testable import DNSServer
import Testing

/// AXFR/IXFR: TCP only, ACL, NOTAUTH, stream layout and splitting.
@Suite struct TransferTests {
    static let local = IPAddress("127.0.0.1")!
    static func options() throws -> DNSResponderOptions {
        DNSResponderOptions(transferACL: try IPAccessList(parsing: ["127.0.0.0/8", "::1", "2001:db8::/32"]))
    }

    private func stream(_ responder: DNSResponder, _ query: [UInt8], client: IPAddress? = local) throws -> [DNSMessage] {
        let reply = responder.respond(to: query, transport: .tcp, client: client)
        guard case .stream(let messages) = reply else {
            Issue.record("expected a stream, got \(reply)")
            return []
        }
        return try messages.map { try DNSMessage.parse($0) }
    }

    @Test func refusedOverUDPAndOutsideTheACL() throws {
        let responder = DNSResponder(zones: [try testZone()], options: try Self.options())
        for type in [DNSRecordType.axfr, .ixfr] {
            let query = makeQuery("foobar.com.", type)
            #expect(try ask(responder, query, transport: .udp, client: Self.local).rcode == .refused)
            #expect(try ask(responder, query, transport: .tcp, client: nil).rcode == .refused)
            #expect(try ask(responder, query, transport: .tcp, client: IPAddress("10.0.0.1")).rcode == .refused)
            #expect(try ask(responder, query, transport: .tcp, client: IPAddress("::2")).rcode == .refused)
        }
        let closed = DNSResponder(zones: [try testZone()])
        #expect(try ask(closed, makeQuery("foobar.com.", .axfr), transport: .tcp, client: Self.local).rcode == .refused)
    }

    @Test func notAuthForNamesThatAreNotAZone() throws {
        let responder = DNSResponder(zones: [try testZone()], options: try Self.options())
        for name in ["www.foobar.com.", "example.org."] {
            #expect(try ask(responder, makeQuery(name, .axfr), transport: .tcp, client: Self.local).rcode == .notAuth)
        }
    }

    @Test func axfrIsSOARecordsSOA() throws {
        let zone = try testZone()
        let responder = DNSResponder(zones: [zone], options: try Self.options())
        for client in [Self.local, IPAddress("::ffff:127.0.0.9")!, IPAddress("2001:db8::53")!] {
            let messages = try stream(responder, makeQuery("FOOBAR.com.", .axfr, id: 77), client: client)
            #expect(!messages.isEmpty)
            let records = messages.flatMap(\.answers)
            #expect(records == zone.records + [zone.soaRecord])
            for message in messages {
                #expect(message.header.id == 77)
                #expect(message.header.isAuthoritative && message.header.isResponse)
                #expect(message.questions.map(\.name.description) == ["FOOBAR.com."])
            }
        }
    }

    @Test func largeZoneIsSplitIntoCompressedMessages() throws {
        var text = "@ 60 SOA ns h 7 1 1 1 1\n@ 60 NS ns\nns 60 A 192.0.2.1\n"
        for index in 0..<3000 { text += "host\(index) 60 A 10.\(index / 256).\(index % 256).1\nhost\(index) 60 TXT \"record \(index)\"\n" }
        let zone = try makeZone(text, origin: "large.example.")
        let responder = DNSResponder(zones: [zone], options: try Self.options())
        let reply = responder.respond(to: makeQuery("large.example.", .axfr, edns: (1232, 0, false)), transport: .tcp, client: Self.local)
        guard case .stream(let raw) = reply else {
            Issue.record("no stream")
            return
        }
        #expect(raw.count > 3)
        for bytes in raw {
            #expect(bytes.count <= 16384)
            try expectBackwardPointersOnly(bytes)
        }
        let messages = try raw.map { try DNSMessage.parse($0) }
        #expect(messages.allSatisfy { $0.edns != nil })
        #expect(messages.flatMap(\.answers) == zone.records + [zone.soaRecord])
        // Compression: a host record costs far less than its uncompressed size.
        #expect(raw.map(\.count).reduce(0, +) < 6003 * 45)
    }

    @Test func ixfrAnsweredWithFullTransferOrSOA() throws {
        let zone = try testZone()
        let responder = DNSResponder(zones: [zone], options: try Self.options())
        func ixfr(serial: UInt32) -> [UInt8] {
            var message = DNSMessage(header: DNSHeader(id: 5), questions: [DNSQuestion(name: "foobar.com.", type: .ixfr)])
            var soa = zone.soa
            soa.serial = serial
            message.authority = [DNSRecord(name: "foobar.com.", ttl: 0, rdata: .soa(soa))]
            return message.serialized()
        }
        let current = try stream(responder, ixfr(serial: zone.serial))
        #expect(current.flatMap(\.answers) == [zone.soaRecord])
        #expect(current.first?.questions.first?.type == .ixfr)
        let newer = try stream(responder, ixfr(serial: zone.serial &+ 5))
        #expect(newer.flatMap(\.answers) == [zone.soaRecord])
        let older = try stream(responder, ixfr(serial: zone.serial - 1))
        #expect(older.flatMap(\.answers) == zone.records + [zone.soaRecord])
        let wrapped = try stream(responder, ixfr(serial: zone.serial &+ 0x8000_0001))
        #expect(wrapped.flatMap(\.answers).count == zone.records.count + 1)
        let noSOA = try stream(responder, makeQuery("foobar.com.", .ixfr))
        #expect(noSOA.flatMap(\.answers).count == zone.records.count + 1)
    }
}
