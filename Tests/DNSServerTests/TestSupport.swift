@testable import DNSServer
import Foundation
import Testing

/// A query in wire form, as a resolver would send it.
func makeQuery(_ name: String, _ type: DNSRecordType, id: UInt16 = 0x1234, qclass: UInt16 = 1,
               recursionDesired: Bool = true, edns: (payload: UInt16, version: UInt8, dnssecOK: Bool)? = nil,
               opcode: DNSOpcode = .query) -> [UInt8] {
    var header = DNSHeader(id: id, opcode: opcode)
    header.isRecursionDesired = recursionDesired
    var message = DNSMessage(header: header,
                             questions: [DNSQuestion(name: try! DNSName(name, origin: .root), type: type,
                                                     qclass: DNSClass(rawValue: qclass))])
    if let edns {
        message.additional.append(EDNS(payloadSize: edns.payload, version: edns.version, isDNSSECOK: edns.dnssecOK).record)
    }
    return message.serialized()
}

/// A zone from text, failing the test on error.
func makeZone(_ text: String, origin: String, variables: [String: String] = [:]) throws -> Zone {
    try ZoneFile.parse(text, fileName: "\(origin)zone", origin: DNSName(origin, origin: .root), variables: variables)
}

/// The zone most tests use: foobar.com as shipped, plus a delegation, a wildcard, a
/// CNAME chain, a loop, and a big TXT RRset.
let testZoneText = """
$TTL 3600
@       IN SOA ns1.foobar.com. hostmaster.foobar.com. 2026112601 7200 900 1209600 300
        IN NS ns1.foobar.com.
        IN NS ns2.foobar.com.
ns1     IN A 127.0.0.1
ns2     IN AAAA ::1
@       IN A 127.0.0.1
@       IN AAAA ::1
www     IN CNAME foobar.com.
chain1  IN CNAME chain2
chain2  IN CNAME www
loop1   IN CNAME loop2
loop2   IN CNAME loop1
dangling IN CNAME nowhere.foobar.com.
outside IN CNAME www.example.org.
@       IN MX 10 mail.foobar.com.
mail    IN A 127.0.0.2
@       IN TXT "v=spf1 mx -all"
@       IN CAA 0 issue "letsencrypt.org"
_sip._tcp IN SRV 10 5 5060 mail
*.wild  IN A 192.0.2.99
*.wild  IN TXT "wildcard"
cwild.wild IN TXT "exists"
*.cw    IN CNAME www
sub     IN NS ns.sub
sub     IN NS ns.other.example.
ns.sub  IN A 192.0.2.53
a.b.c.ent IN A 192.0.2.7
big     IN TXT "\(String(repeating: "a", count: 200))" "\(String(repeating: "b", count: 200))"
big     IN TXT "\(String(repeating: "c", count: 200))" "\(String(repeating: "d", count: 200))"
big     IN TXT "\(String(repeating: "e", count: 200))"
manyaddr IN A 10.0.0.1
"""

func testZone() throws -> Zone {
    var text = testZoneText
    for index in 2...60 { text += "\nmanyaddr IN A 10.0.0.\(index)" }
    return try makeZone(text, origin: "foobar.com.")
}

/// Sends `query` and parses the single reply message.
func ask(_ responder: DNSResponder, _ query: [UInt8], transport: DNSTransport = .udp,
         client: IPAddress? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> DNSMessage {
    let reply = responder.respond(to: query, transport: transport, client: client)
    guard case .message(let bytes) = reply else {
        Issue.record("expected one message, got \(reply)", sourceLocation: sourceLocation)
        throw TestFailure.unexpectedReply
    }
    return try DNSMessage.parse(bytes)
}

enum TestFailure: Error { case unexpectedReply }

extension DNSMessage {
    /// Answer RDATA, for short assertions.
    var answerData: [DNSRData] { answers.map(\.rdata) }
}
