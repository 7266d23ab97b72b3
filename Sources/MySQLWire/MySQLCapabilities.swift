/// Capability flags exchanged in the handshake (CLIENT_*). The effective set of a
/// connection is the intersection of what the server offers and the client asks for.
public struct MySQLCapabilities: OptionSet, Sendable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// CLIENT_LONG_PASSWORD; a MariaDB server clears it to announce extended capabilities.
    public static let longPassword = Self(rawValue: 1 << 0)
    public static let foundRows = Self(rawValue: 1 << 1)
    public static let longFlag = Self(rawValue: 1 << 2)
    public static let connectWithDB = Self(rawValue: 1 << 3)
    public static let noSchema = Self(rawValue: 1 << 4)
    public static let compress = Self(rawValue: 1 << 5)
    public static let odbc = Self(rawValue: 1 << 6)
    public static let localFiles = Self(rawValue: 1 << 7)
    public static let ignoreSpace = Self(rawValue: 1 << 8)
    public static let protocol41 = Self(rawValue: 1 << 9)
    public static let interactive = Self(rawValue: 1 << 10)
    public static let ssl = Self(rawValue: 1 << 11)
    public static let ignoreSigpipe = Self(rawValue: 1 << 12)
    public static let transactions = Self(rawValue: 1 << 13)
    public static let reserved = Self(rawValue: 1 << 14)
    /// CLIENT_SECURE_CONNECTION (a.k.a. RESERVED2): 4.1 authentication.
    public static let secureConnection = Self(rawValue: 1 << 15)
    public static let multiStatements = Self(rawValue: 1 << 16)
    public static let multiResults = Self(rawValue: 1 << 17)
    public static let psMultiResults = Self(rawValue: 1 << 18)
    public static let pluginAuth = Self(rawValue: 1 << 19)
    public static let connectAttributes = Self(rawValue: 1 << 20)
    public static let pluginAuthLengthEncodedClientData = Self(rawValue: 1 << 21)
    public static let canHandleExpiredPasswords = Self(rawValue: 1 << 22)
    public static let sessionTrack = Self(rawValue: 1 << 23)
    public static let deprecateEOF = Self(rawValue: 1 << 24)
    public static let optionalResultsetMetadata = Self(rawValue: 1 << 25)
    public static let zstdCompression = Self(rawValue: 1 << 26)
    public static let queryAttributes = Self(rawValue: 1 << 27)
    public static let multiFactorAuthentication = Self(rawValue: 1 << 28)
    public static let capabilityExtension = Self(rawValue: 1 << 29)
    public static let sslVerifyServerCert = Self(rawValue: 1 << 30)
    public static let rememberOptions = Self(rawValue: 1 << 31)
}

/// Server status flags carried in OK and EOF packets (SERVER_STATUS_* / SERVER_*).
public struct MySQLServerStatus: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let inTransaction = Self(rawValue: 0x0001)
    public static let autocommit = Self(rawValue: 0x0002)
    public static let moreResultsExist = Self(rawValue: 0x0008)
    public static let noGoodIndexUsed = Self(rawValue: 0x0010)
    public static let noIndexUsed = Self(rawValue: 0x0020)
    public static let cursorExists = Self(rawValue: 0x0040)
    public static let lastRowSent = Self(rawValue: 0x0080)
    public static let databaseDropped = Self(rawValue: 0x0100)
    public static let noBackslashEscapes = Self(rawValue: 0x0200)
    public static let metadataChanged = Self(rawValue: 0x0400)
    public static let queryWasSlow = Self(rawValue: 0x0800)
    public static let psOutParameters = Self(rawValue: 0x1000)
    public static let inTransactionReadOnly = Self(rawValue: 0x2000)
    public static let sessionStateChanged = Self(rawValue: 0x4000)
}

/// Command bytes: the first byte of every packet a client sends after the handshake.
public enum MySQLCommand: UInt8, Sendable, CaseIterable {
    case sleep = 0x00
    case quit = 0x01
    case initDB = 0x02
    case query = 0x03
    case fieldList = 0x04
    case createDB = 0x05
    case dropDB = 0x06
    case refresh = 0x07
    case shutdown = 0x08
    case statistics = 0x09
    case processInfo = 0x0A
    case connect = 0x0B
    case processKill = 0x0C
    case debug = 0x0D
    case ping = 0x0E
    case time = 0x0F
    case delayedInsert = 0x10
    case changeUser = 0x11
    case binlogDump = 0x12
    case tableDump = 0x13
    case connectOut = 0x14
    case registerSlave = 0x15
    case statementPrepare = 0x16
    case statementExecute = 0x17
    case statementSendLongData = 0x18
    case statementClose = 0x19
    case statementReset = 0x1A
    case setOption = 0x1B
    case statementFetch = 0x1C
    case daemon = 0x1D
    case binlogDumpGTID = 0x1E
    case resetConnection = 0x1F
}

/// Character set / collation ids as they appear in the handshake and column
/// definitions (the ones this project meets; any id is carried as a UInt8/UInt16).
public enum MySQLCharacterSet {
    public static let utf8mb3GeneralCI: UInt8 = 33
    public static let utf8mb4GeneralCI: UInt8 = 45
    public static let utf8mb4Bin: UInt8 = 46
    public static let binary: UInt8 = 63
    public static let utf8mb4UnicodeCI: UInt8 = 224
    public static let utf8mb4_0900_AI_CI: UInt8 = 255
}
