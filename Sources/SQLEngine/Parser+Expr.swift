/// Expressions, by MySQL's operator precedence (lowest first): :=, OR/||, XOR, AND/&&, NOT,
/// comparison/IS/LIKE/IN/BETWEEN, |, &, << >>, + -, * / DIV % MOD, ^, unary - ~, !, BINARY/COLLATE.
extension Parser {
    mutating func parseExpr() throws -> Expr {
        try enter()
        defer { leave() }
        return try parseOr()
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseXor()
        while acceptWord("OR") || acceptPunct("||") {
            left = .binary(.or, left, try parseXor())
        }
        return left
    }

    mutating func parseXor() throws -> Expr {
        var left = try parseAnd()
        while acceptWord("XOR") {
            try countOperator(); left = .binary(.xor, left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while acceptWord("AND") || acceptPunct("&&") {
            left = .binary(.and, left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if acceptWord("NOT") {
            try enter()
            defer { leave() }
            return .unary(.not, try parseNot())
        }
        return try parsePredicate()
    }

    mutating func parsePredicate() throws -> Expr {
        var left = try parseBitOr()
        var chain = 0
        while true {
            chain += 1
            if chain > 50 { throw error() }   // a = b = c = ... chains deepen the tree
            if acceptWord("IS") {
                let negated = acceptWord("NOT")
                if acceptWord("NULL") { left = .isNull(left, negated: negated) }
                else if acceptWord("TRUE") { left = .isTruth(left, true, negated: negated) }
                else if acceptWord("FALSE") { left = .isTruth(left, false, negated: negated) }
                else if acceptWord("UNKNOWN") { left = .isTruth(left, nil, negated: negated) }
                else { throw error() }
                continue
            }
            var negated = false
            let save = pos
            if acceptWord("NOT") { negated = true }
            if acceptWord("BETWEEN") {
                let low = try parseBitOr()
                try expectWord("AND")
                let high = try parseBitOr()
                left = .between(left, low, high, negated: negated)
                continue
            }
            if acceptWord("IN") {
                try expectPunct("(")
                if isWord("SELECT") || isWord("WITH") || (isPunct("(") && looksLikeSubquery()) {
                    let q = try parseQuery()
                    try expectPunct(")")
                    left = .inSubquery(left, q, negated: negated)
                } else {
                    var list: [Expr] = []
                    repeat { list.append(try parseExpr()) } while acceptPunct(",")
                    try expectPunct(")")
                    left = .inList(left, list, negated: negated)
                }
                continue
            }
            if acceptWord("LIKE") {
                let pattern = try parseBitOr()
                var escape: Expr?
                if acceptWord("ESCAPE") { escape = try parseBitOr() }
                left = .like(left, pattern, escape: escape, negated: negated)
                continue
            }
            if acceptWord("REGEXP") || acceptWord("RLIKE") {
                left = .regexp(left, try parseBitOr(), negated: negated)
                continue
            }
            if negated { pos = save; break }
            if acceptWords("SOUNDS", "LIKE") {
                left = .binary(.eq, .function(name: "SOUNDEX", args: [left], distinct: false), .function(name: "SOUNDEX", args: [try parseBitOr()], distinct: false))
                continue
            }
            if acceptWords("MEMBER", "OF") {
                try expectPunct("(")
                let arr = try parseExpr()
                try expectPunct(")")
                left = .function(name: "JSON_MEMBER_OF", args: [left, arr], distinct: false)
                continue
            }
            guard current.kind == .punct, let op = comparisonOperator(current.text) else { break }
            advance()
            if isWord("ANY") || isWord("SOME") || isWord("ALL") {
                let isAll = current.upper == "ALL"
                advance()
                try expectPunct("(")
                let q = try parseQuery()
                try expectPunct(")")
                left = .quantified(op, left, isAll: isAll, q)
                continue
            }
            left = .binary(op, left, try parseBitOr())
        }
        return left
    }

    func comparisonOperator(_ s: String) -> BinaryOp? {
        switch s {
        case "=": return .eq
        case "<=>": return .nullSafeEq
        case "<>", "!=": return .ne
        case "<": return .lt
        case "<=": return .le
        case ">": return .gt
        case ">=": return .ge
        default: return nil
        }
    }

    /// After "(": true when the parenthesis opens a query (possibly nested parentheses around SELECT).
    func looksLikeSubquery() -> Bool {
        var i = pos
        while tokens[i].kind == .punct && tokens[i].text == "(" { i += 1 }
        let t = tokens[i]
        return t.kind == .word && (t.upper == "SELECT" || t.upper == "WITH" || t.upper == "VALUES")
    }

    mutating func parseBitOr() throws -> Expr {
        var left = try parseBitAnd()
        while acceptPunct("|") { try countOperator(); left = .binary(.bitOr, left, try parseBitAnd()) }
        return left
    }

    mutating func parseBitAnd() throws -> Expr {
        var left = try parseShift()
        while acceptPunct("&") { try countOperator(); left = .binary(.bitAnd, left, try parseShift()) }
        return left
    }

    mutating func parseShift() throws -> Expr {
        var left = try parseAdditive()
        while true {
            if acceptPunct("<<") { try countOperator(); left = .binary(.shiftLeft, left, try parseAdditive()) }
            else if acceptPunct(">>") { try countOperator(); left = .binary(.shiftRight, left, try parseAdditive()) }
            else { return left }
        }
    }

    mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        while true {
            if acceptPunct("+") { try countOperator(); left = .binary(.add, left, try parseMultiplicative()) }
            else if acceptPunct("-") { try countOperator(); left = .binary(.sub, left, try parseMultiplicative()) }
            else { return left }
        }
    }

    mutating func parseMultiplicative() throws -> Expr {
        var left = try parseBitXor()
        while true {
            if acceptPunct("*") { try countOperator(); left = .binary(.mul, left, try parseBitXor()) }
            else if acceptPunct("/") { try countOperator(); left = .binary(.div, left, try parseBitXor()) }
            else if acceptPunct("%") || acceptWord("MOD") { try countOperator(); left = .binary(.mod, left, try parseBitXor()) }
            else if acceptWord("DIV") { try countOperator(); left = .binary(.intDiv, left, try parseBitXor()) }
            else { return left }
        }
    }

    mutating func parseBitXor() throws -> Expr {
        var left = try parseUnary()
        while acceptPunct("^") { try countOperator(); left = .binary(.bitXor, left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws -> Expr {
        try enter()
        defer { leave() }
        if acceptPunct("-") {
            // fold -literal so that -9223372036854775808 is a BIGINT
            let inner = try parseUnary()
            if case .literal(.integer(let s)) = inner, !s.hasPrefix("-") { return .literal(.integer("-" + s)) }
            if case .literal(.decimal(let s)) = inner, !s.hasPrefix("-") { return .literal(.decimal("-" + s)) }
            return .unary(.minus, inner)
        }
        if acceptPunct("+") { return try parseUnary() }
        if acceptPunct("~") { return .unary(.bitNot, try parseUnary()) }
        if acceptPunct("!") { return .unary(.not, try parseUnary()) }
        if isWord("BINARY") && !(peekToken().kind == .punct && peekToken().text == "(") {
            advance()
            return .unary(.binary, try parseUnary())
        }
        var e = try parsePrimary()
        while true {
            if acceptWord("COLLATE") {
                e = .collate(e, try nameOrString())
            } else if isPunct("->") || isPunct("->>") {
                let op: BinaryOp = current.text == "->" ? .jsonExtract : .jsonUnquote
                advance()
                let path = try parsePrimary()
                try countOperator(); e = .binary(op, e, path)
            } else {
                return e
            }
        }
    }

    mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            advance()
            return .literal(.integer(t.text))
        case .decimal:
            advance()
            return .literal(.decimal(t.text))
        case .float:
            advance()
            return .literal(.float(t.text))
        case .string, .nationalString:
            advance()
            var bytes = t.bytes
            while current.kind == .string && current.introducer == nil { bytes += current.bytes; advance() }
            if t.introducer == "binary" { return .literal(.string(bytes, introducer: "binary")) }
            return .literal(.string(bytes, introducer: t.introducer))
        case .hex:
            advance()
            if t.introducer != nil && t.introducer != "binary" { return .literal(.string(t.bytes, introducer: t.introducer)) }
            return .literal(.hex(t.bytes))
        case .bits:
            advance()
            return .literal(.bits(t.bytes))
        case .parameter:
            advance()
            parameterCount += 1
            return .parameter(parameterCount - 1)
        case .userVariable:
            advance()
            if acceptPunct(":=") { return .assignUserVariable(t.text, try parseExpr()) }
            return .userVariable(t.text)
        case .systemVariable:
            advance()
            return .systemVariable(name: t.text, scope: t.scope)
        case .punct:
            if acceptPunct("(") {
                if isWord("SELECT") || isWord("WITH") || (isPunct("(") && looksLikeSubquery()) {
                    let q = try parseQueryAllowingSetOps()
                    try expectPunct(")")
                    return .subquery(q)
                }
                let first = try parseExpr()
                if acceptPunct(",") {
                    var items = [first]
                    repeat { items.append(try parseExpr()) } while acceptPunct(",")
                    try expectPunct(")")
                    return .row(items)
                }
                try expectPunct(")")
                return first
            }
            if acceptPunct("{") {
                // ODBC escape {d 'x'}, {ts 'x'}, {fn f()}
                _ = try anyIdentifier()
                let e = try parseExpr()
                try expectPunct("}")
                return e
            }
            throw error()
        case .quotedIdentifier:
            return try parseColumnRef()
        case .word:
            return try parseWordPrimary()
        case .end:
            throw error()
        }
    }

    mutating func parseColumnRef() throws -> Expr {
        let first = try anyIdentifier()
        if isPunct(".") && peekToken().kind != .punct {
            advance()
            let second = try anyIdentifier()
            if isPunct(".") && peekToken().kind != .punct {
                advance()
                let third = try anyIdentifier()
                return .column(db: first, table: second, name: third)
            }
            return .column(db: nil, table: first, name: second)
        }
        return .column(db: nil, table: nil, name: first)
    }

    mutating func parseWordPrimary() throws -> Expr {
        let t = current
        let next = peekToken()
        let isCall = next.kind == .punct && next.text == "("
        switch t.upper {
        case "NULL": advance(); return .literal(.null)
        case "TRUE": advance(); return .literal(.bool(true))
        case "FALSE": advance(); return .literal(.bool(false))
        case "DATE" where next.kind == .string:
            advance(); return .literal(.date(try stringLiteral()))
        case "TIME" where next.kind == .string:
            advance(); return .literal(.time(try stringLiteral()))
        case "TIMESTAMP" where next.kind == .string:
            advance(); return .literal(.timestamp(try stringLiteral()))
        case "CASE": return try parseCase()
        case "EXISTS":
            advance()
            try expectPunct("(")
            let q = try parseQueryAllowingSetOps()
            try expectPunct(")")
            return .exists(q)
        case "NOT":
            advance()
            return .unary(.not, try parseNot())
        case "INTERVAL" where !isCall || true:
            if isCall {
                // INTERVAL(N, N1, N2...) function vs INTERVAL (expr) unit
                let save = pos
                advance()
                advance()
                var args: [Expr] = []
                repeat { args.append(try parseExpr()) } while acceptPunct(",")
                try expectPunct(")")
                if args.count > 1 { return .function(name: "INTERVAL", args: args, distinct: false) }
                pos = save
            }
            advance()
            let e = try parseExpr()
            let unit = try parseIntervalUnit()
            return .interval(e, unit)
        case "DEFAULT":
            advance()
            if acceptPunct("(") {
                let column = try parsePrimary()
                guard case .column = column else { throw SQLError.syntax(near: "DEFAULT", line: 1) }
                try expectPunct(")")
                return .defaultValue(column)
            }
            return .defaultValue(nil)
        case "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "NOW", "SYSDATE":
            if !isCall && t.upper == "NOW" { break }
            advance()
            var args: [Expr] = []
            if acceptPunct("(") {
                if !isPunct(")") { args.append(try parseExpr()) }
                try expectPunct(")")
            }
            return .function(name: t.upper == "SYSDATE" ? "SYSDATE" : "NOW", args: args, distinct: false)
        case "CURRENT_DATE", "CURRENT_TIME", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "CURRENT_USER", "CURRENT_ROLE":
            advance()
            var args: [Expr] = []
            if acceptPunct("(") {
                if !isPunct(")") { args.append(try parseExpr()) }
                try expectPunct(")")
            }
            let name = ["CURRENT_DATE": "CURDATE", "CURRENT_TIME": "CURTIME"][t.upper] ?? t.upper
            return .function(name: name, args: args, distinct: false)
        case "ROW" where isCall:
            advance()
            advance()
            var items: [Expr] = []
            repeat { items.append(try parseExpr()) } while acceptPunct(",")
            try expectPunct(")")
            return .row(items)
        case "MATCH" where isCall:
            throw SQLError.unsupported("MATCH ... AGAINST")
        default:
            break
        }
        if isCall {
            return try parseFunctionCall()
        }
        if reservedWords.contains(t.upper) { throw error() }
        return try parseColumnRef()
    }

    mutating func parseIntervalUnit() throws -> IntervalUnit {
        guard current.kind == .word else { throw error() }
        var word = current.upper
        if word.hasSuffix("S") && IntervalUnit(rawValue: String(word.dropLast())) != nil && word != "SECONDS" || word == "SECONDS" { word = String(word.dropLast()) }
        guard let unit = IntervalUnit(rawValue: word) else { throw error() }
        advance()
        return unit
    }

    mutating func parseCase() throws -> Expr {
        advance()
        var operand: Expr?
        if !isWord("WHEN") { operand = try parseExpr() }
        var whens: [(Expr, Expr)] = []
        while acceptWord("WHEN") {
            let cond = try parseExpr()
            try expectWord("THEN")
            whens.append((cond, try parseExpr()))
        }
        if whens.isEmpty { throw error() }
        var elseExpr: Expr?
        if acceptWord("ELSE") { elseExpr = try parseExpr() }
        try expectWord("END")
        return .caseWhen(operand: operand, whens: whens, elseExpr: elseExpr)
    }

    mutating func parseFunctionCall() throws -> Expr {
        let nameToken = current
        let name = nameToken.upper
        advance()
        try expectPunct("(")
        try enter()
        defer { leave() }
        switch name {
        case "COUNT":
            if acceptPunct("*") {
                try expectPunct(")")
                return try parseOver(.countStar)
            }
            let distinct = acceptWord("DISTINCT")
            _ = acceptWord("ALL")
            var args: [Expr] = []
            repeat { args.append(try parseExpr()) } while acceptPunct(",")
            try expectPunct(")")
            return try parseOver(.function(name: "COUNT", args: args, distinct: distinct))
        case "SUM", "AVG", "MIN", "MAX", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "ANY_VALUE":
            let distinct = acceptWord("DISTINCT")
            _ = acceptWord("ALL")
            var args: [Expr] = []
            repeat { args.append(try parseExpr()) } while acceptPunct(",")
            try expectPunct(")")
            return try parseOver(.function(name: name, args: args, distinct: distinct))
        case "GROUP_CONCAT":
            let distinct = acceptWord("DISTINCT")
            var args: [Expr] = []
            repeat { args.append(try parseExpr()) } while acceptPunct(",")
            var order: [OrderItem] = []
            if acceptWords("ORDER", "BY") { order = try parseOrderList() }
            var separator: [UInt8] = Array(",".utf8)
            if acceptWord("SEPARATOR") {
                guard current.kind == .string else { throw error() }
                separator = current.bytes
                advance()
            }
            try expectPunct(")")
            return .groupConcat(args: args, distinct: distinct, orderBy: order, separator: separator)
        case "JSON_VALUE":
            // JSON_VALUE(doc, path [RETURNING type] [{NULL | ERROR | DEFAULT v} ON EMPTY] [... ON ERROR]):
            // the responses travel as (mode, default) argument pairs, mode 0 NULL, 1 ERROR, 2 DEFAULT
            let document = try parseExpr()
            try expectPunct(",")
            let path = try parseExpr()
            var target: CastTarget?
            if acceptWord("RETURNING") { target = try parseCastTarget() }
            var onEmpty: [Expr] = [.literal(.integer("0")), .literal(.null)]
            var onError: [Expr] = [.literal(.integer("0")), .literal(.null)]
            while !isPunct(")") {
                var response: [Expr]
                if acceptWord("NULL") { response = [.literal(.integer("0")), .literal(.null)] }
                else if acceptWord("ERROR") { response = [.literal(.integer("1")), .literal(.null)] }
                else if acceptWord("DEFAULT") { response = [.literal(.integer("2")), try parsePrimary()] }
                else { throw error() }
                try expectWord("ON")
                if acceptWord("EMPTY") { onEmpty = response } else { try expectWord("ERROR"); onError = response }
            }
            try expectPunct(")")
            let call = Expr.function(name: "JSON_VALUE", args: [document, path] + onEmpty + onError, distinct: false)
            return target.map { .cast(call, $0) } ?? call
        case "CAST":
            let e = try parseExpr()
            try expectWord("AS")
            let target = try parseCastTarget()
            try expectPunct(")")
            return .cast(e, target)
        case "CONVERT":
            let e = try parseExpr()
            if acceptWord("USING") {
                let cs = try nameOrString()
                try expectPunct(")")
                return .convertCharset(e, cs)
            }
            try expectPunct(",")
            let target = try parseCastTarget()
            try expectPunct(")")
            return .cast(e, target)
        case "TRIM":
            var mode = "BOTH"
            if isWord("LEADING") || isWord("TRAILING") || isWord("BOTH") { mode = current.upper; advance() }
            var remove: Expr?
            var source: Expr
            if acceptWord("FROM") {
                source = try parseExpr()
            } else {
                let first = try parseExpr()
                if acceptWord("FROM") { remove = first; source = try parseExpr() } else { source = first }
            }
            try expectPunct(")")
            var args = [source]
            if let remove { args.append(remove) }
            return .function(name: "TRIM_" + mode, args: args, distinct: false)
        case "SUBSTRING", "SUBSTR", "MID":
            let s = try parseExpr()
            var args = [s]
            if acceptWord("FROM") {
                args.append(try parseExpr())
                if acceptWord("FOR") { args.append(try parseExpr()) }
            } else {
                while acceptPunct(",") { args.append(try parseExpr()) }
            }
            try expectPunct(")")
            return .function(name: "SUBSTRING", args: args, distinct: false)
        case "POSITION":
            let needle = try parseBitOr()
            try expectWord("IN")
            let hay = try parseExpr()
            try expectPunct(")")
            return .function(name: "LOCATE", args: [needle, hay], distinct: false)
        case "EXTRACT":
            let unit = try parseIntervalUnit()
            try expectWord("FROM")
            let e = try parseExpr()
            try expectPunct(")")
            return .function(name: "EXTRACT", args: [.literal(.string(Array(unit.rawValue.utf8), introducer: nil)), e], distinct: false)
        case "DATE_ADD", "DATE_SUB", "ADDDATE", "SUBDATE":
            let d = try parseExpr()
            try expectPunct(",")
            var amount = try parseExpr()
            if case .interval = amount {} else { amount = .interval(amount, .day) }
            try expectPunct(")")
            let subtract = name == "DATE_SUB" || name == "SUBDATE"
            return .function(name: subtract ? "DATE_SUB" : "DATE_ADD", args: [d, amount], distinct: false)
        case "TIMESTAMPADD", "TIMESTAMPDIFF":
            let unit = try parseIntervalUnit()
            try expectPunct(",")
            let a = try parseExpr()
            try expectPunct(",")
            let b = try parseExpr()
            try expectPunct(")")
            return .function(name: name, args: [.literal(.string(Array(unit.rawValue.utf8), introducer: nil)), a, b], distinct: false)
        case "CHAR":
            var args: [Expr] = []
            repeat { args.append(try parseExpr()) } while acceptPunct(",")
            if acceptWord("USING") { _ = try nameOrString() }
            try expectPunct(")")
            return .function(name: "CHAR", args: args, distinct: false)
        case "GET_FORMAT":
            // GET_FORMAT({DATE|TIME|DATETIME|TIMESTAMP}, 'EUR'|'USA'|'JIS'|'ISO'|'INTERNAL')
            guard current.kind == .word, ["DATE", "TIME", "DATETIME", "TIMESTAMP"].contains(current.upper) else { throw error() }
            let kind = current.upper
            advance()
            try expectPunct(",")
            let region = try parseExpr()
            try expectPunct(")")
            return .function(name: "GET_FORMAT", args: [.literal(.string(Array(kind.utf8), introducer: nil)), region], distinct: false)
        case "WEIGHT_STRING":
            break
        default:
            break
        }
        var args: [Expr] = []
        if !isPunct(")") {
            repeat { args.append(try parseExpr()) } while acceptPunct(",")
        }
        try expectPunct(")")
        let call = Expr.function(name: name, args: args, distinct: false)
        return try parseOver(call)
    }

    /// `[FROM FIRST] [RESPECT NULLS] OVER w` or `OVER (spec)` after a function call.
    mutating func parseOver(_ e: Expr) throws -> Expr {
        if case .function(let name, _, _) = e, ["NTH_VALUE", "FIRST_VALUE", "LAST_VALUE", "LAG", "LEAD"].contains(name) {
            if name == "NTH_VALUE" && acceptWord("FROM") {
                if acceptWord("LAST") { throw SQLError.unsupported("FROM LAST") }
                guard acceptWord("FIRST") else { throw error() }
            }
            if acceptWord("IGNORE") { throw SQLError.unsupported("IGNORE NULLS") }
            if acceptWord("RESPECT") { guard acceptWord("NULLS") else { throw error() } }
        }
        guard acceptWord("OVER") else { return e }
        if !isPunct("(") {
            return .window(e, WindowSpec(reference: try identifier(), isBareReference: true))
        }
        return .window(e, try parseWindowSpec())
    }

    /// `( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`
    mutating func parseWindowSpec() throws -> WindowSpec {
        try expectPunct("(")
        var spec = WindowSpec()
        if isIdentifierStart {
            spec.reference = try identifier()
        }
        if acceptWords("PARTITION", "BY") {
            repeat { spec.partitionBy.append(try parseExpr()) } while acceptPunct(",")
        }
        if acceptWords("ORDER", "BY") { spec.orderBy = try parseOrderList() }
        if isWord("ROWS") || isWord("RANGE") {
            let unit: WindowFrame.Unit = current.upper == "ROWS" ? .rows : .range
            advance()
            if acceptWord("BETWEEN") {
                let start = try parseFrameBound()
                guard acceptWord("AND") else { throw error() }
                spec.frame = WindowFrame(unit: unit, start: start, end: try parseFrameBound())
            } else {
                spec.frame = WindowFrame(unit: unit, start: try parseFrameBound(), end: .currentRow)
            }
        }
        try expectPunct(")")
        return spec
    }

    mutating func parseFrameBound() throws -> WindowFrame.Bound {
        if acceptWord("UNBOUNDED") {
            if acceptWord("PRECEDING") { return .unboundedPreceding }
            guard acceptWord("FOLLOWING") else { throw error() }
            return .unboundedFollowing
        }
        if acceptWords("CURRENT", "ROW") { return .currentRow }
        let amount = try parseExpr()
        if acceptWord("PRECEDING") { return .preceding(amount) }
        guard acceptWord("FOLLOWING") else { throw error() }
        return .following(amount)
    }

    mutating func parseCastTarget() throws -> CastTarget {
        guard current.kind == .word else { throw error() }
        let w = current.upper
        advance()
        func optLength() throws -> Int? {
            if acceptPunct("(") {
                let n = try integerLiteral()
                try expectPunct(")")
                return n
            }
            return nil
        }
        switch w {
        case "SIGNED":
            _ = acceptWord("INTEGER") || acceptWord("INT")
            return .signed
        case "UNSIGNED":
            _ = acceptWord("INTEGER") || acceptWord("INT")
            return .unsigned
        case "INTEGER", "INT": return .signed
        case "DECIMAL", "DEC", "NUMERIC":
            var p = 10, s = 0
            if acceptPunct("(") {
                p = try integerLiteral()
                if acceptPunct(",") { s = try integerLiteral() }
                try expectPunct(")")
            }
            if p > 65 { throw SQLError(code: 1426, sqlState: "42000", message: "Too-big precision \(p) specified for 'CAST'. Maximum is 65.") }
            if s > 30 { throw SQLError(code: 1425, sqlState: "42000", message: "Too big scale \(s) specified for 'CAST'. Maximum is 30.") }
            if s > p { throw SQLError(code: 1427, sqlState: "42000", message: "For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column 'CAST').") }
            return .decimal(p, s)
        case "DOUBLE":
            _ = acceptWord("PRECISION")
            return .double
        case "REAL": return .double
        case "FLOAT":
            let p = try optLength()
            return (p ?? 0) > 24 ? .double : .float
        case "CHAR", "CHARACTER", "VARCHAR", "NCHAR":
            let n = try optLength()
            var cs: String?
            if acceptWords("CHARACTER", "SET") || acceptWord("CHARSET") { cs = try nameOrString() }
            if acceptWord("ASCII") { cs = "latin1" }
            if acceptWord("UNICODE") { cs = "ucs2" }
            if acceptWord("COLLATE") { _ = try nameOrString() }
            return .char(n, charset: cs)
        case "BINARY": return .binary(try optLength())
        case "DATE": return .date
        case "DATETIME": return .datetime(try optLength() ?? 0)
        case "TIME": return .time(try optLength() ?? 0)
        case "YEAR": return .year
        case "JSON": return .json
        default: throw error(at: tokens[pos - 1])
        }
    }

    mutating func parseOrderList() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            let e = try parseExpr()
            var desc = false
            if acceptWord("DESC") { desc = true } else { _ = acceptWord("ASC") }
            items.append(OrderItem(expr: e, descending: desc))
        } while acceptPunct(",")
        return items
    }
}
