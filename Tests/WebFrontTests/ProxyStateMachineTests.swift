import Testing
@testable import WebFront

@Suite struct ProxyStateMachineTests {
    @Test func happyPathWithBodyStreamedWhileConnecting() {
        var machine = ProxyStateMachine(isRetryable: false)
        #expect(machine.start() == .connect)
        #expect(machine.requestBodyReceived() == .bufferRequestBody)
        #expect(machine.connected() == .sendRequestHead(includeEnd: false))
        #expect(machine.requestBodyReceived() == .forwardRequestBody)
        #expect(machine.requestEndReceived() == .forwardRequestEnd)
        #expect(machine.responseHeadReceived() == .sendResponseHead)
        #expect(machine.responseBodyReceived() == .sendResponseBody)
        #expect(machine.responseEndReceived(upstreamKeepAlive: true) == .finishResponse(reuseConnection: true))
        #expect(machine.state == .finished)
    }

    @Test func requestCompleteBeforeConnectSendsEndWithHead() {
        var machine = ProxyStateMachine(isRetryable: true)
        _ = machine.start()
        #expect(machine.requestEndReceived() == .none)
        #expect(machine.connected() == .sendRequestHead(includeEnd: true))
    }

    @Test func connectFailureTriesOnceMoreThenFails() {
        var machine = ProxyStateMachine(isRetryable: false)
        _ = machine.start()
        #expect(machine.connectFailed() == .connect)
        #expect(machine.connectFailed() == .failResponse(.badGateway, markUpstreamFailed: true))
        #expect(machine.connected() == .none)
    }

    @Test func idempotentRequestIsRetriedWhenTheUpstreamDropsIt() {
        var machine = ProxyStateMachine(isRetryable: true)
        _ = machine.start()
        _ = machine.requestEndReceived()
        _ = machine.connected()
        #expect(machine.upstreamLost() == .connect)
        #expect(machine.connected() == .sendRequestHead(includeEnd: true))
        #expect(machine.upstreamLost() == .failResponse(.badGateway, markUpstreamFailed: true))
    }

    @Test func nonIdempotentRequestIsNotRetried() {
        var machine = ProxyStateMachine(isRetryable: false)
        _ = machine.start()
        _ = machine.connected()
        #expect(machine.upstreamLost() == .failResponse(.badGateway, markUpstreamFailed: true))
    }

    @Test func failureAfterTheResponseStartedAborts() {
        var machine = ProxyStateMachine(isRetryable: true)
        _ = machine.start()
        _ = machine.connected()
        _ = machine.responseHeadReceived()
        #expect(machine.upstreamLost() == .abort)
        #expect(machine.responseEndReceived(upstreamKeepAlive: true) == .none)
    }

    @Test func readTimeout() {
        var machine = ProxyStateMachine(isRetryable: true)
        _ = machine.start()
        _ = machine.connected()
        #expect(machine.readTimedOut() == .failResponse(.gatewayTimeout, markUpstreamFailed: true))
        var streaming = ProxyStateMachine(isRetryable: true)
        _ = streaming.start()
        _ = streaming.connected()
        _ = streaming.responseHeadReceived()
        #expect(streaming.readTimedOut() == .abort)
    }

    @Test func earlyResponseIsNotReusable() {
        var machine = ProxyStateMachine(isRetryable: false)
        _ = machine.start()
        _ = machine.connected()
        _ = machine.responseHeadReceived()
        #expect(machine.responseEndReceived(upstreamKeepAlive: true) == .finishResponse(reuseConnection: false))
    }

    @Test func clientLeaving() {
        var machine = ProxyStateMachine(isRetryable: true)
        _ = machine.start()
        #expect(machine.clientLost() == .abort)
        #expect(machine.clientLost() == .none)
        #expect(machine.connected() == .none)
    }
}
