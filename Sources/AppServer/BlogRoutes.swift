import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MySQLClient
import NIOCore

/// The HTML side of the blog: front page, post pages, the comment form.
struct BlogRoutes: Sendable {
    let store: BlogStore
    let pageBox: PageRendererBox
    var pages: PageRenderer { pageBox.current }
    let csrf: CSRFProtection
    let commentLimiter: RateLimiter
    let maximumBodySize: Int

    static let frontPagePosts = 20

    func add(to router: Router<BlogRequestContext>) {
        router.get("/") { _, context in try await frontPage(context: context) }
        router.get("/posts/:id") { request, context in try await postPage(request, context: context) }
        router.post("/posts/:id/comments") { request, context in try await addComment(request, context: context) }
    }

    func frontPage(context: BlogRequestContext) async throws -> Response {
        do {
            let posts = try await store.newestPosts(limit: Self.frontPagePosts, offset: 0)
            return html(.ok, pages.frontPage(posts: posts))
        } catch {
            return databaseFailure(error, context: context)
        }
    }

    func postPage(_ request: Request, context: BlogRequestContext) async throws -> Response {
        guard let id = Self.postID(context) else { return notFound() }
        let (cookie, setCookie) = csrfCookie(request)
        do {
            guard let (post, comments) = try await store.post(id: id) else { return notFound() }
            var response = html(.ok, pages.postPage(post: post, comments: comments, form: CommentForm(), errors: [:],
                                                    csrfToken: csrf.token(for: cookie)))
            if let setCookie { response.headers[.setCookie] = setCookie }
            response.headers[.cacheControl] = "no-store"
            return response
        } catch {
            return databaseFailure(error, context: context)
        }
    }

    func addComment(_ request: Request, context: BlogRequestContext) async throws -> Response {
        guard let id = Self.postID(context) else { return notFound() }
        if let wait = commentLimiter.acquire(request.clientKey(context: context)) {
            let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
            var response = html(.tooManyRequests, pages.errorPage(
                status: 429, heading: "Slow down a little",
                message: "You have posted several comments in a short time. Please try again in \(seconds) seconds.",
                link: "/posts/\(id)", linkLabel: "Back to the post"))
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            return html(.contentTooLarge, pages.errorPage(
                status: 413, heading: "That comment is too long",
                message: "The form can carry at most \(maximumBodySize / 1024) KiB.", link: "/posts/\(id)", linkLabel: "Back to the post"))
        }
        let form = CommentForm(urlEncoded: bytes.readableBytesView)
        let cookie = CookieHeader.value(named: CSRFProtection.cookieName, in: request.headers[.cookie])
        guard csrf.isValid(token: form.csrfToken, cookie: cookie) else {
            return html(.forbidden, pages.errorPage(
                status: 403, heading: "Your form expired",
                message: "For your safety the comment was not posted: the form did not come from this site, or your session cookie is missing. Open the post again and resend it.",
                link: "/posts/\(id)", linkLabel: "Back to the post"))
        }
        do {
            let errors = form.errors
            if !errors.isEmpty {
                guard let (post, comments) = try await store.post(id: id) else { return notFound() }
                var response = html(.badRequest, pages.postPage(post: post, comments: comments, form: form, errors: errors,
                                                                csrfToken: form.csrfToken))
                response.headers[.cacheControl] = "no-store"
                return response
            }
            guard let commentID = try await store.addComment(postID: id, author: form.trimmedAuthor, body: form.trimmedBody) else {
                return notFound()
            }
            return Response(status: .seeOther, headers: [.location: "/posts/\(id)#comment-\(commentID)"])
        } catch {
            return databaseFailure(error, context: context)
        }
    }

    // MARK: helpers

    static func postID(_ context: BlogRequestContext) -> UInt64? {
        guard let text = context.parameters.get("id"), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let id = UInt64(text), id > 0 else { return nil }
        return id
    }

    /// The request's CSRF cookie, or a new one with its Set-Cookie header.
    private func csrfCookie(_ request: Request) -> (String, String?) {
        if let cookie = CookieHeader.value(named: CSRFProtection.cookieName, in: request.headers[.cookie]),
           CSRFProtection.isWellFormed(cookie) {
            return (cookie, nil)
        }
        let cookie = CSRFProtection.makeCookieValue()
        let secure = request.headers[.xForwardedProto] == "https" ? "; Secure" : ""
        return (cookie, "\(CSRFProtection.cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Lax\(secure)")
    }

    func html(_ status: HTTPResponse.Status, _ page: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    func notFound() -> Response {
        html(.notFound, pages.errorPage(status: 404, heading: "Page not found",
                                        message: "There is no post here. It may have been removed, or the link is mistyped."))
    }

    func databaseFailure(_ error: any Error, context: BlogRequestContext) -> Response {
        context.logger.error("database request failed", metadata: ["error": "\(error)"])
        let unavailable = (error as? MySQLClientError).map { $0.closesConnection || $0 == .poolClosed || $0.isPoolTimeout } ?? false
        return html(unavailable ? .serviceUnavailable : .internalServerError, pages.errorPage(
            status: unavailable ? 503 : 500, heading: "Something went wrong on our side",
            message: unavailable ? "The database is not answering right now. Please try again in a moment."
                : "The page could not be made. The error was logged; please try again later."))
    }
}

extension MySQLClientError {
    var isPoolTimeout: Bool {
        switch self {
        case .poolExhausted, .poolQueueFull: true
        default: false
        }
    }
}
