import PageStore
#if canImport(Glibc)
import Glibc
#endif

/// A big-endian key: byte order equals numeric order.
func key(_ n: Int, prefix: String = "k") -> [UInt8] {
    Array(prefix.utf8) + withUnsafeBytes(of: UInt32(n).bigEndian) { Array($0) }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A deterministic value of `length` bytes; compressible when `compressible`.
func value(_ n: Int, length: Int, compressible: Bool = false, seed: UInt64 = 0) -> [UInt8] {
    var rng = SplitMix64(seed: UInt64(n) &* 0x9E37 &+ seed)
    if compressible {
        let word = Array("value-\(n)-".utf8)
        return (0..<length).map { word[$0 % word.count] }
    }
    return (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}

func smallOptions(_ fs: any FileSystem, pageSize: Int = 4096, poolPages: Int = 256) -> Options {
    var o = Options(pageSize: pageSize, bufferPoolBytes: poolPages * pageSize, fileSystem: fs)
    o.autoCheckpointFrames = 200
    return o
}

/// A fresh directory under /tmp for tests that use real files.
func temporaryDirectory() -> String {
    var template = Array("/tmp/pagestore-test-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: p!)
}

func removeDirectory(_ path: String) {
    _ = system("rm -rf '\(path)'")
}

/// Reads a whole tree into an array of pairs, forward.
func contents(_ tree: Tree) throws -> [([UInt8], [UInt8])] {
    var out: [([UInt8], [UInt8])] = []
    let c = tree.makeCursor()
    var ok = try c.first()
    while ok {
        out.append((c.key, try c.value()))
        ok = try c.next()
    }
    return out
}
