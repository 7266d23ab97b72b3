/// CREATE / DROP / ALTER / RENAME for databases, tables, indexes, views, users.
extension Parser {
    mutating func parseCreate() throws -> Statement {
        advance()
        var orReplace = false
        if acceptWords("OR", "REPLACE") { orReplace = true }
        let temporary = acceptWord("TEMPORARY")
        // view options
        while acceptWord("ALGORITHM") || acceptWord("DEFINER") || acceptWords("SQL", "SECURITY") {
            _ = acceptPunct("=")
            if isWord("DEFINER") || isWord("INVOKER") { advance(); continue }
            _ = try nameOrString()
            if current.kind == .userVariable { advance() }   // 'user'@'host' lexes the host as @var
            if acceptPunct("@") { _ = try nameOrString() }
        }
        if acceptWord("DATABASE") || acceptWord("SCHEMA") {
            let ifNotExists = acceptWords("IF", "NOT", "EXISTS")
            let name = try anyIdentifier()
            try skipDatabaseOptions()
            return .createDatabase(name, ifNotExists: ifNotExists)
        }
        if acceptWord("TABLE") { return try parseCreateTable(temporary: temporary) }
        if isWord("UNIQUE") || isWord("INDEX") || isWord("FULLTEXT") || isWord("SPATIAL") {
            var kind = IndexKind.index
            if acceptWord("UNIQUE") { kind = .unique } else if acceptWord("FULLTEXT") { kind = .fulltext } else if acceptWord("SPATIAL") { kind = .spatial }
            try expectWord("INDEX")
            let name = try anyIdentifier()
            if acceptWord("USING") { advance() }
            try expectWord("ON")
            let table = try tableName()
            let cols = try parseIndexColumns()
            try skipIndexOptions()
            return .createIndex(table: table, IndexAST(name: name, columns: cols, kind: kind))
        }
        if acceptWord("VIEW") {
            let name = try tableName()
            var columns: [String]?
            if acceptPunct("(") {
                var cols: [String] = []
                repeat { cols.append(try anyIdentifier()) } while acceptPunct(",")
                try expectPunct(")")
                columns = cols
            }
            try expectWord("AS")
            let start = current.start
            let q = try parseQuery()
            let end = current.start
            let checkOption: ViewCheckOption? = acceptWords("WITH", "LOCAL", "CHECK", "OPTION") ? .local
                : (acceptWords("WITH", "CASCADED", "CHECK", "OPTION") || acceptWords("WITH", "CHECK", "OPTION") ? .cascaded : nil)
            var text = String(decoding: lexer.src[start..<min(end, lexer.src.count)], as: UTF8.self).trimmingSpaces
            // Inside a dump's `/*!50001 CREATE ... VIEW v AS ... */` the next token starts after
            // the comment's close, which is not part of the query.
            while text.hasSuffix("*/") && !text.contains("/*") { text = String(text.dropLast(2)).trimmingSpaces }
            return .createView(name, columns: columns, query: q, orReplace: orReplace, text: text, checkOption: checkOption)
        }
        if acceptWord("USER") {
            let ifNotExists = acceptWords("IF", "NOT", "EXISTS")
            var specs: [UserSpec] = []
            repeat { specs.append(try parseUserSpec()) } while acceptPunct(",")
            return .createUser(specs, ifNotExists: ifNotExists, options: try parseAccountOptions())
        }
        if isWord("TRIGGER") || isWord("PROCEDURE") || isWord("FUNCTION") || isWord("EVENT") || isWord("ROLE") {
            throw SQLError.unsupported("CREATE " + current.upper)
        }
        throw error()
    }

    mutating func skipDatabaseOptions() throws {
        while true {
            _ = acceptWord("DEFAULT")
            if acceptWords("CHARACTER", "SET") || acceptWord("CHARSET") || acceptWord("COLLATE") || acceptWord("ENCRYPTION") {
                _ = acceptPunct("=")
                _ = try nameOrString()
                continue
            }
            break
        }
    }

