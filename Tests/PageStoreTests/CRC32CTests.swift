import Testing
@testable import PageStore

@Suite struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func rfc3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func emptyAndContinuation() {
        #expect(CRC32C.checksum([]) == 0)
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = CRC32C.checksum(data)
        for cut in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = CRC32C.checksum(Array(data[..<cut]))
            #expect(CRC32C.checksum(Array(data[cut...]), continuing: first) == whole)
        }
    }

    @Test func matchesBitwiseReference() {
        func reference(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            return ~c
        }
        var rng = SplitMix64(seed: 42)
        for len in [1, 3, 8, 15, 16, 17, 63, 64, 100, 1535, 1536, 1537, 1543, 4092, 4096, 5000, 16380, 16384, 65532] {
            let data = (0..<len).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(CRC32C.checksum(data) == reference(data), "length \(len)")
            #expect(CRC32C.softwareChecksum(data) == reference(data), "software, length \(len)")
            // Continuing from a non-trivial CRC crosses the three-stream join too.
            let cut = len / 3
            #expect(CRC32C.checksum(Array(data[cut...]), continuing: CRC32C.checksum(Array(data[..<cut]))) == reference(data), "split \(len)")
            #expect(CRC32C.softwareChecksum(Array(data[cut...]), continuing: CRC32C.softwareChecksum(Array(data[..<cut]))) == reference(data), "software split \(len)")
        }
    }
}
