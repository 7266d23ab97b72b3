/// Where a role listens or connects: `HOST:PORT` (`127.0.0.1:8053`, `[::1]:53`,
/// `localhost:0`) or `unix:PATH`. Port 0 asks the kernel for a free port.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// Parses the textual form; the error says what was expected.
    public init(parsing text: String) throws(OneboxConfigurationError) {
        let text = text.trimmingWhitespace()
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { throw Self.invalid(text) }
            self = .unix(path: path)
            return
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Self.invalid(text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw Self.invalid(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw Self.invalid(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw Self.invalid(text) }
        self = .tcp(host: String(host), port: port)
    }

    private static func invalid(_ text: String) -> OneboxConfigurationError {
        .invalidValue(key: "listen address", value: text, expected: "HOST:PORT, [IPv6]:PORT or unix:PATH")
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

extension ListenAddress {
    /// The same address with another port: how a role reports where port 0 landed.
    public func withPort(_ port: Int) -> ListenAddress {
        switch self {
        case .tcp(let host, _): .tcp(host: host, port: port)
        case .unix: self
        }
    }
}
