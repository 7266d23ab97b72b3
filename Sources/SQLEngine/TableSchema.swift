/// The catalog's description of one table, persisted (JSON) in the `sql:catalog` tree.
struct ColumnSchema: Codable, Sendable {
    var name: String
    var type: ColumnType
    var nullable: Bool
    /// Default as SQL literal text (nil: no default). `defaultIsExpression` for CURRENT_TIMESTAMP etc.
    var defaultText: String?
    var defaultIsNull = false
    var defaultIsCurrentTimestamp = false
    var autoIncrement = false
    var onUpdateCurrentTimestamp = false
    var comment: String?

    var hasDefault: Bool { defaultText != nil || defaultIsNull || defaultIsCurrentTimestamp }
}

struct IndexSchema: Codable, Sendable {
    var name: String
    /// Column positions in the table.
    var columns: [Int]
    var prefixLengths: [Int?]
    var isUnique: Bool
    var isPrimary: Bool
    /// PageStore tree holding this index (empty for the primary key: the table tree).
    var treeName: String
}

struct ForeignKeySchema: Codable, Sendable {
    var name: String
    var columns: [Int]
    var refDB: String
    var refTable: String
    var refColumns: [String]
    var onDelete: ReferentialAction
    var onUpdate: ReferentialAction
}

struct TableSchema: Codable, Sendable {
    var db: String
    var name: String
    var id: UInt64
    var columns: [ColumnSchema]
    /// Column positions of the primary key; empty when the table has a hidden row id.
    var primaryKey: [Int]
    var indexes: [IndexSchema]
    var foreignKeys: [ForeignKeySchema]
    var engine = "InnoDB"
    var comment: String?
    var collation: Collation = .general
    var rowFormat: String?
    /// Next AUTO_INCREMENT value (persisted with each commit that changes it).
    var autoIncrement: UInt64 = 1
    var nextRowID: UInt64 = 1

    var treeName: String { "t:\(id)" }

    func columnIndex(_ name: String) -> Int? {
        let lower = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lower }
    }

    var autoIncrementColumn: Int? { columns.firstIndex { $0.autoIncrement } }
    var hasHiddenPrimaryKey: Bool { primaryKey.isEmpty }
    var secondaryIndexes: [IndexSchema] { indexes.filter { !$0.isPrimary } }
    var primaryIndex: IndexSchema? { indexes.first { $0.isPrimary } }
}

struct ViewSchema: Codable, Sendable {
    var db: String
    var name: String
    var sql: String
    var columnNames: [String]?
    /// WITH [CASCADED|LOCAL] CHECK OPTION (nil in catalogs written before views were updatable).
    var hasCheckOption: Bool?
    /// WITH LOCAL CHECK OPTION (nil: CASCADED, or none, or a catalog written before LOCAL was kept).
    var isLocalCheckOption: Bool?

    var checkOption: ViewCheckOption? {
        hasCheckOption == true ? (isLocalCheckOption == true ? .local : .cascaded) : nil
    }
}

/// A view's WITH CHECK OPTION: LOCAL checks the view's own WHERE (and the views below that
/// have a check option of their own); CASCADED checks the WHEREs of every view below it too.
enum ViewCheckOption: String, Codable, Sendable {
    case local = "LOCAL", cascaded = "CASCADED"
}

struct DatabaseSchema: Codable, Sendable {
    var name: String
    var collation: Collation = .general
    var tables: [String: TableSchema] = [:]
    var views: [String: ViewSchema] = [:]
}

/// Every database, table and view: a value the writer changes privately and publishes on commit.
struct Catalog: Codable, Sendable {
    var databases: [String: DatabaseSchema] = [:]
    var nextTableID: UInt64 = 1
    /// The `Collation.weightsVersion` the sort keys in this database's index keys were made
    /// with (nil: 1, a catalog written before the UCA tables).
    var collationWeights: Int?
    /// Tables (by id) whose index keys still hold the sort keys of an older weights version,
    /// rebuilt on open (Engine+CollationUpgrade.swift); a table rebuilt since has a new id.
    var staleKeyTables: [UInt64]?

    func table(_ db: String, _ name: String) -> TableSchema? { databases[db]?.tables[name] }
    func view(_ db: String, _ name: String) -> ViewSchema? { databases[db]?.views[name] }

    mutating func allocateTableID() -> UInt64 {
        defer { nextTableID += 1 }
        return nextTableID
    }
}
