@testable import DNSServer

extension DNSName: ExpressibleByStringLiteral {
    /// A name from a literal in source code; the literal must be a valid absolute name.
    public init(stringLiteral value: String) {
        do {
            self = try DNSName(value, origin: .root)
        } catch {
            preconditionFailure("invalid DNSName literal '\(value)': \(error)")
        }
    }
}
