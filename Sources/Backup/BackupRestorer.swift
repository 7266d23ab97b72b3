import Foundation
import LZ4
import PageStore

/// Restores a backup file (layout in BackupFormat.swift) into an empty state directory.
///
/// The pages are written to `<database>.restoring` while every checksum is verified as
/// the stream goes by; only when the whole file checked out (chunk CRCs, the stream CRC,
/// counts, the LZ4 frame's end and content checksum) is the file fsynced and renamed to
/// the database path. On any failure the target is left as it was (missing or empty).
public enum BackupRestorer {
    /// Bytes of compressed input read per step (LZ4 expands at most ~255×: bounded output).
    static let readBytes = 64 << 10

    /// Restores `input` so that `databaseFile` (inside `directory`, which must be empty
    /// or missing) becomes the backup's database. Returns the backup's manifest.
    public static func restore(from input: String, into directory: String, databaseFile: String) throws -> BackupManifest {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let targetExisted = fm.fileExists(atPath: directory, isDirectory: &isDirectory)
        if targetExisted {
            guard isDirectory.boolValue else { throw BackupError.io(path: directory, reason: "exists and is not a directory") }
            let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            guard entries.isEmpty else { throw BackupError.targetNotEmpty(path: directory) }
        }
        guard let handle = FileHandle(forReadingAtPath: input) else {
            throw BackupError.io(path: input, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let databaseDirectory = (databaseFile as NSString).deletingLastPathComponent
        do {
            try fm.createDirectory(atPath: databaseDirectory, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        } catch {
            throw BackupError.io(path: databaseDirectory, reason: "\(error)")
        }
        let fs = POSIXFileSystem()
        let temporary = databaseFile + ".restoring"
        let manifest: BackupManifest
        do {
            let file = try fs.open(temporary, create: true)
            defer { file.close() }
            try file.truncate(to: 0)
            var reader = BackupStreamReader(path: input, sink: file)
            let decoder = try LZ4FrameDecoder()
            while true {
                let block: Data
                do { block = try handle.read(upToCount: readBytes) ?? Data() } catch {
                    throw BackupError.io(path: input, reason: "read failed: \(error)")
                }
                if block.isEmpty { break }
                let decoded: [UInt8]
                do { decoded = try decoder.update(block) } catch {
                    throw BackupError.corrupt(path: input, reason: "LZ4 frame: \(error)")
                }
                try reader.consume(decoded)
            }
            guard decoder.isAtFrameBoundary else {
                throw BackupError.corrupt(path: input, reason: "the LZ4 frame is truncated")
            }
            manifest = try reader.finish()
            try file.sync()
            try BackupStateFile.write(manifest.stateFiles ?? [], into: directory, input: input)
        } catch {
            _ = unlink(temporary)
            // Leave the target as it was: missing, or empty.
            if targetExisted {
                for entry in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] { try? fm.removeItem(atPath: directory + "/" + entry) }
            } else {
                try? fm.removeItem(atPath: directory)
            }
            if let error = error as? BackupError { throw error }
            throw BackupError.io(path: temporary, reason: "\(error)")
        }
        do { try fs.rename(temporary, to: databaseFile) } catch {
            _ = unlink(temporary)
            throw BackupError.io(path: databaseFile, reason: "\(error)")
        }
        return manifest
    }

    /// Reads and checks a whole backup without writing anything; returns its manifest.
    public static func verify(_ input: String) throws -> BackupManifest {
        guard let handle = FileHandle(forReadingAtPath: input) else {
            throw BackupError.io(path: input, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var reader = BackupStreamReader(path: input, sink: nil)
        let decoder = try LZ4FrameDecoder()
        while true {
            let block = (try? handle.read(upToCount: readBytes)) ?? Data()
            if block.isEmpty { break }
            let decoded: [UInt8]
            do { decoded = try decoder.update(block) } catch {
                throw BackupError.corrupt(path: input, reason: "LZ4 frame: \(error)")
            }
            try reader.consume(decoded)
        }
        guard decoder.isAtFrameBoundary else { throw BackupError.corrupt(path: input, reason: "the LZ4 frame is truncated") }
        return try reader.finish()
    }
}

/// Parses the decompressed stream incrementally, checking as it goes, and writes each
/// verified chunk's pages to `sink` at their offsets.
struct BackupStreamReader {
    let path: String
    let sink: (any StorageFile)?
    private var buffer: [UInt8] = []
    private var position = 0
    private var manifest: BackupManifest?
    private var stream = StreamChecksum()
    private var nextPage = 0
    private var chunks = 0
    private var isFinished = false

    init(path: String, sink: (any StorageFile)?) {
        self.path = path
        self.sink = sink
    }

    private func corrupt(_ reason: String) -> BackupError { .corrupt(path: path, reason: reason) }

    mutating func consume(_ bytes: [UInt8]) throws {
        if bytes.isEmpty { return }
        if isFinished { throw corrupt("data after the trailer") }
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        while try step() {}
    }

    /// Parses one record when it is whole; false when more input is needed.
    private mutating func step() throws -> Bool {
        let available = buffer.count - position
        if isFinished {
            if available > 0 { throw corrupt("data after the trailer") }
            return false
        }
        let current = buffer  // shares storage; `self` is mutated inside the closure
        return try current.withUnsafeBytes { all -> Bool in
            let bytes = UnsafeRawBufferPointer(rebasing: all[position...])
            guard let manifest else {
                guard available >= 16 else { return false }
                guard Array(bytes[0..<8]) == BackupFormat.magic else { throw corrupt("bad magic (not a onebox backup)") }
                let version = bytes.littleEndian(UInt32.self, at: 8)
                guard version == BackupFormat.version else { throw corrupt("format version \(version), this onebox reads \(BackupFormat.version)") }
                let length = Int(bytes.littleEndian(UInt32.self, at: 12))
                guard length > 0, length <= BackupFormat.maximumManifestLength else { throw corrupt("manifest length \(length) out of range") }
                guard available >= 16 + length + 4 else { return false }
                let stored = bytes.littleEndian(UInt32.self, at: 16 + length)
                let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(16 + length)]))
                guard stored == computed else { throw corrupt("manifest CRC-32C mismatch (stored \(hex(stored)), computed \(hex(computed)))") }
                let decoded: BackupManifest
                do { decoded = try JSONDecoder().decode(BackupManifest.self, from: Data(bytes[16..<(16 + length)])) } catch {
                    throw corrupt("manifest is not valid JSON: \(error)")
                }
                try validate(decoded)
                self.manifest = decoded
                _ = stream.add(UnsafeRawBufferPointer(rebasing: bytes[0..<(16 + length + 4)]))
                position += 16 + length + 4
                return true
            }
            guard available >= 4 else { return false }
            let tag = Array(bytes[0..<4])
            if tag == BackupFormat.pageTag {
                guard available >= BackupFormat.chunkHeaderLength else { return false }
                let first = Int(bytes.littleEndian(UInt32.self, at: 4))
                let count = Int(bytes.littleEndian(UInt32.self, at: 8))
                let where_ = "chunk \(chunks) (pages \(first)..<\(first + count))"
                guard first == nextPage else { throw corrupt("\(where_): expected page \(nextPage) next") }
                guard count >= 1, count <= manifest.chunkPages, first + count <= manifest.pageCount else {
                    throw corrupt("\(where_): page count out of range (chunk size \(manifest.chunkPages), \(manifest.pageCount) pages)")
                }
                let length = BackupFormat.chunkHeaderLength + count * manifest.pageSize + 4
                guard available >= length else { return false }
                let stored = bytes.littleEndian(UInt32.self, at: length - 4)
                let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(length - 4)]))
                guard stored == computed else {
                    throw corrupt("\(where_): CRC-32C mismatch (stored \(hex(stored)), computed \(hex(computed)))")
                }
                let pages = UnsafeRawBufferPointer(rebasing: bytes[BackupFormat.chunkHeaderLength..<(length - 4)])
                if first == 0 {
                    guard Array(pages[24..<32]) == Array("OBXPAGES".utf8) else { throw corrupt("page 0 is not a PageStore header page") }
                }
                if let sink {
                    do { try sink.write(pages, at: Int64(first) * Int64(manifest.pageSize)) } catch {
                        throw BackupError.io(path: sink.path, reason: "\(error)")
                    }
                }
                _ = stream.add(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
                nextPage += count
                chunks += 1
                position += length
                return true
            }
            if tag == BackupFormat.endTag {
                guard available >= BackupFormat.trailerLength else { return false }
                let chunkCount = Int(bytes.littleEndian(UInt32.self, at: 4))
                let pageCount = Int(bytes.littleEndian(UInt32.self, at: 8))
                let length = Int(bytes.littleEndian(UInt64.self, at: 12))
                guard chunkCount == chunks, pageCount == manifest.pageCount, nextPage == manifest.pageCount, length == stream.length else {
                    throw corrupt("trailer disagrees: \(chunkCount) chunks, \(pageCount) pages, \(length) bytes recorded; \(chunks) chunks, \(nextPage) of \(manifest.pageCount) pages, \(stream.length) bytes read")
                }
                _ = stream.add(UnsafeRawBufferPointer(rebasing: bytes[0..<20]))
                let stored = bytes.littleEndian(UInt32.self, at: 20)
                guard stored == stream.crc else {
                    throw corrupt("whole-file CRC-32C mismatch (stored \(hex(stored)), computed \(hex(stream.crc)))")
                }
                position += BackupFormat.trailerLength
                isFinished = true
                return true
            }
            throw corrupt("unknown record tag \(hex(bytes.littleEndian(UInt32.self, at: 0))) after chunk \(chunks)")
        }
    }

    private func validate(_ m: BackupManifest) throws {
        guard m.formatVersion == Int(BackupFormat.version) else { throw corrupt("manifest format version \(m.formatVersion)") }
        guard m.pageSize >= 4096, m.pageSize <= 65536, m.pageSize & (m.pageSize - 1) == 0 else {
            throw corrupt("manifest page size \(m.pageSize) is not a power of two in 4096...65536")
        }
        guard m.pageCount >= 2, m.pageCount <= Int(UInt32.max) else { throw corrupt("manifest page count \(m.pageCount) out of range") }
        guard m.chunkPages >= 1, m.chunkPages * m.pageSize <= BackupFormat.maximumChunkBytes else {
            throw corrupt("manifest chunk size \(m.chunkPages) pages out of range")
        }
    }

    /// The manifest, once the trailer has been read and checked.
    func finish() throws -> BackupManifest {
        guard let manifest else { throw corrupt("truncated before the manifest") }
        guard isFinished else { throw corrupt("truncated after \(nextPage) of \(manifest.pageCount) pages (no trailer)") }
        return manifest
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
