// The onebox backup file: one LZ4 frame (so `lz4 -t` checks it and `lz4 -d` unpacks it;
// the frame carries its own xxHash32 content checksum) whose decompressed content is a
// stream of little-endian records:
//
// Header (once)
// | offset | size | field                                                    |
// |--------|------|----------------------------------------------------------|
// | 0      | 8    | magic "OBXBACKP"                                         |
// | 8      | 4    | format version (1)                                       |
// | 12     | 4    | manifest length M (1 ... 65536)                          |
// | 16     | M    | manifest: UTF-8 JSON, `BackupManifest` (with the state   |
// |        |      | directory's secrets/, tls/, serve.initialised)           |
// | 16+M   | 4    | CRC-32C of bytes 0 ..< 16+M                              |
//
// Chunk (repeated; pages in order, together exactly 0 ..< pageCount)
// | 0      | 4    | tag "PAGE"                                               |
// | 4      | 4    | first page number                                        |
// | 8      | 4    | page count n (1 ... manifest.chunkPages)                 |
// | 12     | n×P  | the pages (P = manifest.pageSize)                        |
// | 12+n×P | 4    | CRC-32C of this chunk's bytes 0 ..< 12+n×P               |
//
// Trailer (once, last)
// | 0      | 4    | tag "END."                                               |
// | 4      | 4    | chunk count                                              |
// | 8      | 4    | page count (again)                                       |
// | 12     | 8    | stream length before the trailer                         |
// | 20     | 4    | CRC-32C of the whole stream before this field            |
//
// Invariants: the pages are a standalone PageStore data file of one committed snapshot
// (`BackupSource`), so restoring is writing them out in order; a reader accepts the
// file only when every CRC, the counts, the trailer and the LZ4 frame end all agree and
// nothing follows the frame.
import Foundation
import PageStore

enum BackupFormat {
    static let magic: [UInt8] = Array("OBXBACKP".utf8)
    static let version: UInt32 = 1
    static let pageTag: [UInt8] = Array("PAGE".utf8)
    static let endTag: [UInt8] = Array("END.".utf8)
    static let maximumManifestLength = 65536
    static let chunkHeaderLength = 12
    static let trailerLength = 24
    /// The largest chunk a reader accepts: bounds memory whatever the manifest claims.
    static let maximumChunkBytes = 64 << 20
}

/// What a backup holds, written as JSON at the start of the file and printed by restore.
public struct BackupManifest: Codable, Equatable, Sendable {
    public var formatVersion: Int
    public var pageSize: Int
    public var pageCount: Int
    /// The commit point (PageStore LSN) of the snapshot: every commit up to it is in the
    /// backup, none after.
    public var snapshotLSN: UInt64
    /// ISO 8601, UTC.
    public var createdAt: String
    /// The server that took it (`SELECT VERSION()` of the source).
    public var serverVersion: String
    /// The database file the pages came from.
    public var sourcePath: String
    public var chunkPages: Int
    /// The state directory's secrets/, tls/ and serve.initialised (BackupStateFile); absent
    /// in backups from before they were carried, and for a database outside a state directory.
    public var stateFiles: [BackupStateFile]?
}

/// Why a backup could not be written or restored. Every corruption names where it is.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a onebox backup, is damaged or truncated.
    case corrupt(path: String, reason: String)
    /// The restore target holds files already.
    case targetNotEmpty(path: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .corrupt(path, reason): "\(path) is damaged or not a onebox backup: \(reason)"
        case let .targetNotEmpty(path): "\(path) is not empty; restore only into an empty or missing directory"
        case let .io(path, reason): "\(path): \(reason)"
        }
    }
}

/// What a finished backup wrote.
public struct BackupSummary: Sendable {
    public var manifest: BackupManifest
    /// Bytes of the backup file (compressed).
    public var fileBytes: Int64
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
