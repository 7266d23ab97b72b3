import Testing
@testable import WebFront

@Suite struct VirtualHostsTests {
    let hosts = VirtualHosts(canonical: "www.foobar.com", redirects: ["foobar.com"], aliases: ["localhost", "127.0.0.1", "[::1]"], fallback: nil)

    @Test func decisions() {
        #expect(hosts.decide(host: "www.foobar.com") == .site)
        #expect(hosts.decide(host: "WWW.FooBar.com:8443") == .site)
        #expect(hosts.decide(host: "www.foobar.com.") == .site)
        #expect(hosts.decide(host: "foobar.com") == .redirectToCanonical)
        #expect(hosts.decide(host: "foobar.com:8443") == .redirectToCanonical)
        #expect(hosts.decide(host: "[::1]:8443") == .site)
        #expect(hosts.decide(host: "127.0.0.1:8443") == .site)
        #expect(hosts.decide(host: "evil.example") == .misdirected)
        #expect(hosts.decide(host: nil) == .misdirected)
        #expect(hosts.decide(host: "www.foobar.com:abc") == .misdirected)
        #expect(hosts.decide(host: "www.foobar.com/x") == .misdirected)
        #expect(hosts.decide(host: "") == .misdirected)
        #expect(hosts.decide(host: "www.foobar.com:٣") == .misdirected)
        #expect(hosts.decide(host: "wwẃ.foobar.com") == .misdirected)
    }

    @Test func hostNamesAreNormalised() {
        #expect(VirtualHosts.hostName(from: "Www.Foobar.com:8443") == "www.foobar.com")
        #expect(VirtualHosts.hostName(from: "www.foobar.com") == "www.foobar.com")
        #expect(VirtualHosts.hostName(from: "[::1]:8443") == "[::1]")
        #expect(VirtualHosts.hostName(from: "[::1]:x") == nil)
        #expect(VirtualHosts.hostName(from: "[::1") == nil)
        #expect(VirtualHosts.hostName(from: ".") == nil)
        #expect(VirtualHosts.hostName(from: ":443") == nil)
        #expect(VirtualHosts.hostName(from: String(repeating: "a", count: 256)) == nil)
    }

    @Test func fallbackNameServesUnknownHosts() {
        let lenient = VirtualHosts(canonical: "www.foobar.com", redirects: ["foobar.com"], aliases: [], fallback: "www.foobar.com")
        #expect(lenient.decide(host: "other.example") == .site)
        #expect(lenient.decide(host: nil) == .site)
    }
}
