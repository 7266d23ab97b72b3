/// Why bytes or text do not form a domain name.
public enum DNSNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A label longer than 63 bytes; carries its length.
    case labelTooLong(Int)
    /// A name longer than 255 bytes in wire form; carries that length.
    case nameTooLong(Int)
    /// Two dots in a row, or a leading dot in a name other than ".".
    case emptyLabel
    /// Wire bytes that do not end with the root label where the name ends.
    case missingRootLabel
    /// A `\` escape that is not `\DDD` (000...255) or `\X`; carries the text.
    case invalidEscape(String)
    /// A relative name (or `@`) where no origin is known; carries the text.
    case relativeWithoutOrigin(String)
    /// An empty string where a name was expected.
    case empty

    public var description: String {
        switch self {
        case .labelTooLong(let length): "label of \(length) bytes is longer than 63"
        case .nameTooLong(let length): "name of \(length) bytes is longer than 255"
        case .emptyLabel: "empty label"
        case .missingRootLabel: "name does not end with the root label"
        case .invalidEscape(let text): "invalid escape in '\(text)'"
        case .relativeWithoutOrigin(let text): "relative name '\(text)' without an origin"
        case .empty: "empty name"
        }
    }
}
