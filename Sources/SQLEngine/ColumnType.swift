/// A column's declared SQL type.
struct ColumnType: Codable, Equatable, Sendable {
    enum Base: String, Codable, Sendable {
        case tinyint, smallint, mediumint, int, bigint
        case decimal, float, double, bit
        case char, varchar, tinytext, text, mediumtext, longtext
        case binary, varbinary, tinyblob, blob, mediumblob, longblob
        case date, datetime, timestamp, time, year
        case enumeration = "enum", set, json
    }

    var base: Base
    /// Character length for strings, precision for DECIMAL, display width for integers, fsp for temporal; nil when not given.
    var length: Int?
    var scale: Int?
    var unsigned = false
    var zerofill = false
    var collation: Collation = .general
    var values: [String] = []
    /// Declared as BOOL/BOOLEAN (tinyint(1)).
    var isBool = false

    init(_ base: Base, length: Int? = nil, scale: Int? = nil, unsigned: Bool = false) {
        self.base = base
        self.length = length
        self.scale = scale
        self.unsigned = unsigned
        if !isText { collation = .binary }
    }

    var isInteger: Bool {
        switch base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit: return true
        default: return false
        }
    }
    var isText: Bool {
        switch base {
        case .char, .varchar, .tinytext, .text, .mediumtext, .longtext, .enumeration, .set, .json: return true
        default: return false
        }
    }
    var isBinaryString: Bool {
        switch base {
        case .binary, .varbinary, .tinyblob, .blob, .mediumblob, .longblob: return true
        default: return false
        }
    }
    var isString: Bool { isText || isBinaryString }
    var isTemporal: Bool {
        switch base {
        case .date, .datetime, .timestamp, .time: return true
        default: return false
        }
    }
    var isBlobLike: Bool {
        switch base {
        case .tinytext, .text, .mediumtext, .longtext, .tinyblob, .blob, .mediumblob, .longblob, .json: return true
        default: return false
        }
    }

    /// Integer range of the type.
    var integerRange: (min: Int64, max: UInt64) {
        switch base {
        case .tinyint: return unsigned ? (0, 255) : (-128, 127)
        case .smallint: return unsigned ? (0, 65535) : (-32768, 32767)
        case .mediumint: return unsigned ? (0, 16_777_215) : (-8_388_608, 8_388_607)
        case .int: return unsigned ? (0, 4_294_967_295) : (-2_147_483_648, 2_147_483_647)
        case .year: return (0, 2155)
        case .bit: return (0, length.map { $0 >= 64 ? UInt64.max : (UInt64(1) << UInt64($0)) - 1 } ?? 1)
        default: return unsigned ? (0, UInt64.max) : (Int64.min, UInt64(Int64.max))
        }
    }

    /// Maximum length in characters (text) or bytes (binary).
    var maxLength: Int {
        switch base {
        case .char, .binary: return length ?? 1
        case .varchar, .varbinary: return length ?? 65535
        case .tinytext, .tinyblob: return 255
        case .text, .blob: return 65535
        case .mediumtext, .mediumblob: return 16_777_215
        case .longtext, .longblob, .json: return 4_294_967_295
        default: return 0
        }
    }

    var fsp: Int { isTemporal && base != .date ? (length ?? 0) : 0 }

    /// The SQL text of the type as SHOW CREATE TABLE prints it.
    var sqlText: String {
        var s: String
        switch base {
        case .tinyint, .smallint, .mediumint, .int, .bigint:
            s = base.rawValue
            if isBool || (base == .tinyint && length == 1) { s += "(1)" } else if zerofill, let l = length { s += "(\(l))" }
        case .decimal: s = "decimal(\(length ?? 10),\(scale ?? 0))"
        case .float, .double:
            s = base.rawValue
            if let l = length, let sc = scale { s += "(\(l),\(sc))" }
        case .bit: s = "bit(\(length ?? 1))"
        case .char, .varchar, .binary, .varbinary: s = "\(base.rawValue)(\(length ?? 1))"
        case .datetime, .timestamp, .time:
            s = base.rawValue
            if let l = length, l > 0 { s += "(\(l))" }
        case .year: s = "year"
        case .enumeration, .set:
            s = base.rawValue + "(" + values.map { "'" + $0.replacing("'", with: "''") + "'" }.joined(separator: ",") + ")"
        default: s = base.rawValue
        }
        if unsigned { s += " unsigned" }
        if zerofill { s += " zerofill" }
        return s
    }
}

