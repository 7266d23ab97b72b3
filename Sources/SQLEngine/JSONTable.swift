/// JSON_TABLE(doc, path COLUMNS (...)) AS alias: the rows a JSON document holds, as a FROM
/// source. `doc` may name columns of the tables before it (a lateral source: evaluated for each
/// of their rows).
///
/// Each match of the row path is a row; its columns are read by paths relative to it:
/// `name type PATH p` (a scalar converted to the type; nothing found is the ON EMPTY response,
/// an object or array for a non-JSON column or a value that does not convert is the ON ERROR
/// response — NULL by default, `DEFAULT 'json'`, or ERROR: 3665 / 3156), `name type EXISTS PATH p`
/// (1 or 0), `name FOR ORDINALITY` (the row's number among its siblings, from 1), and
/// `NESTED [PATH] p COLUMNS (...)`, whose rows are joined to their parent's; sibling NESTED
/// paths give separate rows (the other's columns NULL), and a parent whose nested paths match
/// nothing still gives one row with them NULL.
struct JSONTableAST {
    var document: Expr
    var path: String
    var columns: [JSONTableColumn]
}

indirect enum JSONTableColumn {
    case ordinality(name: String)
    case value(name: String, type: ColumnType, path: String, exists: Bool, onEmpty: JSONTableResponse, onError: JSONTableResponse)
    case nested(path: String, columns: [JSONTableColumn])

    /// The output columns, depth first.
    static func flat(_ columns: [JSONTableColumn]) -> [(name: String, type: ColumnType)] {
        columns.flatMap { c -> [(name: String, type: ColumnType)] in
            switch c {
            case .ordinality(let n): return [(n, ColumnType(.int, unsigned: true))]
            case .value(let n, let t, _, let exists, _, _): return [(n, exists ? ColumnType(.int) : t)]
            case .nested(_, let cols): return flat(cols)
            }
        }
    }
}

enum JSONTableResponse {
    case null, error
    case defaultValue(String)
}

extension Parser {
    /// After `JSON_TABLE`: `(doc, 'path' COLUMNS (...)) [AS] alias`.
    mutating func parseJSONTable() throws -> TableRef {
        try expectPunct("(")
        let document = try parseExpr()
        try expectPunct(",")
        let path = String(decoding: try stringLiteral().utf8, as: UTF8.self)
        let columns = try parseJSONTableColumns()
        try expectPunct(")")
        _ = acceptWord("AS")
        let alias = try identifier()
        return .jsonTable(JSONTableAST(document: document, path: path, columns: columns), alias: alias)
    }

    mutating func parseJSONTableColumns() throws -> [JSONTableColumn] {
        try expectWord("COLUMNS")
        try expectPunct("(")
        var columns: [JSONTableColumn] = []
        repeat {
            if acceptWord("NESTED") {
                _ = acceptWord("PATH")
                let path = try stringLiteral()
                columns.append(.nested(path: path, columns: try parseJSONTableColumns()))
                continue
            }
            let name = try anyIdentifier()
            if acceptWords("FOR", "ORDINALITY") { columns.append(.ordinality(name: name)); continue }
            let type = try parseDataType()
            let exists = acceptWord("EXISTS")
            try expectWord("PATH")
            let path = try stringLiteral()
            var onEmpty = JSONTableResponse.null, onError = JSONTableResponse.null
            while isWord("NULL") || isWord("ERROR") || isWord("DEFAULT") {
                let response: JSONTableResponse
                if acceptWord("NULL") { response = .null } else if acceptWord("ERROR") { response = .error } else {
                    advance()
                    response = .defaultValue(try stringLiteral())
                }
                try expectWord("ON")
                if acceptWord("EMPTY") { onEmpty = response } else { try expectWord("ERROR"); onError = response }
            }
            columns.append(.value(name: name, type: type, path: path, exists: exists, onEmpty: onEmpty, onError: onError))
        } while acceptPunct(",")
        try expectPunct(")")
        return columns
    }
}

/// The rows of a JSON_TABLE for one document.
struct JSONTableEvaluator {
    let columns: [JSONTableColumn]
    let rowPath: JSONPath
    let width: Int

    init(_ ast: JSONTableAST) throws {
        columns = ast.columns
        rowPath = try JSONTableEvaluator.path(ast.path)
        width = JSONTableColumn.flat(ast.columns).count
        try JSONTableEvaluator.checkPaths(ast.columns)
    }

