/// Column and parameter types on the wire (MYSQL_TYPE_*).
public enum MySQLFieldType: UInt8, Sendable, Hashable, CaseIterable {
    case decimal = 0, tiny = 1, short = 2, long = 3, float = 4, double = 5, null = 6, timestamp = 7
    case longlong = 8, int24 = 9, date = 10, time = 11, datetime = 12, year = 13, newdate = 14
    case varchar = 15, bit = 16, timestamp2 = 17, datetime2 = 18, time2 = 19
    case vector = 242, json = 245, newdecimal = 246, enumType = 247, set = 248
    case tinyBlob = 249, mediumBlob = 250, longBlob = 251, blob = 252
    case varString = 253, string = 254, geometry = 255

    /// Types whose binary-protocol value is a length-encoded byte string.
    public var isLengthEncodedInBinaryProtocol: Bool {
        switch self {
        case .decimal, .newdecimal, .varchar, .bit, .vector, .json, .enumType, .set, .tinyBlob, .mediumBlob,
             .longBlob, .blob, .varString, .string, .geometry:
            true
        default:
            false
        }
    }
}

/// Column definition flags (`*_FLAG` in MySQL's headers).
public struct MySQLColumnFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let notNull = Self(rawValue: 1)
    public static let primaryKey = Self(rawValue: 2)
    public static let uniqueKey = Self(rawValue: 4)
    public static let multipleKey = Self(rawValue: 8)
    public static let blob = Self(rawValue: 16)
    public static let unsigned = Self(rawValue: 32)
    public static let zerofill = Self(rawValue: 64)
    public static let binary = Self(rawValue: 128)
    public static let enumFlag = Self(rawValue: 256)
    public static let autoIncrement = Self(rawValue: 512)
    public static let timestamp = Self(rawValue: 1024)
    public static let set = Self(rawValue: 2048)
    public static let noDefaultValue = Self(rawValue: 4096)
    public static let onUpdateNow = Self(rawValue: 8192)
    public static let number = Self(rawValue: 32768)
}
