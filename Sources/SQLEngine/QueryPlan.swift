/// A compiled query: its output columns and a closure that runs it for an (optional) outer row.
final class QueryPlan {
    var columns: [OutputColumn]
    var usesOuter: Bool
    let body: (_ outer: Row?, _ limit: Int?) throws -> [[Value]]
    var explain: [ExplainRow] = []

    init(columns: [OutputColumn], usesOuter: Bool, explain: [ExplainRow] = [], body: @escaping (Row?, Int?) throws -> [[Value]]) {
        self.columns = columns
        self.usesOuter = usesOuter
        self.explain = explain
        self.body = body
    }

    func run(outer: Row?, limit: Int?) throws -> [[Value]] { try body(outer, limit) }
}

struct OutputColumn {
    var name: String
    var type: ExprType
}

struct ExplainRow {
    var table: String
    var type: String
    var possibleKeys: String?
    var key: String?
    var rows: Int
    var extra: String
}

/// One FROM source as the executor sees it.
struct JoinLevel {
    enum Data {
        case table(TableSchema)
        case rows(() throws -> [[Value]])
        /// Rows computed from the sources before this one, for each of their rows (JSON_TABLE).
        case lateral((Row) throws -> [[Value]])
    }
    var source: Int
    var alias: String
    var data: Data
    var isLeft: Bool
    /// The levels of a LEFT JOIN's parenthesised inner join (`t LEFT JOIN (u JOIN v ON ..)
    /// ON ..`), set on each of them: they match together, and when no combination of them
    /// matches, all of them are NULL (the first is `isLeft`).
    var outerGroup: ClosedRange<Int>? = nil
    var on: Expr?
    /// Conditions that decide whether a row of this level matches (ON, and WHERE for inner levels).
    var matchFilters: [Compiled] = []
    /// WHERE conditions evaluated after a LEFT level's NULL row is made.
    var afterFilters: [Compiled] = []
    var access = AccessPath.fullScan
    var width: Int
    var offset: Int
    /// Columns to decode (nil: all).
    var neededColumns: [Bool]?
    /// Set when `access` reads a secondary index that holds every needed column.
    var covering: CoveringIndexRead?
    /// The inner side of an outer join: WHERE conditions on it wait for its NULL row.
    var isOuterInner: Bool { isLeft || outerGroup != nil }
    /// Hash join: equality keys (this level's side, earlier levels' side); empty: none.
    var hashKeys: [(inner: Compiled, outer: Compiled, collation: Collation)] = []
}
