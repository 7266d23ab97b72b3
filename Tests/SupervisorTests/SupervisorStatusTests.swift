import Foundation
import Supervisor
import Testing

@Suite struct SupervisorStatusTests {
    func sample(now: Date) -> SupervisorStatus {
        SupervisorStatus(pid: 4242, state: "running", startedAt: now.addingTimeInterval(-3725), updatedAt: now, children: [
            .init(name: "db", role: "db", state: "ready", pid: 100, startedAt: now.addingTimeInterval(-3725), ready: true,
                  restarts: 0, urls: ["mysql://127.0.0.1:3306", "unix:///v/mysql.sock"], lastExit: nil),
            .init(name: "app-1", role: "app", state: "restarting", pid: nil, startedAt: nil, ready: false,
                  restarts: 3, urls: [], lastExit: "was killed by signal 9 (SIGKILL)"),
        ])
    }

    @Test func roundTripsThroughTheFileAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("serve.status").path
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let status = sample(now: now)
        try status.write(to: path)
        #expect(try SupervisorStatus.read(from: path) == status)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func rendersOneRowPerChild() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let text = sample(now: now).render(now: now, isRunning: true)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "onebox serve pid 4242: running, up 1h2m")
        #expect(lines[1].hasPrefix("ROLE"))
        #expect(lines[2].hasPrefix("db") && lines[2].contains("100") && lines[2].contains("yes") && lines[2].contains("unix:///v/mysql.sock"))
        #expect(lines[3].hasPrefix("app-1") && lines[3].contains(" no ") && lines[3].contains("restarting"))
        #expect(sample(now: now).render(now: now, isRunning: false).hasPrefix("onebox serve pid 4242: not running"))
    }

    @Test func readingGarbageIsAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)").path
        try "{not json".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        #expect(throws: SupervisorError.self) { try SupervisorStatus.read(from: path) }
    }
}
