/// What is wrong with a zone file or zone; the cases carry the offending text.
public enum ZoneFileErrorReason: Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(String)
    case duplicateZone(String)
    case unknownDirective(String)
    case includeNotSupported
    case directiveArguments(String)
    case unknownRecordType(String)
    case unsupportedClass(String)
    case unknownVariable(String)
    case unterminatedVariable
    case unterminatedString
    case unbalancedParentheses
    case invalidName(String, DNSNameError)
    case missingOwner
    case missingType
    case missingTTL
    case invalidTTL(String)
    case invalidNumber(field: String, text: String)
    case invalidIPv4(String)
    case invalidIPv6(String)
    case fieldCount(type: String, expected: String, found: Int)
    case invalidEscape(String)
    case stringTooLong(Int)
    case rdataTooLong(Int)
    case invalidCAATag(String)
    case invalidGenericRData(String)
    case unsupportedTextFormat(String)
    case metaTypeInZone(String)
    case outsideZone(name: String, origin: String)
    case noSOA(String)
    case multipleSOA
    case soaNotAtApex(String)
    case cnameAndOtherData(String)
    case multipleCNAME(String)

    public var description: String {
        switch self {
        case .unreadableFile(let why): "cannot read file: \(why)"
        case .duplicateZone(let origin): "zone '\(origin)' is defined by more than one file"
        case .unknownDirective(let text): "unknown directive '\(text)'"
        case .includeNotSupported: "$INCLUDE is not supported; put the records in the zone file"
        case .directiveArguments(let directive): "\(directive) takes exactly one argument"
        case .unknownRecordType(let text): "unknown record type '\(text)'"
        case .unsupportedClass(let text): "unsupported class '\(text)' (only IN is served)"
        case .unknownVariable(let name): "unknown variable '${\(name)}'"
        case .unterminatedVariable: "'${' without a closing '}'"
        case .unterminatedString: "quoted string not closed on this line"
        case .unbalancedParentheses: "unbalanced parentheses"
        case .invalidName(let text, let error): "invalid name '\(text)': \(error)"
        case .missingOwner: "record without an owner name and no previous owner"
        case .missingType: "missing record type"
        case .missingTTL: "no TTL given and no $TTL or previous TTL to use"
        case .invalidTTL(let text): "invalid TTL '\(text)'"
        case .invalidNumber(let field, let text): "invalid \(field) '\(text)'"
        case .invalidIPv4(let text): "invalid IPv4 address '\(text)'"
        case .invalidIPv6(let text): "invalid IPv6 address '\(text)'"
        case .fieldCount(let type, let expected, let found): "\(type) needs \(expected), found \(found) field\(found == 1 ? "" : "s")"
        case .invalidEscape(let text): "invalid escape in '\(text)'"
        case .stringTooLong(let length): "character string of \(length) bytes is longer than 255; split it into several quoted strings"
        case .rdataTooLong(let length): "RDATA of \(length) bytes is longer than 65535"
        case .invalidCAATag(let text): "invalid CAA tag '\(text)'"
        case .invalidGenericRData(let why): "invalid \\# RDATA: \(why)"
        case .unsupportedTextFormat(let type): "no text format for \(type) here; use the RFC 3597 form '\\# length hex'"
        case .metaTypeInZone(let type): "\(type) cannot appear in a zone"
        case .outsideZone(let name, let origin): "'\(name)' is outside the zone '\(origin)'"
        case .noSOA(let origin): "no SOA record at the zone apex '\(origin)'"
        case .multipleSOA: "more than one SOA record"
        case .soaNotAtApex(let name): "SOA record at '\(name)', which is not the zone apex"
        case .cnameAndOtherData(let name): "CNAME and other data at '\(name)'"
        case .multipleCNAME(let name): "more than one CNAME at '\(name)'"
        }
    }
}
