import OneboxCore
import Testing

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8053", ListenAddress.tcp(host: "127.0.0.1", port: 8053)),
        ("[::1]:53", .tcp(host: "::1", port: 53)),
        ("localhost:0", .tcp(host: "localhost", port: 0)),
        (" unix:/run/onebox/app.sock ", .unix(path: "/run/onebox/app.sock")),
    ])
    func parses(_ text: String, _ expected: ListenAddress) throws {
        #expect(try ListenAddress(parsing: text) == expected)
    }

    @Test(arguments: ["", "127.0.0.1", "::1:53", "[::1]53", "host:99999", "host:-1", ":80", "unix:", "[::1"])
    func rejects(_ text: String) {
        #expect(throws: OneboxConfigurationError.self) { try ListenAddress(parsing: text) }
    }

    @Test func printsIPv6InBrackets() {
        #expect(ListenAddress.tcp(host: "::1", port: 53).description == "[::1]:53")
        #expect(ListenAddress.tcp(host: "127.0.0.1", port: 0).withPort(41234).description == "127.0.0.1:41234")
    }
}
