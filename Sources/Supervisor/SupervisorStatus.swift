import Foundation

/// The status file (`<state-dir>/serve.status`, JSON) the supervisor rewrites atomically
/// (temporary file + rename(2)) after every change, and `onebox status` reads.
public struct SupervisorStatus: Codable, Sendable, Equatable {
    public struct Child: Codable, Sendable, Equatable {
        public var name: String
        public var role: String
        /// starting, ready, restarting (waiting for its backoff), stopping, stopped.
        public var state: String
        public var pid: Int32?
        public var startedAt: Date?
        public var ready: Bool
        public var restarts: Int
        public var urls: [String]
        public var lastExit: String?

        public init(name: String, role: String, state: String, pid: Int32?, startedAt: Date?, ready: Bool,
                    restarts: Int, urls: [String], lastExit: String?) {
            (self.name, self.role, self.state, self.pid, self.startedAt) = (name, role, state, pid, startedAt)
            (self.ready, self.restarts, self.urls, self.lastExit) = (ready, restarts, urls, lastExit)
        }
    }

    public var pid: Int32
    /// starting, running, reloading, stopping, stopped.
    public var state: String
    public var startedAt: Date
    public var updatedAt: Date
    public var children: [Child]

    public init(pid: Int32, state: String, startedAt: Date, updatedAt: Date, children: [Child]) {
        (self.pid, self.state, self.startedAt, self.updatedAt, self.children) = (pid, state, startedAt, updatedAt, children)
    }

    public func write(to path: String) throws(SupervisorError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let temporary = path + ".tmp"
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .io(path: temporary, reason: "\(error)")
        }
        guard rename(temporary, path) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
    }

    public static func read(from path: String) throws(SupervisorError) -> SupervisorStatus {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(SupervisorStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
    }

    /// The table `onebox status` prints.
    public func render(now: Date = Date(), isRunning: Bool) -> String {
        var lines = ["onebox serve pid \(pid): \(isRunning ? state : "not running (last state: \(state))"), up \(Self.duration(now.timeIntervalSince(startedAt)))"]
        let rows = [["ROLE", "PID", "UPTIME", "READY", "RESTARTS", "STATE", "LISTENS"]] + children.map { child in
            [child.name, child.pid.map(String.init) ?? "-",
             child.startedAt.map { Self.duration(now.timeIntervalSince($0)) } ?? "-",
             child.ready ? "yes" : "no", String(child.restarts), child.state, child.urls.joined(separator: " ")]
        }
        let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { index, cell in
                index == 6 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3d4h`, `2h5m`, `4m12s`, `12s`.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d\(hours)h" }
        if hours > 0 { return "\(hours)h\(minutes)m" }
        if minutes > 0 { return "\(minutes)m\(secs)s" }
        return "\(secs)s"
    }
}
