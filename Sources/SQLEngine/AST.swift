/// The parser's output: statements and expressions, before names are resolved.

indirect enum Expr {
    case literal(Literal)
    /// db.table.column, table.column, or column.
    case column(db: String?, table: String?, name: String)
    case parameter(Int)
    case userVariable(String)
    case systemVariable(name: String, scope: String?)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case isNull(Expr, negated: Bool)
    /// IS [NOT] TRUE/FALSE/UNKNOWN (nil = UNKNOWN)
    case isTruth(Expr, Bool?, negated: Bool)
    case between(Expr, Expr, Expr, negated: Bool)
    case inList(Expr, [Expr], negated: Bool)
    case inSubquery(Expr, Query, negated: Bool)
    case exists(Query)
    case subquery(Query)
    /// expr op ANY/ALL (subquery)
    case quantified(BinaryOp, Expr, isAll: Bool, Query)
    case like(Expr, Expr, escape: Expr?, negated: Bool)
    case regexp(Expr, Expr, negated: Bool)
    case caseWhen(operand: Expr?, whens: [(Expr, Expr)], elseExpr: Expr?)
    case function(name: String, args: [Expr], distinct: Bool)
    case countStar
    case groupConcat(args: [Expr], distinct: Bool, orderBy: [OrderItem], separator: [UInt8])
    case cast(Expr, CastTarget)
    case convertCharset(Expr, String)
    case collate(Expr, String)
    case row([Expr])
    case interval(Expr, IntervalUnit)
    /// DEFAULT in VALUES / SET (nil), or DEFAULT(col) (a `.column`)
    case defaultValue(Expr?)
    case assignUserVariable(String, Expr)
    case window(Expr, WindowSpec)
    case matchAgainst
}

/// `OVER (...)`, `OVER w`, or a `WINDOW w AS (...)` definition.
struct WindowSpec {
    /// The named window this one builds on (`OVER w`, `OVER (w ORDER BY ...)`).
    var reference: String?
    /// `OVER w` without parentheses: exactly the named window, frame included.
    var isBareReference = false
    var partitionBy: [Expr] = []
    var orderBy: [OrderItem] = []
    var frame: WindowFrame?
}

/// `ROWS|RANGE BETWEEN start AND end` (a lone bound is `BETWEEN bound AND CURRENT ROW`).
struct WindowFrame {
    enum Unit { case rows, range }
    enum Bound {
        case unboundedPreceding, preceding(Expr), currentRow, following(Expr), unboundedFollowing
    }
    var unit: Unit
    var start: Bound
    var end: Bound
}

enum Literal {
    case null
    case integer(String)
    case decimal(String)
    case float(String)
    case string([UInt8], introducer: String?)
    case hex([UInt8])
    case bits([UInt8])
    case bool(Bool)
    case date(String), time(String), timestamp(String)
}

enum UnaryOp { case minus, plus, not, bitNot, binary }

enum BinaryOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", intDiv = "DIV", mod = "%"
    case eq = "=", nullSafeEq = "<=>", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
    case and = "AND", or = "OR", xor = "XOR"
    case bitAnd = "&", bitOr = "|", bitXor = "^", shiftLeft = "<<", shiftRight = ">>"
    case jsonExtract = "->", jsonUnquote = "->>"
}

enum IntervalUnit: String {
    case microsecond = "MICROSECOND", second = "SECOND", minute = "MINUTE", hour = "HOUR", day = "DAY", week = "WEEK"
    case month = "MONTH", quarter = "QUARTER", year = "YEAR"
    case secondMicrosecond = "SECOND_MICROSECOND", minuteMicrosecond = "MINUTE_MICROSECOND", minuteSecond = "MINUTE_SECOND"
    case hourMicrosecond = "HOUR_MICROSECOND", hourSecond = "HOUR_SECOND", hourMinute = "HOUR_MINUTE"
    case dayMicrosecond = "DAY_MICROSECOND", daySecond = "DAY_SECOND", dayMinute = "DAY_MINUTE", dayHour = "DAY_HOUR"
    case yearMonth = "YEAR_MONTH"
}

enum CastTarget {
    case signed, unsigned
    case decimal(Int, Int)
    case double, float
    case char(Int?, charset: String?)
    case binary(Int?)
    case date, datetime(Int), time(Int), year
    case json
}

struct OrderItem {
    var expr: Expr
    var descending: Bool
}

