import Synchronization

/// What other threads may touch of a session: KILL flags and what SHOW PROCESSLIST prints.
final class SessionControl: Sendable {
    let id: UInt32
    let user: String
    let host: String
    let killedQuery = Atomic<Bool>(false)
    let killedConnection = Atomic<Bool>(false)
    let info = Mutex<(db: String?, command: String, state: String, sql: String?, since: Int64)>((nil, "Sleep", "", nil, 0))

    init(id: UInt32, user: String, host: String) {
        self.id = id
        self.user = user
        self.host = host
    }

    func kill(connection: Bool) {
        killedQuery.store(true, ordering: .relaxed)
        if connection { killedConnection.store(true, ordering: .relaxed) }
    }

    var isKilled: Bool { killedQuery.load(ordering: .relaxed) || killedConnection.load(ordering: .relaxed) }
}
