import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An in-memory file system for crash tests, after SQLite's test VFS. It remembers, per
/// file, the durable image (as of the last `sync`) and the writes since. It can:
/// - crash at the Nth mutating operation (write, sync, truncate): that operation and
///   every later one fails, and `crashImage(seed:)` yields the files a machine would
///   find after power loss: each unsynced write kept, dropped, or torn at a 512-byte
///   sector boundary, chosen by the seed;
/// - fail the Nth operation with EIO or ENOSPC and carry on.
/// Every outcome is a function of the schedule and the seed, so failures reproduce.
public final class SimulatedFileSystem: FileSystem {
    public enum Fault: Sendable, Equatable {
        case crash
        case error(errno: Int32)
    }

    struct PendingOp {
        var offset: Int64
        var bytes: [UInt8]  // empty with isTruncate
        var isTruncate: Bool
    }

    struct FileState {
        var current: [UInt8] = []
        var durable: [UInt8] = []
        var pending: [PendingOp] = []
    }

    struct State {
        var files: [String: FileState] = [:]
        var operations = 0
        var faults: [Int: Fault] = [:]
        var crashed = false
        var locked: Set<String> = []
    }

    let state: Mutex<State>
    public static let sectorSize = 512

    public init() { state = Mutex(State()) }

    init(files: [String: FileState]) { state = Mutex(State(files: files)) }

    /// Fails operation number `operation` (counted from the next one, 1-based) with `fault`.
    public func schedule(_ fault: Fault, atOperation operation: Int) {
        state.withLock { $0.faults[$0.operations + operation] = fault }
    }

    /// How many mutating operations (write, sync, truncate) ran so far.
    public var operationCount: Int { state.withLock { $0.operations } }
    public var hasCrashed: Bool { state.withLock { $0.crashed } }

    /// Simulates power loss now: the files as they might be found on restart.
    public func crashImage(seed: UInt64) -> SimulatedFileSystem {
        var rng = SplitMix64(seed: seed)
        let files = state.withLock { s -> [String: FileState] in
            var out: [String: FileState] = [:]
            for (name, f) in s.files {
                var image = f.durable
                for op in f.pending {
                    let choice = rng.next() % 3
                    if choice == 1 { continue }  // dropped
                    if op.isTruncate {
                        let n = Int(op.offset)
                        if n < image.count { image.removeLast(image.count - n) } else {
                            image += [UInt8](repeating: 0, count: n - image.count)
                        }
                        continue
                    }
                    var start = 0
                    var end = op.bytes.count
                    let sectors = (op.bytes.count + Self.sectorSize - 1) / Self.sectorSize
                    if choice == 2 && sectors > 1 {  // torn: one side of a sector boundary
                        let cut = Int(1 + rng.next() % UInt64(sectors - 1)) * Self.sectorSize
                        if rng.next() & 1 == 0 { end = cut } else { start = cut }
                    }
                    Self.apply(&image, at: Int(op.offset) + start, op.bytes[start..<end])
                }
                out[name] = FileState(current: image, durable: image, pending: [])
            }
            return out
        }
        return SimulatedFileSystem(files: files)
    }

    /// The files as the process sees them now, unsynced writes included: what survives
    /// a process crash (the kernel still has the data), as opposed to power loss.
    public func snapshotCurrent() -> SimulatedFileSystem {
        let files = state.withLock { s in
            s.files.mapValues { FileState(current: $0.current, durable: $0.current, pending: []) }
        }
        return SimulatedFileSystem(files: files)
    }

