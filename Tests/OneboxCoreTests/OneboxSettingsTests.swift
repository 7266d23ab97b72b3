import Foundation
import OneboxCore
import Testing

@Suite struct OneboxSettingsTests {
    /// Writes a YAML file to a fresh temporary path.
    func yamlFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onebox-\(UUID()).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func layersAreFileThenEnvironmentThenFlags() async throws {
        let file = try yamlFile("""
            dns:
              listen: 127.0.0.1:1000
              zones: /from/file
              udp-payload: 1400
              transfer-allow: [10.0.0.0/8, "::1"]
            """)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let settings = try await OneboxSettings.load(
            configFile: file,
            flags: ["dns.listen": "127.0.0.1:3000"],
            environment: ["ONEBOX_DNS_LISTEN": "127.0.0.1:2000", "ONEBOX_DNS_ZONES": "/from/env", "DNS_ZONES": "/ignored"]
        )
        #expect(settings.list("dns.listen", default: []) == ["127.0.0.1:3000"])
        #expect(settings.string("dns.zones", default: "") == "/from/env")
        #expect(try settings.int("dns.udp-payload", default: 0, in: 512...4096) == 1400)
        #expect(settings.list("dns.transfer-allow", default: []) == ["10.0.0.0/8", "::1"])
        #expect(settings.string("dns.unset", default: "fallback") == "fallback")
    }

    @Test func malformedValuesAreErrorsNamingTheKey() async throws {
        let settings = try await OneboxSettings.make(values: ["dns.udp-payload": "lots", "dns.flag": "maybe", "dns.timeout": "-3"])
        #expect(throws: OneboxConfigurationError.invalidValue(key: "dns.udp-payload", value: "lots", expected: "an integer from 512 to 4096")) {
            try settings.int("dns.udp-payload", default: 1232, in: 512...4096)
        }
        #expect(throws: OneboxConfigurationError.self) { try settings.bool("dns.flag", default: true) }
        #expect(throws: OneboxConfigurationError.self) { try settings.seconds("dns.timeout", default: .seconds(1), in: 0...10) }
    }

    @Test func anExplicitConfigFileMustExist() async throws {
        await #expect(throws: OneboxConfigurationError.self) {
            try await OneboxSettings.load(configFile: "/nonexistent/onebox.yaml", environment: [:])
        }
    }

    @Test func environmentListsAreCommaSeparated() async throws {
        let settings = try await OneboxSettings.load(
            configFile: nil, environment: ["ONEBOX_CONFIG": "", "ONEBOX_DNS_NOTIFY": "127.0.0.1:53, [::1]:53"])
        #expect(settings.list("dns.notify", default: []) == ["127.0.0.1:53", "[::1]:53"])
    }

    @Test func theShippedConfigurationFileParses() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let settings = try await OneboxSettings.load(
            configFile: root.appendingPathComponent("Data/onebox.yaml").path, environment: [:])
        #expect(settings.list("dns.listen", default: []) == ["127.0.0.1:8053"])
        #expect(try settings.int("dns.udp-payload", default: 0, in: 512...4096) == 1232)
    }
}
