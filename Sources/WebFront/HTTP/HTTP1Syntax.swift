import NIOCore
import NIOHTTP1

/// A message the HTTP/1 parsers refuse: the status a client gets for a bad request
/// (an upstream's bad response is a 502 whatever it says here).
struct HTTP1ParseError: Error, CustomStringConvertible {
    var status: HTTPResponseStatus = .badRequest
    let description: String

    init(_ description: String, status: HTTPResponseStatus = .badRequest) {
        self.description = description
        self.status = status
    }
}

/// Finds where a message head (start line and fields, through the empty line) ends in
/// the bytes received so far. A head that drips in is not scanned again from its start:
/// the search resumes where the last one stopped.
struct HTTP1HeadScanner {
    /// The start of the line being scanned, and how far it was scanned (from the head's start).
    private var lineStart = 0
    private var scanned = 0

    /// The head's length at the start of `buffer`, nil while incomplete; throws once
    /// more than `limit` bytes have come without the head's end.
    mutating func headLength(_ buffer: ByteBuffer, limit: Int, tooLarge: HTTPResponseStatus) throws -> Int? {
        var lineStart = min(self.lineStart, buffer.readableBytes)
        var position = min(scanned, buffer.readableBytes)
        let length = try buffer.withUnsafeReadableBytes { bytes -> Int? in
            while let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) {
                let lineLength = newline - lineStart
                if lineLength == 0 || (lineLength == 1 && bytes[lineStart] == UInt8(ascii: "\r")) {
                    guard lineStart > 0 else { throw HTTP1ParseError("empty start line") }
                    return newline + 1
                }
                lineStart = newline + 1
                position = lineStart
            }
            position = bytes.count
            return nil
        }
        if let length {
            self.lineStart = 0
            self.scanned = 0
            if length > limit { throw HTTP1ParseError("head larger than \(limit) bytes", status: tooLarge) }
            return length
        }
        self.lineStart = lineStart
        self.scanned = position
        if buffer.readableBytes > limit { throw HTTP1ParseError("head larger than \(limit) bytes", status: tooLarge) }
        return nil
    }
}

/// A parsed piece of an HTTP/1 message: its head, then body bytes, then its end.
enum HTTP1Part<Head> {
    case head(Head)
    case body(ByteBuffer)
    case end
}

/// Reads one message body as its framing says (RFC 9112 §6–7): a length, chunks (sizes
/// with optional extensions, then trailer fields, both read and dropped), or everything
/// until the connection closes. Body bytes are slices of the buffer passed in (no copy).
struct HTTP1BodyReader {
    private enum State {
        case fixed(remaining: Int)
        case chunkLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case ending
    }

    /// The longest chunk-size line (with extensions) accepted.
    static let maxChunkLineBytes = 4 * 1024
    /// The largest trailer section accepted.
    static let maxTrailerBytes = 64 * 1024

    private var state: State

    static func length(_ length: Int) -> HTTP1BodyReader { HTTP1BodyReader(state: length == 0 ? .ending : .fixed(remaining: length)) }
    static let chunked = HTTP1BodyReader(state: .chunkLine)
    static let untilClose = HTTP1BodyReader(state: .untilClose)
    static let none = HTTP1BodyReader(state: .ending)

    private init(state: State) {
        self.state = state
    }

    var runsUntilClose: Bool {
        if case .untilClose = state { true } else { false }
    }

