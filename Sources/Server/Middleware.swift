import Foundation
import Governance
import Hummingbird
import Logging

/// Turns every error into the JSON error shape: routes that do not exist (404),
/// bodies too large (413), and anything unexpected (500, without internals).
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            return response
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound:
                let allowed = ReadoutRoutes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.joined(separator: " or ")).",
                                   details: ["allowed": allowed.joined(separator: ", ")], headers: [.allow: allowed.joined(separator: ", ")])
                }
                throw APIError(.notFound, "not_found", "No route \(request.method.rawValue) \(request.uri.path); see docs/openapi.yaml.")
            case .contentTooLarge:
                throw APIError(.contentTooLarge, "body_too_large", "The request body is larger than the limit for this route.")
            case .methodNotAllowed:
                throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path).")
            default:
                throw APIError(error.status, "http_error", (error as? HTTPError)?.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(type(of: error))"])
            throw APIError(.internalServerError, "internal_error", "Something went wrong while handling the request; it was logged.")
        }
    }
}

/// Answers 413 from the declared Content-Length, before reading the body: a client sending
/// 20 MB learns at once that the limit is 16 MiB (batches) or 1 MiB (everything else).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    static func limit(for path: String) -> Int { path == "/api/track/batch" ? 16 << 20 : 1 << 20 }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let limit = Self.limit(for: request.uri.path)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError(.contentTooLarge, "body_too_large", "The request body (\(declared) bytes) is larger than this route's limit of \(limit) bytes.",
                           details: ["limit": "\(limit)"], headers: [.connection: "close"])
        }
        return try await next(request, context)
    }
}

/// Bearer-key authentication and per-key rate limiting for `/api`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let service: ReadoutService

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("Missing Authorization header; send Authorization: Bearer KEY.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("Authorization must be `Bearer KEY`.")
        }
        guard let key = try await service.authenticate(String(parts[1])) else {
            throw APIError.unauthorized("The API key is unknown or revoked.")
        }
        if let wait = await service.admit(key.keyID) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw APIError(.tooManyRequests, "rate_limited", "Too many requests for this key; retry in \(seconds) s.", headers: [.retryAfter: String(seconds)])
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}
