/// SET, SHOW, GRANT, REVOKE.
extension Parser {
    mutating func parseSet() throws -> Statement {
        advance()
        if acceptWord("PASSWORD") {
            var user: String?
            var host: String?
            if acceptWord("FOR") {
                let (u, h) = try parseUserName()
                user = u
                host = h
            }
            try expectPunct("=")
            if acceptWord("PASSWORD") {
                try expectPunct("(")
                let p = try stringLiteral()
                try expectPunct(")")
                return .set([.password(user: user, host: host, password: p)])
            }
            return .set([.password(user: user, host: host, password: try stringLiteral())])
        }
        var scopeAll: String?
        if isWord("GLOBAL") || isWord("SESSION") || isWord("LOCAL") || isWord("PERSIST") || isWord("PERSIST_ONLY") {
            if peekToken().isWord("TRANSACTION") {
                advance()
            }
        }
        if acceptWord("TRANSACTION") {
            var words: [String] = []
            while current.kind == .word || isPunct(",") { words.append(current.upper); advance() }
            return .set([.transaction(words.joined(separator: " "))])
        }
        var items: [SetAssignment] = []
        repeat {
            if acceptWord("NAMES") {
                if acceptWord("DEFAULT") { items.append(.names(nil, collation: nil)); continue }
                let cs = try nameOrString()
                var coll: String?
                if acceptWord("COLLATE") { coll = try nameOrString() }
                items.append(.names(cs, collation: coll))
                continue
            }
            if acceptWords("CHARACTER", "SET") || acceptWord("CHARSET") {
                if acceptWord("DEFAULT") { items.append(.characterSet(nil)); continue }
                items.append(.characterSet(try nameOrString()))
                continue
            }
            if current.kind == .userVariable {
                let name = current.text
                advance()
                guard acceptPunct("=") || acceptPunct(":=") else { throw error() }
                items.append(.user(name, try parseExpr()))
                continue
            }
            var scope: String? = scopeAll
            if current.kind == .systemVariable {
                scope = current.scope
                let name = current.text
                advance()
                try parseSystemAssignment(name: name, scope: scope, into: &items)
                continue
            }
            if isWord("GLOBAL") || isWord("SESSION") || isWord("LOCAL") || isWord("PERSIST") || isWord("PERSIST_ONLY") {
                let s = current.upper
                scope = s == "LOCAL" ? "session" : s.lowercased()
                if s == "PERSIST" || s == "PERSIST_ONLY" { scope = "global" }
                scopeAll = scope
                advance()
            }
            var name = try anyIdentifier()
            if acceptPunct(".") { name = name + "." + (try anyIdentifier()) }
            try parseSystemAssignment(name: name, scope: scope, into: &items)
        } while acceptPunct(",")
        return .set(items)
    }

    mutating func parseSystemAssignment(name: String, scope: String?, into items: inout [SetAssignment]) throws {
        guard acceptPunct("=") || acceptPunct(":=") else { throw error() }
        if isWord("DEFAULT") && (peekToken().isPunct(",") || peekToken().isPunct(";") || peekToken().kind == .end) {
            advance()
            items.append(.system(name: name, scope: scope, value: nil))
            return
        }
        // ON / OFF and other bare words are values, not column references
        if current.kind == .word && !(peekToken().isPunct("(")) && !reservedWords.contains(current.upper) || isWord("ON") || isWord("BINARY") {
            let word = current.text
            let next = peekToken()
            if next.isPunct(",") || next.isPunct(";") || next.kind == .end {
                advance()
                items.append(.system(name: name, scope: scope, value: .literal(.string(Array(word.utf8), introducer: nil))))
                return
            }
        }
        items.append(.system(name: name, scope: scope, value: try parseExpr()))
    }

    mutating func parseLikeOrWhere() throws -> (Expr?, Expr?) {
        if acceptWord("LIKE") { return (try parsePrimary(), nil) }
        if acceptWord("WHERE") { return (nil, try parseExpr()) }
        return (nil, nil)
    }

