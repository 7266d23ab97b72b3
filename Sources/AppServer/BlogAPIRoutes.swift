import Foundation
import Hummingbird
import MySQLClient
import NIOCore

/// The JSON API: `GET /api/posts?limit=&offset=` and `GET /api/posts/{id}`. Errors are
/// JSON too: `{"error": {"status": 400, "message": "..."}}` with the same status.
struct BlogAPIRoutes: Sendable {
    let store: BlogStore

    static let defaultLimit = 20
    static let maximumLimit = 100
    static let maximumOffset = 1_000_000

    func add(to router: Router<BlogRequestContext>) {
        router.get("/api/posts") { request, context in try await list(request, context: context) }
        router.get("/api/posts/:id") { request, context in try await post(request, context: context) }
        router.get("/healthz") { _, _ in await health() }
    }

    func list(_ request: Request, context: BlogRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let limit: Int
        let offset: Int
        switch Self.integer(query["limit"].map(String.init), default: Self.defaultLimit, in: 1...Self.maximumLimit) {
        case .success(let value): limit = value
        case .failure: return error(.badRequest, "limit must be an integer from 1 to \(Self.maximumLimit)")
        }
        switch Self.integer(query["offset"].map(String.init), default: 0, in: 0...Self.maximumOffset) {
        case .success(let value): offset = value
        case .failure: return error(.badRequest, "offset must be an integer from 0 to \(Self.maximumOffset)")
        }
        do {
            let posts = try await store.newestPosts(limit: limit, offset: offset)
            struct Page: Encodable {
                var posts: [Post]
                var limit: Int
                var offset: Int
            }
            return json(.ok, Page(posts: posts, limit: limit, offset: offset))
        } catch {
            return databaseFailure(error, context: context)
        }
    }

    func post(_ request: Request, context: BlogRequestContext) async throws -> Response {
        guard let id = BlogRoutes.postID(context) else { return error(.notFound, "no such post") }
        do {
            guard let (post, comments) = try await store.post(id: id) else { return error(.notFound, "no such post") }
            return json(.ok, PostWithComments(post: post, comments: comments))
        } catch {
            return databaseFailure(error, context: context)
        }
    }

    func health() async -> Response {
        if await store.isHealthy() {
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: "database unavailable\n")))
    }

    // MARK: helpers

    struct BadParameter: Error {}

    static func integer(_ text: String?, default defaultValue: Int, in range: ClosedRange<Int>) -> Result<Int, BadParameter> {
        guard let text else { return .success(defaultValue) }
        guard let value = Int(text), range.contains(value) else { return .failure(BadParameter()) }
        return .success(value)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        do {
            let data = try Self.encoder.encode(value)
            return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return self.error(.internalServerError, "cannot encode the response")
        }
    }

    func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                var status: Int
                var message: String
            }
            var error: Detail
        }
        let data = (try? Self.encoder.encode(Body(error: .init(status: status.code, message: message)))) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func databaseFailure(_ failure: any Error, context: BlogRequestContext) -> Response {
        context.logger.error("database request failed", metadata: ["error": "\(failure)"])
        let unavailable = (failure as? MySQLClientError).map { $0.closesConnection || $0 == .poolClosed || $0.isPoolTimeout } ?? false
        return unavailable ? error(.serviceUnavailable, "the database is unavailable")
            : error(.internalServerError, "internal error")
    }
}
