import Foundation
import Testing

/// `onebox dns` with zones written by the test: truncation, wildcards, reloads, bad input.
@Suite struct DNSZoneIntegrationTests {
    static func zone(serial: Int, extra: String = "") -> String {
        """
        $ORIGIN example.test.
        $TTL 300
        @   IN SOA ns1 hostmaster ( \(serial) 3600 600 86400 60 )
            IN NS  ns1
        ns1 IN A   192.0.2.1
        *.wild IN A 192.0.2.99
        big IN TXT "\(String(repeating: "a", count: 200))"
        \((0..<20).map { "big IN TXT \"record \($0) \(String(repeating: "b", count: 100))\"" }.joined(separator: "\n"))
        \(extra)
        """
    }

    /// A zones directory with example.test, and a server on it.
    static func start(_ zoneText: String) throws -> (OneboxProcess, Int, URL) {
        let directory = try makeTemporaryDirectory("zones")
        try zoneText.write(to: directory.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
        let server = try OneboxProcess(["dns", "--listen", "127.0.0.1:0", "--zones", directory.path])
        return (server, try #require(server.url(of: "dns")?.port), directory)
    }

    @Test func largeAnswersAreTruncatedOverUDPAndCompleteOverTCP() throws {
        let (server, port, directory) = try Self.start(Self.zone(serial: 1))
        defer { #expect(server.stop() == 0) }
        defer { try? FileManager.default.removeItem(at: directory) }
        let udp = try Dig.query(port: port, "big.example.test", "TXT", ["+ignore", "+bufsize=1232"])
        #expect(udp.flags.contains("tc"), "\(udp)")
        let tcp = try Dig.query(port: port, "big.example.test", "TXT", ["+tcp"])
        #expect(!tcp.flags.contains("tc"))
        #expect(tcp.answerData("TXT").count == 21)
        // dig retries over TCP by itself when it sees TC, as resolvers do.
        #expect(try Dig.query(port: port, "big.example.test", "TXT").answerData("TXT").count == 21)
    }

    @Test func wildcardsSynthesizeAnswersForTheQueriedName() throws {
        let (server, port, directory) = try Self.start(Self.zone(serial: 1))
        defer { #expect(server.stop() == 0) }
        defer { try? FileManager.default.removeItem(at: directory) }
        let answer = try Dig.query(port: port, "anything.wild.example.test", "A")
        #expect(answer.status == "NOERROR")
        #expect(answer.answer == [DigRecord(name: "anything.wild.example.test.", ttl: 300, type: "A", data: "192.0.2.99")])
        #expect(try Dig.query(port: port, "a.b.wild.example.test", "A").answerData("A") == ["192.0.2.99"])
        #expect(try Dig.query(port: port, "anything.wild.example.test", "MX").authority.map(\.type) == ["SOA"])
    }

    @Test func sighupReloadsAndABadZoneKeepsTheOldOneServing() throws {
        let (server, port, directory) = try Self.start(Self.zone(serial: 1))
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("example.test.zone")
        #expect(try Dig.query(port: port, "new.example.test", "A").status == "NXDOMAIN")

        try Self.zone(serial: 2, extra: "new IN A 192.0.2.2").write(to: file, atomically: true, encoding: .utf8)
        server.send(SIGHUP)
        try waitUntil { try Dig.query(port: port, "new.example.test", "A").answerData("A") == ["192.0.2.2"] }

        try Self.zone(serial: 3, extra: "broken IN A 999.1.1.1").write(to: file, atomically: true, encoding: .utf8)
        server.send(SIGHUP)
        try waitUntil { server.errorText.contains("reload failed") }
        #expect(server.errorText.contains("example.test.zone:"))
        #expect(try Dig.query(port: port, "new.example.test", "A").answerData("A") == ["192.0.2.2"])
        #expect(server.stop() == 0)
    }

    @Test func aBadZoneAtStartIsOneClearLineAndAFailingExit() throws {
        let directory = try makeTemporaryDirectory("zones")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.zone(serial: 1, extra: "oops IN AAA ::1").write(
            to: directory.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
        #expect(throws: OneboxProcessError.self) {
            _ = try OneboxProcess(["dns", "--listen", "127.0.0.1:0", "--zones", directory.path])
        }
        let (status, output) = try runTool(OneboxProcess.binary, ["dns", "--listen", "127.0.0.1:0", "--zones", directory.path])
        #expect(status != 0)
        #expect(output.contains("example.test.zone:"), "\(output)")
        #expect(output.contains("AAA"))
    }

    /// Garbage over UDP and TCP must neither crash nor stall the server.
    @Test func hostileInputNeverStopsTheServer() throws {
        let (server, port, directory) = try Self.start(Self.zone(serial: 1))
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
            import random, socket, struct, sys
            port = int(sys.argv[1]); rng = random.Random(7)
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            # 2000 random datagrams, then queries with looping and forward compression pointers.
            for _ in range(2000):
                u.sendto(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 600))), ("127.0.0.1", port))
            loop = struct.pack(">HHHHHH", 1, 0, 1, 0, 0, 0) + b"\\xc0\\x0c" + b"\\x00\\x01\\x00\\x01"
            u.sendto(loop, ("127.0.0.1", port))
            # A query with two questions must get FORMERR, with our id.
            q = struct.pack(">HHHHHH", 4242, 0, 2, 0, 0, 0) + (b"\\x07example\\x04test\\x00\\x00\\x01\\x00\\x01" * 2)
            # The flood may have overrun the socket buffers: ask again until answered.
            u.settimeout(1)
            answer = None
            for _ in range(10):
                u.sendto(q, ("127.0.0.1", port))
                try:
                    while answer is None:
                        data, _ = u.recvfrom(4096)
                        if data[:2] == struct.pack(">H", 4242): answer = data
                except socket.timeout:
                    pass
                if answer: break
            print("rcode", answer[3] & 0x0f)
            # TCP: a length prefix promising more than is sent, then a hang-up; random frames.
            for _ in range(50):
                t = socket.create_connection(("127.0.0.1", port))
                t.sendall(struct.pack(">H", rng.randrange(1, 65536)) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))))
                t.close()
            """
        let (status, output) = try runTool("python3", ["-c", script, "\(port)"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("rcode 1"), "\(output)")
        let answer = try Dig.query(port: port, "ns1.example.test", "A", ["+tcp"])
        #expect(answer.answerData("A") == ["192.0.2.1"])
        #expect(try Dig.query(port: port, "ns1.example.test", "A").answerData("A") == ["192.0.2.1"])
        #expect(server.stop() == 0)
    }
}

/// Polls `condition` for up to ten seconds.
func waitUntil(_ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("condition not met within 10 seconds")
}
