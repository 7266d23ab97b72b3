import Foundation
import Synchronization

/// User-level named locks: GET_LOCK, RELEASE_LOCK, RELEASE_ALL_LOCKS, IS_FREE_LOCK,
/// IS_USED_LOCK. A lock belongs to one connection (re-entrant: each GET_LOCK needs a
/// RELEASE_LOCK) until it releases it or disconnects. Names are case-insensitive and per engine.
final class UserLocks: Sendable {
    static let shared = UserLocks()

    private struct Key: Hashable {
        let engine: ObjectIdentifier
        let name: String
    }
    private let locks = Mutex<[Key: (owner: UInt32, count: Int)]>([:])

    private func key(_ engine: Engine, _ name: [UInt8]) throws -> Key {
        let text = String(decoding: name, as: UTF8.self)
        guard !text.isEmpty, text.count <= 64 else {
            throw SQLError(code: 3057, sqlState: "42000", message: "Incorrect user-level lock name '\(text)'.")
        }
        return Key(engine: ObjectIdentifier(engine), name: text.lowercased())
    }

    /// 1 when taken, 0 after `timeout` seconds (negative: no limit) or when killed.
    func acquire(_ name: [UInt8], timeout: Double, session: Session) throws -> Value {
        let k = try key(session.engine, name)
        let owner = session.connectionID
        let deadline = timeout < 0 ? Double.infinity : Date().timeIntervalSince1970 + timeout
        while true {
            let got = locks.withLock { table -> Bool in
                if let held = table[k] {
                    guard held.owner == owner else { return false }
                    table[k] = (owner, held.count + 1)
                    return true
                }
                table[k] = (owner, 1)
                return true
            }
            if got { return .int(1) }
            if session.control.isKilled { throw SQLError.queryInterrupted }
            if Date().timeIntervalSince1970 >= deadline { return .int(0) }
            usleep(10_000)
        }
    }

    /// 1 released, 0 held by another connection, NULL when nobody holds it.
    func release(_ name: [UInt8], session: Session) throws -> Value {
        let k = try key(session.engine, name)
        let owner = session.connectionID
        return locks.withLock { table -> Value in
            guard let held = table[k] else { return .null }
            guard held.owner == owner else { return .int(0) }
            if held.count > 1 { table[k] = (owner, held.count - 1) } else { table[k] = nil }
            return .int(1)
        }
    }

    /// How many holds the connection released.
    func releaseAll(engine: Engine, owner: UInt32) -> Int64 {
        let id = ObjectIdentifier(engine)
        return locks.withLock { table -> Int64 in
            var released = 0
            for (k, held) in table where k.engine == id && held.owner == owner {
                released += held.count
                table[k] = nil
            }
            return Int64(released)
        }
    }

    /// The holder's connection id, or nil when free.
    func holder(_ name: [UInt8], session: Session) throws -> UInt32? {
        let k = try key(session.engine, name)
        return locks.withLock { $0[k]?.owner }
    }
}

extension ExprCompiler {
    func compileUserLockFunction(_ name: String, _ args: [Compiled]) throws -> Compiled? {
        let session = ctx.session
        let locks = UserLocks.shared
        switch name {
        case "GET_LOCK":
            try argCount(name, args, 2...2)
            return fn(args, .int, nullIn: false) { v in
                if v[0].isNull { return try locks.acquire([], timeout: 0, session: session) }
                return try locks.acquire(v[0].textBytes, timeout: v[1].isNull ? 0 : v[1].doubleValue, session: session)
            }
        case "RELEASE_LOCK":
            try argCount(name, args, 1...1)
            return fn(args, .int, nullIn: false) { v in try locks.release(v[0].isNull ? [] : v[0].textBytes, session: session) }
        case "RELEASE_ALL_LOCKS":
            try argCount(name, args, 0...0)
            return fn(args, .int, nullIn: false) { _ in .int(locks.releaseAll(engine: session.engine, owner: session.connectionID)) }
        case "IS_FREE_LOCK":
            try argCount(name, args, 1...1)
            return fn(args, .int, nullIn: false) { v in .bool(try locks.holder(v[0].isNull ? [] : v[0].textBytes, session: session) == nil) }
        case "IS_USED_LOCK":
            try argCount(name, args, 1...1)
            return fn(args, ExprType(.uint, length: 10), nullIn: false) { v in
                try locks.holder(v[0].isNull ? [] : v[0].textBytes, session: session).map { .uint(UInt64($0)) } ?? .null
            }
        default:
            return nil
        }
    }
}
