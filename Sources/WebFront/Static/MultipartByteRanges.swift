import NIOCore

/// The `multipart/byteranges` body of RFC 9110 §14.6: for each range a part header
///
///     \r\n--BOUNDARY\r\nContent-Type: TYPE\r\nContent-Range: bytes A-B/LENGTH\r\n\r\n
///
/// followed by the bytes, and a closing `\r\n--BOUNDARY--\r\n`.
public enum MultipartByteRanges {
    /// The header before the part for `range`.
    public static func partHeader(range: Range<Int>, boundary: String, contentType: String, totalLength: Int) -> String {
        "\r\n--\(boundary)\r\nContent-Type: \(contentType)\r\nContent-Range: bytes \(range.lowerBound)-\(range.upperBound - 1)/\(totalLength)\r\n\r\n"
    }

    /// The closing delimiter.
    public static func trailer(boundary: String) -> String { "\r\n--\(boundary)--\r\n" }

    /// The whole body's length, for Content-Length.
    public static func length(ranges: [Range<Int>], boundary: String, contentType: String, totalLength: Int) -> Int {
        ranges.reduce(trailer(boundary: boundary).utf8.count) { sum, range in
            sum + partHeader(range: range, boundary: boundary, contentType: contentType, totalLength: totalLength).utf8.count + range.count
        }
    }

    /// A boundary that cannot occur by chance in the parts.
    public static func makeBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 16) + String(generator.next() as UInt64, radix: 16)
    }
}
