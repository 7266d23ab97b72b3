import Testing
@testable import AppServer

@Suite struct CommentFormTests {
    @Test func decodesURLEncodedFields() {
        let form = CommentForm(urlEncoded: Array("author=Ada+L%C3%B6velace&body=Hi%0D%0A%0D%0Athere%21&csrf_token=abc&x=1".utf8))
        #expect(form.author == "Ada Lövelace")
        #expect(form.body == "Hi\r\n\r\nthere!")
        #expect(form.trimmedBody == "Hi\n\nthere!")
        #expect(form.csrfToken == "abc")
        #expect(form.errors.isEmpty)
    }

    @Test func malformedEscapesAreKeptLiterally() {
        let form = CommentForm(urlEncoded: Array("author=100%25+%zz%4&body=%".utf8))
        #expect(form.author == "100% %zz%4")
        #expect(form.body == "%")
    }

    @Test func validationMessagesPerField() {
        #expect(Set(CommentForm(author: "  ", body: "\n").errors.keys) == ["author", "body"])
        #expect(CommentForm(author: String(repeating: "é", count: 100), body: "ok").errors.isEmpty)
        #expect(CommentForm(author: String(repeating: "é", count: 101), body: "ok").errors["author"] != nil)
        #expect(CommentForm(author: "a", body: String(repeating: "x", count: 5000)).errors.isEmpty)
        #expect(CommentForm(author: "a", body: String(repeating: "x", count: 5001)).errors["body"]?.contains("5001") == true)
        #expect(CommentForm(author: "a\u{7}b", body: "x").errors["author"] != nil)
    }
}

@Suite struct CSRFTests {
    @Test func tokenIsTiedToTheCookieAndTheKey() {
        let csrf = CSRFProtection(secret: Array("k".utf8))
        let cookie = CSRFProtection.makeCookieValue()
        #expect(CSRFProtection.isWellFormed(cookie))
        let token = csrf.token(for: cookie)
        #expect(csrf.isValid(token: token, cookie: cookie))
        #expect(!csrf.isValid(token: token, cookie: CSRFProtection.makeCookieValue()))
        #expect(!csrf.isValid(token: token, cookie: nil))
        #expect(!csrf.isValid(token: "", cookie: cookie))
        #expect(!CSRFProtection(secret: Array("other".utf8)).isValid(token: token, cookie: cookie))
        #expect(!csrf.isValid(token: token, cookie: "x; csrf=1"))
    }

    @Test func cookieHeaderParsing() {
        #expect(CookieHeader.value(named: "csrf", in: "a=1; csrf=abc; b=2") == "abc")
        #expect(CookieHeader.value(named: "csrf", in: "xcsrf=1") == nil)
        #expect(CookieHeader.value(named: "csrf", in: nil) == nil)
    }
}

@Suite struct RateLimiterTests {
    @Test func burstThenRefill() {
        let limiter = RateLimiter(burst: 3, refillInterval: .seconds(10), maximumClients: 100)
        let t0 = ContinuousClock.now
        #expect(limiter.acquire("a", now: t0) == nil)
        #expect(limiter.acquire("a", now: t0) == nil)
        #expect(limiter.acquire("a", now: t0) == nil)
        let wait = limiter.acquire("a", now: t0)
        #expect(wait == .seconds(10))
        #expect(limiter.acquire("b", now: t0) == nil)  // other clients are not affected
        #expect(limiter.acquire("a", now: t0 + .seconds(10)) == nil)
        #expect(limiter.acquire("a", now: t0 + .seconds(10)) != nil)
    }

    @Test func clientTableIsBounded() {
        let limiter = RateLimiter(burst: 1, refillInterval: .seconds(60), maximumClients: 10)
        let t0 = ContinuousClock.now
        for i in 0..<100 { _ = limiter.acquire("client-\(i)", now: t0 + .milliseconds(i)) }
        #expect(limiter.clientCount <= 10)
    }
}

@Suite struct PostBodyTests {
    @Test func paragraphsAndLines() {
        #expect(PostBody.paragraphs("One\ntwo\n\n\nThree\r\n") == [["One", "two"], ["Three"]])
        #expect(PostBody.paragraphs("  \n\n ") == [])
    }

    @Test func excerptCutsAtAWord() {
        let text = String(repeating: "word ", count: 100)
        let excerpt = PostBody.excerpt(text, limit: 22)
        #expect(excerpt == "word word word word…")
    }
}