enum SelectItem {
    case star(table: String?)
    case expr(Expr, alias: String?, text: String)
}

indirect enum TableRef {
    case table(db: String?, name: String, alias: String?)
    case derived(Query, alias: String)
    case jsonTable(JSONTableAST, alias: String)
    case join(TableRef, TableRef, JoinKind, on: Expr?, using: [String]?)
}

enum JoinKind { case inner, left, right, cross, natural, naturalLeft, naturalRight, straight }

final class SelectCore {
    var distinct = false
    var items: [SelectItem] = []
    var from: [TableRef] = []
    var whereClause: Expr?
    var groupBy: [Expr] = []
    var withRollup = false
    var having: Expr?
    var intoVariables: [String] = []
    /// `WINDOW w AS (...), ...` in the order written.
    var namedWindows: [(name: String, spec: WindowSpec)] = []
}

indirect enum QueryBody {
    case select(SelectCore)
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)
    case parenthesized(Query)
    case values([[Expr]])
}

enum SetOperator { case union, intersect, except }

final class Query {
    var with: [CommonTableExpression] = []
    var recursive = false
    var body: QueryBody
    var orderBy: [OrderItem] = []
    var limit: Expr?
    var offset: Expr?
    var lockMode: String?

    init(body: QueryBody) { self.body = body }
}

struct CommonTableExpression {
    var name: String
    var columns: [String]
    var query: Query
}

struct ColumnDefinitionAST {
    var name: String
    var type: ColumnType
    var nullable: Bool?
    var defaultValue: Expr?
    var autoIncrement = false
    var primaryKey = false
    var unique = false
    var onUpdateCurrentTimestamp = false
    var comment: String?
    var references: ForeignKeyAST?
    /// A CHARACTER SET or COLLATE was given (otherwise the table's default applies).
    var hasExplicitCollation = false
}

struct IndexAST {
    var name: String?
    var columns: [(name: String, prefix: Int?, descending: Bool)]
    var kind: IndexKind
}

enum IndexKind: String, Codable { case primary, unique, index, fulltext, spatial }

struct ForeignKeyAST {
    var name: String?
    var columns: [String]
    var refDB: String?
    var refTable: String
    var refColumns: [String]
    var onDelete: ReferentialAction
    var onUpdate: ReferentialAction
}

enum ReferentialAction: String, Codable { case restrict = "RESTRICT", cascade = "CASCADE", setNull = "SET NULL", noAction = "NO ACTION", setDefault = "SET DEFAULT" }

struct CreateTableAST {
    var db: String?
    var name: String
    var ifNotExists: Bool
    var temporary: Bool
    var columns: [ColumnDefinitionAST]
    var indexes: [IndexAST]
    var foreignKeys: [ForeignKeyAST]
    var options: [String: String]
    var asQuery: Query?
    var likeTable: (db: String?, name: String)?
}

enum AlterAction {
    case addColumn(ColumnDefinitionAST, position: ColumnPosition?)
    case dropColumn(String)
    case modifyColumn(ColumnDefinitionAST, position: ColumnPosition?)
    case changeColumn(String, ColumnDefinitionAST, position: ColumnPosition?)
    case renameColumn(String, String)
    case alterColumnDefault(String, Expr?)
    case addIndex(IndexAST)
    case dropIndex(String)
    case dropPrimaryKey
    case addForeignKey(ForeignKeyAST)
    case dropForeignKey(String)
    case renameTable(db: String?, name: String)
    case renameIndex(String, String)
    case option(String, String)
}

enum ColumnPosition { case first, after(String) }

struct TableName {
    var db: String?
    var name: String
}

struct InsertAST {
    var table: TableName
    var columns: [String]?
    var rows: [[Expr]]
    var query: Query?
    var setList: [(String, Expr)]?
    var ignore: Bool
    var replace: Bool
    var onDuplicate: [(String, Expr)]
    /// Set when the statement was rewritten from an INSERT into a view WITH CHECK OPTION.
    var viewCheck: ViewCheck? = nil
}

struct UpdateAST {
    var tables: [TableRef]
    var assignments: [(column: Expr, value: Expr)]
    var whereClause: Expr?
    var orderBy: [OrderItem]
    var limit: Expr?
    var ignore: Bool
    /// Set when the statement was rewritten from an UPDATE of a view WITH CHECK OPTION.
    var viewCheck: ViewCheck? = nil
}

