import MySQLWire

/// The columns of a result, shared by all its rows, with a name → index map.
public final class MySQLColumns: Sendable {
    public let definitions: [MySQLColumnDefinition]
    private let indexByName: [String: Int]

    init(_ definitions: [MySQLColumnDefinition]) {
        self.definitions = definitions
        var index: [String: Int] = [:]
        // The first column of a name wins, as in most drivers; lookups ignore case like MySQL.
        for (i, column) in definitions.enumerated() where index[column.name.lowercased()] == nil {
            index[column.name.lowercased()] = i
        }
        self.indexByName = index
    }

    public var count: Int { definitions.count }
    public var names: [String] { definitions.map(\.name) }

    /// The index of the column called `name` (case-insensitive).
    public func index(of name: String) -> Int? {
        indexByName[name] ?? indexByName[name.lowercased()]
    }
}

/// One result of a statement: the rows of a SELECT, or the counts of an INSERT/UPDATE.
public struct MySQLResultSet: Sendable {
    public var columns: MySQLColumns
    public var rows: [MySQLRow]
    public var affectedRows: UInt64
    public var lastInsertID: UInt64
    public var warnings: UInt16
    public var status: MySQLServerStatus

    init(columns: MySQLColumns, rows: [MySQLRow] = [], affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0,
         warnings: UInt16 = 0, status: MySQLServerStatus = []) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.warnings = warnings
        self.status = status
    }

    static let empty = MySQLColumns([])
}

/// One row: values in column order, readable by index or name and decodable to Swift types.
public struct MySQLRow: Sendable {
    public let columns: MySQLColumns
    public let values: [MySQLValue]

    init(columns: MySQLColumns, values: [MySQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> MySQLValue { values[index] }

    /// The value of the column called `name`, or nil when there is none.
    public subscript(name: String) -> MySQLValue? {
        columns.index(of: name).map { values[$0] }
    }

    /// The value at `index` as `T`.
    public func decode<T: MySQLValueConvertible>(_ type: T.Type = T.self, at index: Int) throws(MySQLClientError) -> T {
        guard index >= 0, index < values.count else { throw .noSuchColumn("#\(index)") }
        guard let value = T(mysqlValue: values[index]) else {
            throw .typeMismatch(column: columns.definitions[index].name, expected: "\(T.self)", actual: values[index].caseName)
        }
        return value
    }

    /// The value of the column called `name` as `T`.
    public func decode<T: MySQLValueConvertible>(_ type: T.Type = T.self, column name: String) throws(MySQLClientError) -> T {
        guard let index = columns.index(of: name) else { throw .noSuchColumn(name) }
        return try decode(T.self, at: index)
    }
}

extension MySQLValue {
    /// The case's name, for messages.
    var caseName: String {
        switch self {
        case .null: "NULL"
        case .int: "a signed integer"
        case .uint: "an unsigned integer"
        case .float: "a FLOAT"
        case .double: "a DOUBLE"
        case .decimal: "a DECIMAL"
        case .string: "a string"
        case .bytes: "binary bytes"
        case .date: "a DATE"
        case .datetime: "a DATETIME"
        case .time: "a TIME"
        }
    }
}
