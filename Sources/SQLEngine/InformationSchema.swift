/// information_schema: virtual tables generated from the catalog at query time.
struct VirtualTable {
    var columns: [String]
    var types: [ExprType]
    var rows: [[Value]]
}

enum InformationSchema {
    static let tableNames = ["CHARACTER_SETS", "COLLATIONS", "COLUMNS", "COLUMN_STATISTICS", "ENGINES", "FILES", "KEY_COLUMN_USAGE", "PARTITIONS",
                             "PROCESSLIST", "REFERENTIAL_CONSTRAINTS", "ROUTINES", "SCHEMATA", "STATISTICS", "TABLES", "TABLE_CONSTRAINTS",
                             "TRIGGERS", "USER_PRIVILEGES", "VIEWS", "EVENTS", "PARAMETERS", "SCHEMA_PRIVILEGES", "TABLE_PRIVILEGES",
                             "COLUMN_PRIVILEGES", "COLLATION_CHARACTER_SET_APPLICABILITY"]

    /// MySQL 8.0's columns of the information_schema tables that onebox answers empty.
    static let emptyTableColumns: [String: [String]] = [
        "TRIGGERS": ["TRIGGER_CATALOG", "TRIGGER_SCHEMA", "TRIGGER_NAME", "EVENT_MANIPULATION", "EVENT_OBJECT_CATALOG",
                     "EVENT_OBJECT_SCHEMA", "EVENT_OBJECT_TABLE", "ACTION_ORDER", "ACTION_CONDITION", "ACTION_STATEMENT",
                     "ACTION_ORIENTATION", "ACTION_TIMING", "ACTION_REFERENCE_OLD_TABLE", "ACTION_REFERENCE_NEW_TABLE",
                     "ACTION_REFERENCE_OLD_ROW", "ACTION_REFERENCE_NEW_ROW", "CREATED", "SQL_MODE", "DEFINER",
                     "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION", "DATABASE_COLLATION"],
        "ROUTINES": ["SPECIFIC_NAME", "ROUTINE_CATALOG", "ROUTINE_SCHEMA", "ROUTINE_NAME", "ROUTINE_TYPE", "DATA_TYPE",
                     "CHARACTER_MAXIMUM_LENGTH", "CHARACTER_OCTET_LENGTH", "NUMERIC_PRECISION", "NUMERIC_SCALE",
                     "DATETIME_PRECISION", "CHARACTER_SET_NAME", "COLLATION_NAME", "DTD_IDENTIFIER", "ROUTINE_BODY",
                     "ROUTINE_DEFINITION", "EXTERNAL_NAME", "EXTERNAL_LANGUAGE", "PARAMETER_STYLE", "IS_DETERMINISTIC",
                     "SQL_DATA_ACCESS", "SQL_PATH", "SECURITY_TYPE", "CREATED", "LAST_ALTERED", "SQL_MODE", "ROUTINE_COMMENT",
                     "DEFINER", "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION", "DATABASE_COLLATION"],
        "EVENTS": ["EVENT_CATALOG", "EVENT_SCHEMA", "EVENT_NAME", "DEFINER", "TIME_ZONE", "EVENT_BODY", "EVENT_DEFINITION",
                   "EVENT_TYPE", "EXECUTE_AT", "INTERVAL_VALUE", "INTERVAL_FIELD", "SQL_MODE", "STARTS", "ENDS", "STATUS",
                   "ON_COMPLETION", "CREATED", "LAST_ALTERED", "LAST_EXECUTED", "EVENT_COMMENT", "ORIGINATOR",
                   "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION", "DATABASE_COLLATION"],
        "PARAMETERS": ["SPECIFIC_CATALOG", "SPECIFIC_SCHEMA", "SPECIFIC_NAME", "ORDINAL_POSITION", "PARAMETER_MODE",
                       "PARAMETER_NAME", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH", "CHARACTER_OCTET_LENGTH", "NUMERIC_PRECISION",
                       "NUMERIC_SCALE", "DATETIME_PRECISION", "CHARACTER_SET_NAME", "COLLATION_NAME", "DTD_IDENTIFIER", "ROUTINE_TYPE"],
        "FILES": ["FILE_ID", "FILE_NAME", "FILE_TYPE", "TABLESPACE_NAME", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME",
                  "LOGFILE_GROUP_NAME", "LOGFILE_GROUP_NUMBER", "ENGINE", "FULLTEXT_KEYS", "DELETED_ROWS", "UPDATE_COUNT",
                  "FREE_EXTENTS", "TOTAL_EXTENTS", "EXTENT_SIZE", "INITIAL_SIZE", "MAXIMUM_SIZE", "AUTOEXTEND_SIZE",
                  "CREATION_TIME", "LAST_UPDATE_TIME", "LAST_ACCESS_TIME", "RECOVER_TIME", "TRANSACTION_COUNTER", "VERSION",
                  "ROW_FORMAT", "TABLE_ROWS", "AVG_ROW_LENGTH", "DATA_LENGTH", "MAX_DATA_LENGTH", "INDEX_LENGTH", "DATA_FREE",
                  "CREATE_TIME", "UPDATE_TIME", "CHECK_TIME", "CHECKSUM", "STATUS", "EXTRA"],
        "PARTITIONS": ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "PARTITION_NAME", "SUBPARTITION_NAME",
                       "PARTITION_ORDINAL_POSITION", "SUBPARTITION_ORDINAL_POSITION", "PARTITION_METHOD", "SUBPARTITION_METHOD",
                       "PARTITION_EXPRESSION", "SUBPARTITION_EXPRESSION", "PARTITION_DESCRIPTION", "TABLE_ROWS", "AVG_ROW_LENGTH",
                       "DATA_LENGTH", "MAX_DATA_LENGTH", "INDEX_LENGTH", "DATA_FREE", "CREATE_TIME", "UPDATE_TIME", "CHECK_TIME",
                       "CHECKSUM", "PARTITION_COMMENT", "NODEGROUP", "TABLESPACE_NAME"],
        "COLUMN_STATISTICS": ["SCHEMA_NAME", "TABLE_NAME", "COLUMN_NAME", "HISTOGRAM"],
        "COLLATION_CHARACTER_SET_APPLICABILITY": ["COLLATION_NAME", "CHARACTER_SET_NAME"],
    ]

    static func t(_ s: String) -> Value { .text(Array(s.utf8)) }

    static func make(_ names: [String], _ rows: [[Value]]) -> VirtualTable {
        var types: [ExprType] = []
        for (i, _) in names.enumerated() {
            var ty = ExprType(.text, length: 64)
            if let first = rows.first(where: { !$0[i].isNull }) {
                switch first[i] {
                case .int: ty = .int
                case .uint: ty = ExprType(.uint, length: 21)
                default: break
                }
            }
            types.append(ty)
        }
        return VirtualTable(columns: names, types: types, rows: rows)
    }

    static func table(_ name: String, _ ctx: ExecContext) throws -> VirtualTable? {
        let catalog = ctx.catalog
        // An account sees only the schemas and tables it holds some privilege on.
        let session = ctx.session
        let dbs = catalog.databases.values.filter { session.seesDatabase($0.name) }.sorted { $0.name < $1.name }
            .map { db -> DatabaseSchema in
                var visible = db
                visible.tables = db.tables.filter { session.seesTable(db.name, $0.key) }
                visible.views = db.views.filter { session.seesTable(db.name, $0.key) }
                return visible
            }
        switch name.uppercased() {
        case "SCHEMATA":
            let rows = ([("information_schema")] + dbs.map(\.name)).map { [t("def"), t($0), t("utf8mb4"), t("utf8mb4_0900_ai_ci"), Value.null, t("NO")] }
            return make(["CATALOG_NAME", "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME", "DEFAULT_COLLATION_NAME", "SQL_PATH", "DEFAULT_ENCRYPTION"], rows)
        case "TABLES":
            var rows: [[Value]] = []
            for db in dbs {
                for tb in db.tables.values.sorted(by: { $0.name < $1.name }) {
                    rows.append([t("def"), t(db.name), t(tb.name), t("BASE TABLE"), t(tb.engine), .int(10), t("Dynamic"), .int(0), .int(0), .int(16384), .int(0), .int(0), .int(0),
                                 tb.autoIncrementColumn != nil ? .uint(tb.autoIncrement) : .null, .null, .null, .null, t(tb.collation.rawValue), .null, t(""), t(tb.comment ?? "")])
                }
                for v in db.views.keys.sorted() {
                    rows.append([t("def"), t(db.name), t(v), t("VIEW")] + [Value](repeating: .null, count: 16) + [t("VIEW")])
                }
            }
            return make(["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE", "ENGINE", "VERSION", "ROW_FORMAT", "TABLE_ROWS", "AVG_ROW_LENGTH",
                         "DATA_LENGTH", "MAX_DATA_LENGTH", "INDEX_LENGTH", "DATA_FREE", "AUTO_INCREMENT", "CREATE_TIME", "UPDATE_TIME", "CHECK_TIME",
                         "TABLE_COLLATION", "CHECKSUM", "CREATE_OPTIONS", "TABLE_COMMENT"], rows)
        case "COLUMNS":
            var rows: [[Value]] = []
            for db in dbs {
                for tb in db.tables.values.sorted(by: { $0.name < $1.name }) {
                    for (i, c) in tb.columns.enumerated() {
                        guard let privileges = session.columnPrivilegeText(db: db.name, table: tb.name, column: c.name) else { continue }
                        let key = tb.primaryKey.contains(i) ? "PRI" : (tb.secondaryIndexes.contains { $0.isUnique && $0.columns.first == i } ? "UNI" : (tb.secondaryIndexes.contains { $0.columns.first == i } ? "MUL" : ""))
                        let dataType = c.type.sqlText.split(separator: "(").first.map { String($0).split(separator: " ").first.map(String.init) ?? "" } ?? ""
                        rows.append([t("def"), t(db.name), t(tb.name), t(c.name), .uint(UInt64(i + 1)), c.defaultText.map { t($0) } ?? (c.defaultIsCurrentTimestamp ? t("CURRENT_TIMESTAMP") : .null),
                                     t(c.nullable ? "YES" : "NO"), t(dataType), c.type.isString ? .int(Int64(c.type.maxLength)) : .null, .null,
                                     c.type.base == .decimal ? .int(Int64(c.type.length ?? 10)) : .null, c.type.base == .decimal ? .int(Int64(c.type.scale ?? 0)) : .null, .null,
                                     c.type.isText ? t(c.type.collation.charset) : .null, c.type.isText ? t(c.type.collation.rawValue) : .null, t(c.type.sqlText), t(key),
                                     t(c.autoIncrement ? "auto_increment" : (c.defaultIsCurrentTimestamp ? "DEFAULT_GENERATED" : "")), t(privileges), t(c.comment ?? ""), t(""), .null])
                    }
                }
            }
            return make(["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION", "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE",
                         "CHARACTER_MAXIMUM_LENGTH", "CHARACTER_OCTET_LENGTH", "NUMERIC_PRECISION", "NUMERIC_SCALE", "DATETIME_PRECISION",
                         "CHARACTER_SET_NAME", "COLLATION_NAME", "COLUMN_TYPE", "COLUMN_KEY", "EXTRA", "PRIVILEGES", "COLUMN_COMMENT",
                         "GENERATION_EXPRESSION", "SRS_ID"], rows)
        case "STATISTICS":
            var rows: [[Value]] = []
            for db in dbs {
                for tb in db.tables.values.sorted(by: { $0.name < $1.name }) {
                    for idx in tb.indexes {
                        for (seq, ci) in idx.columns.enumerated() {
                            rows.append([t("def"), t(db.name), t(tb.name), .int(idx.isUnique ? 0 : 1), t(db.name), t(idx.name), .int(Int64(seq + 1)), t(tb.columns[ci].name), t("A"), .int(0), .null, .null, t(tb.columns[ci].nullable ? "YES" : ""), t("BTREE"), t(""), t(""), t("YES"), .null])
                        }
                    }
                }
            }
            return make(["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "NON_UNIQUE", "INDEX_SCHEMA", "INDEX_NAME", "SEQ_IN_INDEX", "COLUMN_NAME", "COLLATION",
                         "CARDINALITY", "SUB_PART", "PACKED", "NULLABLE", "INDEX_TYPE", "COMMENT", "INDEX_COMMENT", "IS_VISIBLE", "EXPRESSION"], rows)
        case "VIEWS":
            var rows: [[Value]] = []
            for db in dbs { for v in db.views.values.sorted(by: { $0.name < $1.name }) { rows.append([t("def"), t(db.name), t(v.name), t(v.sql), t(v.checkOption?.rawValue ?? "NONE"), t("YES"), t("root@localhost"), t("DEFINER"), t("utf8mb4"), t("utf8mb4_general_ci")]) } }
            return make(["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION", "CHECK_OPTION", "IS_UPDATABLE", "DEFINER", "SECURITY_TYPE", "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION"], rows)
        case "ENGINES":
            return make(["ENGINE", "SUPPORT", "COMMENT", "TRANSACTIONS", "XA", "SAVEPOINTS"], [[t("InnoDB"), t("DEFAULT"), t("onebox PageStore"), t("YES"), t("NO"), t("YES")]])
        case "COLLATIONS":
            return make(["COLLATION_NAME", "CHARACTER_SET_NAME", "ID", "IS_DEFAULT", "IS_COMPILED", "SORTLEN", "PAD_ATTRIBUTE"],
                        Collation.allCases.map { c in
                            [t(c.rawValue), t(c.charset), .int(Int64(c.id)), t(c.isDefaultOfCharset ? "Yes" : ""), t("Yes"), .int(Int64(c.sortLength)), t(c.isPadSpace ? "PAD SPACE" : "NO PAD")]
                        })
        case "CHARACTER_SETS":
            return make(["CHARACTER_SET_NAME", "DEFAULT_COLLATE_NAME", "DESCRIPTION", "MAXLEN"],
                        Collation.characterSets.map { [t($0.name), t($0.collation.rawValue), t($0.description), .int(Int64($0.maxLength))] })
        case "KEY_COLUMN_USAGE", "REFERENTIAL_CONSTRAINTS", "TABLE_CONSTRAINTS":
            var rows: [[Value]] = []
            for db in dbs {
                for tb in db.tables.values.sorted(by: { $0.name < $1.name }) {
                    for fk in tb.foreignKeys {
                        for (k, ci) in fk.columns.enumerated() {
                            rows.append([t("def"), t(db.name), t(fk.name), t("def"), t(db.name), t(tb.name), t(tb.columns[ci].name), .int(Int64(k + 1)), .int(Int64(k + 1)), t(fk.refDB), t(fk.refTable), t(k < fk.refColumns.count ? fk.refColumns[k] : "")])
                        }
                    }
                }
            }
            return make(["CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
                         "POSITION_IN_UNIQUE_CONSTRAINT", "REFERENCED_TABLE_SCHEMA", "REFERENCED_TABLE_NAME", "REFERENCED_COLUMN_NAME"], rows)
        case let other where privilegeTableNames.contains(other):
            return try privilegeTable(other, ctx)
        case let other where emptyTableColumns[other] != nil:
            // onebox has no such objects (triggers, routines, events, tablespace files,
            // partitions, histograms): MySQL's columns, no rows, so tools' queries run.
            return make(emptyTableColumns[other]!, [])
        case "PROCESSLIST":
            return make(["ID", "USER", "HOST", "DB", "COMMAND", "TIME", "STATE", "INFO"], [])
        default:
            return nil
        }
    }
}

extension Session {
    /// Result columns of a statement without running it (for COM_STMT_PREPARE); empty when it has none.
    func describeColumns(_ statement: Statement) throws -> [ColumnDefinition] {
        guard case .select(let q) = statement else { return [] }
        return try withRead(parameters: []) { ctx in
            // parameters are unknown at prepare time: compile with NULL placeholders
            ctx.parameters = [Value](repeating: .null, count: 1024)
            return try QueryCompiler(ctx).compile(q, parent: nil).columns.map(\.definition)
        }
    }
}
