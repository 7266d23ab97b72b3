import Foundation
import Testing

/// A real Knot DNS secondary transfers foobar.com from `onebox dns` and answers for
/// it; a reload with a new serial reaches it by NOTIFY. This is the scale-out path.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/knotd")))
struct KnotSecondaryTests {
    @Test func knotCarriesTheZoneAndFollowsNotify() throws {
        let directory = try makeTemporaryDirectory("knot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let zones = directory.appendingPathComponent("zones")
        for folder in ["zones", "db", "secondary"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let shipped = try String(contentsOf: OneboxProcess.packageRoot.appendingPathComponent("Data/zones/foobar.com.zone"), encoding: .utf8)
        let zoneFile = zones.appendingPathComponent("foobar.com.zone")
        try shipped.write(to: zoneFile, atomically: true, encoding: .utf8)

        let knotPort = try freeLocalPort()
        let onebox = try OneboxProcess(["dns", "--listen", "127.0.0.1:0", "--zones", zones.path],
                                       environment: ["ONEBOX_DNS_NOTIFY": "127.0.0.1:\(knotPort)"])
        let primaryPort = try #require(onebox.url(of: "dns")?.port)

        let configuration = """
            server:
                rundir: "\(directory.path)"
                listen: 127.0.0.1@\(knotPort)
                automatic-acl: on
            log:
              - target: stderr
                any: info
            database:
                storage: "\(directory.path)/db"
            remote:
              - id: onebox
                address: 127.0.0.1@\(primaryPort)
            template:
              - id: default
                storage: "\(directory.path)/secondary"
                file: "%s.zone"
                zonefile-load: none
                journal-content: all
            zone:
              - domain: foobar.com
                master: onebox
            """
        let configFile = directory.appendingPathComponent("knot.conf")
        try configuration.write(to: configFile, atomically: true, encoding: .utf8)
        let knot = Process()
        knot.executableURL = URL(fileURLWithPath: "/usr/sbin/knotd")
        knot.arguments = ["-c", configFile.path]
        knot.standardOutput = FileHandle.nullDevice
        let knotLog = directory.appendingPathComponent("knot.log")
        _ = FileManager.default.createFile(atPath: knotLog.path, contents: nil)
        knot.standardError = try FileHandle(forWritingTo: knotLog)
        try knot.run()
        defer {
            knot.terminate()
            knot.waitUntilExit()
        }

        try waitUntil { try Dig.query(port: knotPort, "www.foobar.com", "A").answerData("A") == ["127.0.0.1"] }
        let fromKnot = try Dig.query(port: knotPort, "www.foobar.com", "A")
        #expect(fromKnot.flags.contains("aa"), "\(fromKnot)\n\((try? String(contentsOf: knotLog, encoding: .utf8)) ?? "")")
        #expect(fromKnot.answerData("CNAME") == ["foobar.com."])
        #expect(try Dig.query(port: knotPort, "foobar.com", "MX").answerData("MX") == ["10 mail.foobar.com."])

        // A new serial and a new name: SIGHUP on the primary, NOTIFY to Knot, transfer.
        let soaFields = try #require(try Dig.query(port: primaryPort, "foobar.com", "SOA").answerData("SOA").first)
            .split(separator: " ")
        let serial = try #require(Int(soaFields[2]))
        let updated = shipped.replacingOccurrences(of: "\(serial)", with: "\(serial + 1)") + "\nnotified IN A 192.0.2.77\n"
        try updated.write(to: zoneFile, atomically: true, encoding: .utf8)
        onebox.send(SIGHUP)
        try waitUntil { try Dig.query(port: knotPort, "notified.foobar.com", "A").answerData("A") == ["192.0.2.77"] }
        #expect(onebox.stop() == 0)
    }
}

/// A TCP and UDP port that was free a moment ago on 127.0.0.1.
func freeLocalPort() throws -> Int {
    let (status, output) = try runTool("python3", ["-c", """
        import socket
        s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
        """])
    guard status == 0, let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw OneboxProcessError.exited(status: status, stderr: output)
    }
    return port
}
