@testable import DNSServer
import Testing

/// Malformed and unusual queries: FORMERR, NOTIMP, BADVERS, drops, EDNS echo.
@Suite struct ResponderProtocolTests {
    let responder: DNSResponder

    init() throws {
        responder = DNSResponder(zones: [try testZone()], options: DNSResponderOptions())
    }

    private func expectFormErr(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reply = try ask(responder, bytes, sourceLocation: sourceLocation)
        #expect(reply.rcode == .formatError, sourceLocation: sourceLocation)
        #expect(reply.header.isResponse, sourceLocation: sourceLocation)
        #expect(reply.header.id == UInt16(bytes[0]) << 8 | UInt16(bytes[1]), sourceLocation: sourceLocation)
        #expect(reply.questions.isEmpty && reply.answers.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func wrongQuestionCounts() throws {
        var query = makeQuery("foobar.com.", .a)
        query[5] = 0
        try expectFormErr(Array(query[0..<12]))
        query[5] = 2
        try expectFormErr(query)
        let two = DNSMessage(header: DNSHeader(id: 5), questions: [DNSQuestion(name: "foobar.com.", type: .a),
                                                                  DNSQuestion(name: "www.foobar.com.", type: .a)])
        try expectFormErr(two.serialized())
    }

    @Test func truncatedAndTrailing() throws {
        let query = makeQuery("foobar.com.", .a)
        try expectFormErr(Array(query.dropLast()))
        try expectFormErr(query + [0])
        try expectFormErr(query + [0, 0, 0, 0])
    }

    @Test func compressedQuestionName() throws {
        // Header, then a question name that is just a pointer to offset 12 (itself).
        let query: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        try expectFormErr(query)
    }

    @Test func badLabelTypesAndLongNames() throws {
        var query = makeQuery("foobar.com.", .a)
        query[12] = 0x46 // 01xxxxxx
        try expectFormErr(query)
        query[12] = 0x86
        try expectFormErr(query)
        // 5 labels of 63: 321 bytes.
        var long: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for _ in 0..<5 { long += [63] + Array(repeating: 97, count: 63) }
        long += [0, 0, 1, 0, 1]
        try expectFormErr(long)
    }

    @Test func recordPointerLoopInAdditional() throws {
        var query = makeQuery("foobar.com.", .a)
        query[11] = 1
        let at = query.count
        // A record whose owner is a pointer to itself.
        query += [0xC0 | UInt8(at >> 8), UInt8(at & 0xFF), 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
        try expectFormErr(query)
        #expect(throws: DNSWireError.badPointer(offset: at)) { try DNSMessage.parse(query) }
    }

    @Test func opt() throws {
        let opt = EDNS(payloadSize: 1232).record
        var message = DNSMessage(header: DNSHeader(id: 9), questions: [DNSQuestion(name: "foobar.com.", type: .a)],
                                 additional: [opt, opt])
        try expectFormErr(message.serialized())
        message.additional = []
        message.answers = [opt]
        try expectFormErr(message.serialized())
        message.answers = []
        message.authority = [opt]
        try expectFormErr(message.serialized())
        var owned = opt
        owned.name = "foobar.com."
        message.authority = []
        message.additional = [owned]
        try expectFormErr(message.serialized())
    }

    @Test func hugeCountsWithoutRecords() throws {
        var query = makeQuery("foobar.com.", .a)
        query[6] = 0xFF; query[7] = 0xFF
        query[8] = 0xFF; query[9] = 0xFF
        query[10] = 0xFF; query[11] = 0xFF
        try expectFormErr(query)
    }

    @Test func otherOpcodesAreNotImplemented() throws {
        for opcode: UInt8 in [1, 2, 4, 5, 6, 15] {
            let query = makeQuery("foobar.com.", .soa, opcode: DNSOpcode(rawValue: opcode))
            let reply = try ask(responder, query)
            #expect(reply.rcode == .notImplemented)
            #expect(reply.header.opcode.rawValue == opcode)
            #expect(reply.header.isResponse)
        }
    }

    @Test func notifyToUsIsNotImplemented() throws {
        let notify = DNSMessage.makeNotify(zone: try testZone(), id: 3).serialized()
        let reply = try ask(responder, notify)
        #expect(reply.rcode == .notImplemented)
        #expect(reply.header.id == 3)
    }

    @Test func responsesAndRuntsAreDropped() throws {
        var query = makeQuery("foobar.com.", .a)
        query[2] |= 0x80
        #expect(responder.respond(to: query, transport: .udp, client: nil) == .drop)
        for length in 0..<12 {
            #expect(responder.respond(to: Array(makeQuery("foobar.com.", .a)[0..<length]), transport: .udp, client: nil) == .drop)
        }
    }

    @Test func ednsIsEchoedWithOurPayload() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .a, edns: (4096, 0, false)))
        #expect(reply.edns == EDNS(payloadSize: 1232))
        #expect(reply.answers.count == 1)
        let withDO = try ask(responder, makeQuery("foobar.com.", .a, edns: (4096, 0, true)))
        #expect(withDO.edns?.isDNSSECOK == true)
        let without = try ask(responder, makeQuery("foobar.com.", .a))
        #expect(without.edns == nil)
        let small = DNSResponder(zones: [try testZone()], options: DNSResponderOptions(maxUDPPayload: 100))
        #expect(try ask(small, makeQuery("foobar.com.", .a, edns: (4096, 0, false))).edns?.payloadSize == 512)
        // Negative answers and refusals carry OPT too.
        #expect(try ask(responder, makeQuery("nope.foobar.com.", .a, edns: (1232, 0, false))).edns != nil)
        #expect(try ask(responder, makeQuery("example.org.", .a, edns: (1232, 0, false))).edns != nil)
    }

    @Test func badVersion() throws {
        let reply = try ask(responder, makeQuery("foobar.com.", .a, edns: (1232, 1, false)))
        #expect(reply.rcode == .badVersion)
        #expect(reply.header.rcodeBits == 0)
        #expect(reply.edns?.version == 0)
        #expect(reply.edns?.extendedRcodeBits == 1)
        #expect(reply.questions.count == 1)
        #expect(reply.answers.isEmpty)
    }

    @Test func checkingDisabledIsCopied() throws {
        var query = makeQuery("foobar.com.", .a)
        query[3] |= 0x10
        let reply = try ask(responder, query)
        #expect(reply.header.isCheckingDisabled)
        #expect(!reply.header.isAuthenticData)
    }
}
