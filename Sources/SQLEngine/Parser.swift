/// Recursive-descent parser for MySQL 8.0 statements. One `Parser` walks a whole COM_QUERY
/// text; `nextStatement()` returns statements one by one (for multi-statements).
///
/// Errors are 1064 quoting the text from the offending token, as MySQL does. Nesting deeper
/// than `maxDepth` (parentheses, subqueries) is also a 1064, so hostile input cannot exhaust
/// the stack.
struct Parser {
    var tokens: [Token]
    var pos = 0
    let lexer: Lexer
    var parameterCount = 0
    var depth = 0
    let maxDepth: Int
    /// Operators other than AND/OR in the current statement: long chains (a+a+a+…) make deep
    /// trees that the compiler walks recursively, so they are limited (AND/OR chains compile
    /// iteratively and are not counted).
    var operatorCount = 0
    static let maxOperators = 200

    init(_ sql: [UInt8], ansiQuotes: Bool = false, noBackslashEscapes: Bool = false, maxDepth: Int = 200) throws {
        var lexer = Lexer(sql)
        lexer.ansiQuotes = ansiQuotes
        lexer.noBackslashEscapes = noBackslashEscapes
        tokens = try lexer.tokenize()
        self.lexer = lexer
        self.maxDepth = maxDepth
    }

    var current: Token { tokens[pos] }
    func peekToken(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }

    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    func error(at t: Token? = nil) -> SQLError {
        let tok = t ?? current
        return SQLError.syntax(near: lexer.nearText(tok.start), line: tok.line)
    }

    func isWord(_ w: String) -> Bool { current.kind == .word && current.upper == w }
    func isPunct(_ p: String) -> Bool { current.kind == .punct && current.text == p }

    mutating func acceptWord(_ w: String) -> Bool {
        if isWord(w) { advance(); return true }
        return false
    }
    mutating func acceptWords(_ ws: String...) -> Bool {
        for (i, w) in ws.enumerated() where !(peekToken(i).kind == .word && peekToken(i).upper == w) { return false }
        for _ in ws { advance() }
        return true
    }
    mutating func acceptPunct(_ p: String) -> Bool {
        if isPunct(p) { advance(); return true }
        return false
    }
    mutating func expectWord(_ w: String) throws {
        guard acceptWord(w) else { throw error() }
    }
    mutating func expectPunct(_ p: String) throws {
        guard acceptPunct(p) else { throw error() }
    }

    mutating func enter() throws {
        depth += 1
        if depth > maxDepth { throw error() }
    }
    mutating func leave() { depth -= 1 }

    /// Counts one binary operator; 1064 past `maxOperators` in one statement.
    mutating func countOperator() throws {
        operatorCount += 1
        if operatorCount > Parser.maxOperators { throw error() }
    }

    /// An identifier: unquoted non-reserved word or quoted identifier.
    mutating func identifier() throws -> String {
        let t = current
        if t.kind == .quotedIdentifier { advance(); return t.text }
        if t.kind == .word && !reservedWords.contains(t.upper) { advance(); return t.text }
        throw error()
    }

    /// An identifier where reserved words are allowed too (after a dot, e.g. t.`order`; names in some statements).
    mutating func anyIdentifier() throws -> String {
        let t = current
        if t.kind == .quotedIdentifier || t.kind == .word { advance(); return t.text }
        throw error()
    }

    var isIdentifierStart: Bool {
        current.kind == .quotedIdentifier || (current.kind == .word && !reservedWords.contains(current.upper))
    }

    /// [db.]name
    mutating func tableName() throws -> TableName {
        let first = try identifier()
        if acceptPunct(".") {
            let second = try anyIdentifier()
            return TableName(db: first, name: second)
        }
        return TableName(db: nil, name: first)
    }

