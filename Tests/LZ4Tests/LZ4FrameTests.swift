import Foundation
import LZ4
import Testing

@Suite struct LZ4FrameTests {
    /// Compressible and incompressible data, empty and larger than one 4 MiB block.
    static let inputs: [[UInt8]] = {
        // Incompressible bytes from a fixed-seed xorshift, so failures reproduce.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let random = (0..<300_000).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        let text = Array(String(repeating: "www.foobar.com answers from one box. ", count: 150_000).utf8)
        return [[], [42], random, text]
    }()

    /// Named by index: the inputs themselves are too big to print in test logs.
    @Test(arguments: inputs.indices)
    func roundTrip(_ index: Int) throws {
        let input = Self.inputs[index]
        let frame = try LZ4Frame.compress(input)
        #expect(try LZ4Frame.decompress(frame) == input)
    }

    @Test func streamingInSmallChunksMatchesOneShot() throws {
        let input = Self.inputs[3]
        let encoder = try LZ4FrameEncoder()
        var frame = try encoder.begin()
        for start in stride(from: 0, to: input.count, by: 70_001) {
            frame += try encoder.update(Array(input[start..<min(start + 70_001, input.count)]))
        }
        frame += try encoder.finish()
        #expect(frame.count < input.count / 10)

        let decoder = try LZ4FrameDecoder()
        var output: [UInt8] = []
        for start in stride(from: 0, to: frame.count, by: 997) {
            output += try decoder.update(Array(frame[start..<min(start + 997, frame.count)]))
        }
        #expect(decoder.isAtFrameBoundary)
        #expect(output == input)
    }

    @Test func corruptAndTruncatedFramesAreErrors() throws {
        let frame = try LZ4Frame.compress(Self.inputs[3])
        #expect(throws: LZ4Error.self) { try LZ4Frame.decompress(Array(frame.prefix(frame.count / 2))) }
        var flipped = frame
        flipped[flipped.count / 2] ^= 0x5A
        #expect(throws: LZ4Error.self) { try LZ4Frame.decompress(flipped) }
        #expect(throws: LZ4Error.self) { try LZ4Frame.decompress([0, 1, 2, 3, 4, 5, 6, 7]) }
    }

    /// The `lz4` tool must read what we write: backups are restored with it by hand.
    @Test func lz4CommandLineToolDecodesOurFrames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lz4-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = Self.inputs[3] + Self.inputs[2]
        let compressed = directory.appendingPathComponent("data.lz4")
        let decompressed = directory.appendingPathComponent("data")
        try Data(LZ4Frame.compress(input)).write(to: compressed)

        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tool.arguments = ["lz4", "-d", "-q", "-f", compressed.path, decompressed.path]
        try tool.run()
        tool.waitUntilExit()
        #expect(tool.terminationStatus == 0)
        #expect(try Data(contentsOf: decompressed) == Data(input))
    }
}
