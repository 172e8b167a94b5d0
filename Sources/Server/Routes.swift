public import MCPServer
public import WebPages
import Planner
import Semantic
import Foundation
import Gateway
import Governance
public import Hummingbird
import Logging
import Prometheus

/// The HTTP API. Route → roles (tested route by route):
///
/// | route | roles |
/// |---|---|
/// | `GET /healthz` | none (no auth) |
/// | `GET /metrics` | admin key, or the scrape token (`READOUT_METRICS_TOKEN`) |
/// | `POST /api/ask`, `POST /api/query`, `GET /api/assets[/{name}]` | the contract's reader roles (analyst, chat, team_growth, …) |
/// | `GET /api/experiments[/{id}[/results|/memo]]` | reader roles and admin (row policies apply) |
/// | `POST /api/experiments`, `…/{id}/transition`, `…/{id}/decision` | admin |
/// | `POST /api/track`, `POST /api/track/batch` | tracker |
/// | `GET /api/audit`, `GET /api/audit/verify`, `GET /api/audit/head` | auditor |
public enum ReadoutRoutes {
    /// Every route the router serves, as docs/openapi.yaml names it (a test keeps the two equal
    /// and checks each one is served).
    public static let catalogue: [(method: String, path: String)] = [
        ("GET", "/healthz"), ("GET", "/metrics"), ("POST", "/api/ask"), ("POST", "/api/query"), ("GET", "/api/assets"), ("GET", "/api/assets/{name}"),
        ("POST", "/api/track"), ("POST", "/api/track/batch"), ("GET", "/api/experiments"), ("POST", "/api/experiments"),
        ("GET", "/api/experiments/{id}"), ("POST", "/api/experiments/{id}/transition"), ("POST", "/api/experiments/{id}/decision"),
        ("GET", "/api/experiments/{id}/results"), ("GET", "/api/experiments/{id}/memo"), ("GET", "/api/audit"), ("GET", "/api/audit/verify"), ("GET", "/api/audit/head"),
    ]

    /// The methods the catalogue serves on `path` (`{name}` segments match any one segment).
    static func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return catalogue.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method).sorted()
    }

    /// - Parameters:
    ///   - mcp: MCP's Streamable HTTP endpoint, served at `/mcp` when given.
    ///   - pages: the web pages' templates, served at `/login`, `/experiments`, `/ask`, `/audit` when given.
    ///   - live: where refreshes announce changed experiments to the pages watching them.
    public static func router(service: ReadoutService, mcp: MCPHTTPEndpoint? = nil, pages: PageRenderer? = nil, live: LiveHub = LiveHub(), version: String = "dev") -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        _ = ServiceMetrics.registry
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: BodyLimitMiddleware())
        router.get("metrics") { request, _ in
            try await service.authorizeScrape(request.headers[.authorization])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: ServiceMetrics.registry.emitToString())))
        }
        router.get("healthz") { _, _ in
            let health = await service.health()
            let ok = health.warehouse && health.audit
            return JSON.response(object: ["status": ok ? "ok" : "degraded", "warehouse": health.warehouse ? "ok" : "unavailable", "audit": health.audit ? "ok" : "unavailable"],
                                 status: ok ? .ok : .serviceUnavailable)
        }
        let api = router.group("api").add(middleware: AuthMiddleware(service: service))
        // The contract's roles that ask questions: every one but the service roles.
        let readers = service.contract.roles.keys.map(RoleName.init(rawValue:)).filter { !RoleName.service.contains($0) }.sorted()

        api.post("ask") { request, context in
            let key = try context.require(readers)
            let body = try await Body.object(request, context: context)
            let question = try Body.string(body, "question")
            let name = try Body.optionalString(body, "planner") ?? "auto"
            guard let planner = PlannerChoice(rawValue: name) else {
                throw APIError.badRequest("planner", "one of \(PlannerChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let answer = await service.ask(question, caller: key.caller, planner: planner)
            return AnswerResponse.response(answer)
        }
        api.post("query") { request, context in
            let key = try context.require(readers)
            let body = try await Body.object(request, context: context)
            let answer = await service.query(try Body.string(body, "sql"), key: key)
            return AnswerResponse.response(answer)
        }
        api.get("assets") { _, context in
            let key = try context.require(readers)
            return JSON.response(object: ["assets": service.contract.readableAssets(for: key.role).map(Self.asset)])
        }
        api.get("assets/:name") { _, context in
            let key = try context.require(readers)
            let name = context.parameters.get("name") ?? ""
            guard let asset = service.contract.readableAssets(for: key.role).first(where: { $0.name == name }) else {
                throw APIError(.notFound, "not_found", "No asset \(name) for the \(key.role) role; GET /api/assets lists them.")
            }
            return JSON.response(object: Self.asset(asset))
        }
        api.get("audit") { request, context in
            _ = try context.require([.auditor])
            let query = request.uri.queryParameters
            var filter = AuditFilter()
            if let blocked = query["blocked"] {
                switch blocked {
                case "true", "1": filter.blockedOnly = true
                case "false", "0": filter.blockedOnly = false
                default: throw APIError.badRequest("blocked", "true or false (got \(blocked)).")
                }
            }
            filter.since = try query["since"].map { text -> String in
                guard let since = AuditFilter.since(String(text)) else {
                    throw APIError.badRequest("since", "a date or time, e.g. 2026-10-01 or 2026-10-01T12:00:00Z (got \(text)).")
                }
                return since
            }
            filter.principal = query["principal"].map(String.init)
            filter.code = query["code"].map(String.init)
            let limit = try query["limit"].map { text -> Int in
                guard let value = Int(text), (1...1000).contains(value) else { throw APIError.badRequest("limit", "a whole number from 1 to 1000.") }
                return value
            } ?? 100
            filter.limit = limit + 1
            filter.afterID = try query["cursor"].map { text -> Int64 in
                guard let value = Int64(text), value >= 0 else { throw APIError.badRequest("cursor", "the nextCursor of the previous page.") }
                return value
            }
            var entries = try await service.auditEntries(filter)
            let more = entries.count > limit
            if more { entries.removeLast() }
            let encoder = JSONEncoder()
            let items = entries.compactMap { (try? JSONSerialization.jsonObject(with: encoder.encode($0))) }
            return JSON.response(object: ["entries": items, "nextCursor": more ? (entries.last.map { String($0.id) } ?? NSNull()) as Any : NSNull()])
        }
        TrackRoutes.add(to: api, service: service)
        if let mcp { MCPRoutes.add(to: router, service: service, endpoint: mcp) }
        ExperimentRoutes.add(to: api, service: service, readers: readers)
        if let pages { WebRoutes.add(to: router, service: service, pages: pages, version: version, live: live) }
        api.get("audit/verify") { request, context in
            _ = try context.require([.auditor])
            let expected = try request.uri.queryParameters["expectHead"].map { text -> AuditHead in
                guard let head = AuditHead(String(text)) else { throw APIError.badRequest("expectHead", "N:HASH as GET /api/audit/head gives it (got \(text)).") }
                return head
            }
            return JSON.response(try await service.verifyAudit(expectedHead: expected))
        }
        api.get("audit/head") { _, context in
            _ = try context.require([.auditor])
            let head = try service.auditHead()
            return JSON.response(object: ["id": head.map { $0.id as Any } ?? NSNull(), "hash": head.map { $0.hash as Any } ?? NSNull(),
                                          "head": head.map { $0.description as Any } ?? NSNull()])
        }
        return router
    }

    static func asset(_ asset: Asset) -> [String: Any] {
        [
            "name": asset.name, "description": asset.description, "grain": asset.grain, "primaryKey": asset.primaryKey,
            "owner": asset.owner, "synonyms": asset.synonyms,
            "columns": asset.readableColumns.map { ["name": $0.name, "type": $0.type, "description": $0.description, "synonyms": $0.synonyms] as [String: Any] },
        ]
    }
}

