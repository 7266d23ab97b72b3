/// Why an access-list entry could not be parsed.
public enum IPAccessListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an address or ADDRESS/LENGTH with a length that fits the family.
    case invalidPrefix(String)

    public var description: String {
        switch self {
        case .invalidPrefix(let text): "'\(text)' is not an IP address or CIDR prefix"
        }
    }
}
