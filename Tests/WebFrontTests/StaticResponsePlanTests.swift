import NIOHTTP1
import Testing
@testable import WebFront

@Suite struct StaticResponsePlanTests {
    let file = StaticResponsePlan.Representation(
        length: 1000, contentType: "text/css; charset=utf-8", entityTag: "\"abc-3e8\"", lastModifiedSeconds: 1_700_000_000,
        lastModified: HTTPDate.format(epochSeconds: 1_700_000_000), gzipLength: 300, cacheControl: "no-cache", isCompressible: true)

    func plan(_ headers: HTTPHeaders) -> StaticResponsePlan {
        StaticResponsePlan.make(requestHeaders: headers, file: file, boundary: "BOUNDARY")
    }

    @Test func wholeFile() {
        let result = plan([:])
        #expect(result.status == .ok)
        #expect(result.body == .whole(gzip: false))
        #expect(result.headers.first(name: "content-length") == "1000")
        #expect(result.headers.first(name: "etag") == "\"abc-3e8\"")
        #expect(result.headers.first(name: "vary") == "Accept-Encoding")
        #expect(result.headers.first(name: "accept-ranges") == "bytes")
    }

    @Test func gzipWhenAcceptedWithItsOwnValidator() {
        let result = plan(["Accept-Encoding": "br, gzip;q=0.8"])
        #expect(result.body == .whole(gzip: true))
        #expect(result.headers.first(name: "content-encoding") == "gzip")
        #expect(result.headers.first(name: "content-length") == "300")
        #expect(result.headers.first(name: "etag") == "\"abc-3e8-gz\"")
        #expect(plan(["Accept-Encoding": "gzip;q=0"]).body == .whole(gzip: false))
        #expect(plan(["Accept-Encoding": "identity"]).body == .whole(gzip: false))
    }

    @Test func notModified() {
        let result = plan(["If-None-Match": "\"abc-3e8\""])
        #expect(result.status == .notModified)
        #expect(result.body == .none)
        #expect(plan(["If-None-Match": "\"abc-3e8-gz\"", "Accept-Encoding": "gzip"]).status == .notModified)
    }

    @Test func ranges() {
        let single = plan(["Range": "bytes=10-19"])
        #expect(single.status == .partialContent)
        #expect(single.body == .range(10..<20))
        #expect(single.headers.first(name: "content-range") == "bytes 10-19/1000")
        #expect(single.headers.first(name: "content-length") == "10")

        let multi = plan(["Range": "bytes=0-1,10-11"])
        #expect(multi.status == .partialContent)
        #expect(multi.body == .multipart(ranges: [0..<2, 10..<12], boundary: "BOUNDARY"))
        #expect(multi.headers.first(name: "content-type") == "multipart/byteranges; boundary=BOUNDARY")
        let expected = MultipartByteRanges.partHeader(range: 0..<2, boundary: "BOUNDARY", contentType: file.contentType, totalLength: 1000).utf8.count
            + MultipartByteRanges.partHeader(range: 10..<12, boundary: "BOUNDARY", contentType: file.contentType, totalLength: 1000).utf8.count
            + 4 + MultipartByteRanges.trailer(boundary: "BOUNDARY").utf8.count
        #expect(multi.contentLength == expected)

        let unsatisfiable = plan(["Range": "bytes=5000-"])
        #expect(unsatisfiable.status == .rangeNotSatisfiable)
        #expect(unsatisfiable.headers.first(name: "content-range") == "bytes */1000")
    }

    @Test func ifRangeMismatchServesTheWholeFile() {
        let result = plan(["Range": "bytes=10-19", "If-Range": "\"stale\""])
        #expect(result.status == .ok)
        #expect(result.body == .whole(gzip: false))
        #expect(plan(["Range": "bytes=10-19", "If-Range": "\"abc-3e8\""]).status == .partialContent)
    }

    @Test func rangeRequestsAreNeverGzipped() {
        #expect(plan(["Range": "bytes=0-9", "Accept-Encoding": "gzip"]).body == .range(0..<10))
    }
}
