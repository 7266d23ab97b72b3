@testable import DNSServer
import Testing

/// Size limits: 512 without EDNS, the smaller of both payloads with it, 65535 on TCP;
/// additional records go first, then TC with the question only.
@Suite struct TruncationTests {
    static let mailZone: String = {
        var text = """
            $TTL 300
            @ SOA ns.m.example. h.m.example. 1 1 1 1 1
            @ NS ns
            ns A 192.0.2.1
            """
        for host in 0..<10 {
            text += "\n@ MX \(host) mx\(host)"
            for address in 1...3 { text += "\nmx\(host) A 192.0.2.\(host * 10 + address)" }
        }
        // A delegation whose glue alone is more than 512 bytes.
        for server in 0..<8 {
            text += "\nbig NS ns\(server).big"
            for address in 1...5 { text += "\nns\(server).big A 198.51.100.\(server * 10 + address)" }
        }
        return text
    }()

    @Test func bigAnswerOverUDPWithoutEDNSIsTruncated() throws {
        let responder = DNSResponder(zones: [try testZone()])
        let query = makeQuery("big.foobar.com.", .txt)
        let reply = try ask(responder, query)
        #expect(reply.header.isTruncated)
        #expect(reply.header.isAuthoritative)
        #expect(reply.questions == [DNSQuestion(name: "big.foobar.com.", type: .txt)])
        #expect(reply.answers.isEmpty && reply.authority.isEmpty && reply.additional.isEmpty)
        guard case .message(let bytes) = responder.respond(to: query, transport: .udp, client: nil) else { return }
        #expect(bytes.count == query.count)
    }

    @Test func ednsPayloadDecides() throws {
        let responder = DNSResponder(zones: [try testZone()])
        // ~1050 bytes: too big for 512 and 1000, fits 1232 and 4096 (capped to our 1232).
        for (payload, truncated) in [(UInt16(512), true), (1000, true), (1232, false), (4096, false), (100, true)] {
            let reply = try ask(responder, makeQuery("big.foobar.com.", .txt, edns: (payload, 0, false)))
            #expect(reply.header.isTruncated == truncated, "payload \(payload)")
            #expect(reply.answers.count == (truncated ? 0 : 3))
            #expect(reply.edns?.payloadSize == 1232)
            guard case .message(let bytes) = responder.respond(to: makeQuery("big.foobar.com.", .txt, edns: (payload, 0, false)),
                                                                transport: .udp, client: nil) else { continue }
            #expect(bytes.count <= max(512, min(Int(payload), 1232)))
        }
        let capped = DNSResponder(zones: [try testZone()], options: DNSResponderOptions(maxUDPPayload: 1000))
        #expect(try ask(capped, makeQuery("big.foobar.com.", .txt, edns: (4096, 0, false))).header.isTruncated)
    }

    @Test func tcpCarriesTheWholeAnswer() throws {
        let responder = DNSResponder(zones: [try testZone()])
        let reply = try ask(responder, makeQuery("big.foobar.com.", .txt), transport: .tcp)
        #expect(!reply.header.isTruncated)
        #expect(reply.answers.count == 3)
        let many = try ask(responder, makeQuery("manyaddr.foobar.com.", .a), transport: .tcp)
        #expect(many.answers.count == 60)
        #expect(try ask(responder, makeQuery("manyaddr.foobar.com.", .a)).header.isTruncated)
    }

    @Test func additionalIsDroppedBeforeTruncating() throws {
        let responder = DNSResponder(zones: [try makeZone(Self.mailZone, origin: "m.example.")])
        let small = try ask(responder, makeQuery("m.example.", .mx))
        #expect(!small.header.isTruncated)
        #expect(small.answers.count == 10)
        #expect(small.additional.isEmpty)
        let large = try ask(responder, makeQuery("m.example.", .mx, edns: (1232, 0, false)))
        #expect(large.answers.count == 10)
        #expect(large.additional.count == 31) // 30 addresses + OPT
        let smallEDNS = try ask(responder, makeQuery("m.example.", .mx, edns: (512, 0, false)))
        #expect(smallEDNS.additional.map(\.type) == [.opt])
        #expect(smallEDNS.answers.count == 10)
    }

    @Test func referralGlueIsNeverDropped() throws {
        let responder = DNSResponder(zones: [try makeZone(Self.mailZone, origin: "m.example.")])
        let small = try ask(responder, makeQuery("www.big.m.example.", .a))
        #expect(small.header.isTruncated)
        #expect(small.authority.isEmpty)
        let large = try ask(responder, makeQuery("www.big.m.example.", .a, edns: (1232, 0, false)))
        #expect(!large.header.isTruncated)
        #expect(large.authority.count == 8)
        #expect(large.additional.count == 41)
    }
}