    mutating func parseUserSpec() throws -> UserSpec {
        let (user, host) = try parseUserName()
        var spec = UserSpec(user: user, host: host)
        if acceptWord("IDENTIFIED") {
            if acceptWord("WITH") {
                spec.plugin = try nameOrString()
                if acceptWord("BY") {
                    if acceptWords("RANDOM", "PASSWORD") { throw SQLError.unsupported("RANDOM PASSWORD") }
                    spec.password = try stringLiteral()
                } else if acceptWord("AS") {
                    spec.authString = try stringLiteral()
                }
            } else {
                try expectWord("BY")
                _ = acceptWord("PASSWORD")
                spec.password = try stringLiteral()
            }
        }
        return spec
    }

    /// The options after CREATE/ALTER USER's account list, in MySQL 8.0's grammar:
    /// `[DEFAULT ROLE ...] [REQUIRE {NONE | tls_option [[AND] tls_option] ...}]
    /// [WITH resource_option ...] [password_option | lock_option] ... [COMMENT | ATTRIBUTE]`.
    /// Every option is parsed; what onebox cannot honour (roles, X.509 requirements, resource
    /// limits, password expiry/history/reuse/lock-out policies other than their defaults,
    /// comments and attributes) gets 1235 instead of being silently ignored. SHOW CREATE USER's
    /// own output (`REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK ...`) parses.
    mutating func parseAccountOptions() throws -> AccountOptions {
        var options = AccountOptions()
        /// A count that onebox accepts only as `DEFAULT` or 0 (the policy it has: none).
        func defaultOnly(_ what: String, allowDefault: Bool = true, unit: String? = nil) throws {
            if allowDefault && acceptWord("DEFAULT") { return }
            let n = try integerLiteral()
            if let unit { try expectWord(unit) }
            if n != 0 { throw SQLError.unsupported(what) }
        }
        if acceptWords("DEFAULT", "ROLE") { throw SQLError.unsupported("DEFAULT ROLE") }
        if acceptWord("REQUIRE") {
            if acceptWord("NONE") {
                options.tlsRequirement = TLSRequirement.none
            } else if acceptWord("SSL") {
                options.tlsRequirement = .ssl
            } else if isWord("X509") || isWord("CIPHER") || isWord("ISSUER") || isWord("SUBJECT") {
                throw SQLError.unsupported("REQUIRE " + current.upper)
            } else {
                throw error()
            }
        }
        if acceptWord("WITH") {
            var any = false
            while true {
                let word = current.upper
                guard ["MAX_QUERIES_PER_HOUR", "MAX_UPDATES_PER_HOUR", "MAX_CONNECTIONS_PER_HOUR", "MAX_USER_CONNECTIONS"].contains(word) else { break }
                advance()
                try defaultOnly(word + " other than 0", allowDefault: false)
                any = true
            }
            if !any { throw error() }
        }
        while current.kind == .word {
            if acceptWords("ACCOUNT", "LOCK") {
                options.lock = true
            } else if acceptWords("ACCOUNT", "UNLOCK") {
                options.lock = false
            } else if acceptWords("PASSWORD", "EXPIRE") {
                // No password lifetime policy: DEFAULT (default_password_lifetime = 0) and NEVER agree.
                if acceptWord("DEFAULT") || acceptWord("NEVER") { continue }
                throw SQLError.unsupported(acceptWord("INTERVAL") ? "PASSWORD EXPIRE INTERVAL" : "PASSWORD EXPIRE")
            } else if acceptWords("PASSWORD", "HISTORY") {
                try defaultOnly("PASSWORD HISTORY")
            } else if acceptWords("PASSWORD", "REUSE", "INTERVAL") {
                if acceptWord("DEFAULT") { continue }
                try defaultOnly("PASSWORD REUSE INTERVAL", allowDefault: false, unit: "DAY")
            } else if acceptWords("PASSWORD", "REQUIRE", "CURRENT") {
                if acceptWord("DEFAULT") || acceptWord("OPTIONAL") { continue }
                throw SQLError.unsupported("PASSWORD REQUIRE CURRENT")
            } else if acceptWord("FAILED_LOGIN_ATTEMPTS") {
                try defaultOnly("FAILED_LOGIN_ATTEMPTS", allowDefault: false)
            } else if acceptWord("PASSWORD_LOCK_TIME") {
                if acceptWord("UNBOUNDED") { throw SQLError.unsupported("PASSWORD_LOCK_TIME") }
                try defaultOnly("PASSWORD_LOCK_TIME", allowDefault: false)
            } else if isWord("COMMENT") || isWord("ATTRIBUTE") {
                throw SQLError.unsupported("user " + current.upper)
            } else {
                break
            }
        }
        return options
    }