/// Request-body parsing with errors that name the field.
enum Body {
    static func object(_ request: Request, context: ServerContext, limit: Int = 1 << 20) async throws -> [String: Any] {
        let buffer = try await bytes(request, context: context, limit: limit)
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw APIError.badRequest("body", "not valid JSON (or not UTF-8).")
        }
        guard let dictionary = object as? [String: Any] else { throw APIError.badRequest("body", "expected a JSON object, got \(object is [Any] ? "an array" : "a scalar").") }
        return dictionary
    }

    /// The body as a JSON object through ``JSONReader`` (the tracking routes): an error names the byte.
    static func jsonObject(_ request: Request, context: ServerContext, limit: Int = 1 << 20) async throws -> JSONObject {
        let buffer = try await bytes(request, context: context, limit: limit)
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { try JSONReader.read($0) }
        } catch let error as JSONReadError {
            throw APIError.badRequest("body", "not valid JSON at byte \(error.offset): \(error.message).")
        }
        switch value {
        case .object(let object): return object
        case .array: throw APIError.badRequest("body", "expected a JSON object, got an array.")
        default: throw APIError.badRequest("body", "expected a JSON object, got a scalar.")
        }
    }

    /// A JSON body's bytes, after its Content-Type is checked; empty is refused.
    private static func bytes(_ request: Request, context: ServerContext, limit: Int) async throws -> ByteBuffer {
        var request = request
        // JSON routes take JSON: a text/plain or form body is refused before it is read.
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let type, type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json")) else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "Send the body as JSON with Content-Type: application/json (got \(type.map { "Content-Type: \($0)" } ?? "no Content-Type")).",
                           details: ["field": "Content-Type"])
        }
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("body", "expected a JSON object.") }
        return buffer
    }

    static func string(_ body: [String: Any], _ field: String) throws -> String {
        guard let value = body[field] else { throw APIError.badRequest(field, "required.") }
        guard let text = value as? String else { throw APIError.badRequest(field, "must be a string.") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError.badRequest(field, "must not be empty.") }
        try InputLimits.check(text, field)
        return text
    }

    static func optionalString(_ body: [String: Any], _ field: String) throws -> String? {
        guard let value = body[field], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError.badRequest(field, "must be a string.") }
        try InputLimits.check(text, field)
        return text
    }
}
