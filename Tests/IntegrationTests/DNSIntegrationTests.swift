import Foundation
import Testing

/// `onebox dns` as a real process, asked by the real `dig` over UDP and TCP.
@Suite struct DNSIntegrationTests {
    /// The shipped zone, served with a configured public address.
    static func startWithShippedZones(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (OneboxProcess, Int) {
        var env = ["ONEBOX_DNS_PUBLIC_IPV4": "192.0.2.10"]
        env.merge(environment) { _, new in new }
        let server = try OneboxProcess(["dns", "--listen", "127.0.0.1:0"] + extra, environment: env)
        return (server, try #require(server.url(of: "dns")?.port))
    }

    @Test func wwwIsACNAMEChasedToTheApexAddress() throws {
        let (server, port) = try Self.startWithShippedZones()
        for transport in [[], ["+tcp"], ["+noedns"]] {
            let answer = try Dig.query(port: port, "www.foobar.com", "A", transport)
            #expect(answer.status == "NOERROR", "\(answer)")
            #expect(answer.flags.contains("aa"))
            #expect(!answer.flags.contains("ra"))
            #expect(answer.answerData("CNAME") == ["foobar.com."])
            #expect(answer.answerData("A") == ["192.0.2.10"])
            #expect(answer.answer.first?.name == "www.foobar.com.")
        }
        #expect(server.stop() == 0)
    }

    @Test func everyRecordTypeOfTheShippedZone() throws {
        let (server, port) = try Self.startWithShippedZones()
        defer { #expect(server.stop() == 0) }
        #expect(try Dig.query(port: port, "foobar.com", "MX").answerData("MX") == ["10 mail.foobar.com."])
        #expect(try Dig.query(port: port, "foobar.com", "TXT").answerData("TXT").contains("\"v=spf1 mx -all\""))
        #expect(try Dig.query(port: port, "foobar.com", "CAA").answerData("CAA").first?.contains("issue") == true)
        #expect(try Dig.query(port: port, "foobar.com", "NS").answerData("NS") == ["ns1.foobar.com."])
        #expect(try Dig.query(port: port, "ns1.foobar.com", "A").answerData("A") == ["192.0.2.10"])
        let soa = try Dig.query(port: port, "foobar.com", "SOA")
        #expect(soa.answerData("SOA").first?.hasPrefix("ns1.foobar.com. hostmaster.foobar.com.") == true)
    }

    @Test func negativeAnswersCarryTheSOA() throws {
        let (server, port) = try Self.startWithShippedZones()
        defer { #expect(server.stop() == 0) }
        let missing = try Dig.query(port: port, "no-such-name.foobar.com", "A")
        #expect(missing.status == "NXDOMAIN")
        #expect(missing.flags.contains("aa"))
        #expect(missing.answer.isEmpty)
        #expect(missing.authority.map(\.type) == ["SOA"])

        let noData = try Dig.query(port: port, "foobar.com", "SRV")
        #expect(noData.status == "NOERROR")
        #expect(noData.answer.isEmpty)
        #expect(noData.authority.map(\.type) == ["SOA"])

        let outside = try Dig.query(port: port, "example.org", "A")
        #expect(outside.status == "REFUSED")
        #expect(!outside.flags.contains("aa"))
    }

    @Test func namesMatchCaseInsensitivelyAndEchoTheQuestion() throws {
        let (server, port) = try Self.startWithShippedZones()
        defer { #expect(server.stop() == 0) }
        let answer = try Dig.query(port: port, "WwW.FooBar.CoM", "A")
        #expect(answer.status == "NOERROR")
        #expect(answer.answer.first?.name == "WwW.FooBar.CoM.")
        #expect(answer.answerData("A") == ["192.0.2.10"])
    }

    @Test func ednsIsEchoedWithOurPayloadSize() throws {
        let (server, port) = try Self.startWithShippedZones(environment: ["ONEBOX_DNS_UDP_PAYLOAD": "1400"])
        defer { #expect(server.stop() == 0) }
        #expect(try Dig.query(port: port, "foobar.com", "A", ["+bufsize=4096"]).ednsUDPSize == 1400)
        #expect(try Dig.query(port: port, "foobar.com", "A", ["+noedns"]).ednsUDPSize == nil)
    }

    @Test func zoneTransferToAllowedClientsOnly() throws {
        let (server, port) = try Self.startWithShippedZones()
        defer { #expect(server.stop() == 0) }
        let transfer = try Dig.transfer(port: port, zone: "foobar.com")
        #expect(transfer.records.first?.type == "SOA", "\(transfer.raw)")
        #expect(transfer.records.last?.type == "SOA")
        #expect(Set(transfer.records.map(\.type)).isSuperset(of: ["NS", "A", "CNAME", "MX", "TXT", "CAA"]))

        let (closedServer, closedPort) = try Self.startWithShippedZones(environment: ["ONEBOX_DNS_TRANSFER_ALLOW": "10.0.0.0/8"])
        let refused = try Dig.transfer(port: closedPort, zone: "foobar.com")
        #expect(closedServer.stop() == 0)
        #expect(refused.records.isEmpty)
        #expect(refused.raw.contains("Transfer failed"))
    }

    @Test func servesIPv4AndIPv6Together() throws {
        let server = try OneboxProcess(["dns", "--listen", "127.0.0.1:0", "--listen", "[::1]:0"], readyCount: 2)
        let urls = server.readyLines
        #expect(urls.count == 2)
        let v6 = try #require(urls.first { $0.contains("[::1]") }.flatMap { URL(string: String($0.split(separator: " ")[2])) })
        let answer = try Dig.query("::1", port: try #require(v6.port), "www.foobar.com", "A")
        #expect(answer.answerData("A") == ["127.0.0.1"])
    }
}
