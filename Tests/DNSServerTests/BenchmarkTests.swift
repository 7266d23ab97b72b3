import DNSServer
import Foundation
import Testing

/// Not a timed assertion: prints queries per second when DNS_BENCH is set.
/// `DNS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter Benchmark`
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DNS_BENCH"] != nil))
struct BenchmarkTests {
    @Test func queriesPerSecond() throws {
        let responder = DNSResponder(zones: [try testZone()])
        let cases: [(String, [UInt8])] = [
            ("A hit", makeQuery("foobar.com.", .a, edns: (1232, 0, false))),
            ("CNAME hit", makeQuery("WWW.foobar.com.", .a)),
            ("NODATA hit", makeQuery("foobar.com.", .srv)),
            ("NXDOMAIN", makeQuery("nope.foobar.com.", .a)),
            ("wildcard", makeQuery("x.wild.foobar.com.", .a)),
        ]
        let only = ProcessInfo.processInfo.environment["DNS_BENCH_CASE"]
        for (label, query) in cases where only == nil || label == only {
            let count = 1_000_000
            var bytes = 0
            let start = ContinuousClock.now
            query.withUnsafeBytes { raw in
                for _ in 0..<count {
                    if case .message(let reply) = responder.respond(to: raw, transport: .udp, client: nil) {
                        bytes &+= reply.count
                    }
                }
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("bench \(label): \(Int(Double(count) / seconds)) queries/s, \(Int(seconds * 1e9 / Double(count))) ns/query (\(bytes / count) bytes)")
        }
    }

    @Test func buildTime() throws {
        var text = "@ 60 SOA ns h 1 1 1 1 1\n@ 60 NS ns\nns 60 A 192.0.2.1\n"
        for index in 0..<50_000 { text += "host\(index) 60 A 10.\(index / 65536).\(index / 256 % 256).\(index % 256)\n" }
        var start = ContinuousClock.now
        let zone = try ZoneFile.parse(text, fileName: "big.zone", origin: try DNSName("big.example.", origin: nil))
        print("bench parse 50k records: \(ContinuousClock.now - start)")
        start = ContinuousClock.now
        _ = DNSResponder(zones: [zone])
        print("bench build responder for 50k names: \(ContinuousClock.now - start)")
    }
}
