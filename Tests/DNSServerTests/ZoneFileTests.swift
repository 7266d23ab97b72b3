@testable import DNSServer
import Foundation
import Testing

/// Zone files that must load, and what they load to.
@Suite struct ZoneFileTests {
    @Test func everySyntax() throws {
        let text = ##"""
            ; A zone using every construct the parser knows.
            $TTL 1h30m
            @   IN  SOA ns1 hostmaster.foobar.com. (   ; parentheses span lines
                    2026112601  ; serial
                    2h 15M 2W1d
                    5m )
            ; owner carried over, class and TTL in either order
                IN 600 NS ns1
                600 IN NS ns2.foobar.com.
            ns1         A       ${public_ipv4}
            ns2         AAAA    ${public_ipv6}
            www.foobar.com. 1d IN CNAME @
            mail        IN A 192.0.2.25
                        IN AAAA ::ffff:192.0.2.25
            @           MX  10 mail
            @           TXT "v=spf1 mx -all" "second \"string\"" unquoted \065\;semi
            @           CAA 0 issue "letsencrypt.org"
            @           CAA 128 iodef "mailto:security@foobar.com"
            _sip._tcp   SRV 10 60 5060 mail
            4.3.2.1     PTR www
            weird\.dot  A 192.0.2.2
            sp\032ace   A 192.0.2.3
            generic     TYPE65000 \# 4 0A000001
            generic     TYPE65001 \# 0
            knownhex    A \# 4 C0000204
            ip.${label} A 192.0.2.4
            $ORIGIN sub.foobar.com.
            host        A 192.0.2.5
            ttl         1w2d A 192.0.2.6
            nottl       A 192.0.2.7
            """##
        let zone = try makeZone(text, origin: "foobar.com.",
                                variables: ["public_ipv4": "127.0.0.1", "public_ipv6": "::1", "label": "v4"])
        #expect(zone.origin == "foobar.com.")
        #expect(zone.serial == 2026112601)
        #expect(zone.soa == DNSSOA(primary: "ns1.foobar.com.", mailbox: "hostmaster.foobar.com.", serial: 2026112601,
                                   refresh: 7200, retry: 900, expire: 14 * 86400 + 86400, minimum: 300))
        #expect(zone.soaRecord.ttl == 5400)
        func records(_ name: DNSName, _ type: DNSRecordType) -> [DNSRecord] {
            zone.records.filter { $0.name == name && $0.type == type }
        }
        #expect(records("foobar.com.", .ns).map(\.rdata) == [.ns("ns1.foobar.com."), .ns("ns2.foobar.com.")])
        #expect(records("foobar.com.", .ns).map(\.ttl) == [600, 600])
        #expect(records("ns1.foobar.com.", .a).map(\.rdata) == [.a(IPAddress("127.0.0.1")!)])
        #expect(records("ns2.foobar.com.", .aaaa).map(\.rdata) == [.aaaa(IPAddress("::1")!)])
        #expect(records("www.foobar.com.", .cname).map(\.rdata) == [.cname("foobar.com.")])
        #expect(records("www.foobar.com.", .cname).map(\.ttl) == [86400])
        #expect(records("mail.foobar.com.", .aaaa).map(\.rdata) == [.aaaa(IPAddress("::ffff:192.0.2.25")!)])
        #expect(records("foobar.com.", .mx).map(\.rdata) == [.mx(preference: 10, exchange: "mail.foobar.com.")])
        #expect(records("foobar.com.", .txt).map(\.rdata) == [.txt([Array("v=spf1 mx -all".utf8), Array("second \"string\"".utf8),
                                                                     Array("unquoted".utf8), Array("A;semi".utf8)])])
        #expect(records("foobar.com.", .caa).count == 2)
        #expect(records("_sip._tcp.foobar.com.", .srv).map(\.rdata) == [.srv(priority: 10, weight: 60, port: 5060, target: "mail.foobar.com.")])
        #expect(records("4.3.2.1.foobar.com.", .ptr).map(\.rdata) == [.ptr("www.foobar.com.")])
        #expect(records(try DNSName("weird\\.dot.foobar.com."), .a).count == 1)
        #expect(records(try DNSName("sp ace.foobar.com."), .a).count == 1)
        #expect(records("generic.foobar.com.", DNSRecordType(65000)).map(\.rdata) == [.unknown([10, 0, 0, 1])])
        #expect(records("generic.foobar.com.", DNSRecordType(65001)).map(\.rdata) == [.unknown([])])
        #expect(records("knownhex.foobar.com.", .a).map(\.rdata) == [.a(IPAddress("192.0.2.4")!)])
        #expect(records("ip.v4.foobar.com.", .a).count == 1)
        #expect(records("host.sub.foobar.com.", .a).count == 1)
        #expect(records("ttl.sub.foobar.com.", .a).map(\.ttl) == [9 * 86400])
        #expect(records("nottl.sub.foobar.com.", .a).map(\.ttl) == [5400]) // $TTL, not the previous TTL
        #expect(zone.records.first?.type == .soa)
    }

    @Test func ttlCarriesOverWithoutDollarTTL() throws {
        let zone = try makeZone("""
            @ SOA ns h 1 2 3 4 300
            @ 7200 NS ns
            ns A 192.0.2.1
            """, origin: "t.example.")
        #expect(zone.soaRecord.ttl == 300) // the SOA minimum, as BIND does
        #expect(zone.records.first { $0.type == .a }?.ttl == 7200)
    }

    @Test func duplicatesMergeAndRRsetTTLsAgree() throws {
        let zone = try makeZone("""
            $TTL 60
            @ SOA ns h 1 2 3 4 5
            a 100 A 192.0.2.1
            a 200 A 192.0.2.2
            a 300 A 192.0.2.1
            """, origin: "t.example.")
        let addresses = zone.records.filter { $0.type == .a }
        #expect(addresses.count == 2)
        #expect(addresses.allSatisfy { $0.ttl == 100 })
    }

    @Test func originDirectiveChangesTheApex() throws {
        let zone = try makeZone("""
            $ORIGIN other.example.
            @ 60 SOA ns h 1 2 3 4 5
            """, origin: "file.example.")
        #expect(zone.origin == "other.example.")
    }

    @Test func shippedFooBarZoneLoads() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/zones").path
        let zones = try ZoneDirectory.load(directory: directory, variables: ["public_ipv4": "203.0.113.7", "public_ipv6": "2001:db8::7"])
        #expect(zones.map(\.origin) == ["foobar.com."])
        let responder = DNSResponder(zones: zones)
        let www = try ask(responder, makeQuery("www.foobar.com.", .a))
        #expect(www.answerData == [.cname("foobar.com."), .a(IPAddress("203.0.113.7")!)])
        let ns = try ask(responder, makeQuery("foobar.com.", .ns))
        #expect(ns.additional.map(\.rdata) == [.a(IPAddress("203.0.113.7")!)])
        #expect(zones[0].serial == 2026112601)
        let caa = try ask(responder, makeQuery("foobar.com.", .caa))
        #expect(caa.answers.count == 1)
    }

    @Test func directoryLoadsEveryZoneFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zones-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "@ 60 SOA ns h 1 2 3 4 5\n@ 60 NS ns\nns 60 A 192.0.2.1\n".write(to: directory.appendingPathComponent("a.example.zone"), atomically: true, encoding: .utf8)
        try "@ 60 SOA ns h 2 2 3 4 5\n".write(to: directory.appendingPathComponent("b.example.zone"), atomically: true, encoding: .utf8)
        try "not a zone".write(to: directory.appendingPathComponent("README"), atomically: true, encoding: .utf8)
        let zones = try ZoneDirectory.load(directory: directory.path)
        #expect(zones.map(\.origin) == ["a.example.", "b.example."])
        #expect(zones.map(\.serial) == [1, 2])

        try "$ORIGIN a.example.\n@ 60 SOA ns h 1 2 3 4 5\n".write(to: directory.appendingPathComponent("c.example.zone"), atomically: true, encoding: .utf8)
        #expect(throws: ZoneFileError(file: "c.example.zone", line: nil, reason: .duplicateZone("a.example."))) {
            try ZoneDirectory.load(directory: directory.path)
        }
        try "@ 60 SOA ns h 1 2 3 4 5\nx 60 AAA ::1\n".write(to: directory.appendingPathComponent("c.example.zone"), atomically: true, encoding: .utf8)
        #expect(throws: ZoneFileError(file: "c.example.zone", line: 2, reason: .unknownRecordType("AAA"))) {
            try ZoneDirectory.load(directory: directory.path)
        }
        #expect(throws: ZoneFileError.self) { try ZoneDirectory.load(directory: directory.path + "/missing") }
    }
}