    /// 'user'@'host', user@host, 'user' (host '%'), CURRENT_USER.
    mutating func parseUserName() throws -> (String, String) {
        if acceptWord("CURRENT_USER") {
            if acceptPunct("(") { try expectPunct(")") }
            return ("", "")   // resolved by the executor
        }
        let user = try nameOrString()
        var host = "%"
        if current.kind == .userVariable {
            host = current.text
            advance()
        } else if acceptPunct("@") {
            host = try nameOrString()
        }
        return (user, host)
    }

    mutating func parseCreateTable(temporary: Bool) throws -> Statement {
        let ifNotExists = acceptWords("IF", "NOT", "EXISTS")
        let name = try tableName()
        var ast = CreateTableAST(db: name.db, name: name.name, ifNotExists: ifNotExists, temporary: temporary, columns: [], indexes: [], foreignKeys: [], options: [:])
        if acceptWord("LIKE") || (isPunct("(") && peekToken().isWord("LIKE")) {
            if acceptPunct("(") {
                try expectWord("LIKE")
                let like = try tableName()
                try expectPunct(")")
                ast.likeTable = (like.db, like.name)
            } else {
                let like = try tableName()
                ast.likeTable = (like.db, like.name)
            }
            return .createTable(ast)
        }
        if isPunct("(") && !looksLikeSubqueryAfterParen() {
            advance()
            repeat {
                try parseCreateDefinition(into: &ast)
            } while acceptPunct(",")
            try expectPunct(")")
        }
        try parseTableOptions(into: &ast.options)
        if acceptWord("PARTITION") { throw SQLError.unsupported("PARTITION BY") }
        _ = acceptWord("IGNORE") || acceptWord("REPLACE")
        _ = acceptWord("AS")
        if isWord("SELECT") || isWord("WITH") || isPunct("(") || isWord("TABLE") || isWord("VALUES") {
            ast.asQuery = try parseQuery()
        }
        if ast.columns.isEmpty && ast.asQuery == nil { throw error() }
        return .createTable(ast)
    }

    mutating func parseTableOptions(into options: inout [String: String]) throws {
        while current.kind == .word {
            let save = pos
            _ = acceptWord("DEFAULT")
            var key: String
            if acceptWords("CHARACTER", "SET") { key = "CHARSET" }
            else if current.kind == .word && ["ENGINE", "CHARSET", "COLLATE", "AUTO_INCREMENT", "COMMENT", "ROW_FORMAT", "AVG_ROW_LENGTH",
                                                "CHECKSUM", "COMPRESSION", "CONNECTION", "DATA", "DELAY_KEY_WRITE", "ENCRYPTION", "INSERT_METHOD",
                                                "KEY_BLOCK_SIZE", "MAX_ROWS", "MIN_ROWS", "PACK_KEYS", "PASSWORD", "STATS_AUTO_RECALC",
                                                "STATS_PERSISTENT", "STATS_SAMPLE_PAGES", "TABLESPACE", "UNION", "INDEX", "START"].contains(current.upper) {
                key = current.upper
                advance()
                if key == "DATA" || key == "INDEX" { try expectWord("DIRECTORY") }
                if key == "START" { try expectWord("TRANSACTION"); continue }
            } else {
                pos = save
                return
            }
            _ = acceptPunct("=")
            let value: String
            if current.kind == .string { value = try stringLiteral() }
            else if current.kind == .integer { value = current.text; advance() }
            else { value = try anyIdentifier() }
            options[key] = value
            _ = acceptPunct(",")
        }
    }

    mutating func parseIndexColumns() throws -> [(name: String, prefix: Int?, descending: Bool)] {
        try expectPunct("(")
        var cols: [(name: String, prefix: Int?, descending: Bool)] = []
        repeat {
            if isPunct("(") { throw SQLError.unsupported("functional key parts") }
            let name = try anyIdentifier()
            var prefix: Int?
            if acceptPunct("(") {
                prefix = try integerLiteral()
                try expectPunct(")")
            }
            var desc = false
            if acceptWord("DESC") { desc = true } else { _ = acceptWord("ASC") }
            cols.append((name, prefix, desc))
        } while acceptPunct(",")
        try expectPunct(")")
        return cols
    }

