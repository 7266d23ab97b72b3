@testable import DNSServer
import Testing

@Suite struct DNSNameTests {
    @Test func parsesAbsoluteRelativeAndOrigin() throws {
        let origin: DNSName = "foobar.com."
        #expect(try DNSName("www", origin: origin).description == "www.foobar.com.")
        #expect(try DNSName("www.example.org.", origin: origin).description == "www.example.org.")
        #expect(try DNSName("@", origin: origin) == origin)
        #expect(try DNSName(".", origin: origin) == .root)
        #expect(DNSName.root.description == ".")
        #expect(throws: DNSNameError.relativeWithoutOrigin("www")) { try DNSName("www", origin: nil) }
    }

    @Test func escapes() throws {
        let name = try DNSName("a\\.b.c\\032d.\\065.", origin: nil)
        #expect(name.labels.map { Array($0) } == [Array("a.b".utf8), Array("c d".utf8), Array("A".utf8)])
        #expect(name.description == "a\\.b.c\\032d.A.")
        #expect(try DNSName(name.description) == name)
        let odd = try DNSName(labels: [[0, 0xFF, UInt8(ascii: "\\"), UInt8(ascii: "\"")]])
        #expect(odd.description == "\\000\\255\\\\\\\".")
        #expect(try DNSName(odd.description) == odd)
        #expect(throws: DNSNameError.invalidEscape("a\\256.")) { try DNSName("a\\256.", origin: nil) }
        #expect(throws: DNSNameError.invalidEscape("a\\2")) { try DNSName("a\\2", origin: .root) }
    }

    @Test func limits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try DNSName("\(label63).", origin: nil).wire.count == 65)
        #expect(throws: DNSNameError.labelTooLong(64)) { try DNSName("\(label63)a.", origin: nil) }
        // 4 labels of 63 = 256 bytes with the root: one too many.
        let tooLong = Array(repeating: label63, count: 4).joined(separator: ".") + "."
        #expect(throws: DNSNameError.nameTooLong(257)) { try DNSName(tooLong) }
        let fits = Array(repeating: label63, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61) + "."
        #expect(try DNSName(fits).wire.count == 255)
        #expect(throws: DNSNameError.emptyLabel) { try DNSName("a..b.", origin: nil) }
        #expect(throws: DNSNameError.emptyLabel) { try DNSName(".a.", origin: nil) }
        #expect(throws: DNSNameError.empty) { try DNSName("", origin: nil) }
    }

    @Test func wireValidation() throws {
        #expect(try DNSName(wire: [3, 99, 111, 109, 0]).description == "com.")
        #expect(throws: DNSNameError.missingRootLabel) { try DNSName(wire: [3, 99, 111]) }
        #expect(throws: DNSNameError.missingRootLabel) { try DNSName(wire: [1, 99, 0, 0]) }
        #expect(throws: DNSNameError.labelTooLong(64)) { try DNSName(wire: [64] + Array(repeating: 97, count: 64) + [0]) }
    }

    @Test func caseInsensitiveEqualityAndHash() throws {
        let a: DNSName = "WWW.FooBar.COM."
        let b: DNSName = "www.foobar.com."
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.description == "WWW.FooBar.COM.")
        #expect(a != "www.foobar.co.")
    }

    @Test func hierarchy() throws {
        let name: DNSName = "a.b.foobar.com."
        #expect(name.labelCount == 4)
        #expect(name.parent == "b.foobar.com.")
        #expect(name.isSubdomain(of: "FOOBAR.com."))
        #expect(name.isSubdomain(of: name))
        #expect(name.isSubdomain(of: .root))
        #expect(!name.isSubdomain(of: "bar.com."))
        #expect(!DNSName("xfoobar.com.").isSubdomain(of: "foobar.com."))
        #expect(name.suffix(labelCount: 2) == "foobar.com.")
        #expect(name.suffix(labelCount: 0) == .root)
        #expect(DNSName.root.parent == nil)
        #expect(DNSName("*.foobar.com.").isWildcard)
        #expect(!DNSName("a*.foobar.com.").isWildcard)
    }

    /// The example order of RFC 4034 6.1.
    @Test func canonicalOrder() throws {
        let ordered: [DNSName] = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
            "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.",
        ]
        #expect(ordered.shuffled().sorted() == ordered)
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            #expect(a < b)
            #expect(!(b < a))
        }
    }
}
