@testable import DNSServer
import Testing
import TestSupport

/// Zone files that must be rejected, with the exact message an operator sees.
@Suite struct ZoneFileErrorTests {
    static let head = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n"

    /// (body after the 3-line head, expected message); line numbers count the head.
    static let cases: [(String, String)] = [
        ("x AAA ::1", "foobar.com.zone:4: unknown record type 'AAA'"),
        ("x A 1.2.3", "foobar.com.zone:4: invalid IPv4 address '1.2.3'"),
        ("x A 1.2.3.256", "foobar.com.zone:4: invalid IPv4 address '1.2.3.256'"),
        ("x A 01.2.3.4", "foobar.com.zone:4: invalid IPv4 address '01.2.3.4'"),
        ("x A ::1", "foobar.com.zone:4: invalid IPv4 address '::1'"),
        ("x AAAA 1.2.3.4", "foobar.com.zone:4: invalid IPv6 address '1.2.3.4'"),
        ("x AAAA 1::2::3", "foobar.com.zone:4: invalid IPv6 address '1::2::3'"),
        ("x AAAA 1:2:3:4:5:6:7:8:9", "foobar.com.zone:4: invalid IPv6 address '1:2:3:4:5:6:7:8:9'"),
        ("x A ${nope}", "foobar.com.zone:4: unknown variable '${nope}'"),
        ("x A ${public_ipv4", "foobar.com.zone:4: '${' without a closing '}'"),
        ("x MX 70000 mail", "foobar.com.zone:4: invalid MX preference '70000'"),
        ("x MX -1 mail", "foobar.com.zone:4: invalid MX preference '-1'"),
        ("x MX mail", "foobar.com.zone:4: MX needs 2 fields (preference exchange), found 1 field"),
        ("x SRV 1 2 port host", "foobar.com.zone:4: invalid SRV port 'port'"),
        ("x CNAME a b", "foobar.com.zone:4: CNAME needs 1 field (target), found 2 fields"),
        ("x A 192.0.2.1\nx CNAME y", "foobar.com.zone:5: CNAME and other data at 'x.foobar.com.'"),
        ("x CNAME y\nx A 192.0.2.1", "foobar.com.zone:5: CNAME and other data at 'x.foobar.com.'"),
        ("x CNAME y\nx CNAME z", "foobar.com.zone:5: more than one CNAME at 'x.foobar.com.'"),
        ("@ CNAME y", "foobar.com.zone:4: CNAME and other data at 'foobar.com.'"),
        ("x.example.org. A 192.0.2.1", "foobar.com.zone:4: 'x.example.org.' is outside the zone 'foobar.com.'"),
        ("$ORIGIN example.org.\nx A 192.0.2.1", "foobar.com.zone:5: 'x.example.org.' is outside the zone 'foobar.com.'"),
        ("@ SOA ns h 2 2 3 4 5", "foobar.com.zone:4: more than one SOA record"),
        ("x SOA ns h 2 2 3 4 5", "foobar.com.zone:4: SOA record at 'x.foobar.com.', which is not the zone apex"),
        ("x TXT \"\(String(repeating: "a", count: 256))\"", "foobar.com.zone:4: character string of 256 bytes is longer than 255; split it into several quoted strings"),
        ("x TXT \"unterminated", "foobar.com.zone:4: quoted string not closed on this line"),
        ("x TXT", "foobar.com.zone:4: TXT needs at least 1 string, found 0 fields"),
        ("x TXT \"a\\2\"", "foobar.com.zone:4: invalid escape in 'a\\2'"),
        ("x A ( 192.0.2.1", "foobar.com.zone:4: unbalanced parentheses"),
        ("x A 192.0.2.1 )", "foobar.com.zone:4: unbalanced parentheses"),
        ("$INCLUDE other.zone", "foobar.com.zone:4: $INCLUDE is not supported; put the records in the zone file"),
        ("$GENERATE 1-10 x$ A 1.2.3.$", "foobar.com.zone:4: unknown directive '$GENERATE'"),
        ("$TTL", "foobar.com.zone:4: $TTL takes exactly one argument"),
        ("$TTL 1x", "foobar.com.zone:4: invalid TTL '1x'"),
        ("x 99999999999 A 192.0.2.1", "foobar.com.zone:4: invalid TTL '99999999999'"),
        ("x 1h CH A 192.0.2.1", "foobar.com.zone:4: unsupported class 'CH' (only IN is served)"),
        ("x", "foobar.com.zone:4: missing record type"),
        ("x 60 IN", "foobar.com.zone:4: missing record type"),
        ("a..b A 192.0.2.1", "foobar.com.zone:4: invalid name 'a..b': empty label"),
        ("\(String(repeating: "a", count: 64)) A 192.0.2.1", "foobar.com.zone:4: invalid name '\(String(repeating: "a", count: 64))': label of 64 bytes is longer than 63"),
        ("x TYPE65000 \\# 3 0102", "foobar.com.zone:4: invalid \\# RDATA: length 3 but 2 bytes of data"),
        ("x TYPE65000 \\# 2 01g2", "foobar.com.zone:4: invalid \\# RDATA: '01g2' is not hexadecimal"),
        ("x A \\# 3 010203", "foobar.com.zone:4: invalid \\# RDATA: not valid A data"),
        ("x HINFO cpu os", "foobar.com.zone:4: no text format for HINFO here; use the RFC 3597 form '\\# length hex'"),
        ("x AXFR foo", "foobar.com.zone:4: AXFR cannot appear in a zone"),
        ("x CAA 0 is-sue \"ca\"", "foobar.com.zone:4: invalid CAA tag 'is-sue'"),
        ("x CAA 256 issue \"ca\"", "foobar.com.zone:4: invalid CAA flags '256'"),
        ("x SOA ns h 1 2 3 4", "foobar.com.zone:4: SOA needs 7 fields (primary mailbox serial refresh retry expire minimum), found 6 fields"),
        ("\n\n; comment\n\n  A 192.0.2.1 ; fine\ny A 1.2.3.4.5", "foobar.com.zone:9: invalid IPv4 address '1.2.3.4.5'"),
        ("x MX 10 (\n\n  mail\n  extra )", "foobar.com.zone:4: MX needs 2 fields (preference exchange), found 3 fields"),
    ]