    static func path(_ text: String) throws -> JSONPath {
        switch JSONPath.parse(text) {
        case .success(let p): return p
        case .failure(let error):
            throw SQLError(code: 3143, sqlState: "42000", message: "Invalid JSON path expression. The error is around character position \(error.position).")
        }
    }

    static func checkPaths(_ columns: [JSONTableColumn]) throws {
        for c in columns {
            switch c {
            case .ordinality: break
            case .value(_, _, let p, _, _, _): _ = try path(p)
            case .nested(let p, let cols): _ = try path(p); try checkPaths(cols)
            }
        }
    }

    func rows(_ document: Value) throws -> [[Value]] {
        if document.isNull { return [] }
        let doc = try jsonBinaryArgument(document, function: "json_table", position: 1)
        var out: [[Value]] = []
        for (i, match) in try rowPath.matches(in: doc.root).enumerated() {
            out += try expand(columns, match, ordinal: i + 1)
        }
        return out
    }

    private func expand(_ cols: [JSONTableColumn], _ context: JSONNode, ordinal: Int) throws -> [[Value]] {
        var base: [Value] = []
        var nested: [(offset: Int, width: Int, rows: [[Value]])] = []
        for c in cols {
            switch c {
            case .ordinality: base.append(.int(Int64(ordinal)))
            case .value(let name, let type, let p, let exists, let onEmpty, let onError):
                let found = try JSONTableEvaluator.path(p).matches(in: context)
                if exists { base.append(.int(found.isEmpty ? 0 : 1)); continue }
                base.append(try value(try found.first?.decoded(), name: name, type: type, onEmpty: onEmpty, onError: onError))
            case .nested(let p, let sub):
                let w = JSONTableColumn.flat(sub).count
                var rows: [[Value]] = []
                for (i, m) in try JSONTableEvaluator.path(p).matches(in: context).enumerated() {
                    rows += try expand(sub, m, ordinal: i + 1)
                }
                nested.append((base.count, w, rows))
                base += [Value](repeating: .null, count: w)
            }
        }
        if nested.allSatisfy({ $0.rows.isEmpty }) { return [base] }
        var out: [[Value]] = []
        for n in nested {
            for r in n.rows {
                var row = base
                row.replaceSubrange(n.offset..<(n.offset + n.width), with: r)
                out.append(row)
            }
        }
        return out
    }

    private func value(_ found: JSONDocument?, name: String, type: ColumnType, onEmpty: JSONTableResponse, onError: JSONTableResponse) throws -> Value {
        let column = ColumnSchema(name: name, type: type, nullable: true)
        func respond(_ r: JSONTableResponse, _ error: SQLError) throws -> Value {
            switch r {
            case .null: return .null
            case .error: throw error
            case .defaultValue(let text):
                let d = JSONDocument(parsing: Array(text.utf8)) ?? .string(text)
                return try convert(d) ?? .null
            }
        }
        func convert(_ d: JSONDocument) throws -> Value? {
            let raw: Value
            switch d {
            case .null: return .null
            case _ where type.base == .json: raw = .json(try JSONBinary(d))
            case .bool(let b): raw = .int(b ? 1 : 0)
            case .int(let i): raw = .int(i)
            case .uint(let u): raw = .uint(u)
            case .double(let x): raw = .double(x)
            case .decimal(let s): raw = SQLDecimal(text: Array(s.utf8)).map(Value.decimal) ?? .text(Array(s.utf8))
            case .string(let s): raw = .text(Array(s.utf8))
            case .array, .object: return nil
            }
            return try convertToColumn(raw, column, strict: true, row: 1, warn: nil)
        }
        guard let found else {
            return try respond(onEmpty, SQLError(code: 3665, sqlState: "22035", message: "Missing value for JSON_TABLE column '\(name)'"))
        }
        let invalid = SQLError(code: 3156, sqlState: "22018", message: "Invalid JSON value for CAST to \(type.sqlText) from column \(name) at row 1")
        do {
            guard let v = try convert(found) else { return try respond(onError, invalid) }
            return v
        } catch let e as SQLError where e.code != 3665 && e.code != 3156 {
            return try respond(onError, invalid)
        }
    }
}
