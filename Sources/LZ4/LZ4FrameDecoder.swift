// Decodes LZ4 frames (see LZ4FrameEncoder.swift for the layout) incrementally.
// Corrupt input — a bad magic number, a bad checksum, a truncated block — is an
// LZ4Error, never a crash; liblz4 validates every offset it follows.
import CLZ4
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decompresses one or more concatenated LZ4 frames, chunk by chunk.
public final class LZ4FrameDecoder {
    private var context: OpaquePointer?
    /// Output produced per liblz4 call; bounded so a hostile frame cannot balloon one step.
    private static let stepSize = 256 * 1024
    /// liblz4's hint: 0 once a frame is complete and fully flushed.
    private var hint = 1

    public init() throws(LZ4Error) {
        var context: OpaquePointer?
        let code = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        try LZ4Error.check(code, "LZ4F_createDecompressionContext")
        self.context = context
    }

    deinit {
        LZ4F_freeDecompressionContext(context)
    }

    /// True when every frame given so far has been decoded to its end and checksum.
    public var isAtFrameBoundary: Bool { hint == 0 }

    /// Decodes one chunk of compressed input and returns the bytes it completes.
    public func update(_ input: some ContiguousBytes) throws(LZ4Error) -> [UInt8] {
        let result: Result<[UInt8], LZ4Error> = input.withUnsafeBytes { source in
            var output: [UInt8] = []
            var offset = 0
            var step = [UInt8](repeating: 0, count: Self.stepSize)
            // liblz4 may stop before consuming all input when its output is full:
            // loop until the input is gone and no more output is pending.
            while true {
                var sourceSize = source.count - offset
                var produced = step.count
                let code = step.withUnsafeMutableBytes { buffer in
                    LZ4F_decompress(context, buffer.baseAddress, &produced,
                                    source.baseAddress.map { $0 + offset }, &sourceSize, nil)
                }
                if LZ4F_isError(code) != 0 {
                    return .failure(LZ4Error(operation: "LZ4F_decompress", code: code))
                }
                hint = code
                offset += sourceSize
                output.append(contentsOf: step[0..<produced])
                if offset == source.count && produced < step.count { break }
            }
            return .success(output)
        }
        return try result.get()
    }
}
