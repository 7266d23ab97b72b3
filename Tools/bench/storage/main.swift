// pagestore-bench: PageStore against SQLite (WAL mode), in-process, same data.
//
//   swift build -c release --product pagestore-bench
//   .build/release/pagestore-bench [--rows N] [--dir DIR]
//
// Without --engine it runs each engine in a child process (so peak memory is per
// engine) and prints both figures and the ratio (>1 means PageStore is faster).
import CSQLite
import Dispatch
import PageStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

struct Config {
    var rows = 1_000_000
    var batch = 1000
    var lookups = 300_000
    var scans = 30_000
    var threads = 8
    var commitsPerThread = 150
    var bigPoolBytes = 512 << 20
    var smallPoolBytes = 8 << 20
    var dir = "/tmp/pagestore-bench"
    var engine: String?
    var pageSize = 16384
}

let config: Config = {
var config = Config()
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--rows": config.rows = Int(args.popFirst()!)!
    case "--lookups": config.lookups = Int(args.popFirst()!)!
    case "--scans": config.scans = Int(args.popFirst()!)!
    case "--commits": config.commitsPerThread = Int(args.popFirst()!)!
    case "--dir": config.dir = args.popFirst()!
    case "--engine": config.engine = args.popFirst()!
    case "--page-size": config.pageSize = Int(args.popFirst()!)!
    default: fatalError("unknown argument \(a)")
    }
}
return config
}()

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// 16-byte keys in random order: 8 hashed bytes, then the row number.
func key(_ i: Int) -> [UInt8] {
    var k = [UInt8](repeating: 0, count: 16)
    k.withUnsafeMutableBytes { b in
        b.storeBytes(of: mix(UInt64(i)).bigEndian, toByteOffset: 0, as: UInt64.self)
        b.storeBytes(of: UInt64(i).bigEndian, toByteOffset: 8, as: UInt64.self)
    }
    return k
}

func value(_ i: Int) -> [UInt8] {
    var v = [UInt8](repeating: 0, count: 100)
    var x = UInt64(i)
    for j in stride(from: 0, to: 96, by: 8) {
        x = mix(x)
        v.withUnsafeMutableBytes { $0.storeBytes(of: x, toByteOffset: j, as: UInt64.self) }
    }
    return v
}

func peakRSSKiB() -> Int {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return u.ru_maxrss
}

func report(_ name: String, _ opsPerSecond: Double) {
    print("RESULT \(name) \(opsPerSecond)")
    fflush(nil)
}

/// Runs `body(i)` on `n` real threads (not Dispatch's CPU-wide pool: committers block in fsync).
func runThreads(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }
    var threads: [pthread_t] = []
    for i in 0..<n {
        var t = pthread_t()
        let box = Unmanaged.passRetained(Box(body, i)).toOpaque()
        pthread_create(&t, nil, { raw in
            let b = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            b.body(b.index)
            return nil
        }, box)
        threads.append(t)
    }
    for t in threads { pthread_join(t, nil) }
}

// MARK: PageStore

