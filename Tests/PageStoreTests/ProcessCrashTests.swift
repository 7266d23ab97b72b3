import Testing
import PageStore
#if canImport(Glibc)
import Glibc
#endif

/// The real thing: a child process commits and reports each acknowledged commit; the
/// parent SIGKILLs it after a seeded number of acknowledgements, reopens and checks.
@Suite struct ProcessCrashTests {
    static var childPath: String? {
        let dir = String(CommandLine.arguments[0].prefix { _ in true })
        // The test bundle lives in .build/<config>/; the child is built next to it.
        var candidates: [String] = []
        if let slash = dir.lastIndex(of: "/") {
            var base = String(dir[..<slash])
            candidates.append(base + "/pagestore-crash-child")
            while let s = base.lastIndex(of: "/"), base.hasSuffix(".xctest") || base.contains(".xctest/") {
                base = String(base[..<s])
                candidates.append(base + "/pagestore-crash-child")
            }
        }
        candidates.append(".build/debug/pagestore-crash-child")
        return candidates.first { access($0, X_OK) == 0 }
    }

    func spawn(_ child: String, _ args: [String]) -> (pid_t, Int32) {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var pid: pid_t = 0
        let argv = ([child] + args).map { strdup($0) } + [nil]
        let rc = posix_spawn(&pid, child, &actions, nil, argv, environ)
        precondition(rc == 0, "posix_spawn failed: \(rc)")
        for a in argv { free(a) }
        posix_spawn_file_actions_destroy(&actions)
        close(fds[1])
        return (pid, fds[0])
    }

    /// Reads "ack N" lines until `count` acknowledgements; returns the last N.
    func readAcks(_ fd: Int32, count: Int) -> Int? {
        var last: Int?
        var seen = 0
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while seen < count, read(fd, &byte, 1) == 1 {
            if byte == 10 {
                let s = String(decoding: line, as: UTF8.self)
                if s.hasPrefix("ack "), let n = Int(s.dropFirst(4)) { last = n; seen += 1 }
                line.removeAll()
            } else { line.append(byte) }
        }
        return last
    }

    @Test(.enabled(if: childPath != nil)) func sigkillNeverLosesAnAcknowledgedCommit() throws {
        let child = Self.childPath!
        let dir = temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir + "/crash.db"
        var rng = SplitMix64(seed: 2024)
        var next = 1
        for round in 0..<30 {
            let (pid, fd) = spawn(child, [path, String(next)])
            let acked = readAcks(fd, count: 1 + Int(rng.next() % 40))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            close(fd)
            guard let acked else { Issue.record("round \(round): child acknowledged nothing"); return }
            var o = Options()
            o.pageSize = 4096
            let db = try Database.open(path: path, options: o)
            _ = try db.verify()
            let last = try db.read { tx -> Int in
                let t = try #require(try tx.tree(named: "t"))
                let last = Int(String(decoding: try #require(try t.get(Array("last".utf8))), as: UTF8.self))!
                for n in stride(from: max(1, last - 10), through: last, by: 1) {
                    // row/n exists unless transaction n+3 (n+3 ≡ 0 mod 5) deleted it.
                    let deleted = (n + 3) % 5 == 0 && n + 3 <= last
                    #expect((try t.get(Array("row/\(n)".utf8)) != nil) == !deleted, "round \(round): row \(n), acked \(acked), last \(last)")
                }
                return last
            }
            // Every acknowledged commit is there (the child may have committed more
            // after the last acknowledgement we read).
            #expect(last >= acked, "round \(round): last \(last), acknowledged \(acked)")
            try db.close()
            next = last + 1
        }
    }
}