    mutating func parseShow() throws -> Statement {
        advance()
        let full = acceptWord("FULL")
        var global = false
        if acceptWord("GLOBAL") { global = true } else { _ = acceptWord("SESSION") || acceptWord("LOCAL") }
        guard current.kind == .word else { throw error() }
        let w = current.upper
        advance()
        switch w {
        case "DATABASES", "SCHEMAS":
            let (like, wh) = try parseLikeOrWhere()
            return .show(.databases(like: like, whereClause: wh))
        case "TABLES":
            var db: String?
            if acceptWord("FROM") || acceptWord("IN") { db = try anyIdentifier() }
            let (like, wh) = try parseLikeOrWhere()
            return .show(.tables(db: db, full: full, like: like, whereClause: wh))
        case "COLUMNS", "FIELDS":
            guard acceptWord("FROM") || acceptWord("IN") else { throw error() }
            var table = try tableName()
            if acceptWord("FROM") || acceptWord("IN") { table.db = try anyIdentifier() }
            let (like, wh) = try parseLikeOrWhere()
            return .show(.columns(table: table, full: full, like: like, whereClause: wh))
        case "INDEX", "INDEXES", "KEYS":
            guard acceptWord("FROM") || acceptWord("IN") else { throw error() }
            var table = try tableName()
            if acceptWord("FROM") || acceptWord("IN") { table.db = try anyIdentifier() }
            var wh: Expr?
            if acceptWord("WHERE") { wh = try parseExpr() }
            return .show(.index(table: table, whereClause: wh))
        case "CREATE":
            if acceptWord("TABLE") { return .show(.createTable(try tableName())) }
            if acceptWord("VIEW") { return .show(.createView(try tableName())) }
            if acceptWord("DATABASE") || acceptWord("SCHEMA") {
                let ifNot = acceptWords("IF", "NOT", "EXISTS")
                return .show(.createDatabase(try anyIdentifier(), ifNotExists: ifNot))
            }
            if acceptWord("USER") {
                let (u, h) = try parseUserName()
                return .show(.createUser(u, h))
            }
            if isWord("TRIGGER") || isWord("PROCEDURE") || isWord("FUNCTION") || isWord("EVENT") {
                throw SQLError.unsupported("SHOW CREATE " + current.upper)
            }
            throw error()
        case "VARIABLES":
            let (like, wh) = try parseLikeOrWhere()
            return .show(.variables(global: global, like: like, whereClause: wh))
        case "STATUS":
            let (like, wh) = try parseLikeOrWhere()
            return .show(.status(global: global, like: like, whereClause: wh))
        case "TABLE":
            try expectWord("STATUS")
            var db: String?
            if acceptWord("FROM") || acceptWord("IN") { db = try anyIdentifier() }
            let (like, wh) = try parseLikeOrWhere()
            return .show(.tableStatus(db: db, like: like, whereClause: wh))
        case "WARNINGS":
            if acceptWord("LIMIT") { _ = try parseLimitValue(); if acceptPunct(",") { _ = try parseLimitValue() } }
            return .show(.warnings)
        case "ERRORS":
            if acceptWord("LIMIT") { _ = try parseLimitValue(); if acceptPunct(",") { _ = try parseLimitValue() } }
            return .show(.errors)
        case "COUNT":
            try expectPunct("(")
            try expectPunct("*")
            try expectPunct(")")
            if acceptWord("WARNINGS") { return .show(.countWarnings) }
            try expectWord("ERRORS")
            return .show(.countErrors)
        case "PROCESSLIST": return .show(.processlist(full: full))
        case "ENGINES": return .show(.engines)
        case "STORAGE":
            try expectWord("ENGINES")
            return .show(.engines)
        case "COLLATION":
            let (like, wh) = try parseLikeOrWhere()
            return .show(.collation(like: like, whereClause: wh))
        case "CHARACTER", "CHARSET":
            if w == "CHARACTER" { try expectWord("SET") }
            let (like, wh) = try parseLikeOrWhere()
            return .show(.charset(like: like, whereClause: wh))
        case "GRANTS":
            if acceptWord("FOR") {
                let (u, h) = try parseUserName()
                skipToStatementEnd()
                return .show(.grants(user: u, host: h))
            }
            return .show(.grants(user: nil, host: nil))
        case "TRIGGERS":
            skipToStatementEnd()
            return .show(.triggers)
        case "EVENTS":
            skipToStatementEnd()
            return .show(.events)
        case "PROCEDURE", "FUNCTION", "PACKAGE":
            if w == "PACKAGE" { _ = acceptWord("BODY") }
            try expectWord("STATUS")
            skipToStatementEnd()
            return .show(w == "FUNCTION" ? .functionStatus : .procedureStatus)
        case "PRIVILEGES": return .show(.privileges)
        case "PLUGINS": return .show(.plugins)
        case "MASTER", "BINARY", "REPLICA", "SLAVE":
            skipToStatementEnd()
            return .show(.masterStatus)
        case "OPEN":
            try expectWord("TABLES")
            skipToStatementEnd()
            return .show(.openTables)
        default:
            throw error(at: tokens[pos - 1])
        }
    }

