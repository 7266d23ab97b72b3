import CompressNIO
import NIOCore
import Synchronization

/// Small hot files in memory, shared by every event loop, bounded by a byte budget.
/// An entry is used only while `stat` still reports the same device, inode, size and
/// mtime, so an edited file is served fresh on the next request. When the budget is
/// exceeded the oldest-inserted entries go first. SIGHUP empties it.
final class StaticFileCache: Sendable {
    private struct State {
        var entries: [String: CachedFile] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let maxFileSize: Int
    let maxBytes: Int
    let gzip: Bool

    init(maxFileSize: Int, maxBytes: Int, gzip: Bool) {
        self.maxFileSize = maxFileSize
        self.maxBytes = maxBytes
        self.gzip = gzip
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
}
