import Testing
@testable import WebFront

@Suite struct ByteRangeSetTests {
    @Test func singleRanges() {
        #expect(ByteRangeSet(header: "bytes=0-99", length: 1000) == .ranges([0..<100]))
        #expect(ByteRangeSet(header: "bytes=900-", length: 1000) == .ranges([900..<1000]))
        #expect(ByteRangeSet(header: "bytes=-100", length: 1000) == .ranges([900..<1000]))
        #expect(ByteRangeSet(header: "bytes=-5000", length: 1000) == .ranges([0..<1000]))
        #expect(ByteRangeSet(header: "bytes=990-5000", length: 1000) == .ranges([990..<1000]))
        #expect(ByteRangeSet(header: "BYTES=0-0", length: 10) == .ranges([0..<1]))
    }

    @Test func multipleRanges() {
        #expect(ByteRangeSet(header: "bytes=0-1, 5-6,-1", length: 10) == .ranges([0..<2, 5..<7, 9..<10]))
    }

    @Test func unsatisfiable() {
        #expect(ByteRangeSet(header: "bytes=1000-", length: 1000) == .unsatisfiable)
        #expect(ByteRangeSet(header: "bytes=5000-6000", length: 1000) == .unsatisfiable)
        #expect(ByteRangeSet(header: "bytes=-0", length: 1000) == .unsatisfiable)
        #expect(ByteRangeSet(header: "bytes=0-", length: 0) == .unsatisfiable)
    }

    @Test(arguments: ["", "bytes", "bytes=", "bytes=a-b", "bytes=5-1", "bytes=--1", "items=0-1", "bytes=1-2-3",
                      "bytes=+1-2", "bytes=99999999999999999999-", "bytes=0-1,"])
    func malformedHeadersAreIgnored(_ header: String) {
        #expect(ByteRangeSet(header: header, length: 1000) == .whole)
    }

    @Test func tooManyRangesAreIgnored() {
        let header = "bytes=" + (0..<(ByteRangeSet.maximumRanges + 1)).map { "\($0 * 2)-\($0 * 2)" }.joined(separator: ",")
        #expect(ByteRangeSet(header: header, length: 1000) == .whole)
        #expect(ByteRangeSet(header: nil, length: 1000) == .whole)
    }
}
