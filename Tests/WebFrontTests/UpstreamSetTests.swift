import Testing
@testable import WebFront

@Suite struct UpstreamSetTests {
    private func makeSet(_ count: Int, balance: UpstreamBalance, failTimeout: Duration = .seconds(10)) throws -> UpstreamSet {
        let addresses = try (0..<count).map { try UpstreamAddress(parsing: "127.0.0.1:\(9000 + $0)") }
        return UpstreamSet(addresses: addresses, failTimeout: failTimeout, balance: balance)
    }

    @Test func roundRobinTakesTurns() throws {
        let set = try makeSet(3, balance: .roundRobin)
        var seen: [Int] = []
        for _ in 0..<6 {
            let index = try #require(set.pick())
            seen.append(index)
            set.release(index)
        }
        #expect(seen == [0, 1, 2, 0, 1, 2])
    }

    @Test func leastConnectionsAvoidsTheBusyOne() throws {
        let set = try makeSet(3, balance: .leastConnections)
        let first = try #require(set.pick())       // 0, held
        let second = try #require(set.pick())      // 1, held
        #expect([first, second] == [0, 1])
        // 2 is idle; after that every upstream holds one and the turn decides.
        #expect(set.pick() == 2)
        set.release(1)
        // 1 is now the only one with nothing in flight, whoever's turn it is.
        #expect(set.pick() == 1)
        #expect((0..<3).map(set.inFlight) == [1, 1, 1])
    }

    @Test func failedAndTriedUpstreamsComeLast() throws {
        let set = try makeSet(3, balance: .leastConnections)
        set.markFailed(0)
        var picks: [Int] = []
        for _ in 0..<4 {
            let index = try #require(set.pick(excluding: [1]))
            picks.append(index)
            set.release(index)
        }
        #expect(picks.allSatisfy { $0 == 2 })
        set.markHealthy(0)
        let index = try #require(set.pick(excluding: [1, 2]))
        #expect(index == 0)
        // Everything excluded: still an answer rather than a certain 502.
        #expect(set.pick(excluding: [0, 1, 2]) != nil)
    }

    @Test func releaseNeverGoesNegative() throws {
        let set = try makeSet(1, balance: .leastConnections)
        set.release(0)
        #expect(set.inFlight(0) == 0)
    }
}
