@testable import DNSServer
import Testing

/// Positive, negative and referral answers (RFC 1034 4.3.2, RFC 2308).
@Suite struct ResponderAnswerTests {
    let responder: DNSResponder

    init() throws {
        responder = DNSResponder(zones: [try testZone()], options: DNSResponderOptions())
    }

    @Test func apexAddress() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .a, id: 0xBEEF))
        #expect(reply.header.id == 0xBEEF)
        #expect(reply.header.isResponse)
        #expect(reply.header.isAuthoritative)
        #expect(!reply.header.isRecursionAvailable)
        #expect(reply.header.isRecursionDesired)
        #expect(!reply.header.isTruncated)
        #expect(reply.rcode == .noError)
        #expect(reply.questions == [DNSQuestion(name: "foobar.com.", type: .a)])
        #expect(reply.answers == [DNSRecord(name: "foobar.com.", ttl: 3600, rdata: .a(IPAddress("127.0.0.1")!))])
        #expect(reply.authority.isEmpty)
        #expect(reply.additional.isEmpty)
    }

    @Test func recursionDesiredIsCopiedNotSet() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .a, recursionDesired: false))
        #expect(!reply.header.isRecursionDesired)
    }

    @Test func questionCaseIsEchoed() throws {
        let query = makeQuery("wWw.FooBar.COM.", .a)
        guard case .message(let bytes) = responder.respond(to: query, transport: .udp, client: nil) else {
            Issue.record("no reply")
            return
        }
        let questionLength = query.count - 12
        #expect(Array(bytes[12..<(12 + questionLength)]) == Array(query[12...]))
        let reply = try DNSMessage.parse(bytes)
        #expect(reply.answers.first?.name.description == "wWw.FooBar.COM.")
        #expect(reply.answers.last?.name.description == "FooBar.COM.") // compressed into the question
    }

    @Test func cnameIsChased() throws {
        let reply = try ask(responder, makeQuery("www.foobar.com.", .a))
        #expect(reply.answerData == [.cname("foobar.com."), .a(IPAddress("127.0.0.1")!)])
        #expect(reply.answers.map(\.name) == ["www.foobar.com.", "foobar.com."])
        #expect(reply.header.isAuthoritative)
    }

    @Test func cnameChainIsFollowedToTheEnd() throws {
        let reply = try ask(responder, makeQuery("chain1.foobar.com.", .aaaa))
        #expect(reply.answerData == [.cname("chain2.foobar.com."), .cname("www.foobar.com."), .cname("foobar.com."),
                                     .aaaa(IPAddress("::1")!)])
    }

    @Test func cnameLoopStops() throws {
        let reply = try ask(responder, makeQuery("loop1.foobar.com.", .a))
        #expect(reply.rcode == .noError)
        #expect(reply.answerData == [.cname("loop2.foobar.com."), .cname("loop1.foobar.com.")])
    }

    @Test func danglingCNAMEGivesNXDOMAINWithTheChain() throws {
        let reply = try ask(responder, makeQuery("dangling.foobar.com.", .a))
        #expect(reply.rcode == .nameError)
        #expect(reply.answerData == [.cname("nowhere.foobar.com.")])
        #expect(reply.authority.map(\.type) == [.soa])
    }

    @Test func cnameOutOfOurZonesStops() throws {
        let reply = try ask(responder, makeQuery("outside.foobar.com.", .a))
        #expect(reply.rcode == .noError)
        #expect(reply.header.isAuthoritative)
        #expect(reply.answerData == [.cname("www.example.org.")])
        #expect(reply.authority.isEmpty)
    }

    @Test func cnameQueryGetsTheCNAMEOnly() throws {
        let reply = try ask(responder, makeQuery("www.foobar.com.", .cname))
        #expect(reply.answerData == [.cname("foobar.com.")])
    }

    @Test func noDataHasSOAWithNegativeTTL() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .srv))
        #expect(reply.rcode == .noError)
        #expect(reply.header.isAuthoritative)
        #expect(reply.answers.isEmpty)
        #expect(reply.authority.count == 1)
        #expect(reply.authority.first?.type == .soa)
        #expect(reply.authority.first?.ttl == 300) // min(3600, minimum 300)
    }

    @Test func nameErrorHasSOA() throws {
        let reply = try ask(responder, makeQuery("nope.foobar.com.", .a))
        #expect(reply.rcode == .nameError)
        #expect(reply.header.isAuthoritative)
        #expect(reply.answers.isEmpty)
        #expect(reply.authority.map(\.name) == ["foobar.com."])
        #expect(reply.authority.first?.ttl == 300)
        let deeper = try ask(responder, makeQuery("x.y.nope.foobar.com.", .a))
        #expect(deeper.rcode == .nameError)
    }

    @Test func emptyNonTerminalIsNoData() throws {
        for name in ["b.c.ent.foobar.com.", "c.ent.foobar.com.", "ent.foobar.com."] {
            let reply = try ask(responder, makeQuery(name, .a))
            #expect(reply.rcode == .noError, "\(name)")
            #expect(reply.answers.isEmpty)
            #expect(reply.authority.map(\.type) == [.soa])
        }
        #expect(try ask(responder, makeQuery("a.b.c.ent.foobar.com.", .a)).answers.count == 1)
    }

    @Test func refusedOutsideOurZones() throws {
        for name in ["example.org.", "com.", "."] {
            let reply = try ask(responder, makeQuery(name, .a))
            #expect(reply.rcode == .refused)
            #expect(!reply.header.isAuthoritative)
            #expect(reply.questions.count == 1)
            #expect(reply.answers.isEmpty && reply.authority.isEmpty)
        }
    }

    @Test func apexNSWithGlue() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .ns))
        #expect(reply.answerData == [.ns("ns1.foobar.com."), .ns("ns2.foobar.com.")])
        #expect(Set(reply.additional.map(\.rdata)) == [.a(IPAddress("127.0.0.1")!), .aaaa(IPAddress("::1")!)])
    }

    @Test func mxAndSRVGetTargetAddresses() throws {
        let mx = try ask(responder, makeQuery("foobar.com.", .mx))
        #expect(mx.answerData == [.mx(preference: 10, exchange: "mail.foobar.com.")])
        #expect(mx.additional.map(\.rdata) == [.a(IPAddress("127.0.0.2")!)])
        let srv = try ask(responder, makeQuery("_sip._tcp.foobar.com.", .srv))
        #expect(srv.answerData == [.srv(priority: 10, weight: 5, port: 5060, target: "mail.foobar.com.")])
        #expect(srv.additional.map(\.name) == ["mail.foobar.com."])
    }

    @Test func soaTXTAndCAA() throws {
        let soa = try ask(responder, makeQuery("foobar.com.", .soa))
        #expect(soa.answers.count == 1)
        guard case .soa(let fields) = soa.answers.first?.rdata else {
            Issue.record("no SOA")
            return
        }
        #expect(fields.serial == 2026112601)
        #expect(soa.answers.first?.ttl == 3600)
        let txt = try ask(responder, makeQuery("foobar.com.", .txt))
        #expect(txt.answerData == [.txt([Array("v=spf1 mx -all".utf8)])])
        let caa = try ask(responder, makeQuery("foobar.com.", .caa))
        #expect(caa.answerData == [.caa(flags: 0, tag: Array("issue".utf8), value: Array("letsencrypt.org".utf8))])
    }

    @Test func delegationGivesReferral() throws {
        for name in ["host.sub.foobar.com.", "sub.foobar.com.", "ns.sub.foobar.com.", "a.b.sub.foobar.com."] {
            for type in [DNSRecordType.a, .ns, .any, .mx] {
                let reply = try ask(responder, makeQuery(name, type))
                #expect(reply.rcode == .noError)
                #expect(!reply.header.isAuthoritative, "\(name) \(type)")
                #expect(reply.answers.isEmpty)
                #expect(Set(reply.authority.map(\.rdata)) == [.ns("ns.other.example."), .ns("ns.sub.foobar.com.")])
                #expect(reply.authority.allSatisfy { $0.name == "sub.foobar.com." })
                #expect(reply.additional.map(\.rdata) == [.a(IPAddress("192.0.2.53")!)])
            }
        }
    }

    @Test func dsAtDelegationIsAnsweredByTheParent() throws {
        let reply = try ask(responder, makeQuery("sub.foobar.com.", .ds))
        #expect(reply.header.isAuthoritative)
        #expect(reply.rcode == .noError)
        #expect(reply.answers.isEmpty)
        #expect(reply.authority.map(\.type) == [.soa])
    }

    /// RFC 8482: one RRset, the lowest type at the name.
    @Test func anyIsMinimal() throws {
        let apex = try ask(responder, makeQuery("foobar.com.", .any))
        #expect(apex.answerData == [.a(IPAddress("127.0.0.1")!)])
        let alias = try ask(responder, makeQuery("www.foobar.com.", .any))
        #expect(alias.answerData == [.cname("foobar.com.")])
        let missing = try ask(responder, makeQuery("nope.foobar.com.", .any))
        #expect(missing.rcode == .nameError)
        let empty = try ask(responder, makeQuery("ent.foobar.com.", .any))
        #expect(empty.rcode == .noError && empty.answers.isEmpty)
    }

    @Test func classANYIsAnsweredFromIN() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .a, qclass: 255))
        #expect(reply.questions.first?.qclass == .any)
        #expect(reply.answers.count == 1)
    }

    @Test func otherClassesAreRefused() throws {
        let chaos = try ask(responder, makeQuery("version.bind.", .txt, qclass: 3))
        #expect(chaos.rcode == .refused)
        let hesiod = try ask(responder, makeQuery("foobar.com.", .a, qclass: 4))
        #expect(hesiod.rcode == .refused)
    }

    @Test func twoZonesLongestMatchWins() throws {
        let child = try makeZone("""
            @ 60 IN SOA ns.sub.foobar.com. h.sub.foobar.com. 1 1 1 1 1
            @ 60 IN NS ns.sub.foobar.com.
            ns 60 IN A 192.0.2.53
            host 60 IN A 192.0.2.80
            """, origin: "sub.foobar.com.")
        let both = DNSResponder(zones: [try testZone(), child])
        let reply = try ask(both, makeQuery("host.sub.foobar.com.", .a))
        #expect(reply.header.isAuthoritative)
        #expect(reply.answerData == [.a(IPAddress("192.0.2.80")!)])
        let apex = try ask(both, makeQuery("sub.foobar.com.", .ns))
        #expect(apex.header.isAuthoritative)
        #expect(apex.answers.count == 1)
    }
}
