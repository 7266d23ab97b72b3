@testable import DNSServer
import Testing

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("127.0.0.1", [127, 0, 0, 1]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("::", [UInt8](repeating: 0, count: 16)),
        ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("2001:db8::1", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]),
        ("::ffff:1.2.3.4", [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 1, 2, 3, 4]),
        ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
        ("1:2:3:4:5:6:1.2.3.4", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]),
        ("fe80::1%eth0", [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1]),
        ("1::", [0, 1] + [UInt8](repeating: 0, count: 14)),
    ] as [(String, [UInt8])])
    func parses(text: String, bytes: [UInt8]) {
        #expect(IPAddress(text)?.bytes == bytes)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1.2.3.-1", " 1.2.3.4", "1.2.3.4 ",
                      ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "::1.2.3", "1.2.3.4::",
                      "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3.256", "1:2:3:4:5:6:7", "abc", "1.2.3.4/8"])
    func rejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func describes() {
        for text in ["192.0.2.1", "::", "::1", "2001:db8::1", "1:0:0:2::3", "2001:db8:0:1:1:1:1:1", "fe80::"] {
            #expect(IPAddress(text)?.description == text)
        }
        #expect(IPAddress("1:0:0:2:0:0:0:3")?.description == "1:0:0:2::3")
        #expect(IPAddress("::ffff:1.2.3.4")?.unmappedIPv4 == IPAddress("1.2.3.4"))
        #expect(IPAddress("::1")?.unmappedIPv4 == nil)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test func accessList() throws {
        let list = try IPAccessList(parsing: ["127.0.0.0/8", "::1", "10.1.2.3", "2001:db8::/32", "192.0.2.128/25", " 0.0.0.0/32 "])
        for allowed in ["127.0.0.1", "127.255.255.255", "::1", "10.1.2.3", "2001:db8:ffff::1", "192.0.2.200",
                        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "0.0.0.0"] {
            #expect(list.contains(IPAddress(allowed)!), "\(allowed)")
        }
        for denied in ["128.0.0.1", "::2", "10.1.2.4", "2001:db9::1", "192.0.2.127", "::127.0.0.1", "::ffff:11.1.2.3"] {
            #expect(!list.contains(IPAddress(denied)!), "\(denied)")
        }
        #expect(!IPAccessList.none.contains(IPAddress("127.0.0.1")!))
        let everyone = try IPAccessList(parsing: ["0.0.0.0/0", "::/0"])
        #expect(everyone.contains(IPAddress("203.0.113.9")!) && everyone.contains(IPAddress("2001::1")!))
        #expect(IPPrefix("10.1.2.3/8")?.description == "10.0.0.0/8")
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "host", "10.0.0.0/a", ""])
    func rejectsBadPrefixes(text: String) {
        #expect(throws: IPAccessListError.invalidPrefix(text)) { try IPAccessList(parsing: ["::1", text]) }
    }
}
