import NIOCore

/// A small static file held in memory with its validators, and its gzip form when the
/// type is compressible and gzip saves space. Immutable once made; replaced whole
/// when the file on disk changes (another inode, size or mtime).
final class CachedFile: Sendable {
    let status: FileStatus
    let body: ByteBuffer
    let gzipBody: ByteBuffer?
    let contentType: String
    let entityTag: String
    let lastModified: String

    init(status: FileStatus, body: ByteBuffer, gzipBody: ByteBuffer?, contentType: String) {
        self.status = status
        self.body = body
        self.gzipBody = gzipBody
        self.contentType = contentType
        self.entityTag = status.entityTag
        self.lastModified = HTTPDate.format(epochSeconds: status.modifiedSeconds)
    }

    /// Bytes this entry keeps in memory.
    var cost: Int { body.readableBytes + (gzipBody?.readableBytes ?? 0) }
}