struct DeleteAST {
    var tables: [TableRef]
    var targets: [TableName]
    var whereClause: Expr?
    var orderBy: [OrderItem]
    var limit: Expr?
    var ignore: Bool
}

enum SetAssignment {
    case system(name: String, scope: String?, value: Expr?)  // nil = DEFAULT
    case user(String, Expr)
    case names(String?, collation: String?)
    case characterSet(String?)
    case transaction(String)
    case password(user: String?, host: String?, password: String)
}

/// `SELECT (a, b)` in GRANT/REVOKE: one privilege on some columns of the target table.
struct ColumnPrivilege {
    var privilege: String
    var columns: [String]
}

struct UserSpec {
    var user: String
    var host: String
    var password: String?
    var plugin: String?
    var authString: String?
}

/// What CREATE/ALTER USER set for every account they name, after the user specs:
/// `REQUIRE NONE | SSL` and `ACCOUNT LOCK | UNLOCK` (nil: not given). The password and
/// resource options onebox has no policy for are accepted only at their default values.
struct AccountOptions: Equatable {
    var tlsRequirement: TLSRequirement?
    var lock: Bool?
}

/// `mysql.user.ssl_type`: '' for REQUIRE NONE, 'ANY' for REQUIRE SSL.
enum TLSRequirement: String, Equatable {
    case none = ""
    case ssl = "ANY"
}

enum ShowKind {
    case databases(like: Expr?, whereClause: Expr?)
    case tables(db: String?, full: Bool, like: Expr?, whereClause: Expr?)
    case columns(table: TableName, full: Bool, like: Expr?, whereClause: Expr?)
    case index(table: TableName, whereClause: Expr?)
    case createTable(TableName)
    case createView(TableName)
    case createDatabase(String, ifNotExists: Bool)
    case variables(global: Bool, like: Expr?, whereClause: Expr?)
    case status(global: Bool, like: Expr?, whereClause: Expr?)
    case tableStatus(db: String?, like: Expr?, whereClause: Expr?)
    case warnings, errors
    case countWarnings, countErrors
    case processlist(full: Bool)
    case engines
    case collation(like: Expr?, whereClause: Expr?)
    case charset(like: Expr?, whereClause: Expr?)
    case grants(user: String?, host: String?)
    case triggers, events
    case procedureStatus, functionStatus
    case createUser(String, String)
    case privileges
    case plugins
    case masterStatus
    case openTables
}

indirect enum Statement {
    case select(Query)
    case insert(InsertAST)
    case update(UpdateAST)
    case delete(DeleteAST)
    case createDatabase(String, ifNotExists: Bool)
    case dropDatabase(String, ifExists: Bool)
    case use(String)
    case createTable(CreateTableAST)
    case dropTable([TableName], ifExists: Bool, temporary: Bool)
    case truncate(TableName)
    case createIndex(table: TableName, IndexAST)
    case dropIndex(name: String, table: TableName)
    case alterTable(TableName, [AlterAction])
    case renameTable([(TableName, TableName)])
    case createView(TableName, columns: [String]?, query: Query, orReplace: Bool, text: String, checkOption: ViewCheckOption?)
    case dropView([TableName], ifExists: Bool)
    case begin(readOnly: Bool)
    case commit, rollback
    case savepoint(String), rollbackToSavepoint(String), releaseSavepoint(String)
    case set([SetAssignment])
    case show(ShowKind)
    case describe(TableName, column: String?)
    case explain(Statement)
    case createUser([UserSpec], ifNotExists: Bool, options: AccountOptions)
    case dropUser([(String, String)], ifExists: Bool)
    case alterUser([UserSpec], ifExists: Bool, options: AccountOptions)
    /// `privileges` are the table-or-wider ones; `columns` the column-level ones (`SELECT (a, b)`).
    case grant(privileges: [String], columns: [ColumnPrivilege], db: String, table: String, users: [(String, String)], withGrant: Bool)
    case revoke(privileges: [String], columns: [ColumnPrivilege], db: String, table: String, users: [(String, String)])
    case prepare(name: String, source: Expr)
    case execute(name: String, using: [String])
    case deallocate(String)
    case lockTables, unlockTables
    case flush
    case kill(Expr, queryOnly: Bool)
    case doExprs([Expr])
    case analyze([TableName]), optimize([TableName]), checkTable([TableName])
    case empty
    /// Accepted and ignored (with the statement kind for SHOW PROCESSLIST and docs).
    case noOp(String)
}
