/// Prepared-statement plan reuse: a prepared SELECT is compiled once and re-run on each
/// COM_STMT_EXECUTE (or EXECUTE) with the new parameters, instead of being bound, planned
/// and turned into closures every time.
///
/// How: the first execution compiles with `?` as a run-time read of the context's
/// parameters (not a folded constant). The plan's closures hold that ExecContext; a later
/// execution `rebind`s it to the new statement's snapshot, parameters and time and runs
/// the same plan. The plan is kept only when nothing in it depends on that one execution
/// (`ExecContext.planIsReusable`): no subqueries, CTEs, derived tables, views or
/// information_schema (materialised or cached at compile time), no user or system
/// variables, no NOW()-like functions, no window functions, no parameter read while
/// compiling (LIMIT ?), no warning raised while compiling.
///
/// Validity: a plan is reused only with the same key — the committed catalog version it
/// was compiled against (any DDL bumps it), the current database, the session's SET
/// generation, each parameter's type (a new type can change the access path), and the
/// grants version (table and column privileges are checked while compiling: a REVOKE
/// must reach a prepared statement's next execution).
struct PlanKey: Equatable {
    var catalogVersion: UInt64
    var database: String?
    var settingsGeneration: UInt64
    var grantsVersion: Int
    var parameterTypes: [ParameterType]

    struct ParameterType: Equatable {
        var kind: ExprType.Kind
        var scale: Int
    }
}

final class CachedPlan {
    let key: PlanKey
    let context: ExecContext
    let plan: QueryPlan

    init(key: PlanKey, context: ExecContext, plan: QueryPlan) {
        self.key = key
        self.context = context
        self.plan = plan
    }
}

extension Session {
    func runPrepared(_ q: Query, id: UInt32, _ ctx: ExecContext) throws -> StatementResult {
        guard let version = ctx.catalogVersion else { return try ctx.runQuery(q) }
        let types = ExprCompiler(ctx)
        let key = PlanKey(catalogVersion: version, database: currentDatabase, settingsGeneration: settingsGeneration,
                          grantsVersion: engine.grantsVersion.load(ordering: .acquiring),
                          parameterTypes: ctx.parameters.map { v in
                              let t = types.typeOfValue(v)
                              return PlanKey.ParameterType(kind: t.kind, scale: t.scale)
                          })
        if let cached = preparedStatements[id]?.cached, cached.key == key {
            cached.context.rebind(to: ctx)
            planCacheHits += 1
            return try cached.context.runPlan(cached.plan)
        }
        // compiling is the slow path: not on a thread that must not block
        if isNonBlocking { throw SQLError.wouldBlock }
        preparedStatements[id]?.cached = nil
        ctx.parametersAreSlots = true
        ctx.isCompiling = true
        let warningsBefore = warnings.count
        let plan: QueryPlan
        do {
            plan = try QueryCompiler(ctx).compile(q, parent: nil)
        } catch {
            // Something needs a constant parameter at compile time (ESCAPE ?): plan it
            // the ordinary way, once.
            ctx.parametersAreSlots = false
            ctx.isCompiling = false
            warnings.removeSubrange(warningsBefore...)
            return try ctx.runQuery(q)
        }
        ctx.isCompiling = false
        if ctx.planIsReusable && warnings.count == warningsBefore {
            preparedStatements[id]?.cached = CachedPlan(key: key, context: ctx, plan: plan)
        }
        return try ctx.runPlan(plan)
    }
}