    /// Overwrites `count` bytes at `offset` of a file with garbage (corruption tests).
    public func corrupt(_ path: String, at offset: Int, count: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        state.withLock { s in
            guard var f = s.files[path] else { return }
            for i in offset..<min(offset + count, f.current.count) { f.current[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
            f.durable = f.current
            s.files[path] = f
        }
    }

    public func fileSize(_ path: String) -> Int { state.withLock { $0.files[path]?.current.count ?? 0 } }

    static func apply(_ image: inout [UInt8], at offset: Int, _ bytes: ArraySlice<UInt8>) {
        let end = offset + bytes.count
        if image.count < end { image += [UInt8](repeating: 0, count: end - image.count) }
        image.replaceSubrange(offset..<end, with: bytes)
    }

    public func open(_ path: String, create: Bool) throws -> any StorageFile {
        try state.withLock { s in
            if s.crashed { throw PageStoreError.io(operation: "open", path: path, errno: EIO) }
            if s.files[path] == nil {
                guard create else { throw PageStoreError.io(operation: "open", path: path, errno: ENOENT) }
                s.files[path] = FileState()
            }
        }
        return SimulatedFile(fs: self, path: path)
    }

    public func exists(_ path: String) -> Bool { state.withLock { $0.files[path] != nil } }

    /// Atomic and durable, like rename(2) followed by an fsync of the directory.
    public func rename(_ from: String, to: String) throws {
        try state.withLock { s in
            try begin(&s, "rename", to)
            if s.crashed { throw PageStoreError.io(operation: "rename", path: to, errno: EIO) }
            guard let f = s.files.removeValue(forKey: from) else {
                throw PageStoreError.io(operation: "rename", path: from, errno: ENOENT)
            }
            s.files[to] = f
        }
    }

    /// Counts a mutating operation and applies a scheduled fault; returns false when
    /// the operation must fail with the returned errno.
    fileprivate func begin(_ s: inout State, _ op: String, _ path: String) throws {
        if s.crashed { throw PageStoreError.io(operation: op, path: path, errno: EIO) }
        s.operations += 1
        switch s.faults[s.operations] {
        case .none: return
        case .crash?:
            s.crashed = true
        case let .error(e)?:
            throw PageStoreError.io(operation: op, path: path, errno: e)
        }
    }
}

final class SimulatedFile: StorageFile {
    let fs: SimulatedFileSystem
    let path: String

    init(fs: SimulatedFileSystem, path: String) {
        self.fs = fs
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try fs.state.withLock { s in
            if s.crashed { throw PageStoreError.io(operation: "read", path: path, errno: EIO) }
            let data = s.files[path]!.current
            let start = Int(offset)
            guard start < data.count else { return 0 }
            let n = min(buffer.count, data.count - start)
            data.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + start, byteCount: n) }
            return n
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        try fs.state.withLock { s in
            try fs.begin(&s, "write", path)
            let copy = [UInt8](bytes)
            s.files[path]!.pending.append(.init(offset: offset, bytes: copy, isTruncate: false))
            if s.crashed { throw PageStoreError.io(operation: "write", path: path, errno: EIO) }
            SimulatedFileSystem.apply(&s.files[path]!.current, at: Int(offset), copy[...])
        }
    }

    /// Makes durable what was written before the call began. The lock is dropped in
    /// between (as a real fsync takes time), so writes racing with it are not covered —
    /// this widens the windows in which group-commit ordering bugs would show.
    func sync() throws {
        let (image, covered) = try fs.state.withLock { s -> ([UInt8], Int) in
            try fs.begin(&s, "fsync", path)
            if s.crashed { throw PageStoreError.io(operation: "fsync", path: path, errno: EIO) }
            return (s.files[path]!.current, s.files[path]!.pending.count)
        }
        sched_yield()
        try fs.state.withLock { s in
            if s.crashed { throw PageStoreError.io(operation: "fsync", path: path, errno: EIO) }
            // Writes that raced with the fsync stay pending over the synced image.
            s.files[path]!.pending.removeFirst(covered)
            s.files[path]!.durable = image
        }
    }

    func size() throws -> Int64 {
        try fs.state.withLock { s in
            if s.crashed { throw PageStoreError.io(operation: "stat", path: path, errno: EIO) }
            return Int64(s.files[path]!.current.count)
        }
    }

    func truncate(to size: Int64) throws {
        try fs.state.withLock { s in
            try fs.begin(&s, "truncate", path)
            s.files[path]!.pending.append(.init(offset: size, bytes: [], isTruncate: true))
            if s.crashed { throw PageStoreError.io(operation: "truncate", path: path, errno: EIO) }
            var f = s.files[path]!.current
            let n = Int(size)
            if n < f.count { f.removeLast(f.count - n) } else { f += [UInt8](repeating: 0, count: n - f.count) }
            s.files[path]!.current = f
        }
    }

    func lockExclusive() throws {
        try fs.state.withLock { s in
            if s.locked.contains(path) { throw PageStoreError.locked(path: path) }
            s.locked.insert(path)
        }
    }

    func unlock() { fs.state.withLock { _ = $0.locked.remove(path) } }

    func close() {}
}

/// A small seeded generator (SplitMix64): reproducible fault choices.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
