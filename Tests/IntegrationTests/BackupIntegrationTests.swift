import Foundation
import Testing

/// `onebox backup` / `onebox restore` against the real binary: online through a running
/// server under a write load, offline on a stopped one, privileges, corruption, `lz4 -t`.
@Suite(.serialized, .enabled(if: mariadbInstalled && pyMySQLInstalled))
struct BackupIntegrationTests {
    static let accounts = 20
    static let startingBalance = 1_000

    /// The load: 3 threads, each committing transactions that move money between two
    /// accounts and record the move in two ledgers with the same id. A commit's id is
    /// appended to `acked` only after COMMIT returned. Runs until `stop` exists.
    static let loadScript = #"""
import os, random, sys, threading, pymysql
sock, password, acked_path, stop_path = os.environ["DB_SOCKET"], os.environ["DB_PASSWORD"], sys.argv[1], sys.argv[2]
lock = threading.Lock()
acked = open(acked_path, "a")
errors = []
def worker(n):
    conn = pymysql.connect(unix_socket=sock, user="root", password=password, database="bank", autocommit=False)
    cur = conn.cursor()
    rng = random.Random(n)
    i = 0
    while not os.path.exists(stop_path):
        i += 1
        tid = n * 10_000_000 + i
        a, b = rng.sample(range(1, 21), 2)
        amount = rng.randint(1, 50)
        try:
            cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s", (amount, a))
            cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (amount, b))
            cur.execute("INSERT INTO ledger_a (id, src, dst, amount) VALUES (%s, %s, %s, %s)", (tid, a, b, amount))
            cur.execute("INSERT INTO ledger_b (id, note) VALUES (%s, %s)", (tid, "move %d from %d to %d" % (amount, a, b)))
            conn.commit()
        except Exception as e:
            errors.append(repr(e))
            return
        with lock:
            acked.write("%d\n" % tid)
            acked.flush()
threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, 4)]
for t in threads: t.start()
for t in threads: t.join()
print("errors:", errors)
sys.exit(1 if errors else 0)
"""#

    @Test func onlineBackupUnderWriteLoadRestoresToAConsistentState() throws {
        let db = try DBFixture()
        let work = try makeTemporaryDirectory("backup")
        defer { try? FileManager.default.removeItem(at: work) }
        let values = (1...Self.accounts).map { "(\($0), \(Self.startingBalance))" }.joined(separator: ",")
        let setup = try db.mariadb([], input: """
            CREATE DATABASE bank;
            USE bank;
            CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL);
            INSERT INTO accounts VALUES \(values);
            CREATE TABLE ledger_a (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount INT NOT NULL);
            CREATE TABLE ledger_b (id BIGINT PRIMARY KEY, note VARCHAR(100) NOT NULL);
            CREATE TABLE filler (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT);
            INSERT INTO filler (body) SELECT REPEAT('x', 2000) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4) a,
              (SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5) b, (SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5) c;
            """)
        #expect(setup.status == 0, "\(setup.output)")

        let acked = work.appendingPathComponent("acked").path
        let stop = work.appendingPathComponent("stop").path
        FileManager.default.createFile(atPath: acked, contents: nil)
        let script = work.appendingPathComponent("load.py")
        try Self.loadScript.write(to: script, atomically: true, encoding: .utf8)
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        load.arguments = [script.path, acked, stop]
        load.environment = ProcessInfo.processInfo.environment.merging(
            ["DB_SOCKET": db.socketPath, "DB_PASSWORD": DBFixture.rootPassword]) { _, new in new }
        let loadOutput = Pipe()
        load.standardOutput = loadOutput
        load.standardError = loadOutput
        try load.run()
        defer {
            FileManager.default.createFile(atPath: stop, contents: nil)
            load.waitUntilExit()
        }
        // Let the load get going (a count, not a time: no timed assertion).
        while Self.ids(in: acked).count < 100 && load.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        let ackedBefore = Self.ids(in: acked)

        let file = work.appendingPathComponent("bank.lz4").path
        let backup = try runProcess(OneboxProcess.binary, ["backup", "--state-dir", db.state.path, "--output", file,
                                                           "--socket", db.socketPath],
                                    environment: ["ONEBOX_ROOT_PASSWORD": DBFixture.rootPassword])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("via server"), "\(backup.output)")
        let ackedDuring = Self.ids(in: acked).count - ackedBefore.count

        FileManager.default.createFile(atPath: stop, contents: nil)
        load.waitUntilExit()
        let loadText = String(decoding: loadOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(load.terminationStatus == 0, "\(loadText)")
        let ackedAll = Self.ids(in: acked)
        print("backup: \(ackedBefore.count) commits before, \(ackedDuring) while it ran, \(ackedAll.count) in all; \(backup.output)")

        let (server, socket) = try Self.restoreAndServe(file, in: work)
        defer { server.stop() }
        func query(_ sql: String) throws -> String {
            let r = try runProcess("/usr/bin/mariadb", ["--no-defaults", "--user=root", "--password=\(DBFixture.rootPassword)",
                                                        "--socket=\(socket)", "--batch", "--skip-column-names", "bank",
                                                        "-e", sql])
            #expect(r.status == 0, "\(sql): \(r.output)")
            return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // Both halves of every transaction or neither.
        #expect(try query("SELECT SUM(balance) FROM accounts") == String(Self.accounts * Self.startingBalance))
        #expect(try query("SELECT COUNT(*) FROM ledger_a a LEFT JOIN ledger_b b ON a.id = b.id WHERE b.id IS NULL") == "0")
        #expect(try query("SELECT COUNT(*) FROM ledger_b b LEFT JOIN ledger_a a ON a.id = b.id WHERE a.id IS NULL") == "0")
        // Balances agree with the ledger: each account's change is what the moves say.
        #expect(try query("""
            SELECT COUNT(*) FROM accounts c WHERE c.balance <> \(Self.startingBalance)
              + COALESCE((SELECT SUM(amount) FROM ledger_a WHERE dst = c.id), 0)
              - COALESCE((SELECT SUM(amount) FROM ledger_a WHERE src = c.id), 0)
            """) == "0")
        // Every commit acknowledged before the backup started is there; nothing that was
        // never acknowledged is.
        let present = Set(try query("SELECT id FROM ledger_a").split(separator: "\n").compactMap { Int($0) })
        #expect(ackedBefore.isSubset(of: present), "missing: \(ackedBefore.subtracting(present).sorted().prefix(10))")
        #expect(present.isSubset(of: ackedAll), "never acknowledged: \(present.subtracting(ackedAll).sorted().prefix(10))")
        #expect(try query("SELECT COUNT(*), SUM(LENGTH(body)) FROM filler") == "100\t200000")
    }

    @Test func offlineBackupPrivilegesAndCorruption() throws {
        let db = try DBFixture()
        let work = try makeTemporaryDirectory("backup")
        defer { try? FileManager.default.removeItem(at: work) }
        let setup = try db.mariadb([], input: """
            CREATE DATABASE shop;
            CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(50), price DECIMAL(8,2), note TEXT);
            INSERT INTO shop.items VALUES (1, 'caf\u{e9}', 3.50, 'it''s \\\\ "quoted"'), (2, NULL, 0.01, '\u{1F600}');
            CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw';
            GRANT ALL PRIVILEGES ON shop.* TO 'app'@'%';
            """)
        #expect(setup.status == 0, "\(setup.output)")
        let before = try db.mariadb(["--batch", "-e", "SELECT * FROM shop.items ORDER BY id"])

        // Only SUPER (or ALL on *.*) may back up.
        let denied = try db.mariadb(["-e", "BACKUP DATABASE TO '\(work.path)/x.lz4'"], user: "app", password: "app-pw")
        #expect(denied.status != 0)
        #expect(denied.output.contains("1227"), "\(denied.output)")
        #expect(!FileManager.default.fileExists(atPath: work.path + "/x.lz4"))

        db.process.stop()
        // A serve state directory's own files travel with the database.
        let secrets = db.state.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: secrets.appendingPathComponent("app-password").path, contents: Data("s3cret\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        FileManager.default.createFile(atPath: db.state.appendingPathComponent("serve.initialised").path, contents: Data("initialised\n".utf8))
        let file = work.appendingPathComponent("shop.lz4").path
        let backup = try runTool(OneboxProcess.binary, ["backup", "--state-dir", db.state.path, "--output", file])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("via file"), "\(backup.output)")

        // One flipped byte: restore fails, names the problem, leaves no database behind.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0x01
        let damaged = work.appendingPathComponent("damaged.lz4").path
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let bad = try runTool(OneboxProcess.binary, ["restore", "--input", damaged, "--state-dir", work.path + "/bad"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("damaged"), "\(bad.output)")
        #expect(!FileManager.default.fileExists(atPath: work.path + "/bad/db/onebox.pagestore"))

        // A non-empty target is refused.
        let busy = try runTool(OneboxProcess.binary, ["restore", "--input", file, "--state-dir", db.state.path])
        #expect(busy.status != 0)
        #expect(busy.output.contains("not empty"), "\(busy.output)")

        let restored = work.appendingPathComponent("restored")
        let restore = try runTool(OneboxProcess.binary, ["restore", "--input", file, "--state-dir", restored.path])
        #expect(restore.status == 0, "\(restore.output)")
        #expect(FileManager.default.contents(atPath: restored.appendingPathComponent("secrets/app-password").path) == Data("s3cret\n".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: restored.appendingPathComponent("secrets/app-password").path)
        #expect((mode[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: restored.appendingPathComponent("serve.initialised").path))
        let backupMode = try FileManager.default.attributesOfItem(atPath: file)
        #expect((backupMode[.posixPermissions] as? Int) == 0o600)
        let socket = restored.appendingPathComponent("mysql.sock").path
        let server = try OneboxProcess(["db", "--state-dir", restored.path, "--listen", "none", "--socket", socket],
                                       directory: work)
        defer { server.stop() }
        let after = try runProcess("/usr/bin/mariadb", ["--no-defaults", "--user=app", "--password=app-pw", "--socket=\(socket)",
                                                        "--batch", "-e", "SELECT * FROM shop.items ORDER BY id"])
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output == before.output)
    }

    /// Checks a backup file (`lz4 -t`), restores it into `work/restored`, checks the restored
    /// directory (`onebox check`) and serves it on a socket there.
    static func restoreAndServe(_ file: String, in work: URL) throws -> (server: OneboxProcess, socket: String) {
        let lz4 = try runTool("lz4", ["-t", file])
        #expect(lz4.status == 0, "\(lz4.output)")
        let restored = work.appendingPathComponent("restored")
        let restore = try runTool(OneboxProcess.binary, ["restore", "--input", file, "--state-dir", restored.path])
        #expect(restore.status == 0, "\(restore.output)")
        let check = try runTool(OneboxProcess.binary, ["check", "--state-dir", restored.path])
        #expect(check.status == 0, "\(check.output)")
        let socket = restored.appendingPathComponent("mysql.sock").path
        let server = try OneboxProcess(["db", "--state-dir", restored.path, "--listen", "none", "--socket", socket],
                                       directory: work)
        return (server, socket)
    }

    static func ids(in path: String) -> Set<Int> {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return Set(text.split(separator: "\n").compactMap { Int($0) })
    }
}
