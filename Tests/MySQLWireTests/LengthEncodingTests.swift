import Testing
@testable import MySQLWire

@Suite struct LengthEncodingTests {
    @Test(arguments: [
        (UInt64(0), "00"), (250, "fa"), (251, "fc fb 00"), (0xFFFF, "fc ff ff"), (0x1_0000, "fd 00 00 01"),
        (0xFF_FFFF, "fd ff ff ff"), (0x100_0000, "fe 00 00 00 01 00 00 00 00"), (UInt64.max, "fe ff ff ff ff ff ff ff ff"),
    ])
    func integerBoundaries(value: UInt64, encoded: String) throws {
        var w = MySQLPacketWriter()
        w.writeLengthEncodedInteger(value)
        #expect(w.bytes == hex(encoded))
        var r = MySQLPacketReader(w.bytes)
        #expect(try r.readLengthEncodedInteger("n") == value)
        #expect(r.isAtEnd)
    }

    @Test func nullMarkerAndErrorHeader() throws {
        var r = MySQLPacketReader([0xFB])
        #expect(try r.readLengthEncodedIntegerOrNull("n") == nil)
        var r2 = MySQLPacketReader([0xFB])
        #expect(throws: MySQLWireError.self) { try r2.readLengthEncodedInteger("n") }
        var r3 = MySQLPacketReader([0xFF])
        #expect(throws: MySQLWireError.self) { try r3.readLengthEncodedInteger("n") }
    }

    @Test func truncatedValuesThrow() {
        for bytes in [hex("fc ff"), hex("fd 00 00"), hex("fe 01 02 03"), hex("05 61 62"), []] {
            var r = MySQLPacketReader(bytes)
            #expect(throws: MySQLWireError.self) { try r.readLengthEncodedBytes("s") }
        }
        var r = MySQLPacketReader(Array("abc".utf8))
        #expect(throws: MySQLWireError.truncated(field: "name")) { try r.readNullTerminatedString("name") }
    }

    @Test func hugeLengthDoesNotAllocateOrTrap() {
        var r = MySQLPacketReader(hex("fe ff ff ff ff ff ff ff 7f 61"))
        #expect(throws: MySQLWireError.self) { try r.readLengthEncodedBytes("s") }
    }
}
