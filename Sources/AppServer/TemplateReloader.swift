import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The templates in service; SIGHUP swaps in a fresh load (requests in flight keep the
/// one they started with). A template that fails to load leaves the old set serving.
final class PageRendererBox: Sendable {
    private let renderer: Mutex<PageRenderer>

    init(_ renderer: PageRenderer) { self.renderer = Mutex(renderer) }

    var current: PageRenderer { renderer.withLock { $0 } }
    func replace(with renderer: PageRenderer) { self.renderer.withLock { $0 = renderer } }
}

/// Reloads the templates on SIGHUP until graceful shutdown.
struct TemplateReloader: Service {
    let box: PageRendererBox
    let directory: String
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                box.replace(with: try await PageRenderer(directory: directory))
                logger.notice("templates reloaded", metadata: ["directory": "\(directory)"])
            } catch {
                logger.error("template reload failed; the previous templates keep serving", metadata: ["error": "\(error)"])
            }
        }
    }
}
