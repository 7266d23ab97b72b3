@testable import DNSServer
import Testing

/// The examples of RFC 4592 2.2.1, plus wildcard CNAMEs and owner rewriting.
@Suite struct WildcardTests {
    static let zoneText = """
        $ORIGIN example.
        example.                 3600 IN  SOA   ns.example.com. hostmaster.example. 1 3600 600 86400 300
        example.                 3600     NS    ns.example.com.
        example.                 3600     NS    ns.example.net.
        *.example.               3600     TXT   "this is a wildcard"
        *.example.               3600     MX    10 host1.example.
        sub.*.example.           3600     TXT   "this is not a wildcard"
        host1.example.           3600     A     192.0.2.1
        _ssh._tcp.host1.example. 3600     SRV   0 0 22 host1.example.
        _ssh._tcp.host2.example. 3600     SRV   0 0 22 host2.example.
        subdel.example.          3600     NS    ns.example.com.
        subdel.example.          3600     NS    ns.example.net.
        *.alias.example.         3600     CNAME host1.example.
        """

    let responder: DNSResponder

    init() throws {
        responder = DNSResponder(zones: [try makeZone(Self.zoneText, origin: "example.")])
    }

    @Test func synthesizesFromTheWildcard() throws {
        let mx = try ask(responder, makeQuery("host3.example.", .mx))
        #expect(mx.rcode == .noError)
        #expect(mx.header.isAuthoritative)
        #expect(mx.answers == [DNSRecord(name: "host3.example.", ttl: 3600, rdata: .mx(preference: 10, exchange: "host1.example."))])
        #expect(mx.additional.map(\.rdata) == [.a(IPAddress("192.0.2.1")!)])
        let txt = try ask(responder, makeQuery("foo.bar.example.", .txt))
        #expect(txt.answers.map(\.name) == ["foo.bar.example."])
        #expect(txt.answerData == [.txt([Array("this is a wildcard".utf8)])])
    }

    @Test func wildcardWithoutTheTypeIsNoData() throws {
        let reply = try ask(responder, makeQuery("host3.example.", .a))
        #expect(reply.rcode == .noError)
        #expect(reply.answers.isEmpty)
        #expect(reply.authority.map(\.type) == [.soa])
    }

    @Test func existingNamesBlockTheWildcard() throws {
        let host1 = try ask(responder, makeQuery("host1.example.", .mx))
        #expect(host1.rcode == .noError && host1.answers.isEmpty)
        let star = try ask(responder, makeQuery("sub.*.example.", .mx))
        #expect(star.rcode == .noError && star.answers.isEmpty)
        // _tcp.host1.example. exists as an empty non-terminal; *._tcp.host1 does not.
        let telnet = try ask(responder, makeQuery("_telnet._tcp.host1.example.", .srv))
        #expect(telnet.rcode == .nameError)
        let ent = try ask(responder, makeQuery("_tcp.host1.example.", .srv))
        #expect(ent.rcode == .noError && ent.answers.isEmpty)
    }

    @Test func closestEncloserIsTheWildcardItself() throws {
        // "ghost.*.example." has closest encloser "*.example.", whose own wildcard
        // "*.*.example." does not exist.
        let reply = try ask(responder, makeQuery("ghost.*.example.", .mx))
        #expect(reply.rcode == .nameError)
    }

    @Test func wildcardNameQueriedLiterally() throws {
        let reply = try ask(responder, makeQuery("*.example.", .txt))
        #expect(reply.answers.map(\.name) == ["*.example."])
    }

    @Test func delegationWinsOverWildcard() throws {
        let reply = try ask(responder, makeQuery("host.subdel.example.", .a))
        #expect(!reply.header.isAuthoritative)
        #expect(reply.authority.map(\.type) == [.ns, .ns])
    }

    @Test func wildcardCNAMEIsChased() throws {
        let reply = try ask(responder, makeQuery("Anything.Alias.example.", .a))
        #expect(reply.answers.map(\.name.description) == ["Anything.Alias.example.", "host1.example."])
        #expect(reply.answerData == [.cname("host1.example."), .a(IPAddress("192.0.2.1")!)])
    }

    @Test func synthesizedOwnerKeepsQueryCase() throws {
        let reply = try ask(responder, makeQuery("HoSt3.Example.", .mx))
        #expect(reply.answers.first?.name.description == "HoSt3.Example.")
    }
}
