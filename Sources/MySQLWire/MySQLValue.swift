/// A typed value as the binary protocol carries it (prepared-statement parameters
/// and binary result rows). The cases mirror SQLEngine's `SQLValue`, so the server
/// converts one into the other case by case.
public enum MySQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    /// Exact decimal text, e.g. "-12.340".
    case decimal(String)
    /// Text in the connection's character set, as raw bytes.
    case string([UInt8])
    /// Binary strings and blobs.
    case bytes([UInt8])
    case date(year: Int, month: Int, day: Int)
    case datetime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int)
    case time(negative: Bool, hours: Int, minutes: Int, seconds: Int, microseconds: Int)

    /// The type a client announces for this value as a statement parameter, and
    /// whether it is unsigned.
    public var parameterType: MySQLParameterType {
        switch self {
        case .null: MySQLParameterType(.null)
        case .int: MySQLParameterType(.longlong)
        case .uint: MySQLParameterType(.longlong, isUnsigned: true)
        case .float: MySQLParameterType(.float)
        case .double: MySQLParameterType(.double)
        case .decimal: MySQLParameterType(.newdecimal)
        case .string: MySQLParameterType(.varString)
        case .bytes: MySQLParameterType(.blob)
        case .date: MySQLParameterType(.date)
        case .datetime: MySQLParameterType(.datetime)
        case .time: MySQLParameterType(.time)
        }
    }
}

/// A parameter's type as sent in COM_STMT_EXECUTE: the type byte and the unsigned flag (0x80).
public struct MySQLParameterType: Sendable, Hashable {
    public var type: MySQLFieldType
    public var isUnsigned: Bool

    public init(_ type: MySQLFieldType, isUnsigned: Bool = false) {
        self.type = type
        self.isUnsigned = isUnsigned
    }
}
