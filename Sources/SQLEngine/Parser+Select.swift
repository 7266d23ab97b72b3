/// SELECT, set operations, WITH, table references and joins.
extension Parser {
    mutating func parseQueryAllowingSetOps() throws -> Query { try parseQuery() }

    mutating func parseQuery() throws -> Query {
        try enter()
        defer { leave() }
        var ctes: [CommonTableExpression] = []
        var recursive = false
        if acceptWord("WITH") {
            recursive = acceptWord("RECURSIVE")
            repeat {
                let name = try identifier()
                var columns: [String] = []
                if acceptPunct("(") {
                    repeat { columns.append(try anyIdentifier()) } while acceptPunct(",")
                    try expectPunct(")")
                }
                try expectWord("AS")
                try expectPunct("(")
                let q = try parseQuery()
                try expectPunct(")")
                ctes.append(CommonTableExpression(name: name, columns: columns, query: q))
            } while acceptPunct(",")
        }
        let body = try parseSetExpression()
        let query: Query
        // a lone parenthesised query keeps its own ORDER BY / LIMIT
        if case .parenthesized(let inner) = body, ctes.isEmpty, !(isWord("ORDER") || isWord("LIMIT")) {
            query = inner
        } else {
            query = Query(body: body)
        }
        query.with = ctes + query.with
        query.recursive = query.recursive || recursive
        try parseOrderLimit(into: query)
        return query
    }

    mutating func parseOrderLimit(into query: Query) throws {
        if acceptWords("ORDER", "BY") { query.orderBy = try parseOrderList() }
        if acceptWord("LIMIT") {
            let first = try parseLimitValue()
            if acceptPunct(",") {
                query.offset = first
                query.limit = try parseLimitValue()
            } else if acceptWord("OFFSET") {
                query.limit = first
                query.offset = try parseLimitValue()
            } else {
                query.limit = first
            }
        }
        if acceptWords("FOR", "UPDATE") || acceptWords("FOR", "SHARE") {
            query.lockMode = "update"
            if acceptWord("OF") { repeat { _ = try identifier() } while acceptPunct(",") }
            _ = acceptWord("NOWAIT") || acceptWords("SKIP", "LOCKED")
        } else if acceptWords("LOCK", "IN", "SHARE", "MODE") {
            query.lockMode = "share"
        }
    }

    mutating func parseLimitValue() throws -> Expr {
        let t = current
        switch t.kind {
        case .integer: advance(); return .literal(.integer(t.text))
        case .parameter: advance(); parameterCount += 1; return .parameter(parameterCount - 1)
        case .userVariable: advance(); return .userVariable(t.text)
        default: throw error()
        }
    }

    mutating func parseSetExpression() throws -> QueryBody {
        var left = try parseSetTerm()
        while isWord("UNION") || isWord("EXCEPT") {
            let op: SetOperator = current.upper == "UNION" ? .union : .except
            advance()
            var all = false
            if acceptWord("ALL") { all = true } else { _ = acceptWord("DISTINCT") }
            let right = try parseSetTerm()
            left = .setOperation(op, all: all, left, right)
        }
        return left
    }

    mutating func parseSetTerm() throws -> QueryBody {
        var left = try parseQueryPrimary()
        while acceptWord("INTERSECT") {
            var all = false
            if acceptWord("ALL") { all = true } else { _ = acceptWord("DISTINCT") }
            left = .setOperation(.intersect, all: all, left, try parseQueryPrimary())
        }
        return left
    }

    mutating func parseQueryPrimary() throws -> QueryBody {
        if acceptPunct("(") {
            let q = try parseQuery()
            try expectPunct(")")
            return .parenthesized(q)
        }
        if acceptWord("VALUES") {
            var rows: [[Expr]] = []
            repeat {
                try expectWord("ROW")
                try expectPunct("(")
                var row: [Expr] = []
                repeat { row.append(try parseExpr()) } while acceptPunct(",")
                try expectPunct(")")
                rows.append(row)
            } while acceptPunct(",")
            return .values(rows)
        }
        if acceptWord("TABLE") {
            let name = try tableName()
            let core = SelectCore()
            core.items = [.star(table: nil)]
            core.from = [.table(db: name.db, name: name.name, alias: nil)]
            return .select(core)
        }
        guard acceptWord("SELECT") else { throw error() }
        return .select(try parseSelectCore())
    }

    mutating func parseSelectCore() throws -> SelectCore {
        let core = SelectCore()
        while current.kind == .word {
            switch current.upper {
            case "ALL": advance()
            case "DISTINCT", "DISTINCTROW": core.distinct = true; advance()
            case "HIGH_PRIORITY", "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT",
                 "SQL_NO_CACHE", "SQL_CACHE", "SQL_CALC_FOUND_ROWS":
                advance()
            default:
                break
            }
            if !(["ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY", "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT",
                  "SQL_BUFFER_RESULT", "SQL_NO_CACHE", "SQL_CACHE", "SQL_CALC_FOUND_ROWS"].contains(current.upper)) { break }
        }
        repeat {
            core.items.append(try parseSelectItem())
        } while acceptPunct(",")
        if acceptWord("INTO") {
            repeat {
                guard current.kind == .userVariable else { throw SQLError.unsupported("SELECT ... INTO OUTFILE/DUMPFILE") }
                core.intoVariables.append(current.text)
                advance()
            } while acceptPunct(",")
        }
        if acceptWord("FROM") {
            if acceptWord("DUAL") {
                // FROM DUAL: no tables
            } else {
                core.from = try parseTableReferences()
            }
        }
        if acceptWord("WHERE") { core.whereClause = try parseExpr() }
        if acceptWords("GROUP", "BY") {
            repeat {
                let e = try parseExpr()
                _ = acceptWord("ASC") || acceptWord("DESC")
                core.groupBy.append(e)
            } while acceptPunct(",")
            if acceptWords("WITH", "ROLLUP") { core.withRollup = true }
        }
        if acceptWord("HAVING") { core.having = try parseExpr() }
        if acceptWord("WINDOW") {
            repeat {
                let name = try identifier()
                guard acceptWord("AS") else { throw error() }
                core.namedWindows.append((name, try parseWindowSpec()))
            } while acceptPunct(",")
        }
        return core
    }

