import Analysis
import Foundation
import Gateway
import Governance
import Hummingbird
import Semantic
import Warehouse

/// The experiment workflow: intake, list, detail, transitions, decisions, results, memo.
/// Reads are for the contract's reader roles and admin (row policies decide which
/// experiments a role sees); writes are admin only.
enum ExperimentRoutes {
    static func add(to api: RouterGroup<ServerContext>, service: ReadoutService, readers: [String]) {
        let viewers = readers + ["admin"]
        api.get("experiments") { request, context in
            let key = try context.require(viewers)
            let status = request.uri.queryParameters["status"].map(String.init)
            if let status, ExperimentRegistry.transitions[status] == nil {
                throw APIError.badRequest("status", "one of \(ExperimentRegistry.transitions.keys.sorted().joined(separator: ", ")).")
            }
            return JSON.response(["experiments": try await service.experiments(status: status, role: key.role)])
        }
        api.get("experiments/:id") { _, context in
            let key = try context.require(viewers)
            return JSON.response(try await service.experiment(try id(context), role: key.role))
        }
        api.post("experiments") { request, context in
            _ = try context.require(["admin"])
            let body = try await Body.object(request, context: context)
            let intake = try parseIntake(body)
            return JSON.response(try await service.createExperiment(intake), status: .created)
        }
        api.post("experiments/:id/transition") { request, context in
            _ = try context.require(["admin"])
            let body = try await Body.object(request, context: context)
            return JSON.response(try await service.transition(try id(context), to: try Body.string(body, "to")))
        }
        api.post("experiments/:id/decision") { request, context in
            let key = try context.require(["admin"])
            let body = try await Body.object(request, context: context)
            let decision = try Body.string(body, "decision")
            let rationale = try Body.string(body, "rationale")
            return JSON.response(try await service.decide(try id(context), decision: decision, rationale: rationale, key: key))
        }
        api.get("experiments/:id/results") { request, context in
            let key = try context.require(viewers)
            let mode = try parseMode(request)
            let data = try await service.results(try id(context), mode: mode, role: key.role)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: data)))
        }
        api.get("experiments/:id/memo") { request, context in
            let key = try context.require(viewers)
            let format = request.uri.queryParameters["format"].map(String.init) ?? "markdown"
            guard format == "markdown" || format == "html" else { throw APIError.badRequest("format", "markdown or html.") }
            let text = try await service.memo(try id(context), html: format == "html", mode: try parseMode(request), role: key.role)
            let type = format == "html" ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    static func id(_ context: ServerContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.badRequest("id", "missing experiment id.") }
        return id
    }

    static func parseMode(_ request: Request) throws -> WarehouseExperiment.Mode {
        let text = request.uri.queryParameters["mode"].map(String.init) ?? "itt"
        guard let mode = WarehouseExperiment.Mode(rawValue: text) else { throw APIError.badRequest("mode", "itt or exposed.") }
        return mode
    }

    static func parseIntake(_ body: [String: Any]) throws -> ExperimentIntake {
        guard let variants = body["variants"] as? [[String: Any]] else { throw APIError.badRequest("variants", "required, a list of {id, allocation, isControl}.") }
        let parsed = try variants.enumerated().map { index, item -> (id: String, name: String, allocation: Double, isControl: Bool) in
            guard let id = item["id"] as? String else { throw APIError.badRequest("variants[\(index)].id", "required, a string.") }
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
    /// Experiment ids `role` may see: asked through the guard, so row policies apply.
    func visibleExperiments(role: String) -> Set<String> {
        let answer = gateway.runSQL("SELECT experiment_id FROM experiments", caller: Caller(principal: "service", role: RoleName(role), channel: .http), audited: false)
        return Set(answer.rows.compactMap { $0.first?.string })
    }

    func experiments(status: String?, role: String) throws -> [ExperimentRecord] {
        let ids = role == "admin" ? nil : visibleExperiments(role: role)
        return try ExperimentRegistry(connection: writer).list(status: status, ids: ids)
    }

    func experiment(_ id: String, role: String) throws -> ExperimentRecord {
        guard role == "admin" || visibleExperiments(role: role).contains(id), let record = try ExperimentRegistry(connection: writer).get(id) else {
            throw APIError(.notFound, "not_found", "No experiment \(id) (or not one your role may see).")
        }
        return record
    }

    func createExperiment(_ intake: ExperimentIntake) throws -> ExperimentRecord {
        try mapping { try ExperimentRegistry(connection: writer).create(intake) }
    }

    func transition(_ id: String, to target: String) throws -> ExperimentRecord {
        try mapping { try ExperimentRegistry(connection: writer).transition(id, to: target) }
    }

    func decide(_ id: String, decision: String, rationale: String, key: APIKey) throws -> ExperimentRecord {
        let record = try mapping { try ExperimentRegistry(connection: writer).decide(id, decision: decision, rationale: rationale, by: key.name) }
        do {
            try audit.append(AuditEntry(
                principal: key.name, role: key.role, channel: .http, question: "\(decision) \(id)", sqlReceived: nil,
                decision: .decisionRecorded, reasonCodes: [decision], reasonMessages: [rationale], tables: ["experiment_decisions"]
            ))
        } catch {
            throw APIError(.serviceUnavailable, "audit_unavailable", "The decision was recorded, but its audit entry could not be written: check the audit database. The error was logged.")
        }
        return record
    }

    func results(_ id: String, mode: WarehouseExperiment.Mode, role: String) throws -> String {
        _ = try experiment(id, role: role)
        let input = try WarehouseExperiment.load(id, mode: mode, from: Connection(path: warehousePath, mode: .readOnly))
        let report = Analyzer(configuration: analysis).analyze(input)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    func memo(_ id: String, html: Bool, mode: WarehouseExperiment.Mode, role: String) throws -> String {
        _ = try experiment(id, role: role)
        let input = try WarehouseExperiment.load(id, mode: mode, from: Connection(path: warehousePath, mode: .readOnly))
        let memo = DecisionMemo(report: Analyzer(configuration: analysis).analyze(input), input: input)
        return html ? memo.html() : memo.markdown()
    }

    private func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as ExperimentRegistry.Problem {
            switch problem.kind {
            case "not_found": throw APIError(.notFound, "not_found", problem.message)
            case "conflict": throw APIError(.conflict, "conflict", problem.message, details: ["allowed": problem.allowed.joined(separator: ", ")])
            default: throw APIError(.badRequest, "invalid_request", problem.message, details: problem.field.map { ["field": $0] } ?? [:])
            }
        }
    }
}
