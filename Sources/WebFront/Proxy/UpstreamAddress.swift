import OneboxCore

/// Where the proxy sends requests: `unix:/path/app.sock`, `HOST:PORT`, or
/// `http://HOST:PORT` (the scheme is accepted for readability; only plain HTTP/1.1 is spoken).
public struct UpstreamAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: ListenAddress

    public init(_ address: ListenAddress) { self.address = address }

    public init(parsing text: String) throws(OneboxConfigurationError) {
        var text = text.trimmingWhitespace()
        if text.hasPrefix("http://") {
            text = String(text.dropFirst("http://".count))
            while text.hasSuffix("/") { text.removeLast() }
        }
        do {
            address = try ListenAddress(parsing: text)
        } catch {
            throw .invalidValue(key: "web.upstreams", value: text, expected: "unix:PATH, HOST:PORT or http://HOST:PORT")
        }
    }

    public var description: String { address.description }
}