    mutating func skipIndexOptions() throws {
        while true {
            if acceptWord("USING") { advance(); continue }
            if acceptWord("COMMENT") { _ = try stringLiteral(); continue }
            if acceptWord("KEY_BLOCK_SIZE") { _ = acceptPunct("="); advance(); continue }
            if acceptWord("VISIBLE") || acceptWord("INVISIBLE") { continue }
            if acceptWords("WITH", "PARSER") { advance(); continue }
            if acceptWord("ALGORITHM") || acceptWord("LOCK") { _ = acceptPunct("="); advance(); continue }
            return
        }
    }

    mutating func parseCreateDefinition(into ast: inout CreateTableAST) throws {
        var constraintName: String?
        if acceptWord("CONSTRAINT") {
            if !(isWord("PRIMARY") || isWord("UNIQUE") || isWord("FOREIGN") || isWord("CHECK")) { constraintName = try anyIdentifier() }
        }
        if acceptWords("PRIMARY", "KEY") {
            if isIdentifierStart && !isWord("USING") { _ = try identifier() }
            if acceptWord("USING") { advance() }
            let cols = try parseIndexColumns()
            try skipIndexOptions()
            ast.indexes.append(IndexAST(name: "PRIMARY", columns: cols, kind: .primary))
            return
        }
        if acceptWord("UNIQUE") {
            _ = acceptWord("INDEX") || acceptWord("KEY")
            var name = constraintName
            if isIdentifierStart && !isWord("USING") { name = try identifier() }
            if acceptWord("USING") { advance() }
            let cols = try parseIndexColumns()
            try skipIndexOptions()
            ast.indexes.append(IndexAST(name: name, columns: cols, kind: .unique))
            return
        }
        if isWord("INDEX") || isWord("KEY") || isWord("FULLTEXT") || isWord("SPATIAL") {
            var kind = IndexKind.index
            if acceptWord("FULLTEXT") { kind = .fulltext } else if acceptWord("SPATIAL") { kind = .spatial }
            _ = acceptWord("INDEX") || acceptWord("KEY")
            var name: String?
            if isIdentifierStart && !isWord("USING") { name = try identifier() }
            if acceptWord("USING") { advance() }
            let cols = try parseIndexColumns()
            try skipIndexOptions()
            ast.indexes.append(IndexAST(name: name, columns: cols, kind: kind))
            return
        }
        if acceptWords("FOREIGN", "KEY") {
            var name = constraintName
            if isIdentifierStart { name = try identifier() }
            let cols = try parseIndexColumns().map(\.name)
            var fk = try parseReferences(columns: cols)
            fk.name = name
            ast.foreignKeys.append(fk)
            return
        }
        if acceptWord("CHECK") {
            try expectPunct("(")
            _ = try parseExpr()
            try expectPunct(")")
            _ = acceptWord("ENFORCED") || acceptWords("NOT", "ENFORCED")
            return
        }
        let column = try parseColumnDefinition()
        if column.primaryKey {
            ast.indexes.append(IndexAST(name: "PRIMARY", columns: [(column.name, nil, false)], kind: .primary))
        }
        if column.unique {
            ast.indexes.append(IndexAST(name: nil, columns: [(column.name, nil, false)], kind: .unique))
        }
        if var fk = column.references {
            fk.columns = [column.name]
            ast.foreignKeys.append(fk)
        }
        ast.columns.append(column)
    }

    mutating func parseReferences(columns: [String]) throws -> ForeignKeyAST {
        try expectWord("REFERENCES")
        let ref = try tableName()
        let refCols = try parseIndexColumns().map(\.name)
        var fk = ForeignKeyAST(name: nil, columns: columns, refDB: ref.db, refTable: ref.name, refColumns: refCols, onDelete: .restrict, onUpdate: .restrict)
        if acceptWord("MATCH") { advance() }
        while acceptWord("ON") {
            let isDelete: Bool
            if acceptWord("DELETE") { isDelete = true } else { try expectWord("UPDATE"); isDelete = false }
            let action: ReferentialAction
            if acceptWord("RESTRICT") { action = .restrict }
            else if acceptWord("CASCADE") { action = .cascade }
            else if acceptWords("SET", "NULL") { action = .setNull }
            else if acceptWords("SET", "DEFAULT") { action = .setDefault }
            else if acceptWords("NO", "ACTION") { action = .noAction }
            else { throw error() }
            if isDelete { fk.onDelete = action } else { fk.onUpdate = action }
        }
        return fk
    }

