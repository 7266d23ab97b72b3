/// An error as the MySQL client sees it: error code, SQLSTATE and MySQL's exact message text.
public struct SQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: UInt16
    public var sqlState: String
    public var message: String

    public init(code: UInt16, sqlState: String, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }
}

extension SQLError {
    static func syntax(near text: String, line: Int) -> SQLError {
        SQLError(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '\(text)' at line \(line)")
    }
    static func noSuchTable(_ db: String, _ table: String) -> SQLError {
        SQLError(code: 1146, sqlState: "42S02", message: "Table '\(db).\(table)' doesn't exist")
    }
    static func unknownColumn(_ name: String, in place: String) -> SQLError {
        SQLError(code: 1054, sqlState: "42S22", message: "Unknown column '\(name)' in '\(place)'")
    }
    static func duplicateEntry(_ value: String, key: String) -> SQLError {
        SQLError(code: 1062, sqlState: "23000", message: "Duplicate entry '\(value)' for key '\(key)'")
    }
    static let noDatabaseSelected = SQLError(code: 1046, sqlState: "3D000", message: "No database selected")
    static func unknownDatabase(_ name: String) -> SQLError {
        SQLError(code: 1049, sqlState: "42000", message: "Unknown database '\(name)'")
    }
    static func databaseExists(_ name: String) -> SQLError {
        SQLError(code: 1007, sqlState: "HY000", message: "Can't create database '\(name)'; database exists")
    }
    static func cannotDropDatabase(_ name: String) -> SQLError {
        SQLError(code: 1008, sqlState: "HY000", message: "Can't drop database '\(name)'; database doesn't exist")
    }
    static func tableExists(_ name: String) -> SQLError {
        SQLError(code: 1050, sqlState: "42S01", message: "Table '\(name)' already exists")
    }
    static func unknownTable(_ names: String) -> SQLError {
        SQLError(code: 1051, sqlState: "42S02", message: "Unknown table '\(names)'")
    }
    static func columnCannotBeNull(_ name: String) -> SQLError {
        SQLError(code: 1048, sqlState: "23000", message: "Column '\(name)' cannot be null")
    }
    static func noDefault(_ name: String) -> SQLError {
        SQLError(code: 1364, sqlState: "HY000", message: "Field '\(name)' doesn't have a default value")
    }
    static let columnCountMismatch = SQLError(code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row 1")
    static func columnCountMismatch(row: Int) -> SQLError {
        SQLError(code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row \(row)")
    }
    static let lockWaitTimeout = SQLError(code: 1205, sqlState: "HY000", message: "Lock wait timeout exceeded; try restarting transaction")
    static let deadlock = SQLError(code: 1213, sqlState: "40001", message: "Deadlock found when trying to get lock; try restarting transaction")
    /// Internal: a row lock showed that a row changed after the statement read it; the
    /// statement is re-run on a newer snapshot (Session+Transaction). Reaches a client only
    /// if that keeps happening.
    static let rowChangedSinceRead = SQLError(code: 1213, sqlState: "40001", message: "Deadlock found when trying to get lock; try restarting transaction (rows kept changing under the statement)")
    static let queryInterrupted = SQLError(code: 1317, sqlState: "70100", message: "Query execution was interrupted")
    /// Internal, never sent: a statement run without blocking (`Session.executeWithoutBlocking`)
    /// needed the disk, a compile or more rows than its budget; it is run again on a thread that may block.
    static let wouldBlock = SQLError(code: 0, sqlState: "HY000", message: "statement would block")
    static func unknownSystemVariable(_ name: String) -> SQLError {
        SQLError(code: 1193, sqlState: "HY000", message: "Unknown system variable '\(name)'")
    }
    static func unsupported(_ what: String) -> SQLError {
        SQLError(code: 1235, sqlState: "42000", message: "This version of MySQL doesn't yet support '\(what)'")
    }
    static func internalError(_ what: String) -> SQLError {
        SQLError(code: 1105, sqlState: "HY000", message: what)
    }
    static let subqueryMoreThanOneRow = SQLError(code: 1242, sqlState: "21000", message: "Subquery returns more than 1 row")
    static func operandColumns(_ n: Int) -> SQLError {
        SQLError(code: 1241, sqlState: "21000", message: "Operand should contain \(n) column(s)")
    }
    static func functionDoesNotExist(_ db: String, _ name: String) -> SQLError {
        SQLError(code: 1305, sqlState: "42000", message: "FUNCTION \(db).\(name) does not exist")
    }
    static func wrongParameterCount(_ name: String) -> SQLError {
        SQLError(code: 1582, sqlState: "42000", message: "Incorrect parameter count in the call to native function '\(name)'")
    }
    static func ambiguousColumn(_ name: String, in place: String) -> SQLError {
        SQLError(code: 1052, sqlState: "23000", message: "Column '\(name)' in \(place) is ambiguous")
    }
    static func nonUniqueTable(_ name: String) -> SQLError {
        SQLError(code: 1066, sqlState: "42000", message: "Not unique table/alias: '\(name)'")
    }
    static func invalidGroupFunction() -> SQLError {
        SQLError(code: 1111, sqlState: "HY000", message: "Invalid use of group function")
    }
    static func accessDenied(user: String, host: String, db: String) -> SQLError {
        SQLError(code: 1044, sqlState: "42000", message: "Access denied for user '\(user)'@'\(host)' to database '\(db)'")
    }
    static func outOfRange(_ column: String, row: Int) -> SQLError {
        SQLError(code: 1264, sqlState: "22003", message: "Out of range value for column '\(column)' at row \(row)")
    }
    static func dataTooLong(_ column: String, row: Int) -> SQLError {
        SQLError(code: 1406, sqlState: "22001", message: "Data too long for column '\(column)' at row \(row)")
    }
    static func incorrectValue(type: String, value: String, column: String, row: Int) -> SQLError {
        SQLError(code: 1366, sqlState: "HY000", message: "Incorrect \(type) value: '\(value)' for column '\(column)' at row \(row)")
    }
    static func keyDoesNotExist(_ key: String, table: String) -> SQLError {
        SQLError(code: 1176, sqlState: "42000", message: "Key '\(key)' doesn't exist in table '\(table)'")
    }
    static func cantDropKey(_ key: String) -> SQLError {
        SQLError(code: 1091, sqlState: "42000", message: "Can't DROP '\(key)'; check that column/key exists")
    }
    static func duplicateKeyName(_ key: String) -> SQLError {
        SQLError(code: 1061, sqlState: "42000", message: "Duplicate key name '\(key)'")
    }
    static func duplicateColumn(_ name: String) -> SQLError {
        SQLError(code: 1060, sqlState: "42S21", message: "Duplicate column name '\(name)'")
    }
    static func multiplePrimaryKeys() -> SQLError {
        SQLError(code: 1068, sqlState: "42000", message: "Multiple primary key defined")
    }
    static func keyColumnDoesNotExist(_ name: String) -> SQLError {
        SQLError(code: 1072, sqlState: "42000", message: "Key column '\(name)' doesn't exist in table")
    }
    static func rowIsReferenced(_ detail: String) -> SQLError {
        SQLError(code: 1451, sqlState: "23000", message: "Cannot delete or update a parent row: a foreign key constraint fails (\(detail))")
    }
    static func noReferencedRow(_ detail: String) -> SQLError {
        SQLError(code: 1452, sqlState: "23000", message: "Cannot add or update a child row: a foreign key constraint fails (\(detail))")
    }
    static func savepointDoesNotExist(_ name: String) -> SQLError {
        SQLError(code: 1305, sqlState: "42000", message: "SAVEPOINT \(name) does not exist")
    }
    static func wrongValueForVariable(_ name: String, _ value: String) -> SQLError {
        SQLError(code: 1231, sqlState: "42000", message: "Variable '\(name)' can't be set to the value of '\(value)'")
    }
    static func tooManyTables() -> SQLError {
        SQLError(code: 1116, sqlState: "HY000", message: "Too many tables; MySQL can only use 61 tables in a join")
    }
    static func unknownStatementHandler(_ name: String) -> SQLError {
        SQLError(code: 1243, sqlState: "HY000", message: "Unknown prepared statement handler (\(name)) given to EXECUTE")
    }
    static func emptyQuery() -> SQLError {
        SQLError(code: 1065, sqlState: "42000", message: "Query was empty")
    }
}