    /// The next part from `buffer` (body bytes or the end), nil when it needs more bytes.
    /// After `.end` the reader is spent.
    mutating func next<Head>(_ buffer: inout ByteBuffer) throws -> HTTP1Part<Head>? {
        while true {
            switch state {
            case .ending:
                return .end
            case .fixed(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .ending : .fixed(remaining: remaining - count)
                return .body(buffer.readSlice(length: count)!)
            case .untilClose:
                guard buffer.readableBytes > 0 else { return nil }
                return .body(buffer.readSlice(length: buffer.readableBytes)!)
            case .chunkLine:
                guard let line = try HTTP1Syntax.readLine(&buffer, limit: Self.maxChunkLineBytes, what: "chunk size line") else { return nil }
                let size = try HTTP1Syntax.chunkSize(line)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(buffer.readSlice(length: count)!)
            case .chunkDataEnd:
                guard let line = try HTTP1Syntax.readLine(&buffer, limit: 2, what: "chunk end") else { return nil }
                guard line.readableBytes == 0 else { throw HTTP1ParseError("chunk data longer than its size") }
                state = .chunkLine
            case .trailers:
                guard let line = try HTTP1Syntax.readLine(&buffer, limit: Self.maxTrailerBytes, what: "trailer section") else { return nil }
                if line.readableBytes == 0 { state = .ending }
            }
        }
    }
}

extension Optional where Wrapped == HTTP1BodyReader {
    /// The next part of the body being read, nil when it needs more bytes; the reader is
    /// dropped at the body's end (the parser is then between messages).
    mutating func nextPart<Head>(_ buffer: inout ByteBuffer) throws -> HTTP1Part<Head>? {
        guard let part: HTTP1Part<Head> = try self!.next(&buffer) else { return nil }
        if case .end = part { self = nil }
        return part
    }
}

/// Lexical pieces of HTTP/1 messages shared by the request and response parsers.
enum HTTP1Syntax {
    /// RFC 9110 §5.6.2 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// One field line split into name and value (surrounding whitespace trimmed), both
    /// validated: a token name, a value without NUL, CR or LF. A line starting with
    /// whitespace (obsolete folding) is refused.
    static func field(_ line: Slice<UnsafeRawBufferPointer>) throws -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw HTTP1ParseError("field line without a name")
        }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        guard name.allSatisfy(isTokenByte) else {
            throw HTTP1ParseError(name.first == UInt8(ascii: " ") || name.first == UInt8(ascii: "\t")
                                  ? "obsolete line folding" : "invalid field name")
        }
        var start = colon + 1
        var end = line.endIndex
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        guard !value.contains(where: { $0 == 0 || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else {
            throw HTTP1ParseError("invalid field value")
        }
        return (name, value)
    }

    /// A Content-Length value: decimal digits only, at most 18 of them.
    static func length(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The size on a chunk line (hex digits, then optional `;extensions`).
    static func chunkSize(_ line: ByteBuffer) throws -> Int {
        try line.withUnsafeReadableBytes { bytes in
            var size = 0
            var digits = 0
            for byte in bytes {
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
                case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                    guard digits > 0 else { throw HTTP1ParseError("invalid chunk size") }
                    return size
                default:
                    throw HTTP1ParseError("invalid chunk size")
                }
                digits += 1
                guard digits <= 15 else { throw HTTP1ParseError("chunk size too large") }
                size = size << 4 | Int(value)
            }
            guard digits > 0 else { throw HTTP1ParseError("invalid chunk size") }
            return size
        }
    }

    /// The next line of `buffer` without its CRLF (or LF), consumed; nil while incomplete.
    static func readLine(_ buffer: inout ByteBuffer, limit: Int, what: String) throws -> ByteBuffer? {
        let newline = buffer.withUnsafeReadableBytes { $0.firstIndex(of: UInt8(ascii: "\n")) }
        guard let newline else {
            if buffer.readableBytes > limit { throw HTTP1ParseError("\(what) too long") }
            return nil
        }
        guard newline <= limit else { throw HTTP1ParseError("\(what) too long") }
        var line = buffer.readSlice(length: newline)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return line
    }

    /// The comma-separated tokens of a list field, trimmed and lower-cased.
    static func listTokens(_ value: String) -> [String] {
        let utf8 = value.utf8
        var tokens: [String] = []
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let comma = utf8[start...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
            var first = start
            var end = comma
            while first < end, utf8[first] == UInt8(ascii: " ") || utf8[first] == UInt8(ascii: "\t") { first = utf8.index(after: first) }
            while end > first {
                let last = utf8.index(before: end)
                guard utf8[last] == UInt8(ascii: " ") || utf8[last] == UInt8(ascii: "\t") else { break }
                end = last
            }
            if first < end { tokens.append(String(decoding: utf8[first..<end], as: UTF8.self).lowercased()) }
            start = comma == utf8.endIndex ? comma : utf8.index(after: comma)
        }
        return tokens
    }
}

extension ByteBuffer {
    /// One field line of an HTTP/1 head: `name: value` and CRLF.
    mutating func writeField(_ name: String, _ value: String) {
        writeString(name)
        writeStaticString(": ")
        writeString(value)
        writeStaticString("\r\n")
    }
}

/// The lines of a head, without their CRLF (or LF).
struct HTTP1LineIterator {
    let bytes: UnsafeRawBufferPointer
    private var start = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func next() -> Slice<UnsafeRawBufferPointer>? {
        guard start < bytes.count, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = newline
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = bytes[start..<end]
        start = newline + 1
        return line
    }
}