    mutating func parseColumnDefinition() throws -> ColumnDefinitionAST {
        let name = try identifier()
        let typeStart = pos
        var type = try parseDataType()
        var column = ColumnDefinitionAST(name: name, type: type)
        column.hasExplicitCollation = tokens[typeStart..<pos].contains { $0.kind == .word && ["CHARSET", "CHARACTER", "BINARY"].contains($0.upper) }
        if case .word = current.kind, current.upper == "SERIAL_DEFAULT_PLACEHOLDER" {}
        if type.base == .bigint && tokens[pos - 1].upper == "SERIAL" {
            column.nullable = false
            column.autoIncrement = true
            column.unique = true
        }
        while true {
            if acceptWords("NOT", "NULL") { column.nullable = false; continue }
            if acceptWord("NULL") { column.nullable = true; continue }
            if acceptWord("DEFAULT") {
                if acceptPunct("(") {
                    column.defaultValue = try parseExpr()
                    try expectPunct(")")
                } else {
                    column.defaultValue = try parseUnary()
                }
                continue
            }
            if acceptWord("AUTO_INCREMENT") { column.autoIncrement = true; continue }
            if acceptWords("PRIMARY", "KEY") || acceptWord("KEY") && true {
                column.primaryKey = true
                continue
            }
            if acceptWord("UNIQUE") { _ = acceptWord("KEY"); column.unique = true; continue }
            if acceptWord("COMMENT") { column.comment = try stringLiteral(); continue }
            if acceptWord("COLLATE") {
                let c = try nameOrString()
                guard let coll = Collation.named(c) else { throw SQLError(code: 1273, sqlState: "HY000", message: "Unknown collation: '\(c)'") }
                if type.isText { type.collation = coll; column.type = type; column.hasExplicitCollation = true }
                continue
            }
            if acceptWords("CHARACTER", "SET") || acceptWord("CHARSET") {
                let cs = try nameOrString()
                guard let coll = Collation.defaultFor(charset: cs) else { throw SQLError(code: 1115, sqlState: "42000", message: "Unknown character set: '\(cs)'") }
                if type.isText { type.collation = coll == .binary ? .bin : coll; column.type = type; column.hasExplicitCollation = true }
                continue
            }
            if acceptWords("ON", "UPDATE") {
                let e = try parsePrimary()
                if case .function(let n, _, _) = e, n == "NOW" { column.onUpdateCurrentTimestamp = true } else { throw error() }
                continue
            }
            if isWord("REFERENCES") {
                column.references = try parseReferences(columns: [name])
                continue
            }
            if acceptWord("CHECK") {
                try expectPunct("(")
                _ = try parseExpr()
                try expectPunct(")")
                _ = acceptWord("ENFORCED") || acceptWords("NOT", "ENFORCED")
                continue
            }
            if acceptWord("CONSTRAINT") { _ = try? identifier(); continue }
            if acceptWord("VISIBLE") || acceptWord("INVISIBLE") { continue }
            if acceptWord("COLUMN_FORMAT") || acceptWord("STORAGE") { advance(); continue }
            if acceptWord("SRID") { advance(); continue }
            if isWord("GENERATED") || isWord("AS") { throw SQLError.unsupported("generated columns") }
            break
        }
        return column
    }

