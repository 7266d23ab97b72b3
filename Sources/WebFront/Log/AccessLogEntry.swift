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

    /// The line, newline included. Quotes, backslashes and control bytes in client-sent
    /// fields are written as `\xHH`, as nginx does, so a line can always be parsed back.
    public func formatted() -> String {
        var line = ""
        line.reserveCapacity(96 + remoteAddress.utf8.count + uri.utf8.count + (referer?.utf8.count ?? 1) + (userAgent?.utf8.count ?? 1))
        line += remoteAddress
        line += " - - ["
        line += Self.commonLogTime.text(for: epochSeconds)
        line += "] \""
        line += Self.escape(method + " " + uri + " " + version)
        line += "\" \(status) \(bodyBytesSent) \""
        line += Self.escape(referer ?? "-")
        line += "\" \""
        line += Self.escape(userAgent ?? "-")
        line += "\" "
        line += Self.seconds(requestTime)
        line += " "
        line += upstreamTime.map(Self.seconds) ?? "-"
        line += "\n"
        return line
    }

    private static let commonLogTime = PerSecondText(HTTPDate.formatCommonLog(epochSeconds:))

    /// Seconds with millisecond precision (`0.003`).
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = max(0, Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000))
        let fraction = String(milliseconds % 1000 + 1000).dropFirst()
        return "\(milliseconds / 1000).\(fraction)"
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }) else { return text }
        var output = ""
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F {
                let hex = String(byte, radix: 16, uppercase: true)
                output += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return output
    }
}
