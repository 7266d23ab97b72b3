// The LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md):
// what the `lz4` command-line tool reads and writes. Online backups are LZ4 frames.
//
// A frame written here is: magic 0x184D2204, frame descriptor (linked 4 MiB-max
// blocks, content checksum on), data blocks, end mark 0x00000000, then the
// xxHash32 content checksum. So `lz4 -d` and `lz4 -t` verify what we write.
import CLZ4
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Compresses a stream of bytes into one LZ4 frame, chunk by chunk, so that a large
/// input (a backup) never has to sit whole in memory.
///
/// Call `begin()` once, `update(_:)` for every chunk, `finish()` once; concatenate
/// their outputs. The encoder owns a liblz4 context and is not thread-safe.
public final class LZ4FrameEncoder {
    private var context: OpaquePointer?
    private var preferences: LZ4F_preferences_t
    private var state = State.idle

    private enum State { case idle, started, finished }

    /// - Parameter level: 0 is LZ4's fast mode; 3...12 select LZ4HC.
    public init(level: Int32 = 0) throws(LZ4Error) {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        // A checksum of each compressed block too: a damaged byte that still decompresses to
        // the same content (a match offset inside a run of zeros) is caught as well.
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        preferences.compressionLevel = level
        self.preferences = preferences
        var context: OpaquePointer?
        let code = LZ4F_createCompressionContext(&context, UInt32(LZ4F_VERSION))
        try LZ4Error.check(code, "LZ4F_createCompressionContext")
        self.context = context
    }

    deinit {
        LZ4F_freeCompressionContext(context)
    }

    /// Returns the frame header. Must be called once, before `update(_:)`.
    public func begin() throws(LZ4Error) -> [UInt8] {
        precondition(state == .idle, "LZ4FrameEncoder.begin() called in state \(state)")
        state = .started
        var output = [UInt8](repeating: 0, count: Int(LZ4F_HEADER_SIZE_MAX))
        let written = output.withUnsafeMutableBytes { buffer in
            LZ4F_compressBegin(context, buffer.baseAddress, buffer.count, &preferences)
        }
        try LZ4Error.check(written, "LZ4F_compressBegin")
        output.removeSubrange(written...)
        return output
    }

    /// Compresses one chunk; the output may be empty while liblz4 buffers input.
    public func update(_ input: some ContiguousBytes) throws(LZ4Error) -> [UInt8] {
        precondition(state == .started, "LZ4FrameEncoder.update(_:) called in state \(state)")
        let result: Result<[UInt8], LZ4Error> = input.withUnsafeBytes { source in
            let bound = LZ4F_compressBound(source.count, &preferences)
            var output = [UInt8](repeating: 0, count: bound)
            let written = output.withUnsafeMutableBytes { buffer in
                LZ4F_compressUpdate(context, buffer.baseAddress, buffer.count, source.baseAddress, source.count, nil)
            }
            do throws(LZ4Error) {
                try LZ4Error.check(written, "LZ4F_compressUpdate")
            } catch {
                return .failure(error)
            }
            output.removeSubrange(written...)
            return .success(output)
        }
        return try result.get()
    }

    /// Flushes buffered input and returns the end mark and the content checksum.
    public func finish() throws(LZ4Error) -> [UInt8] {
        precondition(state == .started, "LZ4FrameEncoder.finish() called in state \(state)")
        state = .finished
        var output = [UInt8](repeating: 0, count: LZ4F_compressBound(0, &preferences))
        let written = output.withUnsafeMutableBytes { buffer in
            LZ4F_compressEnd(context, buffer.baseAddress, buffer.count, nil)
        }
        try LZ4Error.check(written, "LZ4F_compressEnd")
        output.removeSubrange(written...)
        return output
    }
}
