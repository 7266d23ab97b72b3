import CompressNIO
import NIOCore
import Synchronization

/// Small hot files in memory, shared by every event loop, bounded by a byte budget.
/// An entry is used only while `stat` still reports the same device, inode, size and
/// mtime. When the budget is exceeded the oldest-inserted entries go first. SIGHUP
/// empties it.
///
/// A request path whose file was found and checked (`SiteDirectory.lookup`: `stat`,
/// real path below the root) is remembered for `revalidateInterval`: within it the
/// same path is answered from memory without a system call (nginx's
/// `open_file_cache_valid`), so an edited file is served fresh within that interval.
/// What is remembered names a cache entry, never a file to open: a file evicted or
/// replaced meanwhile is looked up again.
final class StaticFileCache: Sendable {
    private struct Validated {
        var path: String
        var status: FileStatus
        var until: NIODeadline
    }

    private struct State {
        var entries: [String: CachedFile] = [:]
        var order: [String] = []
        var bytes = 0
        var validated: [SitePath: Validated] = [:]
        /// Request paths found to name no servable file, until when that is trusted.
        var missing: [SitePath: NIODeadline] = [:]
    }

    private let state = Mutex(State())
    let maxFileSize: Int
    let maxBytes: Int
    let gzip: Bool
    let revalidateInterval: TimeAmount
    /// Request paths remembered at most (then forgotten all at once); many spellings
    /// of a path cannot grow the table without bound.
    static let maxValidatedPaths = 4096

    init(maxFileSize: Int, maxBytes: Int, gzip: Bool, revalidateInterval: Duration = .zero) {
        self.maxFileSize = maxFileSize
        self.maxBytes = maxBytes
        self.gzip = gzip
        self.revalidateInterval = .nanoseconds(Int64(revalidateInterval.components.seconds) * 1_000_000_000
            + revalidateInterval.components.attoseconds / 1_000_000_000)
    }

    /// The cached file `sitePath` was last found to be, if that was checked less than
    /// `revalidateInterval` ago and the file is still cached.
    func recentlyValidated(_ sitePath: SitePath, now: NIODeadline) -> (path: String, file: CachedFile)? {
        guard revalidateInterval > .zero else { return nil }
        return state.withLock { state in
            guard let validated = state.validated[sitePath], now < validated.until,
                  let entry = state.entries[validated.path], entry.status == validated.status else { return nil }
            return (validated.path, entry)
        }
    }

    /// `sitePath` was just found to be the file at `path`, cached as `file`.
    func rememberValidated(_ sitePath: SitePath, path: String, file: CachedFile, now: NIODeadline) {
        guard revalidateInterval > .zero else { return }
        state.withLock { state in
            if state.validated.count >= Self.maxValidatedPaths && state.validated[sitePath] == nil {
                state.validated.removeAll(keepingCapacity: true)
            }
            state.validated[sitePath] = Validated(path: path, status: file.status, until: now + revalidateInterval)
        }
    }

    /// What a lookup of `sitePath` found less than `revalidateInterval` ago, in one
    /// lock: the cached file it named, or that it named no servable file (nginx's
    /// `open_file_cache_errors`: the request goes to the upstream without a `stat`, which
    /// every proxied request made otherwise); nil when it must be looked up on disk.
    enum RecentLookup {
        case file(path: String, file: CachedFile)
        case missing
    }

    func recentLookup(_ sitePath: SitePath, now: NIODeadline) -> RecentLookup? {
        guard revalidateInterval > .zero else { return nil }
        return state.withLock { state in
            if let validated = state.validated[sitePath], now < validated.until,
               let entry = state.entries[validated.path], entry.status == validated.status {
                return .file(path: validated.path, file: entry)
            }
            if let until = state.missing[sitePath], now < until { return .missing }
            return nil
        }
    }

    func recentlyMissing(_ sitePath: SitePath, now: NIODeadline) -> Bool {
        if case .missing = recentLookup(sitePath, now: now) { return true }
        return false
    }

    /// `sitePath` was just found to name no servable file.
    func rememberMissing(_ sitePath: SitePath, now: NIODeadline) {
        guard revalidateInterval > .zero else { return }
        state.withLock { state in
            if state.missing.count >= Self.maxValidatedPaths && state.missing[sitePath] == nil {
                state.missing.removeAll(keepingCapacity: true)
            }
            state.missing[sitePath] = now + revalidateInterval
        }
    }

    /// The cached entry for `path` if it is still the file `status` describes.
    func entry(path: String, status: FileStatus) -> CachedFile? {
        guard let entry = state.withLock({ $0.entries[path] }), entry.status == status else { return nil }
        return entry
    }

    /// Reads a small file and caches it; nil when it is too big or changed while read.
    func load(path: String, status: FileStatus, contentType: String) -> CachedFile? {
        guard status.size <= maxFileSize, status.size <= maxBytes else { return nil }
        guard let body = FileReader.readWhole(path: path, expectedSize: status.size, allocator: ByteBufferAllocator()) else {
            return nil
        }
        var gzipBody: ByteBuffer?
        if gzip, status.size >= 256, MediaTypes.isCompressible(contentType) {
            if let sibling = FileStatus(path: path + ".gz"), sibling.isRegularFile, sibling.size < status.size,
               let precompressed = FileReader.readWhole(path: path + ".gz", expectedSize: sibling.size, allocator: ByteBufferAllocator()) {
                gzipBody = precompressed
            } else {
                var input = body
                if let compressed = try? input.compress(with: .gzip()), compressed.readableBytes < status.size {
                    gzipBody = compressed
                }
            }
        }
        let entry = CachedFile(status: status, body: body, gzipBody: gzipBody, contentType: contentType)
        state.withLock { state in
            if let old = state.entries[path] {
                state.bytes -= old.cost
                state.order.removeAll { $0 == path }
            }
            while state.bytes + entry.cost > maxBytes, !state.order.isEmpty {
                let victim = state.order.removeFirst()
                state.bytes -= state.entries.removeValue(forKey: victim)?.cost ?? 0
            }
            state.entries[path] = entry
            state.order.append(path)
            state.bytes += entry.cost
        }
        return entry
    }

    func removeAll() {
        state.withLock { $0 = State() }
    }

    /// Request paths remembered as missing (for tests).
    var missingPathCount: Int { state.withLock { $0.missing.count } }

    /// Request paths remembered as validated (for tests).
    var validatedPathCount: Int { state.withLock { $0.validated.count } }
}
