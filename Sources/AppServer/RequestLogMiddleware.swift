import Hummingbird
import Logging
import NIOCore

/// Logs every request with its total time and the part spent on the database, and
/// turns "no such route" into the site's 404 page (JSON under /api/).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = BlogRequestContext
    let pageBox: PageRendererBox
    let api: BlogAPIRoutes

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let timer = DatabaseTime()
        let start = ContinuousClock.now
        var status: HTTPResponse.Status = .internalServerError
        defer {
            let total = ContinuousClock.now - start
            context.logger.info("request", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status.code)",
                "client": "\(request.clientKey(context: context))",
                "ms": "\(Self.milliseconds(total))", "db_ms": "\(Self.milliseconds(timer.elapsed))",
            ])
        }
        do {
            let response = try await DatabaseTime.$current.withValue(timer) { try await next(request, context) }
            status = response.status
            return response
        } catch let error as HTTPError where error.status == .notFound {
            status = .notFound
            if request.uri.path.hasPrefix("/api/") { return api.error(.notFound, "no such resource") }
            return Response(status: .notFound, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: pageBox.current.errorPage(
                                status: 404, heading: "Page not found",
                                message: "There is nothing at this address. The link may be mistyped, or the page was removed."))))
        } catch let error as any HTTPResponseError {
            status = error.status
            throw error
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f", ms)
    }
}