    mutating func parseDataType() throws -> ColumnType {
        guard current.kind == .word else { throw error() }
        let word = current.upper
        advance()
        func lengthArgs() throws -> (Int?, Int?) {
            guard acceptPunct("(") else { return (nil, nil) }
            let a = try integerLiteral()
            var b: Int?
            if acceptPunct(",") { b = try integerLiteral() }
            try expectPunct(")")
            return (a, b)
        }
        var type: ColumnType
        switch word {
        case "TINYINT", "INT1": type = ColumnType(.tinyint, length: try lengthArgs().0)
        case "SMALLINT", "INT2": type = ColumnType(.smallint, length: try lengthArgs().0)
        case "MEDIUMINT", "INT3", "MIDDLEINT": type = ColumnType(.mediumint, length: try lengthArgs().0)
        case "INT", "INTEGER", "INT4": type = ColumnType(.int, length: try lengthArgs().0)
        case "BIGINT", "INT8": type = ColumnType(.bigint, length: try lengthArgs().0)
        case "SERIAL": type = ColumnType(.bigint, unsigned: true)
        case "BOOL", "BOOLEAN":
            type = ColumnType(.tinyint, length: 1)
            type.isBool = true
        case "DECIMAL", "DEC", "NUMERIC", "FIXED":
            let (p, s) = try lengthArgs()
            let precision = p ?? 10
            let scale = s ?? 0
            if precision > 65 { throw SQLError(code: 1426, sqlState: "42000", message: "Too-big precision \(precision) specified for 'column'. Maximum is 65.") }
            if scale > 30 { throw SQLError(code: 1425, sqlState: "42000", message: "Too big scale \(scale) specified for column. Maximum is 30.") }
            if scale > precision { throw SQLError(code: 1427, sqlState: "42000", message: "For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '')." ) }
            type = ColumnType(.decimal, length: precision, scale: scale)
        case "FLOAT", "FLOAT4":
            let (p, s) = try lengthArgs()
            type = ColumnType((p ?? 0) > 24 && s == nil ? .double : .float, length: s == nil ? nil : p, scale: s)
        case "DOUBLE", "FLOAT8", "REAL":
            if word == "DOUBLE" { _ = acceptWord("PRECISION") }
            let (p, s) = try lengthArgs()
            type = ColumnType(.double, length: p, scale: s)
        case "BIT": type = ColumnType(.bit, length: try lengthArgs().0 ?? 1)
        case "CHAR", "CHARACTER", "NCHAR":
            if acceptWord("VARYING") { type = ColumnType(.varchar, length: try lengthArgs().0) }
            else { type = ColumnType(.char, length: try lengthArgs().0 ?? 1) }
        case "VARCHAR", "NVARCHAR", "VARCHARACTER":
            guard let n = try lengthArgs().0 else { throw error() }
            type = ColumnType(.varchar, length: n)
        case "NATIONAL":
            if acceptWord("VARCHAR") || acceptWords("CHAR", "VARYING") { type = ColumnType(.varchar, length: try lengthArgs().0) }
            else { _ = acceptWord("CHAR") || acceptWord("CHARACTER"); type = ColumnType(.char, length: try lengthArgs().0 ?? 1) }
        case "TINYTEXT": type = ColumnType(.tinytext)
        case "TEXT":
            let n = try lengthArgs().0
            if let n, n < 256 { type = ColumnType(.tinytext) } else if let n, n > 65535 { type = ColumnType(n > 16_777_215 ? .longtext : .mediumtext) } else { type = ColumnType(.text) }
        case "MEDIUMTEXT": type = ColumnType(.mediumtext)
        case "LONGTEXT": type = ColumnType(.longtext)
        case "LONG":
            if acceptWord("VARBINARY") { type = ColumnType(.mediumblob) } else { _ = acceptWord("VARCHAR"); type = ColumnType(.mediumtext) }
        case "BINARY": type = ColumnType(.binary, length: try lengthArgs().0 ?? 1)
        case "VARBINARY":
            guard let n = try lengthArgs().0 else { throw error() }
            type = ColumnType(.varbinary, length: n)
        case "TINYBLOB": type = ColumnType(.tinyblob)
        case "BLOB":
            let n = try lengthArgs().0
            if let n, n < 256 { type = ColumnType(.tinyblob) } else if let n, n > 65535 { type = ColumnType(n > 16_777_215 ? .longblob : .mediumblob) } else { type = ColumnType(.blob) }
        case "MEDIUMBLOB": type = ColumnType(.mediumblob)
        case "LONGBLOB": type = ColumnType(.longblob)
        case "DATE": type = ColumnType(.date)
        case "DATETIME": type = ColumnType(.datetime, length: try lengthArgs().0)
        case "TIMESTAMP": type = ColumnType(.timestamp, length: try lengthArgs().0)
        case "TIME": type = ColumnType(.time, length: try lengthArgs().0)
        case "YEAR": _ = try lengthArgs(); type = ColumnType(.year)
        case "ENUM", "SET":
            try expectPunct("(")
            var values: [String] = []
            repeat { values.append(try stringLiteral()) } while acceptPunct(",")
            try expectPunct(")")
            type = ColumnType(word == "ENUM" ? .enumeration : .set)
            type.values = values
        case "JSON": type = ColumnType(.json)
        case "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION":
            throw SQLError.unsupported("spatial types")
        default:
            throw error(at: tokens[pos - 1])
        }
        if type.isText { type.collation = .general }
        while true {
            if acceptWord("UNSIGNED") { type.unsigned = true; continue }
            if acceptWord("SIGNED") { continue }
            if acceptWord("ZEROFILL") { type.zerofill = true; type.unsigned = true; continue }
            if acceptWord("BINARY") { if type.isText { type.collation = .bin }; continue }
            if acceptWords("CHARACTER", "SET") || acceptWord("CHARSET") {
                let cs = try nameOrString()
                guard let coll = Collation.defaultFor(charset: cs) else { throw SQLError(code: 1115, sqlState: "42000", message: "Unknown character set: '\(cs)'") }
                if type.isText { type.collation = coll == .binary ? .bin : coll }
                continue
            }
            if acceptWord("ASCII") || acceptWord("UNICODE") { continue }
            break
        }
        return type
    }

