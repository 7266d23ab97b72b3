@testable import DNSServer
import Testing
import TestSupport

/// The precomputed fast path must answer byte for byte like the general path.
@Suite struct PrecomputedAnswerTests {
    static let types: [DNSRecordType] = [.a, .aaaa, .ns, .cname, .soa, .ptr, .mx, .txt, .srv, .caa, .ds, .any,
                                         DNSRecordType(65000), DNSRecordType(65534), DNSRecordType(99)]

    static func zones() throws -> [Zone] {
        [try testZone(), try makeZone(WildcardTests.zoneText, origin: "example."),
         try makeZone(TruncationTests.mailZone, origin: "m.example."), try childZone()]
    }

    /// sub.foobar.com., served as well as its delegation in foobar.com.
    static func childZone() throws -> Zone {
        try makeZone("""
            @ 60 IN SOA ns.sub.foobar.com. h.sub.foobar.com. 9 1 1 1 1
            @ 60 IN NS ns.sub.foobar.com.
            host 60 IN A 192.0.2.80
            """, origin: "sub.foobar.com.")
    }

    /// Mixes the case of ASCII letters, deterministically.
    static func mixCase(_ text: String, seed: UInt64) -> String {
        var generator = SplitMix(seed: seed)
        return String(text.map { character in
            character.isLetter && Bool.random(using: &generator) ? Character(character.uppercased()) : character
        })
    }

    @Test func fastAndGeneralPathsAgree() throws {
        let zones = try Self.zones()
        let fast = DNSResponder(zones: zones, options: DNSResponderOptions(maxUDPPayload: 1232))
        let slow = DNSResponder(zones: zones, options: DNSResponderOptions(maxUDPPayload: 1232), precomputesAnswers: false)
        #expect(fast.table.count > 50)
        #expect(slow.table.count == 0)
        var names = Set(zones.flatMap { $0.records.map(\.name) })
        for extra: DNSName in ["nope.foobar.com.", "x.wild.foobar.com.", "a.b.sub.foobar.com.", "b.c.ent.foobar.com.",
                               "q.alias.example.", "example.org.", "x.ns1.foobar.com.", "a.b.nope.foobar.com.",
                               "x.www.foobar.com.", "deep.er.host1.example.", "x.sub.*.example.", "nope.sub.foobar.com.",
                               "x.ns.sub.foobar.com.", "host.sub.foobar.com.", "host3.example.", "foo.bar.example.",
                               "a.b.c.wild.foobar.com.", "x.cw.foobar.com.", "cwild.x.wild.foobar.com.",
                               "\\001.ns.wild.foobar.com.", "x.y.z.alias.example.", "x.c.ent.foobar.com.",
                               "x.y.subdel.example.", "A.NS.SUB.FOOBAR.COM.", "ns.sub.ns.sub.foobar.com."] {
            names.insert(extra)
        }
        var compared = 0
        var differing = 0
        for (index, name) in names.enumerated() {
            let text = Self.mixCase(name.description, seed: UInt64(index))
            for type in Self.types {
                for edns: (UInt16, UInt8, Bool)? in [nil, (512, 0, false), (4096, 0, true)] {
                    let query = makeQuery(text, type, id: UInt16(index), edns: edns)
                    for transport in [DNSTransport.udp, .tcp] {
                        let a = fast.respond(to: query, transport: transport, client: nil)
                        let b = slow.respond(to: query, transport: transport, client: nil)
                        compared += 1
                        if a == b { continue }
                        // Name-error templates may compress the SOA differently from the
                        // general path (e.g. "ns1.foobar.com." inside "x.ns1.foobar.com.");
                        // the messages must still say the same.
                        guard case .message(let x) = a, case .message(let y) = b else {
                            Issue.record("\(text) \(type): \(a) vs \(b)")
                            continue
                        }
                        #expect(try DNSMessage.parse(x) == DNSMessage.parse(y), "\(text) \(type) \(transport)")
                        #expect(try DNSMessage.parse(x).rcode == .nameError)
                        differing += 1
                    }
                }
            }
        }
        #expect(compared > 1000)
        #expect(differing < compared / 20)
    }

