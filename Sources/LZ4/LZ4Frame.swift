import CLZ4
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One-shot helpers for data that fits in memory.
public enum LZ4Frame {
    /// Compresses `input` into a single LZ4 frame with a content checksum.
    public static func compress(_ input: some ContiguousBytes, level: Int32 = 0) throws(LZ4Error) -> [UInt8] {
        let encoder = try LZ4FrameEncoder(level: level)
        var output = try encoder.begin()
        output += try encoder.update(input)
        output += try encoder.finish()
        return output
    }

    /// Decompresses concatenated LZ4 frames; a truncated frame is an error.
    public static func decompress(_ input: some ContiguousBytes) throws(LZ4Error) -> [UInt8] {
        let decoder = try LZ4FrameDecoder()
        let output = try decoder.update(input)
        guard decoder.isAtFrameBoundary else {
            throw LZ4Error(operation: "LZ4F_decompress", message: "truncated frame")
        }
        return output
    }
}

/// A failure reported by liblz4, or a frame that ended early.
public struct LZ4Error: Error, CustomStringConvertible, Sendable {
    /// The liblz4 function that failed.
    public let operation: String
    /// liblz4's name for the error, e.g. "ERROR_frameType_unknown".
    public let message: String

    init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    init(operation: String, code: Int) {
        self.operation = operation
        self.message = String(cString: LZ4F_getErrorName(code))
    }

    static func check(_ code: Int, _ operation: String) throws(LZ4Error) {
        if LZ4F_isError(code) != 0 { throw LZ4Error(operation: operation, code: code) }
    }

    public var description: String { "\(operation): \(message)" }
}
