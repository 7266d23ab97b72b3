import Testing
@testable import MySQLWire

@Suite struct PacketFramingTests {
    @Test func smallPacketRoundTrip() throws {
        var sequence: UInt8 = 0
        let framed = MySQLPacketEncoder.encode([0x03] + Array("SELECT 1".utf8), sequenceID: &sequence)
        #expect(framed == hex("09 00 00 00 03 53 45 4c 45 43 54 20 31"))
        #expect(sequence == 1)
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 1 << 20)
        decoder.append(framed)
        let packet = try #require(try decoder.nextPacket())
        #expect(packet.sequenceID == 0 && packet.lastSequenceID == 0)
        #expect(packet.payload == [0x03] + Array("SELECT 1".utf8))
        #expect(try decoder.nextPacket() == nil)
    }

    @Test func exactMultipleOfChunkSizeEndsWithEmptyChunk() throws {
        let payload = [UInt8](repeating: 0x61, count: MySQLPacket.maximumChunkLength)
        var sequence: UInt8 = 3
        let framed = MySQLPacketEncoder.encode(payload, sequenceID: &sequence)
        #expect(framed.count == payload.count + 8)
        #expect(Array(framed[0..<4]) == [0xFF, 0xFF, 0xFF, 3])
        #expect(Array(framed.suffix(4)) == [0, 0, 0, 4])
        #expect(sequence == 5)
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 64 << 20)
        decoder.append(framed)
        let packet = try #require(try decoder.nextPacket())
        #expect(packet.payload.count == payload.count)
        #expect(packet.sequenceID == 3 && packet.lastSequenceID == 4)
    }

    @Test func largePacketSplitAndJoinedFedInPieces() throws {
        let payload = (0..<(2 * MySQLPacket.maximumChunkLength + 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var sequence: UInt8 = 255
        let framed = MySQLPacketEncoder.encode(payload, sequenceID: &sequence)
        #expect(sequence == 2)  // 255, 0, 1 then next
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 64 << 20)
        var packets: [MySQLPacket] = []
        var offset = 0
        while offset < framed.count {
            let end = min(framed.count, offset + 1_000_003)
            decoder.append(framed[offset..<end])
            offset = end
            while let packet = try decoder.nextPacket() { packets.append(packet) }
        }
        #expect(packets.count == 1)
        #expect(packets[0].payload == payload)
        #expect(packets[0].sequenceID == 255 && packets[0].lastSequenceID == 1)
    }

    /// Writing a payload in place frames it exactly as encoding a finished payload does,
    /// around the chunk boundary too (one byte short, exact, one and two chunks over).
    @Test(arguments: [0, 1, 250, MySQLPacket.maximumChunkLength - 1, MySQLPacket.maximumChunkLength,
                      MySQLPacket.maximumChunkLength + 1, 2 * MySQLPacket.maximumChunkLength + 3])
    func appendPacketFramesLikeEncode(size: Int) {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var expectedSequence: UInt8 = 254
        var expected: [UInt8] = [9, 9]
        MySQLPacketEncoder.encode([7], sequenceID: &expectedSequence, into: &expected)
        MySQLPacketEncoder.encode(payload, sequenceID: &expectedSequence, into: &expected)
        var sequence: UInt8 = 254
        var output: [UInt8] = [9, 9]
        MySQLPacketEncoder.appendPacket(sequenceID: &sequence, into: &output) { $0.writeUInt8(7) }
        MySQLPacketEncoder.appendPacket(sequenceID: &sequence, into: &output) { w in
            w.writeBytes(Array(payload.prefix(size / 2)))
            w.writeBytes(Array(payload.dropFirst(size / 2)))
        }
        #expect(output == expected)
        #expect(sequence == expectedSequence)
    }

    @Test func appendPacketLeavesNothingWhenTheBodyThrows() {
        struct Failure: Error {}
        var sequence: UInt8 = 1
        var output: [UInt8] = [1, 2, 3]
        #expect(throws: Failure.self) {
            try MySQLPacketEncoder.appendPacket(sequenceID: &sequence, into: &output) { w in
                w.writeZeros(10)
                throw Failure()
            }
        }
        #expect(output == [1, 2, 3])
        #expect(sequence == 1)
    }

    @Test func oversizedPacketIsRejectedFromItsHeader() {
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 1024)
        decoder.append(hex("01 04 00 00"))  // 1025-byte payload announced, none sent
        #expect(throws: MySQLWireError.packetTooLarge(limit: 1024)) { try decoder.nextPacket() }
    }

    @Test func joinedChunksCountTowardsTheLimit() {
        var decoder = MySQLPacketDecoder(maximumPayloadLength: MySQLPacket.maximumChunkLength + 5)
        decoder.append([0xFF, 0xFF, 0xFF, 0] + [UInt8](repeating: 1, count: MySQLPacket.maximumChunkLength))
        decoder.append(hex("06 00 00 01"))
        #expect(throws: MySQLWireError.packetTooLarge(limit: MySQLPacket.maximumChunkLength + 5)) { try decoder.nextPacket() }
    }

    @Test func chunkOutOfOrderIsAnError() {
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 64 << 20)
        decoder.append([0xFF, 0xFF, 0xFF, 0] + [UInt8](repeating: 1, count: MySQLPacket.maximumChunkLength))
        decoder.append(hex("01 00 00 07 aa"))
        #expect(throws: MySQLWireError.outOfOrder(expected: 1, received: 7)) { try decoder.nextPacket() }
    }

    @Test func severalPacketsInOneRead() throws {
        var decoder = MySQLPacketDecoder(maximumPayloadLength: 100)
        decoder.append(hex("01 00 00 00 0e 01 00 00 00 01 00 00"))
        #expect(try decoder.nextPacket()?.payload == [0x0E])
        #expect(try decoder.nextPacket()?.payload == [0x01])
        #expect(try decoder.nextPacket() == nil)
        decoder.append(hex("00 02"))
        #expect(try decoder.nextPacket() == MySQLPacket(sequenceID: 2, payload: []))
    }
}
