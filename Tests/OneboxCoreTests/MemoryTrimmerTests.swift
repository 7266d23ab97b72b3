import Foundation
import OneboxCore
import Testing

@Suite struct MemoryTrimmerTests {
    @Test func settingsHaveDefaultsAndLimits() async throws {
        let defaults = try MemoryTrimmer(settings: try await OneboxSettings.load(configFile: nil, environment: ["ONEBOX_CONFIG": ""]))
        #expect(defaults.interval == .seconds(10) && defaults.threshold == 16 << 20 && defaults.isEnabled)
        let off = try MemoryTrimmer(settings: try await OneboxSettings.load(
            configFile: nil, environment: ["ONEBOX_CONFIG": "", "ONEBOX_MEMORY_TRIM_INTERVAL": "0", "ONEBOX_MEMORY_TRIM_THRESHOLD": "1024"]))
        #expect(!off.isEnabled && off.threshold == 1024)
        let bad = try await OneboxSettings.load(configFile: nil, environment: ["ONEBOX_CONFIG": "", "ONEBOX_MEMORY_TRIM_THRESHOLD": "-1"])
        #expect(throws: OneboxConfigurationError.self) { try MemoryTrimmer(settings: bad) }
    }

    /// Memory freed in the middle of the heap stays resident until a trim gives it back.
    @Test func aTrimReturnsFreedMemory() throws {
        let chunk = 16 << 10, count = 4096  // 64 MiB, in page-sized pieces like a transaction's page copies
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            let block = malloc(chunk)!
            memset(block, 1, chunk)
            blocks.append(block)
        }
        let pin = malloc(chunk)!  // keeps the freed blocks below the top of the heap
        defer { free(pin) }
        for block in blocks { free(block) }
        #expect(MemoryTrimmer.freeBytesHeld >= count * chunk / 2)
        let before = try #require(MemoryTrimmer.residentAnonymousBytes)
        #expect(MemoryTrimmer(interval: .seconds(1), threshold: 1 << 20).trimIfWorthwhile())
        let after = try #require(MemoryTrimmer.residentAnonymousBytes)
        #expect(before - after >= count * chunk / 2, "resident \(before) -> \(after)")
        #expect(!MemoryTrimmer(interval: .seconds(1), threshold: 1 << 40).trimIfWorthwhile())
    }
}
