/// The static type the binder gives an expression: what kind of value it yields, and what
/// the result-set metadata says about it.
struct ExprType: Sendable {
    enum Kind: Sendable { case null, int, uint, decimal, double, text, binary, date, datetime, time }

    var kind: Kind
    /// Decimal scale, or fractional-second digits for temporal kinds; 31 = not fixed (doubles).
    var scale = 0
    /// Display length (characters for text).
    var length = 0
    var collation: Collation = .general
    var nullable = true
    /// Set when the expression is a plain column: metadata comes from the column's declaration.
    var column: ColumnOrigin?
    /// A numeric literal written as hex/bit (numbers in arithmetic, bytes elsewhere).
    var isHexLiteral = false
    /// A JSON document (a JSON column or a JSON function's result): JSON functions embed it
    /// as JSON rather than as a string.
    var isJSON = false
    /// TRUE/FALSE and comparisons: JSON functions embed them as true/false.
    var isBoolean = false
    /// The collation was given by COLLATE (MySQL's coercibility 0: it wins any comparison).
    var hasExplicitCollation = false

    /// latin1 text: held as UTF-8, but LENGTH, HEX and CAST(... AS BINARY) see one byte per
    /// character, as MySQL stores it (`singleByteCharsetBytes`).
    var isSingleByteText: Bool { kind == .text && !isJSON && collation.charset == "latin1" }

    /// MySQL's coercibility of the collation: 0 explicit, 2 a column, 4 anything else (literals,
    /// function results). The lower one decides a comparison's collation.
    var collationCoercibility: Int { hasExplicitCollation ? 0 : (column != nil ? 2 : 4) }

    init(_ kind: Kind, scale: Int = 0, length: Int = 0, collation: Collation? = nil, nullable: Bool = true) {
        self.kind = kind
        self.scale = scale
        self.length = length
        self.collation = collation ?? (kind == .text ? .general : .binary)
        self.nullable = nullable
    }

    static let null = ExprType(.null)
    static let int = ExprType(.int, length: 21)
    static let bool: ExprType = {
        var t = ExprType(.int, length: 1)
        t.isBoolean = true
        return t
    }()
    static let double = ExprType(.double, scale: 31, length: 22)
    static let text = ExprType(.text)

    var isNumeric: Bool { kind == .int || kind == .uint || kind == .decimal || kind == .double }
    var isString: Bool { kind == .text || kind == .binary }
    var isTemporal: Bool { kind == .date || kind == .datetime || kind == .time }

