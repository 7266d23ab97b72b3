import Testing
@testable import WebFront

@Suite struct ConditionalRequestTests {
    let etag = "\"5f3a-100\""
    let modified = 1_700_000_000

    @Test func ifNoneMatch() {
        #expect(ConditionalRequest(ifNoneMatch: etag).evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "W/\(etag)").evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "\"other\", \(etag)").evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "*").evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "\"other\"").evaluate(etag: etag, lastModified: modified) == .proceed)
    }

    @Test func ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
        let later = HTTPDate.format(epochSeconds: modified + 10)
        #expect(ConditionalRequest(ifNoneMatch: "\"other\"", ifModifiedSince: later).evaluate(etag: etag, lastModified: modified) == .proceed)
        #expect(ConditionalRequest(ifModifiedSince: later).evaluate(etag: etag, lastModified: modified) == .notModified)
        let earlier = HTTPDate.format(epochSeconds: modified - 10)
        #expect(ConditionalRequest(ifModifiedSince: earlier).evaluate(etag: etag, lastModified: modified) == .proceed)
        #expect(ConditionalRequest(ifModifiedSince: "garbage").evaluate(etag: etag, lastModified: modified) == .proceed)
    }

    @Test func ifMatchFailsWithPreconditionFailed() {
        #expect(ConditionalRequest(ifMatch: "\"other\"").evaluate(etag: etag, lastModified: modified) == .preconditionFailed)
        #expect(ConditionalRequest(ifMatch: etag).evaluate(etag: etag, lastModified: modified) == .proceed)
    }

    @Test func ifRange() {
        #expect(ConditionalRequest(ifRange: etag).rangeIsApplicable(etag: etag, lastModified: modified))
        #expect(!ConditionalRequest(ifRange: "\"old\"").rangeIsApplicable(etag: etag, lastModified: modified))
        #expect(!ConditionalRequest(ifRange: "W/\(etag)").rangeIsApplicable(etag: etag, lastModified: modified))
        #expect(ConditionalRequest(ifRange: HTTPDate.format(epochSeconds: modified)).rangeIsApplicable(etag: etag, lastModified: modified))
        #expect(!ConditionalRequest(ifRange: HTTPDate.format(epochSeconds: modified - 1)).rangeIsApplicable(etag: etag, lastModified: modified))
    }

    @Test func httpDateRoundTrips() {
        #expect(HTTPDate.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.formatCommonLog(epochSeconds: 784_111_777) == "06/Nov/1994:08:49:37 +0000")
    }
}
