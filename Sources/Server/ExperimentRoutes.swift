import Analysis
import Foundation
import Gateway
import Governance
import Hummingbird
import Semantic

/// The experiment workflow: intake, list, detail, transitions, decisions, results, memo.
/// Reads are for the contract's reader roles and admin (row policies decide which
/// experiments a role sees); writes are admin only.
enum ExperimentRoutes {
    static func add(to api: RouterGroup<ServerContext>, service: ReadoutService, readers: [RoleName]) {
        let viewers = readers + [.admin]
        api.get("experiments") { request, context in
            let key = try context.require(viewers)
            let status = request.uri.queryParameters["status"].map(String.init)
            return JSON.response(["experiments": try await service.experiments(status: status, key: key)])
        }
        api.get("experiments/:id") { _, context in
            let key = try context.require(viewers)
            return JSON.response(try await service.experiment(try id(context), key: key))
        }
        api.post("experiments") { request, context in
            _ = try context.require([.admin])
            let body = try await Body.object(request, context: context)
            let intake = try parseIntake(body)
            return JSON.response(try await service.createExperiment(intake), status: .created)
        }
        api.post("experiments/:id/transition") { request, context in
            _ = try context.require([.admin])
            let body = try await Body.object(request, context: context)
            return JSON.response(try await service.transition(try id(context), to: try Body.string(body, "to")))
        }
        api.post("experiments/:id/decision") { request, context in
            let key = try context.require([.admin])
            let body = try await Body.object(request, context: context)
            let decision = try Body.string(body, "decision")
            let rationale = try Body.string(body, "rationale")
            return JSON.response(try await service.decide(try id(context), decision: decision, rationale: rationale, caller: key.caller))
        }
        api.get("experiments/:id/results") { request, context in
            let key = try context.require(viewers)
            let mode = try parseMode(request)
            return JSON.response(try await service.results(try id(context), mode: mode, key: key))
        }
        api.get("experiments/:id/memo") { request, context in
            let key = try context.require(viewers)
            let html = try memoIsHTML(request)
            let text = try await service.memo(try id(context), html: html, mode: try parseMode(request), caller: key.caller)
            return memoResponse(text, html: html)
        }
    }

    static func id(_ context: ServerContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.badRequest("id", "missing experiment id.") }
        return id
    }

    /// `?format=markdown` (the default) or `html`.
    static func memoIsHTML(_ request: Request) throws -> Bool {
        let format = request.uri.queryParameters["format"].map(String.init) ?? "markdown"
        guard format == "markdown" || format == "html" else { throw APIError.badRequest("format", "markdown or html.") }
        return format == "html"
    }

    /// The memo as its format's content type; as a file named `download` when one is given.
    static func memoResponse(_ text: String, html: Bool, download: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8"]
        if let download { headers[.contentDisposition] = "attachment; filename=\"\(download).\(html ? "html" : "md")\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func parseMode(_ request: Request) throws -> WarehouseExperiment.Mode {
        let text = request.uri.queryParameters["mode"].map(String.init) ?? "itt"
        guard let mode = WarehouseExperiment.Mode(rawValue: text) else { throw APIError.badRequest("mode", "itt or exposed.") }
        return mode
    }

    static func parseIntake(_ body: [String: Any]) throws -> ExperimentIntake {
        guard let variants = body["variants"] as? [[String: Any]] else { throw APIError.badRequest("variants", "required, a list of {id, allocation, isControl}.") }
        guard variants.count <= InputLimits.variants else { throw APIError.badRequest("variants", "at most \(InputLimits.variants) variations (got \(variants.count)).") }
        let parsed = try variants.enumerated().map { index, item -> (id: String, name: String, allocation: Double, isControl: Bool) in
            guard let id = item["id"] as? String else { throw APIError.badRequest("variants[\(index)].id", "required, a string.") }
            try InputLimits.check(id, "variants[\(index)].id", key: "variants[].id")
            if let name = item["name"] as? String { try InputLimits.check(name, "variants[\(index)].name", key: "variants[].name") }
            guard let allocation = (item["allocation"] as? NSNumber)?.doubleValue else { throw APIError.badRequest("variants[\(index)].allocation", "required, a number in (0, 1].") }
            return (id, item["name"] as? String ?? id, allocation, item["isControl"] as? Bool ?? false)
        }
        return ExperimentIntake(
            id: try Body.optionalString(body, "experimentId"),
            name: try Body.string(body, "name"),
            hypothesis: try Body.string(body, "hypothesis"),
            primaryMetric: try Body.string(body, "primaryMetric"),
            owner: try Body.string(body, "owner"),
            variants: parsed
        )
    }
}

extension ReadoutService {
    func experiments(status: String?, key: APIKey) throws -> [ExperimentRecord] {
        try gatewayCall { try gateway.experiments(status: status, caller: key.caller) }
    }

    func experiment(_ id: String, key: APIKey) throws -> ExperimentRecord {
        try gatewayCall { try gateway.experiment(id, caller: key.caller) }
    }

    func createExperiment(_ intake: ExperimentIntake) throws -> ExperimentRecord {
        try gatewayCall { try gateway.createExperiment(intake) }
    }

    func transition(_ id: String, to target: String) throws -> ExperimentRecord {
        try gatewayCall { try gateway.transition(id, to: target) }
    }

    func decide(_ id: String, decision: String, rationale: String, caller: Caller) throws -> ExperimentRecord {
        try gatewayCall { try gateway.decide(id, decision: decision, rationale: rationale, caller: caller) }
    }

    func results(_ id: String, mode: WarehouseExperiment.Mode, key: APIKey) throws -> AnalysisReport {
        try gatewayCall { try gateway.results(id, mode: mode, caller: key.caller) }
    }

    func memo(_ id: String, html: Bool, mode: WarehouseExperiment.Mode, caller: Caller) throws -> String {
        try gatewayCall { try gateway.memo(id, html: html, mode: mode, caller: caller) }
    }
}
