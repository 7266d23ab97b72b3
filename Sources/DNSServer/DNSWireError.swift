/// Why bytes are not a well-formed DNS message. Offsets count from the message start.
public enum DNSWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message ends before a field that starts at this offset is complete.
    case truncated(offset: Int)
    /// A label length byte with the reserved high bits 01 or 10 (RFC 6891 dropped
    /// extended label types).
    case badLabelType(offset: Int)
    /// A name longer than 255 bytes once decompressed.
    case nameTooLong(offset: Int)
    /// A compression pointer that does not point strictly before the name it is part
    /// of (forward, self, or into the header): forward pointers can loop.
    case badPointer(offset: Int)
    /// Bytes left over after the last record the counts announce.
    case trailingBytes(count: Int)
    /// RDATA of this type whose contents do not match its RDLENGTH or format.
    case badRData(type: DNSRecordType, offset: Int)
    /// More than one OPT record (RFC 6891 6.1.1).
    case multipleOPT
    /// An OPT record outside the additional section, or with an owner other than root.
    case misplacedOPT
    /// A query whose QDCOUNT is not 1 (RFC 9619); carries the count.
    case questionCount(Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "message truncated at offset \(offset)"
        case .badLabelType(let offset): "reserved label type at offset \(offset)"
        case .nameTooLong(let offset): "name longer than 255 bytes at offset \(offset)"
        case .badPointer(let offset): "compression pointer at offset \(offset) does not point backwards"
        case .trailingBytes(let count): "\(count) bytes after the last record"
        case .badRData(let type, let offset): "malformed \(type) RDATA at offset \(offset)"
        case .multipleOPT: "more than one OPT record"
        case .misplacedOPT: "OPT record outside the additional section or not owned by the root"
        case .questionCount(let count): "query with \(count) questions"
        }
    }
}