    mutating func parseDrop() throws -> Statement {
        advance()
        let temporary = acceptWord("TEMPORARY")
        if acceptWord("DATABASE") || acceptWord("SCHEMA") {
            let ifExists = acceptWords("IF", "EXISTS")
            return .dropDatabase(try anyIdentifier(), ifExists: ifExists)
        }
        if acceptWord("TABLE") || acceptWord("TABLES") {
            let ifExists = acceptWords("IF", "EXISTS")
            var names: [TableName] = []
            repeat { names.append(try tableName()) } while acceptPunct(",")
            _ = acceptWord("RESTRICT") || acceptWord("CASCADE")
            return .dropTable(names, ifExists: ifExists, temporary: temporary)
        }
        if acceptWord("INDEX") {
            let name = try anyIdentifier()
            try expectWord("ON")
            let table = try tableName()
            try skipIndexOptions()
            return .dropIndex(name: name, table: table)
        }
        if acceptWord("VIEW") {
            let ifExists = acceptWords("IF", "EXISTS")
            var names: [TableName] = []
            repeat { names.append(try tableName()) } while acceptPunct(",")
            _ = acceptWord("RESTRICT") || acceptWord("CASCADE")
            return .dropView(names, ifExists: ifExists)
        }
        if acceptWord("USER") {
            let ifExists = acceptWords("IF", "EXISTS")
            var users: [(String, String)] = []
            repeat { users.append(try parseUserName()) } while acceptPunct(",")
            return .dropUser(users, ifExists: ifExists)
        }
        if isWord("TRIGGER") || isWord("PROCEDURE") || isWord("FUNCTION") || isWord("EVENT") {
            let what = current.upper
            advance()
            if acceptWords("IF", "EXISTS") { skipToStatementEnd(); return .noOp("DROP " + what) }
            throw SQLError.unsupported("DROP " + what)
        }
        throw error()
    }

    mutating func parseRename() throws -> Statement {
        advance()
        if acceptWord("USER") { throw SQLError.unsupported("RENAME USER") }
        guard acceptWord("TABLE") || acceptWord("TABLES") else { throw error() }
        var pairs: [(TableName, TableName)] = []
        repeat {
            let from = try tableName()
            try expectWord("TO")
            pairs.append((from, try tableName()))
        } while acceptPunct(",")
        return .renameTable(pairs)
    }

    mutating func parseAlter() throws -> Statement {
        advance()
        if acceptWord("DATABASE") || acceptWord("SCHEMA") {
            if isIdentifierStart { _ = try identifier() }
            try skipDatabaseOptions()
            return .noOp("ALTER DATABASE")
        }
        if acceptWord("USER") {
            let ifExists = acceptWords("IF", "EXISTS")
            var specs: [UserSpec] = []
            repeat { specs.append(try parseUserSpec()) } while acceptPunct(",")
            return .alterUser(specs, ifExists: ifExists, options: try parseAccountOptions())
        }
        _ = acceptWord("ONLINE") || acceptWord("IGNORE")
        try expectWord("TABLE")
        let name = try tableName()
        var actions: [AlterAction] = []
        repeat {
            if let a = try parseAlterAction() { actions.append(a) }
        } while acceptPunct(",")
        return .alterTable(name, actions)
    }

