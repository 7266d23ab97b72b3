/// Everything a ColumnDefinition41 packet needs about one result column.
public struct ColumnDefinition: Sendable, Equatable {
    public var schema: String
    public var table: String
    public var orgTable: String
    public var name: String
    public var orgName: String
    /// 63 binary, 255 utf8mb4_0900_ai_ci, 46 utf8mb4_bin.
    public var characterSet: UInt16
    public var columnLength: UInt32
    public var type: MySQLColumnType
    /// NOT_NULL 1, PRI_KEY 2, UNIQUE 4, MULTIPLE_KEY 8, BLOB 16, UNSIGNED 32, ZEROFILL 64, BINARY 128, ENUM 256, AUTO_INCREMENT 512, TIMESTAMP 1024, SET 2048, NO_DEFAULT 4096, ON_UPDATE_NOW 8192, NUM 32768.
    public var flags: UInt16
    public var decimals: UInt8

    public init(schema: String = "", table: String = "", orgTable: String = "", name: String, orgName: String = "",
                characterSet: UInt16, columnLength: UInt32, type: MySQLColumnType, flags: UInt16 = 0, decimals: UInt8 = 0) {
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
    }

    public static let notNullFlag: UInt16 = 1
    public static let primaryKeyFlag: UInt16 = 2
    public static let uniqueKeyFlag: UInt16 = 4
    public static let multipleKeyFlag: UInt16 = 8
    public static let blobFlag: UInt16 = 16
    public static let unsignedFlag: UInt16 = 32
    public static let binaryFlag: UInt16 = 128
    public static let enumFlag: UInt16 = 256
    public static let autoIncrementFlag: UInt16 = 512
    public static let timestampFlag: UInt16 = 1024
    public static let noDefaultValueFlag: UInt16 = 4096
    public static let numFlag: UInt16 = 32768
}
