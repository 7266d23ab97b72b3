import Foundation
import LZ4
import PageStore

/// Writes a backup file (layout in BackupFormat.swift) from a PageStore snapshot.
///
/// The file is written under `<path>.partial`, fsynced and renamed into place, so
/// `path` is either absent or a whole, checksummed backup.
public enum BackupWriter {
    /// Copies every page of `source` into a new backup file at `path`, `chunkPages` pages
    /// per checksummed chunk (256: 4 MiB at the default 16 KiB page size).
    /// The state files (BackupStateFile) of `sourcePath`'s state directory go into the manifest.
    public static func write(_ source: BackupSource, to path: String, serverVersion: String, sourcePath: String,
                             chunkPages: Int = 256) throws -> BackupSummary {
        precondition(chunkPages > 0, "chunkPages must be positive")
        let stateFiles = try BackupStateFile.stateDirectory(ofDatabase: sourcePath).map(BackupStateFile.collect(from:))
        let manifest = BackupManifest(
            formatVersion: Int(BackupFormat.version), pageSize: source.pageSize, pageCount: source.pageCount,
            snapshotLSN: source.snapshotLSN, createdAt: Date().formatted(.iso8601), serverVersion: serverVersion,
            sourcePath: sourcePath, chunkPages: chunkPages, stateFiles: stateFiles)
        let fs = POSIXFileSystem()
        let temporary = path + ".partial"
        let file: any StorageFile
        do { file = try fs.open(temporary, create: true) } catch { throw BackupError.io(path: temporary, reason: "\(error)") }
        // The file holds secrets (and password hashes): owner only.
        _ = chmod(temporary, 0o600)
        var output = Output(file: file)
        do {
            defer { file.close() }
            try file.truncate(to: 0)
            let encoder = try LZ4FrameEncoder()
            try output.append(try encoder.begin())
            var stream = StreamChecksum()

            let json = try JSONEncoder().encode(manifest)
            var header: [UInt8] = BackupFormat.magic
            header.appendLittleEndian(BackupFormat.version)
            header.appendLittleEndian(UInt32(json.count))
            header.append(contentsOf: json)
            header.appendLittleEndian(CRC32C.checksum(header))
            try output.append(try encoder.update(stream.add(header)))

            let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkPages * source.pageSize, alignment: 4096)
            defer { buffer.deallocate() }
            var first = 0, chunks = 0
            while first < source.pageCount {
                let n = min(chunkPages, source.pageCount - first)
                try source.copyPages(from: first, count: n, into: buffer)
                let pages = UnsafeRawBufferPointer(start: buffer, count: n * source.pageSize)
                var chunkHeader = BackupFormat.pageTag
                chunkHeader.appendLittleEndian(UInt32(first))
                chunkHeader.appendLittleEndian(UInt32(n))
                let crc = CRC32C.checksum(pages, continuing: CRC32C.checksum(chunkHeader))
                var crcBytes: [UInt8] = []
                crcBytes.appendLittleEndian(crc)
                try output.append(try encoder.update(stream.add(chunkHeader)))
                try output.append(try encoder.update(stream.add(pages)))
                try output.append(try encoder.update(stream.add(crcBytes)))
                first += n
                chunks += 1
            }

            var trailer = BackupFormat.endTag
            trailer.appendLittleEndian(UInt32(chunks))
            trailer.appendLittleEndian(UInt32(source.pageCount))
            trailer.appendLittleEndian(UInt64(stream.length))
            _ = stream.add(trailer)
            trailer.appendLittleEndian(stream.crc)
            try output.append(try encoder.update(trailer))
            try output.append(try encoder.finish())
            try output.flush()
            try file.sync()
        } catch {
            _ = unlink(temporary)
            if let error = error as? BackupError { throw error }
            throw BackupError.io(path: path, reason: "\(error)")
        }
        do { try fs.rename(temporary, to: path) } catch {
            _ = unlink(temporary)
            throw BackupError.io(path: path, reason: "\(error)")
        }
        return BackupSummary(manifest: manifest, fileBytes: output.offset)
    }
}

/// The running CRC-32C and length of the decompressed stream.
struct StreamChecksum {
    var crc: UInt32 = 0
    var length = 0

    mutating func add(_ bytes: [UInt8]) -> [UInt8] {
        crc = CRC32C.checksum(bytes, continuing: crc)
        length += bytes.count
        return bytes
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        crc = CRC32C.checksum(bytes, continuing: crc)
        length += bytes.count
        return bytes
    }
}

/// Compressed output gathered into large sequential writes.
private struct Output {
    let file: any StorageFile
    var pending: [UInt8] = []
    var offset: Int64 = 0

    init(file: any StorageFile) {
        self.file = file
        pending.reserveCapacity(Self.flushBytes + (1 << 20))
    }

    static let flushBytes = 4 << 20

    mutating func append(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.flushBytes { try flush() }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try file.write($0, at: offset) }
        offset += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }
}
