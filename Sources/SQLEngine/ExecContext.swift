import PageStore

/// Everything one statement runs against: the catalog it sees, the PageStore transaction
/// (a snapshot for reads, the write transaction for writes), parameters, warnings.
final class ExecContext {
    let session: Session
    var catalog: Catalog
    /// The committed catalog version `catalog` is (nil: a transaction's own uncommitted DDL).
    var catalogVersion: UInt64?
    private(set) var tx: ReadTransaction
    private(set) var writeTx: WriteTransaction?
    var parameters: [Value]
    var catalogChanged = false
    var changedCounters: Set<String> = []
    /// The statement's start time (NOW() is constant within a statement).
    private(set) var now: Int64
    private var trees: [String: Tree] = [:]
    var rowsExamined = 0
    /// Materialised CTEs and derived tables visible by name (innermost last).
    var cteScopes: [[String: CTEBinding]] = []

    // Plan reuse (Session+PlanCache.swift). A cached plan's closures keep this object and
    // read the statement's state (transaction, parameters, time) through it at run time.
    /// `?` compiles to a read of `parameters[i]` at run time rather than a constant.
    var parametersAreSlots = false
    /// Set while compiling: a parameter read now is baked into the plan.
    var isCompiling = false
    /// Cleared by anything that makes a compiled plan valid for this execution only.
    var planIsReusable = true
    /// Bumped by `rebind`: per-execution caches (SelectExecutor's table stores) compare it.
    private(set) var execution = 0
    /// Row steps (`checkKilled` calls) left before a statement that must not block gives up
    /// with `wouldBlock` (Session+NonBlocking.swift); unbounded otherwise.
    @exclusivity(unchecked) var stepBudget = Int.max

    init(session: Session, catalog: Catalog, tx: ReadTransaction, writeTx: WriteTransaction?, parameters: [Value]) {
        self.session = session
        self.catalog = catalog
        self.tx = tx
        self.writeTx = writeTx
        self.parameters = parameters
        self.now = currentMicroseconds()
        if session.isNonBlocking { session.startNonBlocking(tx, self) }
    }

    var engine: Engine { session.engine }

    /// Points this context (and so every plan compiled against it) at `other`'s
    /// statement: its transaction, catalog, parameters and start time.
    func rebind(to other: ExecContext) {
        catalog = other.catalog
        catalogVersion = other.catalogVersion
        tx = other.tx
        writeTx = other.writeTx
        parameters = other.parameters
        now = other.now
        trees = [:]
        rowsExamined = 0
        catalogChanged = false
        changedCounters = []
        stepBudget = other.stepBudget
        execution &+= 1
    }

    /// Resets what a statement's failed run left here before it runs again (on a newer
    /// snapshot, after a row it read changed).
    func prepareRerun(catalog: Catalog) {
        self.catalog = catalog
        trees = [:]
        rowsExamined = 0
        catalogChanged = false
        changedCounters = []
        cteScopes = []
    }

    /// Marks the plan being compiled as valid for this execution only.
    func planUsesExecutionState() { planIsReusable = false }
    var isStrict: Bool { session.isStrict }

    /// The tree `name`, or nil when it does not exist (a table dropped under an old catalog).
    func tree(_ name: String) throws -> Tree? {
        if let t = trees[name] { return t }
        let t: Tree?
        do { t = try tx.tree(named: name) } catch { throw storageError(error) }
        if let t { trees[name] = t }
        return t
    }

    func createTree(_ name: String) throws -> Tree {
        guard let w = writeTx else { throw SQLError.internalError("write outside a write transaction") }
        do {
            let t = try w.createTree(named: name)
            trees[name] = t
            return t
        } catch { throw storageError(error) }
    }

    func dropTree(_ name: String) throws {
        guard let w = writeTx else { throw SQLError.internalError("write outside a write transaction") }
        trees[name] = nil
        do {
            if try w.tree(named: name) != nil { try w.dropTree(named: name) }
        } catch { throw storageError(error) }
    }

    func forgetTree(_ name: String) { trees[name] = nil }

    /// Called once per row step of every scan and join.
    @inline(__always) func checkKilled() throws {
        if session.control.isKilled { throw SQLError.queryInterrupted }
        stepBudget &-= 1
        if stepBudget < 0 { throw SQLError.wouldBlock }
    }

    func warn(_ code: UInt16, _ message: String, level: String = "Warning") {
        if session.warnings.count < 65535 { session.warnings.append(SQLWarning(level: level, code: code, message: message)) }
    }

    func table(_ db: String?, _ name: String) throws -> TableSchema {
        let dbName = try resolveDB(db)
        guard let t = catalog.table(dbName, name) else { throw SQLError.noSuchTable(dbName, name) }
        return t
    }

    func resolveDB(_ db: String?) throws -> String {
        if let db { return db }
        guard let current = session.currentDatabase else { throw SQLError.noDatabaseSelected }
        return current
    }

    func updateTable(_ t: TableSchema) {
        catalog.databases[t.db]?.tables[t.name] = t
    }

    func markCountersChanged(_ t: TableSchema) {
        changedCounters.insert(t.db + "\u{0}" + t.name)
    }
}

struct CTEBinding {
    var columns: [String]
    var types: [ExprType]
    var rows: [[Value]]
}

func storageError(_ error: Error) -> SQLError {
    if let e = error as? SQLError { return e }
    if let e = error as? PageStoreError {
        switch e {
        case .wouldBlock: return .wouldBlock
        case .keyTooLarge: return SQLError(code: 1071, sqlState: "42000", message: "Specified key was too long; max key length is 3072 bytes")
        case .transactionTooLarge: return SQLError(code: 1197, sqlState: "HY000", message: "Multi-statement transaction required more than 'max_binlog_cache_size' bytes of storage; increase this mysqld variable and try again")
        default: break
        }
    }
    return SQLError(code: 1030, sqlState: "HY000", message: "Got error from storage engine: \(error)")
}
