import NIOCore
import NIOEmbedded
import Testing
@testable import WebFront

/// The record packer on an EmbeddedChannel: what leaves it is exactly what entered, in
/// order, cut into full TLS records where it can be; promises complete with the writes.
@Suite struct TLSRecordPackerTests {
    static let record = TLSRecordPacker.recordSize

    static func bytes(_ count: Int, seed: UInt8) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0) &+ seed })
    }

    /// Writes `sizes` (then flushes), returns the sizes of what came out and checks the bytes.
    static func pass(_ sizes: [Int]) throws -> [Int] {
        let channel = EmbeddedChannel(handler: TLSRecordPacker())
        var expected = ByteBuffer()
        for (index, size) in sizes.enumerated() {
            var part = bytes(size, seed: UInt8(index))
            expected.writeBuffer(&part)
            channel.write(bytes(size, seed: UInt8(index)), promise: nil)
        }
        channel.flush()
        var seen = ByteBuffer()
        var outSizes: [Int] = []
        while var out = try channel.readOutbound(as: ByteBuffer.self) {
            outSizes.append(out.readableBytes)
            seen.writeBuffer(&out)
        }
        #expect(seen == expected)
        _ = try channel.finish()
        return outSizes
    }

    @Test func smallWritesBecomeOneRecordAtFlush() throws {
        // An HTTP/1 head, a 4 KiB body and an empty end.
        #expect(try Self.pass([300, 4096, 0]) == [4396])
    }

    @Test func http2FramesFillWholeRecords() throws {
        // Frame header, 16 KiB payload, repeated, then an empty DATA frame with END_STREAM.
        let sizes = [40, 9, Self.record, 9, Self.record, 9, Self.record, 9]
        let out = try Self.pass(sizes)
        #expect(out.dropLast().allSatisfy { $0 == Self.record })
        #expect(out.reduce(0, +) == sizes.reduce(0, +))
        #expect(out.count == 4)
    }

    @Test func bigBodiesPassWithoutCopyBetweenTheirEdges() throws {
        // Nothing pending: whole records go as one slice, the tail waits.
        #expect(try Self.pass([5 * Self.record + 100]) == [5 * Self.record, 100])
        #expect(try Self.pass([2 * Self.record]) == [2 * Self.record])
        // A head pending: the body tops it up to a record first.
        #expect(try Self.pass([200, 3 * Self.record]) == [Self.record, 2 * Self.record, 200])
    }

    @Test func promisesCompleteWhenTheirBytesAreWritten() throws {
        let channel = EmbeddedChannel(handler: TLSRecordPacker())
        let small = channel.eventLoop.makePromise(of: Void.self)
        let exact = channel.eventLoop.makePromise(of: Void.self)
        let spanning = channel.eventLoop.makePromise(of: Void.self)
        var results: [String] = []
        small.futureResult.whenSuccess { results.append("small") }
        exact.futureResult.whenSuccess { results.append("exact") }
        spanning.futureResult.whenSuccess { results.append("spanning") }
        channel.write(Self.bytes(10, seed: 0), promise: small)
        channel.write(Self.bytes(Self.record - 10, seed: 1), promise: exact)   // fills the record
        channel.write(Self.bytes(Self.record + 5, seed: 2), promise: spanning) // a record and a tail
        #expect(results.isEmpty)
        channel.flush()
        #expect(results == ["small", "exact", "spanning"])
        _ = try channel.finish()
    }

    @Test func unflushedWritesEndOnCloseAsWithoutThePacker() throws {
        // Whatever the channel does with an unflushed write on close, the packer hands
        // its pending bytes on first, so the write's promise ends the same way.
        func outcome(_ channel: EmbeddedChannel) -> String {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            var result = "pending"
            promise.futureResult.whenComplete { result = (try? $0.get()) != nil ? "succeeded" : "failed" }
            channel.write(Self.bytes(10, seed: 0), promise: promise)
            channel.close(promise: nil)
            (channel.eventLoop as? EmbeddedEventLoop)?.run()
            return result
        }
        #expect(outcome(EmbeddedChannel(handler: TLSRecordPacker())) == outcome(EmbeddedChannel()))
    }

    @Test func removalFailsWhatIsLeft() throws {
        let packer = TLSRecordPacker()
        let channel = EmbeddedChannel(handler: packer)
        let promise = channel.eventLoop.makePromise(of: Void.self)
        var failed = false
        promise.futureResult.whenFailure { _ in failed = true }
        channel.write(Self.bytes(10, seed: 0), promise: promise)
        try channel.pipeline.syncOperations.removeHandler(packer).wait()
        #expect(failed)
    }
}
