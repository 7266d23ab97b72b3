import NIOHTTP1

/// The life of one proxied request, as a value: events in, one action out, no I/O.
///
///     connecting ──connected──▶ forwarding ──response head──▶ responding ──end──▶ finished
///         │  ▲                      │                            │
///         │  └──retry (idempotent, no body, once)──┘             └─upstream lost─▶ abort
///         └──no upstream left──▶ failed with 502 (504 on a read timeout)
///
/// Invariants: a response head reaches the client at most once; after it, a failure can
/// only abort (the client sees a truncated response, never a second status); a request
/// is retried only while nothing of the response was sent and it is safe to send again.
struct ProxyStateMachine {
    enum State: Equatable {
        case connecting(attempt: Int)
        case forwarding(attempt: Int)
        case responding
        case finished
    }

    enum Action: Equatable {
        case none
        /// Pick an upstream (another one when possible) and get a connection.
        case connect
        /// Send the request head, then whatever body was buffered, then end if complete.
        case sendRequestHead(includeEnd: Bool)
        case bufferRequestBody
        case forwardRequestBody
        case forwardRequestEnd
        case sendResponseHead
        case sendResponseBody
        /// The response is complete; the upstream connection may go back to the pool.
        case finishResponse(reuseConnection: Bool)
        /// No response was sent yet: answer with an error page, drop the upstream.
        case failResponse(HTTPResponseStatus, markUpstreamFailed: Bool)
        /// A response is under way: cut both connections.
        case abort
    }

    static let maximumAttempts = 2

    private(set) var state: State = .connecting(attempt: 1)
    private(set) var isRequestComplete = false
    /// Only requests that are idempotent and carry no body may be sent twice.
    let isRetryable: Bool

    init(isRetryable: Bool) {
        self.isRetryable = isRetryable
    }

    mutating func start() -> Action {
        state = .connecting(attempt: 1)
        return .connect
    }

    mutating func connectFailed() -> Action {
        guard case .connecting(let attempt) = state else { return .none }
        if attempt < Self.maximumAttempts {
            // A connect failure never sent anything: any request may try another upstream.
            state = .connecting(attempt: attempt + 1)
            return .connect
        }
        state = .finished
        return .failResponse(.badGateway, markUpstreamFailed: true)
    }

    mutating func connected() -> Action {
        guard case .connecting(let attempt) = state else { return .none }
        state = .forwarding(attempt: attempt)
        return .sendRequestHead(includeEnd: isRequestComplete)
    }

    mutating func requestBodyReceived() -> Action {
        switch state {
        case .connecting: .bufferRequestBody
        case .forwarding, .responding: isRequestComplete ? .none : .forwardRequestBody
        case .finished: .none
        }
    }

    mutating func requestEndReceived() -> Action {
        guard !isRequestComplete else { return .none }
        isRequestComplete = true
        switch state {
        case .connecting, .finished: return .none
        case .forwarding, .responding: return .forwardRequestEnd
        }
    }

    mutating func responseHeadReceived() -> Action {
        guard case .forwarding = state else { return .none }
        state = .responding
        return .sendResponseHead
    }

    mutating func responseBodyReceived() -> Action {
        guard case .responding = state else { return .none }
        return .sendResponseBody
    }

    mutating func responseEndReceived(upstreamKeepAlive: Bool) -> Action {
        guard case .responding = state else { return .none }
        state = .finished
        return .finishResponse(reuseConnection: upstreamKeepAlive && isRequestComplete)
    }

    /// The upstream connection closed or failed before the response ended.
    mutating func upstreamLost() -> Action {
        switch state {
        case .connecting, .finished:
            return .none
        case .forwarding(let attempt):
            if isRetryable && attempt < Self.maximumAttempts {
                state = .connecting(attempt: attempt + 1)
                return .connect
            }
            state = .finished
            return .failResponse(.badGateway, markUpstreamFailed: true)
        case .responding:
            state = .finished
            return .abort
        }
    }

    /// The upstream said nothing for the read timeout.
    mutating func readTimedOut() -> Action {
        switch state {
        case .connecting, .finished:
            return .none
        case .forwarding:
            state = .finished
            return .failResponse(.gatewayTimeout, markUpstreamFailed: true)
        case .responding:
            state = .finished
            return .abort
        }
    }

    /// The client went away: nothing more to send anywhere.
    mutating func clientLost() -> Action {
        guard state != .finished else { return .none }
        state = .finished
        return .abort
    }
}
