import Testing
@testable import WebFront

@Suite struct AccessLogEntryTests {
    @Test func combinedFormatWithTimes() {
        let entry = AccessLogEntry(remoteAddress: "127.0.0.1", epochSeconds: 784_111_777, method: "GET", uri: "/a?b=\"c\"",
                                   version: "HTTP/1.1", status: 200, bodyBytesSent: 512, referer: nil, userAgent: "curl/8.0",
                                   requestTime: .milliseconds(1234), upstreamTime: .milliseconds(5))
        #expect(entry.formatted() == "127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] \"GET /a?b=\\x22c\\x22 HTTP/1.1\" 200 512 \"-\" \"curl/8.0\" 1.234 0.005\n")
    }

    @Test func controlBytesAreEscaped() {
        #expect(AccessLogEntry.escape("a\nb\\") == "a\\x0Ab\\x5C")
        #expect(AccessLogEntry.seconds(.zero) == "0.000")
        #expect(AccessLogEntry.seconds(.milliseconds(60_042)) == "60.042")
        #expect(AccessLogEntry.escape("\u{7F}é") == "\\x7F\\xC3\\xA9")
        var bytes: [UInt8] = []
        for value in [0, 7, 10, 404, 1_048_576, Int.max, -3] { AccessLogEntry.appendDecimal(value, to: &bytes); bytes.append(32) }
        #expect(String(decoding: bytes, as: UTF8.self) == "0 7 10 404 1048576 \(Int.max) -3 ")
    }
}
