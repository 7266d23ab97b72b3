// pagestore-crash-child PATH START: commits transactions forever and prints
// "ack N" after commit N returns (fsync mode). The SIGKILL crash test in
// PageStoreTests kills it at random moments and checks every acknowledged commit.
//
// Transaction N puts "row/N" = value(N) and sets "last" = N, plus every 7th
// transaction rewrites a large overflow value and every 5th deletes "row/(N-3)".
import PageStore
#if canImport(Glibc)
import Glibc
#endif

let path = CommandLine.arguments[1]
var n = Int(CommandLine.arguments[2])!
var options = Options()
options.pageSize = 4096
options.autoCheckpointFrames = 50
let db = try Database.open(path: path, options: options)

func row(_ n: Int) -> [UInt8] { Array("row/\(n)".utf8) }
func payload(_ n: Int, _ length: Int) -> [UInt8] { (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) } }

while true {
    try db.write { tx in
        let t = try tx.openOrCreateTree(named: "t")
        try t.put(row(n), payload(n, 40 + n % 200))
        try t.put(Array("last".utf8), Array(String(n).utf8))
        if n % 7 == 0 { try t.put(Array("blob".utf8), payload(n, 30000)) }
        if n % 5 == 0 { try t.delete(row(n - 3)) }
    }
    print("ack \(n)")
    fflush(nil)
    n += 1
}
