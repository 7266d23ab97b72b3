// ColumnDefinition41 (one per column of a result set, parameter of a prepared
// statement, or field of COM_FIELD_LIST).
//
//   lenenc-str  catalog ("def")
//   lenenc-str  schema, table, org_table, name, org_name
//   lenenc-int  length of the fixed fields = 0x0C
//   2           character set (collation id; 63 = binary)
//   4           column length
//   1           type (MySQLFieldType)
//   2           flags (MySQLColumnFlags)
//   1           decimals
//   2           filler zeros
//   lenenc-str  default value        (COM_FIELD_LIST replies only)

/// One column's metadata.
public struct MySQLColumnDefinition: Sendable, Equatable {
    public var catalog = "def"
    public var schema: String
    public var table: String
    public var orgTable: String
    public var name: String
    public var orgName: String
    public var characterSet: UInt16
    public var columnLength: UInt32
    public var type: MySQLFieldType
    public var flags: MySQLColumnFlags
    public var decimals: UInt8
    /// Only in COM_FIELD_LIST replies.
    public var defaultValue: [UInt8]?

    public init(schema: String = "", table: String = "", orgTable: String = "", name: String, orgName: String = "",
                characterSet: UInt16, columnLength: UInt32, type: MySQLFieldType, flags: MySQLColumnFlags = [],
                decimals: UInt8 = 0, defaultValue: [UInt8]? = nil) {
        self.schema = schema
        self.table = table
        self.orgTable = orgTable
        self.name = name
        self.orgName = orgName
        self.characterSet = characterSet
        self.columnLength = columnLength
        self.type = type
        self.flags = flags
        self.decimals = decimals
        self.defaultValue = defaultValue
    }

    public var isUnsigned: Bool { flags.contains(.unsigned) }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 32 + schema.utf8.count + 2 * (table.utf8.count + name.utf8.count))
        encode(into: &w)
        return w.bytes
    }

    public func encode(into w: inout MySQLPacketWriter) {
        w.writeLengthEncodedString(catalog)
        w.writeLengthEncodedString(schema)
        w.writeLengthEncodedString(table)
        w.writeLengthEncodedString(orgTable)
        w.writeLengthEncodedString(name)
        w.writeLengthEncodedString(orgName)
        w.writeLengthEncodedInteger(0x0C)
        w.writeUInt16(characterSet)
        w.writeUInt32(columnLength)
        w.writeUInt8(type.rawValue)
        w.writeUInt16(flags.rawValue)
        w.writeUInt8(decimals)
        w.writeZeros(2)
        if let defaultValue { w.writeLengthEncodedBytes(defaultValue) }
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLColumnDefinition {
        var r = MySQLPacketReader(payload)
        let catalog = try r.readLengthEncodedString("catalog")
        let schema = try r.readLengthEncodedString("schema")
        let table = try r.readLengthEncodedString("table")
        let orgTable = try r.readLengthEncodedString("org_table")
        let name = try r.readLengthEncodedString("name")
        let orgName = try r.readLengthEncodedString("org_name")
        let fixedLength = try r.readLengthEncodedInteger("length of fixed fields")
        guard fixedLength >= 0x0A else {
            throw .malformed(field: "length of fixed fields", reason: "\(fixedLength) < 10")
        }
        let characterSet = try r.readUInt16("character set")
        let columnLength = try r.readUInt32("column length")
        let rawType = try r.readUInt8("column type")
        guard let type = MySQLFieldType(rawValue: rawType) else {
            throw .malformed(field: "column type", reason: "unknown type \(rawType)")
        }
        let flags = MySQLColumnFlags(rawValue: try r.readUInt16("column flags"))
        let decimals = try r.readUInt8("decimals")
        try r.skip(min(Int(fixedLength) - 0x0A, r.remaining), "filler")
        var column = MySQLColumnDefinition(schema: schema, table: table, orgTable: orgTable, name: name, orgName: orgName,
                                           characterSet: characterSet, columnLength: columnLength, type: type,
                                           flags: flags, decimals: decimals)
        column.catalog = catalog
        if !r.isAtEnd { column.defaultValue = try r.readLengthEncodedBytesOrNull("default value") }
        return column
    }
}