    /// A string literal's text (for COMMENT, passwords, LIKE patterns in SHOW).
    mutating func stringLiteral() throws -> String {
        let t = current
        guard t.kind == .string || t.kind == .nationalString else { throw error() }
        advance()
        var bytes = t.bytes
        while current.kind == .string { bytes += current.bytes; advance() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A name given as identifier or string ('user'@'host' parts, charset names).
    mutating func nameOrString() throws -> String {
        if current.kind == .string { return try stringLiteral() }
        return try anyIdentifier()
    }

    mutating func integerLiteral() throws -> Int {
        guard current.kind == .integer, let v = Int(current.text) else { throw error() }
        advance()
        return v
    }

    /// The next statement and its source text, or nil at the end of the input.
    mutating func nextStatement() throws -> (Statement, String)? {
        while acceptPunct(";") {}
        if current.kind == .end { return nil }
        let startToken = current
        operatorCount = 0
        let statement = try parseStatement()
        let endOffset = current.start
        if !(isPunct(";") || current.kind == .end) { throw error() }
        let text = String(decoding: lexer.src[startToken.start..<min(endOffset, lexer.src.count)], as: UTF8.self)
        if acceptPunct(";") {}
        return (statement, text.trimmingSpaces)
    }

    mutating func parseStatement() throws -> Statement {
        let t = current
        guard t.kind == .word else {
            if isPunct("(") { return .select(try parseQuery()) }
            throw error()
        }
        switch t.upper {
        case "SELECT", "WITH", "VALUES", "TABLE": return .select(try parseQuery())
        case "INSERT", "REPLACE": return try parseInsert()
        case "UPDATE": return try parseUpdate()
        case "DELETE": return try parseDelete()
        case "CREATE": return try parseCreate()
        case "DROP": return try parseDrop()
        case "ALTER": return try parseAlter()
        case "TRUNCATE":
            advance()
            _ = acceptWord("TABLE")
            return .truncate(try tableName())
        case "RENAME": return try parseRename()
        case "USE":
            advance()
            return .use(try anyIdentifier())
        case "BEGIN":
            advance()
            _ = acceptWord("WORK")
            return .begin(readOnly: false)
        case "START":
            advance()
            try expectWord("TRANSACTION")
            var readOnly = false
            repeat {
                if acceptWords("WITH", "CONSISTENT", "SNAPSHOT") { continue }
                if acceptWords("READ", "ONLY") { readOnly = true; continue }
                if acceptWords("READ", "WRITE") { continue }
            } while acceptPunct(",")
            return .begin(readOnly: readOnly)
        case "COMMIT":
            advance()
            _ = acceptWord("WORK")
            _ = acceptWords("AND", "NO", "CHAIN") || acceptWords("AND", "CHAIN")
            _ = acceptWords("NO", "RELEASE") || acceptWord("RELEASE")
            return .commit
        case "ROLLBACK":
            advance()
            _ = acceptWord("WORK")
            if acceptWord("TO") {
                _ = acceptWord("SAVEPOINT")
                return .rollbackToSavepoint(try anyIdentifier())
            }
            _ = acceptWords("AND", "NO", "CHAIN") || acceptWords("AND", "CHAIN")
            _ = acceptWords("NO", "RELEASE") || acceptWord("RELEASE")
            return .rollback
        case "SAVEPOINT":
            advance()
            return .savepoint(try anyIdentifier())
        case "RELEASE":
            advance()
            try expectWord("SAVEPOINT")
            return .releaseSavepoint(try anyIdentifier())
        case "SET": return try parseSet()
        case "SHOW": return try parseShow()
        case "DESCRIBE", "DESC", "EXPLAIN":
            advance()
            if isWord("SELECT") || isWord("WITH") || isWord("INSERT") || isWord("UPDATE") || isWord("DELETE") || isWord("REPLACE") || isPunct("(") {
                return .explain(try parseStatement())
            }
            if acceptWord("FORMAT") { try expectPunct("="); advance(); return .explain(try parseStatement()) }
            if acceptWord("ANALYZE") { return .explain(try parseStatement()) }
            let table = try tableName()
            var column: String?
            if current.kind == .word || current.kind == .quotedIdentifier { column = try anyIdentifier() } else if current.kind == .string { column = try stringLiteral() }
            return .describe(table, column: column)
        case "GRANT": return try parseGrant()
        case "REVOKE": return try parseRevoke()
        case "PREPARE":
            advance()
            let name = try anyIdentifier()
            try expectWord("FROM")
            return .prepare(name: name, source: try parseExpr())
        case "EXECUTE":
            advance()
            let name = try anyIdentifier()
            var vars: [String] = []
            if acceptWord("USING") {
                repeat {
                    guard current.kind == .userVariable else { throw error() }
                    vars.append(current.text)
                    advance()
                } while acceptPunct(",")
            }
            return .execute(name: name, using: vars)
        case "DEALLOCATE":
            advance()
            try expectWord("PREPARE")
            return .deallocate(try anyIdentifier())
        case "LOCK":
            advance()
            guard acceptWord("TABLES") || acceptWord("TABLE") || acceptWords("INSTANCE", "FOR", "BACKUP") else { throw error() }
            skipToStatementEnd()
            return .lockTables
        case "UNLOCK":
            advance()
            guard acceptWord("TABLES") || acceptWord("TABLE") || acceptWord("INSTANCE") else { throw error() }
            return .unlockTables
        case "FLUSH":
            advance()
            skipToStatementEnd()
            return .flush
        case "KILL":
            advance()
            var queryOnly = false
            if acceptWord("QUERY") { queryOnly = true } else { _ = acceptWord("CONNECTION") }
            return .kill(try parseExpr(), queryOnly: queryOnly)
        case "DO":
            advance()
            var exprs: [Expr] = []
            repeat { exprs.append(try parseExpr()) } while acceptPunct(",")
            return .doExprs(exprs)
        case "ANALYZE", "OPTIMIZE", "CHECK", "REPAIR", "CHECKSUM":
            advance()
            _ = acceptWord("NO_WRITE_TO_BINLOG") || acceptWord("LOCAL")
            guard acceptWord("TABLE") || acceptWord("TABLES") else { throw error() }
            var names: [TableName] = []
            repeat { names.append(try tableName()) } while acceptPunct(",")
            skipToStatementEnd()
            switch t.upper {
            case "ANALYZE": return .analyze(names)
            case "OPTIMIZE": return .optimize(names)
            default: return .checkTable(names)
            }
        case "XA", "HANDLER", "LOAD", "CALL", "INSTALL", "UNINSTALL", "SIGNAL", "RESIGNAL", "IMPORT", "CLONE", "SHUTDOWN", "RESTART", "CACHE", "PURGE", "RESET", "CHANGE", "STOP", "BINLOG", "HELP":
            throw SQLError.unsupported(t.upper)
        default:
            throw error()
        }
    }

    mutating func skipToStatementEnd() {
        while !(isPunct(";") || current.kind == .end) { advance() }
    }
}

/// MySQL 8.0 reserved words that matter to the parser (cannot be unquoted identifiers or aliases).
let reservedWords: Set<String> = [
    "ACCESSIBLE", "ADD", "ALL", "ALTER", "ANALYZE", "AND", "AS", "ASC", "BEFORE", "BETWEEN", "BIGINT", "BINARY", "BLOB",
    "BOTH", "BY", "CALL", "CASCADE", "CASE", "CHANGE", "CHAR", "CHARACTER", "CHECK", "COLLATE", "COLUMN", "CONDITION",
    "CONSTRAINT", "CONTINUE", "CONVERT", "CREATE", "CROSS", "CUBE", "CUME_DIST", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "CURSOR", "DATABASE", "DATABASES", "DAY_HOUR", "DAY_MICROSECOND", "DAY_MINUTE", "DAY_SECOND", "DEC",
    "DECIMAL", "DECLARE", "DEFAULT", "DELAYED", "DELETE", "DENSE_RANK", "DESC", "DESCRIBE", "DETERMINISTIC", "DISTINCT",
    "DISTINCTROW", "DIV", "DOUBLE", "DROP", "DUAL", "EACH", "ELSE", "ELSEIF", "EMPTY", "ENCLOSED", "ESCAPED", "EXCEPT",
    "EXISTS", "EXIT", "EXPLAIN", "FALSE", "FETCH", "FIRST_VALUE", "FLOAT", "FOR", "FORCE", "FOREIGN", "FROM", "FULLTEXT",
    "FUNCTION", "GENERATED", "GET", "GRANT", "GROUP", "GROUPING", "GROUPS", "HAVING", "HIGH_PRIORITY", "HOUR_MICROSECOND",
    "HOUR_MINUTE", "HOUR_SECOND", "IF", "IGNORE", "IN", "INDEX", "INFILE", "INNER", "INOUT", "INSENSITIVE", "INSERT", "INT",
    "INTEGER", "INTERSECT", "INTERVAL", "INTO", "IS", "ITERATE", "JOIN", "JSON_TABLE", "KEY", "KEYS", "KILL", "LAG",
    "LAST_VALUE", "LATERAL", "LEAD", "LEADING", "LEAVE", "LEFT", "LIKE", "LIMIT", "LINEAR", "LINES", "LOAD", "LOCALTIME",
    "LOCALTIMESTAMP", "LOCK", "LONG", "LONGBLOB", "LONGTEXT", "LOOP", "LOW_PRIORITY", "MATCH", "MAXVALUE", "MEDIUMBLOB",
    "MEDIUMINT", "MEDIUMTEXT", "MIDDLEINT", "MINUTE_MICROSECOND", "MINUTE_SECOND", "MOD", "MODIFIES", "NATURAL", "NOT",
    "NO_WRITE_TO_BINLOG", "NTH_VALUE", "NTILE", "NULL", "NUMERIC", "OF", "ON", "OPTIMIZE", "OPTION",
    "OPTIONALLY", "OR", "ORDER", "OUT", "OUTER", "OUTFILE", "OVER", "PARTITION", "PERCENT_RANK", "PRECISION", "PRIMARY",
    "PROCEDURE", "PURGE", "RANGE", "RANK", "READ", "READS", "READ_WRITE", "REAL", "RECURSIVE", "REFERENCES", "REGEXP",
    "RELEASE", "RENAME", "REPEAT", "REPLACE", "REQUIRE", "RESIGNAL", "RESTRICT", "RETURN", "REVOKE", "RIGHT", "RLIKE",
    "ROW", "ROWS", "ROW_NUMBER", "SCHEMA", "SCHEMAS", "SECOND_MICROSECOND", "SELECT", "SENSITIVE", "SEPARATOR", "SET",
    "SHOW", "SIGNAL", "SMALLINT", "SPATIAL", "SPECIFIC", "SQL", "SQLEXCEPTION", "SQLSTATE", "SQLWARNING", "SQL_BIG_RESULT",
    "SQL_CALC_FOUND_ROWS", "SQL_SMALL_RESULT", "SSL", "STARTING", "STORED", "STRAIGHT_JOIN", "SYSTEM", "TABLE",
    "TERMINATED", "THEN", "TINYBLOB", "TINYINT", "TINYTEXT", "TO", "TRAILING", "TRIGGER", "TRUE", "UNDO", "UNION", "UNIQUE",
    "UNLOCK", "UNSIGNED", "UPDATE", "USAGE", "USE", "USING", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "VALUES", "VARBINARY",
    "VARCHAR", "VARCHARACTER", "VARYING", "VIRTUAL", "WHEN", "WHERE", "WHILE", "WINDOW", "WITH", "WRITE", "XOR",
    "YEAR_MONTH", "ZEROFILL",
]