func benchPageStore() throws {
    do {
        let page = (0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var acc: UInt32 = 0
        let t0 = now()
        for _ in 0..<20000 { acc &+= CRC32C.checksum(page) }
        print("INFO CRC-32C \(CRC32C.usesHardware ? "hardware" : "software"): \(Int(Double(20000 * 16384) / (now() - t0) / 1e6)) MB/s (\(acc & 1))")
    }
    let path = config.dir + "/pagestore.db"
    _ = unlink(path)
    _ = unlink(path + "-wal")
    var options = Options()
    options.bufferPoolBytes = config.bigPoolBytes
    options.pageSize = config.pageSize
    options.autoCheckpointFrames = 4000
    var db = try Database.open(path: path, options: options)
    var t0 = now()
    var i = 0
    while i < config.rows {
        try db.write { tx in
            let t = try tx.openOrCreateTree(named: "kv")
            for j in i..<min(i + config.batch, config.rows) { try t.put(key(j), value(j)) }
        }
        i += config.batch
    }
    report("insert", Double(config.rows) / (now() - t0))
    try db.checkpoint()

    func lookups(_ db: Database, _ name: String) throws {
        var rng = UInt64(7)
        try db.read { tx in
            let t = try tx.tree(named: "kv")!
            for _ in 0..<min(config.lookups / 4, 50_000) { rng = mix(rng); _ = try t.get(key(Int(rng % UInt64(config.rows)))) }
            let t0 = now()
            for _ in 0..<config.lookups {
                rng = mix(rng)
                guard try t.get(key(Int(rng % UInt64(config.rows)))) != nil else { fatalError("missing key") }
            }
            report(name, Double(config.lookups) / (now() - t0))
        }
    }
    try lookups(db, "lookup")

    try db.read { tx in
        let t = try tx.tree(named: "kv")!
        var rng = UInt64(11)
        let c = t.makeCursor()
        let t0 = now()
        var rows = 0
        for _ in 0..<config.scans {
            rng = mix(rng)
            var ok = try c.seek(key(Int(rng % UInt64(config.rows))))
            var n = 0
            while ok && n < 100 { _ = try c.value(); n += 1; rows += 1; ok = try c.next() }
        }
        report("scan100", Double(config.scans) / (now() - t0))
    }

    func commits(_ db: Database, _ name: String, base: Int) {
        let before = db.statistics
        defer {
            let after = db.statistics
            let factor = Double(after.commits - before.commits) / Double(max(1, after.logSyncs - before.logSyncs))
            print("INFO \(name): \(after.commits - before.commits) commits, \(after.logSyncs - before.logSyncs) log fsyncs (\(Double(Int(factor * 10)) / 10) commits per fsync)")
        }
        let t0 = now()
        runThreads(config.threads) { w in
            for c in 0..<config.commitsPerThread {
                let n = config.rows + base + w * config.commitsPerThread + c
                do { try db.write { try $0.tree(named: "kv")!.put(key(n), value(n)) } } catch { fatalError("\(error)") }
            }
        }
        report(name, Double(config.threads * config.commitsPerThread) / (now() - t0))
    }
    commits(db, "commit8_durable", base: 0)
    try db.close()

    options.durability = .relaxed(flushIntervalMilliseconds: 1000)
    db = try Database.open(path: path, options: options)
    commits(db, "commit8_relaxed", base: 1_000_000)
    try db.close()

    options.durability = .full
    options.bufferPoolBytes = config.smallPoolBytes
    db = try Database.open(path: path, options: options)
    try lookups(db, "lookup_smallpool")
    commits(db, "commit8_smallpool", base: 2_000_000)
    let s = db.statistics
    print("INFO pagestore small pool: \(s)")
    try db.close()
    t0 = now()
    report("peak_rss_kib", Double(peakRSSKiB()))
}

// MARK: SQLite

final class SQLite: @unchecked Sendable {
    var db: OpaquePointer?
    init(_ path: String, cacheKiB: Int, synchronous: String) {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else { fatalError("open") }
        sqlite3_busy_timeout(db, 60_000)
        exec("PRAGMA journal_mode=WAL")
        exec("PRAGMA synchronous=\(synchronous)")
        exec("PRAGMA cache_size=-\(cacheKiB)")
        exec("CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID")
    }
    deinit { sqlite3_close(db) }
    func exec(_ sql: String) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK { fatalError("\(sql): \(String(cString: err!))") }
    }
    func prepare(_ sql: String) -> OpaquePointer {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else { fatalError("prepare \(sql)") }
        return s!
    }
}

func bind(_ s: OpaquePointer, _ i: Int32, _ b: [UInt8]) {
    b.withUnsafeBytes { _ = sqlite3_bind_blob(s, i, $0.baseAddress, Int32($0.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self)) }
}