    mutating func parseSelectItem() throws -> SelectItem {
        if acceptPunct("*") { return .star(table: nil) }
        // t.* / db.t.*
        if (current.kind == .word || current.kind == .quotedIdentifier) && peekToken().isPunct(".") {
            if peekToken(2).isPunct("*") {
                let table = try anyIdentifier()
                advance(); advance()
                return .star(table: table)
            }
            if peekToken(3).isPunct(".") && peekToken(4).isPunct("*") {
                _ = try anyIdentifier(); advance()
                let table = try anyIdentifier()
                advance(); advance()
                return .star(table: table)
            }
        }
        let startOffset = current.start
        let e = try parseExpr()
        let endOffset = current.start
        var text = String(decoding: lexer.src[startOffset..<min(endOffset, lexer.src.count)], as: UTF8.self)
        while let l = text.last, l == " " || l == "\n" || l == "\t" || l == "\r" { text.removeLast() }
        var alias: String?
        if acceptWord("AS") {
            alias = current.kind == .string ? try stringLiteral() : try anyIdentifier()
        } else if current.kind == .string {
            alias = try stringLiteral()
        } else if isIdentifierStart {
            alias = try identifier()
        }
        // MySQL names an unaliased string literal column by its value
        if alias == nil, case .literal(.string(let b, _)) = e { text = String(decoding: b, as: UTF8.self) }
        return .expr(e, alias: alias, text: text)
    }

    mutating func parseTableReferences() throws -> [TableRef] {
        var refs: [TableRef] = []
        repeat { refs.append(try parseJoinedTable()) } while acceptPunct(",")
        return refs
    }

    mutating func parseJoinedTable() throws -> TableRef {
        try enter()
        defer { leave() }
        var left = try parseTableFactor()
        while true {
            var kind: JoinKind
            if acceptWord("JOIN") || acceptWords("INNER", "JOIN") { kind = .inner }
            else if acceptWords("CROSS", "JOIN") { kind = .cross }
            else if acceptWord("STRAIGHT_JOIN") { kind = .inner }
            else if acceptWords("LEFT", "JOIN") || acceptWords("LEFT", "OUTER", "JOIN") { kind = .left }
            else if acceptWords("RIGHT", "JOIN") || acceptWords("RIGHT", "OUTER", "JOIN") { kind = .right }
            else if acceptWords("NATURAL", "JOIN") || acceptWords("NATURAL", "INNER", "JOIN") { kind = .natural }
            else if acceptWords("NATURAL", "LEFT", "JOIN") || acceptWords("NATURAL", "LEFT", "OUTER", "JOIN") { kind = .naturalLeft }
            else if acceptWords("NATURAL", "RIGHT", "JOIN") || acceptWords("NATURAL", "RIGHT", "OUTER", "JOIN") { kind = .naturalRight }
            else { return left }
            let right = try parseTableFactor()
            var on: Expr?
            var using: [String]?
            if kind != .natural && kind != .naturalLeft && kind != .naturalRight {
                if acceptWord("ON") {
                    on = try parseExpr()
                } else if acceptWord("USING") {
                    try expectPunct("(")
                    var cols: [String] = []
                    repeat { cols.append(try anyIdentifier()) } while acceptPunct(",")
                    try expectPunct(")")
                    using = cols
                } else if kind == .left || kind == .right {
                    throw error()
                }
            }
            left = .join(left, right, kind, on: on, using: using)
        }
    }

    mutating func parseTableFactor() throws -> TableRef {
        if acceptPunct("(") {
            if isWord("SELECT") || isWord("WITH") || (isPunct("(") && looksLikeSubquery()) {
                let q = try parseQuery()
                try expectPunct(")")
                _ = acceptWord("AS")
                let alias = try identifier()
                return .derived(q, alias: alias)
            }
            let refs = try parseTableReferences()
            try expectPunct(")")
            var result = refs[0]
            for r in refs.dropFirst() { result = .join(result, r, .cross, on: nil, using: nil) }
            return result
        }
        if acceptWord("LATERAL") { throw SQLError.unsupported("LATERAL") }
        if isWord("JSON_TABLE") && peekToken().text == "(" { advance(); return try parseJSONTable() }
        let name = try tableName()
        var alias: String?
        if acceptWord("AS") { alias = try anyIdentifier() } else if isIdentifierStart && !isIndexHint { alias = try identifier() }
        try skipIndexHints()
        return .table(db: name.db, name: name.name, alias: alias)
    }

    var isIndexHint: Bool {
        (isWord("USE") || isWord("FORCE") || isWord("IGNORE")) && (peekToken().upper == "INDEX" || peekToken().upper == "KEY")
    }

    mutating func skipIndexHints() throws {
        while isIndexHint {
            advance(); advance()
            if acceptWord("FOR") {
                if !(acceptWord("JOIN") || acceptWords("ORDER", "BY") || acceptWords("GROUP", "BY")) { throw error() }
            }
            try expectPunct("(")
            if !isPunct(")") { repeat { _ = try anyIdentifier() } while acceptPunct(",") }
            try expectPunct(")")
            _ = acceptPunct(",")
        }
    }
}