    @Test(arguments: cases)
    func rejected(body: String, message: String) {
        do {
            _ = try ZoneFile.parse(Self.head + body, fileName: "foobar.com.zone", origin: "foobar.com.",
                                   variables: ["public_ipv4": "127.0.0.1"])
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func wholeZoneProblems() {
        #expect(throws: ZoneFileError(file: "z", line: nil, reason: .noSOA("foobar.com."))) {
            try ZoneFile.parse("$TTL 60\n@ NS ns\n", fileName: "z", origin: "foobar.com.")
        }
        #expect((try? ZoneFile.parse("", fileName: "z", origin: "foobar.com.")) == nil)
        #expect(throws: ZoneFileError(file: "z", line: 1, reason: .missingOwner)) {
            try ZoneFile.parse("  A 192.0.2.1\n", fileName: "z", origin: "foobar.com.")
        }
        #expect(throws: ZoneFileError(file: "z", line: 1, reason: .missingTTL)) {
            try ZoneFile.parse("x A 192.0.2.1\n@ SOA ns h 1 2 3 4 5\n", fileName: "z", origin: "foobar.com.")
        }
        #expect(ZoneFileError(file: "f.zone", line: nil, reason: .multipleSOA).description == "f.zone: more than one SOA record")
    }

    @Test func zoneFromRecordsInCode() throws {
        let soa = DNSRecord(name: "c.example.", ttl: 60, rdata: .soa(DNSSOA(primary: "ns.c.example.", mailbox: "h.c.example.",
                                                                           serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1)))
        let zone = try Zone(origin: "c.example.", records: [DNSRecord(name: "a.c.example.", ttl: 1, rdata: .a(IPAddress("192.0.2.1")!)), soa])
        #expect(zone.records.map(\.type) == [.soa, .a])
        #expect(throws: ZoneFileError(file: "c.example.", line: nil, reason: .outsideZone(name: "d.example.", origin: "c.example."))) {
            try Zone(origin: "c.example.", records: [soa, DNSRecord(name: "d.example.", ttl: 1, rdata: .a(IPAddress("192.0.2.1")!))])
        }
    }

    /// Random edits of a good zone file: each either loads or fails with a message that
    /// names the file; none traps or hangs.
    @Test func fuzzedZoneFiles() {
        let good = Array((Self.head + "www CNAME @\nmail A 192.0.2.1\n@ TXT \"a b\" (c\n d)\n@ MX 10 mail\nx TYPE9 \\# 2 0102\n").utf8)
        let alphabet = Array("\\\"();$@{} \n\t.0123456789abcAINSTXMX*#".utf8)
        var generator = SplitMix(seed: 7)
        for _ in 0..<5_000 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator)!
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: index)
                default: bytes.remove(at: index)
                }
            }
            do {
                _ = try ZoneFile.parse(bytes: bytes, fileName: "f.zone", origin: "foobar.com.", variables: ["a": "1"])
            } catch {
                #expect(error.description.hasPrefix("f.zone"))
            }
        }
    }
}
