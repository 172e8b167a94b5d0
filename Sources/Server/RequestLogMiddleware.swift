import Semantic
import Hummingbird
import Logging

/// One log line per request, when it is answered: method, path (no query string, so no
/// secrets from it), status and duration, with Hummingbird's request id. Headers are never
/// logged, so an Authorization header cannot reach the log.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, started: started)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: error.status.code, started: started)
            throw error
        } catch {
            log(request, context: context, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: ServerContext, status: Int, started: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - started).inMilliseconds
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
            "duration_ms": "\((milliseconds * 100).rounded() / 100)",
        ])
    }
}
