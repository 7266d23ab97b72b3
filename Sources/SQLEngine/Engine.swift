import PageStore
import Synchronization

/// One database directory: the PageStore file, the committed catalog, the sessions.
///
/// Thread-safe. Many sessions run statements concurrently: readers on PageStore snapshots,
/// row-level writers concurrently on speculative PageStore transactions with row locks
/// (`RowLocks`), DDL alone (`WriterGate` held exclusively); see Session+Transaction.swift.
public final class Engine: Sendable {
    let database: Database
    let options: EngineOptions
    let gate = WriterGate()
    let rowLocks = RowLocks()
    /// Bumped by every change to the grant tables; sessions reload their privileges then.
    let grantsVersion = Atomic<Int>(0)
    let shared: UnfairMutex<SharedState>
    let startTime: Int64

    struct SharedState: Sendable {
        var catalog: Catalog
        /// Bumped with every committed catalog change (DDL); cached plans compiled
        /// against an older version are stale.
        var catalogVersion: UInt64 = 0
        var sessions: [UInt32: SessionControl] = [:]
        var globalVariables: [String: Value] = [:]
        var questions: UInt64 = 0
        var openNotes: [String] = []
    }

    init(database: Database, options: EngineOptions, catalog: Catalog) {
        self.database = database
        self.options = options
        self.shared = UnfairMutex(SharedState(catalog: catalog))
        self.startTime = currentMicroseconds()
    }

    /// Opens (or creates) the PageStore file at `path` and loads the catalog.
    public static func open(path: String, options: EngineOptions) throws -> Engine {
        let db: Database
        do { db = try Database.open(path: path, options: options.pageStoreOptions) } catch {
            throw SQLError(code: 1105, sqlState: "HY000", message: "cannot open database file \(path): \(error)")
        }
        do {
            let catalog = try CatalogStore.load(db)
            let engine = Engine(database: db, options: options, catalog: catalog)
            let notes = try engine.upgradeCollationWeights()
            engine.shared.withLock { $0.openNotes = notes }
            try engine.ensureSystemSchema()
            return engine
        } catch {
            try? db.close()
            throw error
        }
    }

    /// What opening the database did beyond loading it (index rebuilds for new collation
    /// weights), one line each, for the server's log.
    public var openNotes: [String] { shared.withLock { $0.openNotes } }

    /// A new connection's session.
    public func makeSession(connectionID: UInt32, user: String, host: String) -> Session {
        let session = Session(engine: self, connectionID: connectionID, user: user, host: host)
        shared.withLock { $0.sessions[connectionID] = session.control }
        return session
    }

    /// Checkpoints and closes the file. Sessions must be closed first.
    public func close() throws {
        do {
            try database.checkpoint()
            try database.close()
        } catch {
            throw SQLError.internalError("close failed: \(error)")
        }
    }

    /// KILL [QUERY] n: marks the session; its running statement stops with 1317 at the next row.
    public func kill(connectionID: UInt32, queryOnly: Bool) -> Bool {
        guard let control = shared.withLock({ $0.sessions[connectionID] }) else { return false }
        control.kill(connection: !queryOnly)
        return true
    }

    var catalog: Catalog { shared.withLock { $0.catalog } }

    func unregister(_ id: UInt32) {
        _ = shared.withLock { $0.sessions.removeValue(forKey: id) }
    }
}

func currentMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

#if canImport(Glibc)
import Glibc
#endif