    /// Privilege names (upper case, "ALL PRIVILEGES" as "ALL") and the column-level ones,
    /// `SELECT (a, b)`, which MySQL allows for SELECT, INSERT, UPDATE and REFERENCES only.
    mutating func parsePrivilegeList() throws -> (privileges: [String], columns: [ColumnPrivilege]) {
        var privs: [String] = []
        var columns: [ColumnPrivilege] = []
        repeat {
            var words: [String] = []
            while current.kind == .word && !isWord("ON") && !isWord("TO") && !isWord("FROM") {
                words.append(current.upper)
                advance()
            }
            if words.isEmpty { throw error() }
            var p = words.joined(separator: " ")
            if p == "ALL PRIVILEGES" { p = "ALL" }
            if isPunct("(") {
                guard ["SELECT", "INSERT", "UPDATE", "REFERENCES"].contains(p) else { throw error() }
                advance()
                var names: [String] = []
                repeat { names.append(try anyIdentifier()) } while acceptPunct(",")
                try expectPunct(")")
                columns.append(ColumnPrivilege(privilege: p, columns: names))
            } else {
                privs.append(p)
            }
        } while acceptPunct(",")
        return (privs, columns)
    }

    /// ON *.* / db.* / db.table / table
    mutating func parseGrantTarget() throws -> (String, String) {
        _ = acceptWord("TABLE")
        var db = "*", table = "*"
        if acceptPunct("*") {
            if acceptPunct(".") { try expectPunct("*") ; return ("*", "*") }
            return ("", "*")   // current database
        }
        let first = try anyIdentifier()
        if acceptPunct(".") {
            db = first
            if acceptPunct("*") { table = "*" } else { table = try anyIdentifier() }
        } else {
            db = ""
            table = first
        }
        return (db, table)
    }

    mutating func parseGrant() throws -> Statement {
        advance()
        let (privs, columns) = try parsePrivilegeList()
        guard acceptWord("ON") else { throw SQLError.unsupported("GRANT role") }
        let (db, table) = try parseGrantTarget()
        try expectWord("TO")
        var users: [(String, String)] = []
        repeat {
            users.append(try parseUserName())
            if acceptWord("IDENTIFIED") { throw SQLError.unsupported("GRANT ... IDENTIFIED BY") }
        } while acceptPunct(",")
        var withGrant = false
        if acceptWords("WITH", "GRANT", "OPTION") { withGrant = true }
        skipToStatementEnd()
        return .grant(privileges: privs, columns: columns, db: db, table: table, users: users, withGrant: withGrant)
    }

    mutating func parseRevoke() throws -> Statement {
        advance()
        _ = acceptWords("IF", "EXISTS")
        let (privs, columns) = try parsePrivilegeList()
        var db = "*", table = "*"
        if acceptWord("ON") { (db, table) = try parseGrantTarget() }
        try expectWord("FROM")
        var users: [(String, String)] = []
        repeat { users.append(try parseUserName()) } while acceptPunct(",")
        skipToStatementEnd()
        return .revoke(privileges: privs, columns: columns, db: db, table: table, users: users)
    }
}