func benchSQLite() {
    let path = config.dir + "/sqlite.db"
    for suffix in ["", "-wal", "-shm"] { _ = unlink(path + suffix) }
    var db = SQLite(path, cacheKiB: config.bigPoolBytes >> 10, synchronous: "FULL")
    var ins = db.prepare("INSERT OR REPLACE INTO kv(k, v) VALUES(?, ?)")
    let t0 = now()
    var i = 0
    while i < config.rows {
        db.exec("BEGIN")
        for j in i..<min(i + config.batch, config.rows) {
            bind(ins, 1, key(j)); bind(ins, 2, value(j))
            guard sqlite3_step(ins) == SQLITE_DONE else { fatalError("insert") }
            sqlite3_reset(ins)
        }
        db.exec("COMMIT")
        i += config.batch
    }
    sqlite3_finalize(ins)
    report("insert", Double(config.rows) / (now() - t0))
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)")

    func lookups(_ db: SQLite, _ name: String) {
        let sel = db.prepare("SELECT v FROM kv WHERE k = ?")
        var rng = UInt64(7)
        db.exec("BEGIN")
        func one() {
            rng = mix(rng)
            bind(sel, 1, key(Int(rng % UInt64(config.rows))))
            guard sqlite3_step(sel) == SQLITE_ROW else { fatalError("missing key") }
            let n = Int(sqlite3_column_bytes(sel, 0))
            let v = [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(sel, 0), count: n))
            precondition(v.count == 100)
            sqlite3_reset(sel)
        }
        for _ in 0..<min(config.lookups / 4, 50_000) { one() }
        let t0 = now()
        for _ in 0..<config.lookups { one() }
        report(name, Double(config.lookups) / (now() - t0))
        db.exec("COMMIT")
        sqlite3_finalize(sel)
    }
    lookups(db, "lookup")

    do {
        let sel = db.prepare("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT 100")
        var rng = UInt64(11)
        db.exec("BEGIN")
        let t0 = now()
        for _ in 0..<config.scans {
            rng = mix(rng)
            bind(sel, 1, key(Int(rng % UInt64(config.rows))))
            while sqlite3_step(sel) == SQLITE_ROW {
                let k = [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(sel, 0), count: Int(sqlite3_column_bytes(sel, 0))))
                let v = [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(sel, 1), count: Int(sqlite3_column_bytes(sel, 1))))
                precondition(k.count == 16 && v.count == 100)
            }
            sqlite3_reset(sel)
        }
        report("scan100", Double(config.scans) / (now() - t0))
        db.exec("COMMIT")
        sqlite3_finalize(sel)
    }

    func commits(_ name: String, synchronous: String, cacheKiB: Int, base: Int) {
        let t0 = now()
        runThreads(config.threads) { w in
            let c = SQLite(path, cacheKiB: cacheKiB, synchronous: synchronous)
            let ins = c.prepare("INSERT OR REPLACE INTO kv(k, v) VALUES(?, ?)")
            for j in 0..<config.commitsPerThread {
                let n = config.rows + base + w * config.commitsPerThread + j
                c.exec("BEGIN IMMEDIATE")
                bind(ins, 1, key(n)); bind(ins, 2, value(n))
                guard sqlite3_step(ins) == SQLITE_DONE else { fatalError("insert") }
                sqlite3_reset(ins)
                c.exec("COMMIT")
            }
            sqlite3_finalize(ins)
        }
        report(name, Double(config.threads * config.commitsPerThread) / (now() - t0))
    }
    commits("commit8_durable", synchronous: "FULL", cacheKiB: 2048, base: 0)
    commits("commit8_relaxed", synchronous: "NORMAL", cacheKiB: 2048, base: 1_000_000)
    db = SQLite(path, cacheKiB: config.smallPoolBytes >> 10, synchronous: "FULL")
    lookups(db, "lookup_smallpool")
    commits("commit8_smallpool", synchronous: "FULL", cacheKiB: config.smallPoolBytes >> 10, base: 2_000_000)
    _ = ins
    ins = db.prepare("SELECT 1")
    sqlite3_finalize(ins)
    report("peak_rss_kib", Double(peakRSSKiB()))
}

// MARK: driver

func runChild(_ engine: String) -> [(String, Double)] {
    var cmd = "'\(CommandLine.arguments[0])' --engine \(engine) --dir '\(config.dir)'"
    cmd += " --page-size \(config.pageSize) --rows \(config.rows) --lookups \(config.lookups) --scans \(config.scans) --commits \(config.commitsPerThread)"
    guard let pipe = popen(cmd, "r") else { fatalError("popen") }
    var results: [(String, Double)] = []
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), pipe) != nil {
        let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingSuffix()
        let parts = s.split(separator: " ")
        if parts.first == "RESULT", parts.count == 3, let v = Double(parts[2]) {
            results.append((String(parts[1]), v))
        } else {
            print("  [\(engine)] \(s)")
        }
    }
    pclose(pipe)
    return results
}

extension String {
    func trimmingSuffix() -> String {
        var s = self
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return s
    }
}

_ = mkdir(config.dir, 0o755)
if let engine = config.engine {
    if engine == "pagestore" { try benchPageStore() } else { benchSQLite() }
} else {
    print("rows=\(config.rows) (16-byte keys, 100-byte values, transactions of \(config.batch)); lookups=\(config.lookups); scans=\(config.scans)x100; \(config.threads) threads x \(config.commitsPerThread) single-row commits; PageStore pages \(config.pageSize / 1024) KiB; pools \(config.bigPoolBytes >> 20) MiB / \(config.smallPoolBytes >> 20) MiB")
    let ps = runChild("pagestore")
    let sq = runChild("sqlite")
    let pad = { (s: String, n: Int) in s + String(repeating: " ", count: max(0, n - s.count)) }
    print(pad("line", 22) + pad("pagestore", 16) + pad("sqlite", 16) + "ratio")
    for (name, v) in ps {
        guard let other = sq.first(where: { $0.0 == name })?.1 else { continue }
        let unit = name == "peak_rss_kib" ? " KiB" : "/s"
        let ratio = name == "peak_rss_kib" ? other / v : v / other
        print(pad(name, 22) + pad(String(Int(v)) + unit, 16) + pad(String(Int(other)) + unit, 16) + String(Double(Int(ratio * 100)) / 100))
    }
}