    @Test func nameErrorTemplatesServeDeepNamesInAnyCase() throws {
        let responder = DNSResponder(zones: try Self.zones())
        for name in ["NoPe.FooBar.Com.", "a.b.c.d.e.f.g.nope.foobar.com.", "X.NS1.FOOBAR.COM.", "x.mail.foobar.com.",
                     String(repeating: "abcdefghij.", count: 20) + "foobar.com."] {
            for edns: (UInt16, UInt8, Bool)? in [nil, (1232, 0, true)] {
                guard case .message(let bytes) = responder.respond(to: makeQuery(name, .aaaa, id: 4242, edns: edns),
                                                                    transport: .udp, client: nil) else {
                    Issue.record("no reply")
                    continue
                }
                try expectBackwardPointersOnly(bytes)
                let reply = try DNSMessage.parse(bytes)
                #expect(reply.header.id == 4242)
                #expect(reply.header.isAuthoritative && reply.header.isRecursionDesired)
                #expect(reply.rcode == .nameError)
                #expect(reply.questions.map(\.name.description) == [name])
                #expect(reply.authority.map(\.name) == ["foobar.com."])
                #expect(reply.authority.first?.ttl == 300)
                #expect(reply.authority.first?.rdata == (try testZone()).soaRecord.rdata)
                #expect((reply.edns != nil) == (edns != nil))
            }
        }
    }

    @Test func synthesisPicksTemplateOrGeneralPath() throws {
        let responder = DNSResponder(zones: Array(try Self.zones().dropLast())) // without the child zone
        func kind(_ name: String, _ type: DNSRecordType = .a) -> String {
            let query = makeQuery(name, type)
            return query.withUnsafeBytes { raw in
                switch responder.table.synthesis(raw, name: 12..<(query.count - 4), qtype: type.rawValue) {
                case .shifted(let template): template.bytes[3] & 0x0F == 3 ? "nxdomain" : "referral"
                case .wildcard: "wildcard"
                case nil: "general"
                }
            }
        }
        #expect(kind("nope.foobar.com.") == "nxdomain")
        #expect(kind("x.y.wild.foobar.com.") == "wildcard")   // *.wild.foobar.com exists
        #expect(kind("x.wild.foobar.com.", .mx) == "wildcard")
        #expect(kind("a.host.sub.foobar.com.") == "referral") // below a zone cut
        #expect(kind("a.b.ns.sub.foobar.com.", .ds) == "referral")
        #expect(kind("anything.example.", .mx) == "wildcard")
        #expect(kind("x.example.org.") == "general")          // not ours
        #expect(kind("nope.m.example.") == "nxdomain")
    }

    @Test func wildcardTemplatesNamingThemselvesAreNotPatched() throws {
        let zone = try makeZone("""
            @ 60 SOA ns h 1 1 1 1 1
            *.self 60 MX 10 *.self
            *.self 60 A 192.0.2.1
            """, origin: "w.example.")
        let fast = DNSResponder(zones: [zone])
        let slow = DNSResponder(zones: [zone], options: DNSResponderOptions(), precomputesAnswers: false)
        for type in [DNSRecordType.mx, .a, .txt] {
            let query = makeQuery("Some.Long.Name.self.w.example.", type)
            #expect(fast.respond(to: query, transport: .udp, client: nil) == slow.respond(to: query, transport: .udp, client: nil))
            let reply = try ask(fast, query)
            #expect(reply.answers.allSatisfy { $0.name.description == "Some.Long.Name.self.w.example." })
        }
        let mx = try ask(fast, makeQuery("x.self.w.example.", .mx))
        #expect(mx.answerData == [.mx(preference: 10, exchange: "*.self.w.example.")])
        #expect(mx.additional.map(\.rdata) == [.a(IPAddress("192.0.2.1")!)])
    }

    @Test func parentAndChildZones() throws {
        let responder = DNSResponder(zones: try Self.zones())
        for name in ["nope.sub.foobar.com.", "x.ns.sub.foobar.com."] {
            let reply = try ask(responder, makeQuery(name, .a))
            #expect(reply.rcode == .nameError, "\(name)")
            #expect(reply.header.isAuthoritative)
            #expect(reply.authority.map(\.name) == ["sub.foobar.com."])
        }
        // ns.sub.foobar.com. is glue in the parent but does not exist in the child.
        let glue = try ask(responder, makeQuery("ns.sub.foobar.com.", .a))
        #expect(glue.rcode == .nameError)
        let host = try ask(responder, makeQuery("host.sub.foobar.com.", .a))
        #expect(host.answerData == [.a(IPAddress("192.0.2.80")!)])
    }

    @Test func everyPrecomputedReplyIsWellFormed() throws {
        let zones = try Self.zones()
        let responder = DNSResponder(zones: zones)
        for name in Set(zones.flatMap { $0.records.map(\.name) }) {
            for type in Self.types {
                guard case .message(let bytes) = responder.respond(to: makeQuery(name.description, type), transport: .tcp,
                                                                    client: nil) else {
                    Issue.record("no reply for \(name) \(type)")
                    continue
                }
                try expectBackwardPointersOnly(bytes)
                let reply = try DNSMessage.parse(bytes)
                #expect(reply.questions == [DNSQuestion(name: name, type: type)])
            }
        }
    }
}
