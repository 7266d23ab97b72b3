@testable import DNSServer
import Testing
import TestSupport

/// Garbage in must give an error value, FORMERR or a drop: never a trap or a hang.
@Suite struct HostileInputTests {
    static let responder: DNSResponder = {
        let zones = try! PrecomputedAnswerTests.zones()
        return DNSResponder(zones: zones, options: DNSResponderOptions(transferACL: try! IPAccessList(parsing: ["0.0.0.0/0"])))
    }()

    static let samples: [[UInt8]] = {
        var samples = [
            makeQuery("www.foobar.com.", .a, edns: (1232, 0, true)),
            makeQuery("x.wild.foobar.com.", .txt),
            makeQuery("foobar.com.", .axfr),
        ]
        let zone = try! testZone()
        samples.append(DNSMessage(header: DNSHeader(id: 1, isResponse: true), questions: [DNSQuestion(name: "foobar.com.", type: .any)],
                                  answers: zone.records, additional: [EDNS(payloadSize: 512).record]).serialized())
        samples.append(DNSMessage.makeNotify(zone: zone, id: 1).serialized())
        return samples
    }()

    /// Answers `bytes` on both transports and parses them as a message; returns
    /// nothing, only proves no trap happens.
    static func poke(_ bytes: [UInt8]) {
        for transport in [DNSTransport.udp, .tcp] {
            let reply = responder.respond(to: bytes, transport: transport, client: IPAddress("127.0.0.1"))
            switch reply {
            case .drop: break
            case .message(let message):
                #expect(message.count >= 12)
                #expect((try? DNSMessage.parse(message)) != nil)
            case .stream(let messages):
                #expect(!messages.isEmpty)
            }
        }
        _ = try? DNSMessage.parse(bytes)
    }

    @Test func truncatedAtEveryOffset() throws {
        for sample in Self.samples {
            for length in 0..<sample.count {
                let prefix = Array(sample[0..<length])
                Self.poke(prefix)
                if length < 12 {
                    #expect(Self.responder.respond(to: prefix, transport: .udp, client: nil) == .drop)
                } else if sample[2] & 0xF8 == 0 {
                    let reply = try ask(Self.responder, prefix)
                    #expect(reply.rcode == .formatError, "length \(length)")
                }
            }
        }
    }

    @Test func randomBytes() {
        var generator = SplitMix(seed: 0xD15EA5E)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 5, Bool.random(using: &generator) {
                bytes[2] &= 0x07 // a query, so the parser is reached
                bytes[4] = 0
                bytes[5] = 1
            }
            Self.poke(bytes)
        }
    }

    @Test func mutatedValidMessages() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<20_000 {
            var bytes = Self.samples.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = Bool.random(using: &generator) ? UInt8.random(in: 0...255, using: &generator) : bytes[index] ^ 0xC0
            }
            if Bool.random(using: &generator) { bytes[2] &= 0x7F }
            Self.poke(bytes)
        }
    }

    @Test func pointerLoopsAndForwardPointers() throws {
        // A record whose owner points forward to offset 100.
        var forward = makeQuery("foobar.com.", .a)
        forward[7] = 1
        let at = forward.count
        forward += [0xC0, 100, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]
        #expect(throws: DNSWireError.badPointer(offset: at)) { try DNSMessage.parse(forward) }
        #expect(try ask(Self.responder, forward).rcode == .formatError)

        // Two names pointing at each other: B at 32 points to A at 28 which points on to B.
        var mutual: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 99, 111, 109, 0, 0, 1, 0, 1]
        mutual[7] = 2
        mutual += [1, 97, 0xC0, 25, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] // owner at 21: "a" + pointer to 25
        mutual += [0xC0, 21, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]          // owner at 35: pointer to 21
        #expect(throws: DNSWireError.self) { try DNSMessage.parse(mutual) }
        #expect(try ask(Self.responder, mutual).rcode == .formatError)
    }

    @Test func decompressedNameLongerThan255() throws {
        // Each name is a 63-byte label plus a pointer to the previous name: the fourth
        // decompresses to 4 * 64 + 1 = 257 bytes.
        var message: [UInt8] = [0, 1, 0x80, 0, 0, 0, 0, 4, 0, 0, 0, 0]
        var previous: Int? = nil
        var fourth = 0
        for _ in 0..<4 {
            let start = message.count
            fourth = start
            message += [63] + Array(repeating: 97, count: 63)
            if let previous { message += [0xC0, UInt8(previous)] } else { message += [0] }
            message += [0, 99, 0, 1, 0, 0, 0, 0, 0, 0]
            previous = start
        }
        #expect(throws: DNSWireError.nameTooLong(offset: fourth)) { try DNSMessage.parse(message) }
        Self.poke(message)
    }
}

/// Text parsers fed random strings: nil or an error, never a trap.
@Suite struct HostileTextTests {
    @Test func randomTextToParsers() {
        let alphabet = Array(":.0123456789abcdefABCDEFg%/\\\"@* \u{0}\u{FF}-")
        var generator = SplitMix(seed: 99)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let address = IPAddress(text) {
                #expect(IPAddress(address.description) == address, "\(text)")
            }
            _ = IPPrefix(text)
            if let name = try? DNSName(text, origin: "o.example.") {
                #expect((try? DNSName(name.description, origin: nil)) == name, "\(text)")
            }
            _ = DNSRecordType(mnemonic: text)
        }
    }
}
