/// INSERT / REPLACE, UPDATE, DELETE.
extension Parser {
    mutating func parseInsert() throws -> Statement {
        let replace = current.upper == "REPLACE"
        advance()
        var ignore = false
        while true {
            if acceptWord("IGNORE") { ignore = true; continue }
            if acceptWord("LOW_PRIORITY") || acceptWord("DELAYED") || acceptWord("HIGH_PRIORITY") { continue }
            break
        }
        _ = acceptWord("INTO")
        let table = try tableName()
        if acceptWord("PARTITION") { throw SQLError.unsupported("PARTITION") }
        var columns: [String]?
        var rows: [[Expr]] = []
        var query: Query?
        var setList: [(String, Expr)]?
        if isPunct("(") && !looksLikeSubqueryAfterParen() {
            advance()
            var cols: [String] = []
            if !isPunct(")") {
                repeat {
                    var name = try anyIdentifier()
                    if acceptPunct(".") { name = try anyIdentifier() }
                    if acceptPunct(".") { name = try anyIdentifier() }
                    cols.append(name)
                } while acceptPunct(",")
            }
            try expectPunct(")")
            columns = cols
        }
        if acceptWord("VALUES") || acceptWord("VALUE") {
            repeat {
                _ = acceptWord("ROW")
                try expectPunct("(")
                var row: [Expr] = []
                if !isPunct(")") {
                    repeat { row.append(try parseExpr()) } while acceptPunct(",")
                }
                try expectPunct(")")
                rows.append(row)
            } while acceptPunct(",")
        } else if acceptWord("SET") {
            var list: [(String, Expr)] = []
            repeat {
                var name = try anyIdentifier()
                if acceptPunct(".") { name = try anyIdentifier() }
                try expectPunct("=")
                list.append((name, try parseExpr()))
            } while acceptPunct(",")
            setList = list
        } else if isWord("SELECT") || isWord("WITH") || isPunct("(") || isWord("TABLE") {
            query = try parseQuery()
        } else {
            throw error()
        }
        if acceptWord("AS") {
            // INSERT ... VALUES (...) AS alias: row alias for ON DUPLICATE KEY UPDATE
            _ = try identifier()
            if acceptPunct("(") { repeat { _ = try anyIdentifier() } while acceptPunct(","); try expectPunct(")") }
        }
        var onDuplicate: [(String, Expr)] = []
        if acceptWords("ON", "DUPLICATE", "KEY", "UPDATE") {
            repeat {
                var name = try anyIdentifier()
                if acceptPunct(".") { name = try anyIdentifier() }
                try expectPunct("=")
                onDuplicate.append((name, try parseExpr()))
            } while acceptPunct(",")
        }
        return .insert(InsertAST(table: table, columns: columns, rows: rows, query: query, setList: setList,
                                 ignore: ignore, replace: replace, onDuplicate: onDuplicate))
    }

    func looksLikeSubqueryAfterParen() -> Bool {
        var i = pos
        while tokens[i].kind == .punct && tokens[i].text == "(" { i += 1 }
        let t = tokens[i]
        return t.kind == .word && (t.upper == "SELECT" || t.upper == "WITH")
    }

    mutating func parseUpdate() throws -> Statement {
        advance()
        var ignore = false
        while true {
            if acceptWord("IGNORE") { ignore = true; continue }
            if acceptWord("LOW_PRIORITY") { continue }
            break
        }
        let tables = try parseTableReferences()
        try expectWord("SET")
        var assignments: [(Expr, Expr)] = []
        repeat {
            let col = try parseColumnRef()
            try expectPunct("=")
            assignments.append((col, try parseExpr()))
        } while acceptPunct(",")
        var whereClause: Expr?
        if acceptWord("WHERE") { whereClause = try parseExpr() }
        var order: [OrderItem] = []
        if acceptWords("ORDER", "BY") { order = try parseOrderList() }
        var limit: Expr?
        if acceptWord("LIMIT") { limit = try parseLimitValue() }
        return .update(UpdateAST(tables: tables, assignments: assignments.map { (column: $0.0, value: $0.1) }, whereClause: whereClause, orderBy: order, limit: limit, ignore: ignore))
    }

    mutating func parseDelete() throws -> Statement {
        advance()
        var ignore = false
        while true {
            if acceptWord("IGNORE") { ignore = true; continue }
            if acceptWord("LOW_PRIORITY") || acceptWord("QUICK") { continue }
            break
        }
        var targets: [TableName] = []
        var tables: [TableRef] = []
        if acceptWord("FROM") {
            let first = try tableName()
            if isPunct(",") || isWord("USING") || (isPunct(".") ) {
                // DELETE FROM t1, t2 USING ...
                targets.append(first)
                while acceptPunct(",") { targets.append(try tableName()) }
                if acceptPunct(".") { try expectPunct("*") }
                try expectWord("USING")
                tables = try parseTableReferences()
            } else {
                var alias: String?
                if acceptWord("AS") { alias = try identifier() } else if isIdentifierStart && !isWord("WHERE") { alias = try identifier() }
                tables = [.table(db: first.db, name: first.name, alias: alias)]
                targets = [TableName(db: first.db, name: alias ?? first.name)]
            }
        } else {
            // DELETE t1, t2 FROM ...
            repeat {
                targets.append(try tableName())
                if acceptPunct(".") { try expectPunct("*") }
            } while acceptPunct(",")
            try expectWord("FROM")
            tables = try parseTableReferences()
        }
        var whereClause: Expr?
        if acceptWord("WHERE") { whereClause = try parseExpr() }
        var order: [OrderItem] = []
        if acceptWords("ORDER", "BY") { order = try parseOrderList() }
        var limit: Expr?
        if acceptWord("LIMIT") { limit = try parseLimitValue() }
        return .delete(DeleteAST(tables: tables, targets: targets, whereClause: whereClause, orderBy: order, limit: limit, ignore: ignore))
    }
}
