/// One request as the access log records it.
public struct AccessLogEntry: Sendable {
    public var remoteAddress: String
    public var epochSeconds: Int
    public var method: String
    public var uri: String
    public var version: String
    public var status: Int
    public var bodyBytesSent: Int
    public var referer: String?
    public var userAgent: String?
    /// From the first request byte seen to the last response byte written.
    public var requestTime: Duration
    /// From connecting (or taking a pooled connection) to the end of the upstream's response.
    public var upstreamTime: Duration?

    public init(remoteAddress: String, epochSeconds: Int, method: String, uri: String, version: String,
                status: Int, bodyBytesSent: Int, referer: String?, userAgent: String?,
                requestTime: Duration, upstreamTime: Duration?) {
        self.remoteAddress = remoteAddress
        self.epochSeconds = epochSeconds
        self.method = method
        self.uri = uri
        self.version = version
        self.status = status
        self.bodyBytesSent = bodyBytesSent
        self.referer = referer
        self.userAgent = userAgent
        self.requestTime = requestTime
        self.upstreamTime = upstreamTime
    }

    /// A request refused before it could be parsed: its first line as received stands for
    /// method, target and version (split at the first two spaces; `-` for what is missing).
    init(refused requestLine: String, clientAddress: String, status: Int, bodyBytesSent: Int) {
        let parts = requestLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        self.init(remoteAddress: clientAddress, epochSeconds: HTTPDate.now(),
                  method: parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? "-",
                  uri: parts.count > 1 ? parts[1] : "-", version: parts.count > 2 ? parts[2] : "-",
                  status: status, bodyBytesSent: bodyBytesSent, referer: nil, userAgent: nil,
                  requestTime: .zero, upstreamTime: nil)
    }

    /// The line, newline included. Quotes, backslashes and control bytes in client-sent
    /// fields are written as `\xHH`, as nginx does, so a line can always be parsed back.
    public func formatted() -> String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the line to `bytes` (the log's buffer) without building a String.
    func append(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: remoteAddress.utf8)
        bytes.append(contentsOf: " - - [".utf8)
        bytes.append(contentsOf: Self.commonLogTime.text(for: epochSeconds).utf8)
        bytes.append(contentsOf: "] \"".utf8)
        Self.appendEscaped(method, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        Self.appendEscaped(uri, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        Self.appendEscaped(version, to: &bytes)
        bytes.append(contentsOf: "\" ".utf8)
        Self.appendDecimal(status, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        Self.appendDecimal(bodyBytesSent, to: &bytes)
        bytes.append(contentsOf: " \"".utf8)
        Self.appendEscaped(referer ?? "-", to: &bytes)
        bytes.append(contentsOf: "\" \"".utf8)
        Self.appendEscaped(userAgent ?? "-", to: &bytes)
        bytes.append(contentsOf: "\" ".utf8)
        Self.appendSeconds(requestTime, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        if let upstreamTime { Self.appendSeconds(upstreamTime, to: &bytes) } else { bytes.append(UInt8(ascii: "-")) }
        bytes.append(UInt8(ascii: "\n"))
    }

    private static let commonLogTime = PerSecondText(HTTPDate.formatCommonLog(epochSeconds:))

    /// Seconds with millisecond precision (`0.003`).
    static func seconds(_ duration: Duration) -> String {
        var bytes: [UInt8] = []
        appendSeconds(duration, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendSeconds(_ duration: Duration, to bytes: inout [UInt8]) {
        let milliseconds = max(0, Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000))
        appendDecimal(milliseconds / 1000, to: &bytes)
        let fraction = milliseconds % 1000
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value > 0 else {
            if value == 0 { bytes.append(UInt8(ascii: "0")) } else { bytes.append(contentsOf: String(value).utf8) }
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F
    }

    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        guard text.utf8.contains(where: needsEscape) else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        let hex: StaticString = "0123456789ABCDEF"
        for byte in text.utf8 {
            if needsEscape(byte) {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "x"))
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0xF)])
            } else {
                bytes.append(byte)
            }
        }
    }

    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