    mutating func parseColumnPosition() throws -> ColumnPosition? {
        if acceptWord("FIRST") { return .first }
        if acceptWord("AFTER") { return .after(try anyIdentifier()) }
        return nil
    }

    mutating func parseAlterAction() throws -> AlterAction? {
        if acceptWord("ADD") {
            if isWord("PRIMARY") || isWord("UNIQUE") || isWord("INDEX") || isWord("KEY") || isWord("FOREIGN") || isWord("CONSTRAINT") || isWord("FULLTEXT") || isWord("CHECK") {
                var ast = CreateTableAST(db: nil, name: "", ifNotExists: false, temporary: false, columns: [], indexes: [], foreignKeys: [], options: [:])
                try parseCreateDefinition(into: &ast)
                if let i = ast.indexes.first { return .addIndex(i) }
                if let f = ast.foreignKeys.first { return .addForeignKey(f) }
                return nil
            }
            _ = acceptWord("COLUMN")
            if acceptPunct("(") {
                throw SQLError.unsupported("ADD COLUMN (list)")
            }
            let col = try parseColumnDefinition()
            return .addColumn(col, position: try parseColumnPosition())
        }
        if acceptWord("DROP") {
            if acceptWords("PRIMARY", "KEY") { return .dropPrimaryKey }
            if acceptWord("INDEX") || acceptWord("KEY") { return .dropIndex(try anyIdentifier()) }
            if acceptWords("FOREIGN", "KEY") { return .dropForeignKey(try anyIdentifier()) }
            if acceptWord("CONSTRAINT") || acceptWord("CHECK") { return .dropForeignKey(try anyIdentifier()) }
            _ = acceptWord("COLUMN")
            return .dropColumn(try anyIdentifier())
        }
        if acceptWord("MODIFY") {
            _ = acceptWord("COLUMN")
            let col = try parseColumnDefinition()
            return .modifyColumn(col, position: try parseColumnPosition())
        }
        if acceptWord("CHANGE") {
            _ = acceptWord("COLUMN")
            let old = try anyIdentifier()
            let col = try parseColumnDefinition()
            return .changeColumn(old, col, position: try parseColumnPosition())
        }
        if acceptWord("RENAME") {
            if acceptWord("COLUMN") {
                let old = try anyIdentifier()
                try expectWord("TO")
                return .renameColumn(old, try anyIdentifier())
            }
            if acceptWord("INDEX") || acceptWord("KEY") {
                let old = try anyIdentifier()
                try expectWord("TO")
                return .renameIndex(old, try anyIdentifier())
            }
            _ = acceptWord("TO") || acceptWord("AS")
            let n = try tableName()
            return .renameTable(db: n.db, name: n.name)
        }
        if acceptWord("ALTER") {
            _ = acceptWord("COLUMN")
            let name = try anyIdentifier()
            if acceptWords("SET", "DEFAULT") {
                if acceptPunct("(") { let e = try parseExpr(); try expectPunct(")"); return .alterColumnDefault(name, e) }
                return .alterColumnDefault(name, try parseUnary())
            }
            try expectWords2("DROP", "DEFAULT")
            return .alterColumnDefault(name, nil)
        }
        if acceptWord("CONVERT") {
            try expectWord("TO")
            skipToStatementEnd()
            return nil
        }
        if acceptWord("ENABLE") || acceptWord("DISABLE") { try expectWord("KEYS"); return nil }
        if acceptWord("FORCE") { return nil }
        if acceptWord("ALGORITHM") || acceptWord("LOCK") { _ = acceptPunct("="); advance(); return nil }
        if acceptWords("ORDER", "BY") { _ = try parseOrderList(); return nil }
        var options: [String: String] = [:]
        try parseTableOptions(into: &options)
        if options.isEmpty { throw error() }
        return .option(options.keys.first!, options.values.first!)
    }

    mutating func expectWords2(_ a: String, _ b: String) throws {
        try expectWord(a)
        try expectWord(b)
    }
}