    /// The type of a column.
    static func of(_ c: ColumnSchema) -> ExprType {
        let t = c.type
        var e: ExprType
        switch t.base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
            e = ExprType(t.unsigned || t.base == .bit ? .uint : .int, length: t.base == .bigint ? 20 : 11)
            if t.base == .bit { e.kind = .uint }
        case .decimal: e = ExprType(.decimal, scale: t.scale ?? 0, length: (t.length ?? 10) + 2)
        case .float, .double: e = ExprType(.double, scale: t.scale ?? 31, length: t.base == .float ? 12 : 22)
        case .char, .varchar, .tinytext, .text, .mediumtext, .longtext, .enumeration, .set, .json:
            e = ExprType(.text, length: t.maxLength, collation: t.collation)
            e.isJSON = t.base == .json
        case .binary, .varbinary, .tinyblob, .blob, .mediumblob, .longblob:
            e = ExprType(.binary, length: t.maxLength, collation: .binary)
        case .date: e = ExprType(.date, length: 10)
        case .datetime, .timestamp: e = ExprType(.datetime, scale: t.fsp, length: 19 + (t.fsp > 0 ? t.fsp + 1 : 0))
        case .time: e = ExprType(.time, scale: t.fsp, length: 10 + (t.fsp > 0 ? t.fsp + 1 : 0))
        }
        e.nullable = c.nullable
        return e
    }

    /// The type of a combination of branch types (CASE, IF, COALESCE, UNION columns).
    static func merge(_ a: ExprType, _ b: ExprType) -> ExprType {
        if a.kind == .null { var r = b; r.nullable = true; r.column = nil; return r }
        if b.kind == .null { var r = a; r.nullable = true; r.column = nil; return r }
        var r: ExprType
        switch (a.kind, b.kind) {
        case (let x, let y) where x == y:
            r = a
            r.scale = max(a.scale, b.scale)
            r.length = max(a.length, b.length)
            if x == .text && a.collation != b.collation { r.collation = a.collation == .binary || b.collation == .binary ? .binary : .bin }
        case (.int, .uint), (.uint, .int): r = ExprType(.decimal, length: 21)
        case (.int, .decimal), (.uint, .decimal), (.decimal, .int), (.decimal, .uint):
            r = ExprType(.decimal, scale: max(a.scale, b.scale), length: max(a.length, b.length) + 2)
            if a.kind != .decimal { r.scale = b.scale }
            if b.kind != .decimal { r.scale = a.scale }
        case (.double, _) where b.isNumeric, (_, .double) where a.isNumeric: r = .double
        case (.date, .datetime), (.datetime, .date): r = ExprType(.datetime, scale: max(a.scale, b.scale), length: 19)
        case (.binary, _), (_, .binary): r = ExprType(.binary, length: max(a.length, b.length))
        default: r = ExprType(.text, length: max(a.length, b.length, 20))
        }
        r.nullable = a.nullable || b.nullable
        r.column = nil
        return r
    }
}

/// Where a plain column came from (for result metadata: schema, table, org names, flags).
struct ColumnOrigin: Sendable {
    var db: String
    var table: String
    var orgTable: String
    var column: ColumnSchema
    var flags: UInt16
}

/// The row a compiled expression reads: values of every FROM source side by side, and the
/// enclosing query's row for correlated references.
///
/// Its properties skip the runtime exclusivity check (`@exclusivity(unchecked)`): every
/// column read and row decode accessed `values`, and the check (a thread-local access set)
/// cost several percent of a range query. No access to them overlaps an inout access.
final class Row {
    @exclusivity(unchecked) var values: [Value]
    @exclusivity(unchecked) var outer: Row?
    /// Window function results of this row (after grouping).
    @exclusivity(unchecked) var windowValues: [Value] = []

    init(width: Int, outer: Row? = nil) {
        values = [Value](repeating: .null, count: width)
        self.outer = outer
    }

    init(values: [Value], outer: Row?) {
        self.values = values
        self.outer = outer
    }
}

enum SargOp { case eq, lt, le, gt, ge, between, inList, isNull }

typealias Evaluator = (Row) throws -> Value

/// An expression ready to run.
struct Compiled {
    var eval: Evaluator
    var type: ExprType
    /// No column, parameter-free of rows: may be folded.
    var isConstant = false
    /// Bit i set: reads FROM source i of the current scope.
    var sources: UInt64 = 0
    /// Reads the enclosing query's row.
    var usesOuter = false
    /// The plain column (scope source index, column index in the row) when the expression is one.
    var columnSlot: (source: Int, slot: Int)?
    /// `column op probe...` that an index may answer (slot = the column's row index).
    var sargable: (slot: Int, op: SargOp, probes: [Compiled])?
    /// An equality comparison (join ordering prefers levels bound by these).
    var equalityHint = false
    /// For `x = y`: both operands as compared, and the comparison's collation (hash joins).
    var equalityOperands: [Compiled] = []
    var equalityCollation: Collation = .binary

    init(eval: @escaping Evaluator, type: ExprType) {
        self.eval = eval
        self.type = type
    }

    static func constant(_ v: Value, _ type: ExprType) -> Compiled {
        var c = Compiled(eval: { _ in v }, type: type)
        c.isConstant = true
        return c
    }
}
