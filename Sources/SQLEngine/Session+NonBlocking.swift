import PageStore

/// Running a prepared statement on a thread that must not block (a SwiftNIO event loop),
/// so that a short read costs no hand-off to a worker thread and back.
///
/// Only statements that cannot wait for anything but the disk qualify: an EXECUTE of a
/// SELECT whose compiled plan is cached (Session+PlanCache.swift: no subqueries,
/// variables, SLEEP, GET_LOCK or other functions with effects, so it has none itself),
/// without FOR UPDATE/FOR SHARE, and BEGIN, COMMIT and ROLLBACK while no write
/// transaction is open (then they only end or start a snapshot). The statement runs with
/// its PageStore transaction in `failsOnCacheMiss` mode and a budget of row steps. If it
/// needs a page that is not in the buffer pool, must compile its plan, or passes
/// `EngineOptions.nonBlockingStepLimit` rows, it stops with nothing observable changed — a SELECT
/// changes no data, and the session state it touches (warnings, snapshot of an open
/// transaction) is what the re-run sets again — and the caller runs it with
/// `execute(_:parameters:)` where blocking is allowed.
extension Session {
    /// COM_STMT_EXECUTE when it can finish without blocking; nil when it cannot (and nothing
    /// changed): run `execute(_:parameters:)` then, on a thread that may block. Errors are
    /// the statement's own, as `execute` would throw them.
    public func executeWithoutBlocking(_ stmt: PreparedStatement, parameters: [SQLValue]) throws -> StatementResult? {
        guard !isClosed, writeTx == nil, engine.options.nonBlockingStepLimit > 0, let plan = preparedStatements[stmt.id],
              parameters.count == plan.parameterCount else { return nil }
        switch plan.statement {
        case .select(let q) where q.lockMode == nil:
            guard plan.cached != nil else { return nil }  // the first execution compiles
        case .begin, .commit, .rollback:
            break
        default:
            return nil
        }
        let hitsBefore = planCacheHits
        isNonBlocking = true
        defer {
            isNonBlocking = false
            for tx in nonBlockingTransactions { tx.failsOnCacheMiss = false }
            nonBlockingTransactions = []
        }
        do {
            let result = try execute(stmt, parameters: parameters)
            // a miss that some caller swallowed (try?) may have changed the result
            guard !nonBlockingTransactions.contains(where: \.missedCache) else {
                planCacheHits = hitsBefore
                return nil
            }
            return result
        } catch {
            if let e = error as? SQLError, e == .wouldBlock || nonBlockingTransactions.contains(where: \.missedCache) {
                planCacheHits = hitsBefore
                return nil
            }
            throw error
        }
    }

    /// An ExecContext of the statement was made on `tx` (ExecContext.init).
    func startNonBlocking(_ tx: ReadTransaction, _ ctx: ExecContext) {
        if !nonBlockingTransactions.contains(where: { $0 === tx }) {
            tx.failsOnCacheMiss = true
            tx.missedCache = false
            nonBlockingTransactions.append(tx)
        }
        ctx.stepBudget = engine.options.nonBlockingStepLimit
    }
}
