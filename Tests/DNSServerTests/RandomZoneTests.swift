@testable import DNSServer
import Testing
import TestSupport

/// Model-based check: random zones (wildcards, empty non-terminals, delegations, CNAME
/// chains and loops), random queries; the precomputed responder must say exactly what
/// the general resolver says, and every reply must parse with backward pointers only.
@Suite struct RandomZoneTests {
    static let labels = ["a", "b", "c", "*", "B"]

    static func randomName(_ generator: inout SplitMix, maxDepth: Int) -> String {
        let depth = Int.random(in: 0...maxDepth, using: &generator)
        let parts = (0..<depth).map { _ in labels.randomElement(using: &generator)! }
        return (parts + ["r.example."]).joined(separator: ".")
    }

    static func randomZone(_ generator: inout SplitMix) -> Zone? {
        var lines = ["$TTL 60", "@ SOA ns.r.example. h.r.example. 1 2 3 4 30", "@ NS ns.r.example.", "ns A 192.0.2.1"]
        var cnames: Set<String> = []
        var others: Set<String> = []
        for _ in 0..<Int.random(in: 3...25, using: &generator) {
            let owner = randomName(&generator, maxDepth: 3)
            let key = owner.lowercased()
            let target = randomName(&generator, maxDepth: 3)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0 where !others.contains(key) && !cnames.contains(key) && owner != "r.example.":
                cnames.insert(key)
                lines.append("\(owner) CNAME \(target)")
                continue
            case 1 where owner != "r.example.": lines.append("\(owner) NS \(target)")
            case 2: lines.append("\(owner) MX \(Int.random(in: 0...9, using: &generator)) \(target)")
            case 3: lines.append("\(owner) AAAA 2001:db8::\(Int.random(in: 1...9, using: &generator))")
            case 4: lines.append("\(owner) TXT \"\(String(repeating: "t", count: Int.random(in: 0...200, using: &generator)))\"")
            default: lines.append("\(owner) A 192.0.2.\(Int.random(in: 1...254, using: &generator))")
            }
            guard !cnames.contains(key) else { lines.removeLast(); continue }
            others.insert(key)
        }
        do {
            return try ZoneFile.parse(lines.joined(separator: "\n"), fileName: "r.zone", origin: "r.example.")
        } catch {
            print("random zone rejected: \(error)")
            return nil
        }
    }

    @Test(arguments: 0..<40)
    func precomputedMatchesGeneral(seed: Int) throws {
        var generator = SplitMix(seed: UInt64(seed) &* 7919 &+ 1)
        guard let zone = Self.randomZone(&generator) else {
            Issue.record("generated zone did not load")
            return
        }
        let fast = DNSResponder(zones: [zone])
        let slow = DNSResponder(zones: [zone], options: DNSResponderOptions(), precomputesAnswers: false)
        let types: [DNSRecordType] = [.a, .aaaa, .mx, .txt, .cname, .ns, .soa, .ds, .any, DNSRecordType(1234)]
        for _ in 0..<150 {
            var name = Self.randomName(&generator, maxDepth: 5)
            if Bool.random(using: &generator) { name = PrecomputedAnswerTests.mixCase(name, seed: generator.next()) }
            let type = types.randomElement(using: &generator)!
            let edns: (UInt16, UInt8, Bool)? = Bool.random(using: &generator)
                ? (UInt16.random(in: 0...1500, using: &generator), 0, false) : nil
            let query = makeQuery(name, type, id: UInt16.random(in: 0...UInt16.max, using: &generator), edns: edns)
            let transport: DNSTransport = Bool.random(using: &generator) ? .udp : .tcp
            let a = fast.respond(to: query, transport: transport, client: nil)
            let b = slow.respond(to: query, transport: transport, client: nil)
            guard case .message(let x) = a, case .message(let y) = b else {
                Issue.record("\(name) \(type): \(a) / \(b)")
                continue
            }
            try expectBackwardPointersOnly(x)
            if x != y {
                #expect(try DNSMessage.parse(x) == DNSMessage.parse(y), "\(name) \(type) \(transport) seed \(seed)")
            }
            let reply = try DNSMessage.parse(x)
            #expect(reply.questions.map(\.name.description) == [name])
            if transport == .udp {
                #expect(x.count <= (edns.map { max(512, min(Int($0.0), 1232)) } ?? 512))
            }
        }
    }
}
