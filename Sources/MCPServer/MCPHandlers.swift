import Foundation
import Gateway
import Governance
import Analysis
import MCP
import Semantic

/// The tools and resources of one MCP session, answered through the Gateway (guard, executor,
/// audit with channel `mcp` and the caller as principal). Not an actor: it runs on the actor that
/// owns the Gateway (an ``MCPBackend``), which passes itself as `isolation`.
struct MCPHandlers {
    let gateway: ReadoutGateway
    let caller: Caller

    /// One tool call, on the actor that owns the Gateway: the result, and the Answer when the tool asked
    /// a question or ran a query (for the caller's metrics).
    func call(_ name: String, _ arguments: [String: Value], isolation: isolated any Actor) async throws -> (result: CallTool.Result, answer: Answer?) {
        try Self.unknownArguments(arguments)
        try allowed(name)
        switch name {
        case "ask":
            let answer = await gateway.ask(try Self.text(arguments, "question", maxLength: ReadoutGateway.maxQuestionLength), caller: caller)
            return (Self.result(answer), answer)
        case "run_query":
            let answer = await gateway.serveSQL(try Self.text(arguments, "sql", maxLength: 100_000), caller: caller)
            return (Self.result(answer), answer)
        default:
            return (try other(name, arguments), nil)
        }
    }

    /// A tool the caller's role is not offered: a clear error (unknown tools are "method not found").
    private func allowed(_ name: String) throws {
        guard MCPTools.allowed(name, for: caller.role, contract: gateway.contract) else {
            if MCPTools.exists(name) {
                throw MCPError.invalidRequest("The \(caller.role.rawValue) role may not use \(name); tools/list gives the tools it may use.")
            }
            throw MCPError.methodNotFound("No tool named \(name). tools/list gives the tools: \(MCPTools.tools(for: caller.role, contract: gateway.contract).map(\.name).joined(separator: ", ")).")
        }
    }

    /// The tools that neither ask nor query.
    private func other(_ name: String, _ arguments: [String: Value]) throws -> CallTool.Result {
        switch name {
        case "dry_run":
            let sql = try Self.text(arguments, "sql", maxLength: 100_000)
            let decision = gateway.dryRun(sql, caller: caller)
            let reasons = decision.reasons.map { "\($0.code.rawValue): \($0.message)" }
            let summary = decision.isApproved
                ? "Allowed for the \(caller.role.rawValue) role. It would run as: \(decision.sql ?? sql)"
                : "Refused for the \(caller.role.rawValue) role: " + reasons.joined(separator: " ")
            return try CallTool.Result(content: [Self.content(summary)], structuredContent: decision, isError: !decision.isApproved)
        case "list_assets":
            try Self.noArguments(arguments)
            let assets = gateway.contract.readableAssets(for: caller.role.rawValue).map(Self.assetSummary)
            let lines = assets.map { "- \($0.name): \($0.description) (one row per \($0.grain))" }
            return try CallTool.Result(content: [Self.content("Assets the \(caller.role.rawValue) role may read:\n" + lines.joined(separator: "\n"))],
                                       structuredContent: ["assets": assets])
        case "describe_asset":
            let name = try Self.text(arguments, "name", maxLength: 200)
            guard let asset = gateway.contract.readableAssets(for: caller.role.rawValue).first(where: { $0.name == name }) else {
                throw MCPError.invalidParams("No asset \(name) for the \(caller.role.rawValue) role; list_assets lists the ones it may read.")
            }
            let detail = Self.assetDetail(asset)
            let lines = detail.columns.map { "- \($0.name) (\($0.type)): \($0.description)" }
            return try CallTool.Result(content: [Self.content("\(asset.name): \(asset.description)\nOne row per \(asset.grain).\nColumns:\n" + lines.joined(separator: "\n"))],
                                       structuredContent: detail)
        case "list_experiments":
            let status = try Self.optionalText(arguments, "status", maxLength: 32)
            let owner = try Self.optionalText(arguments, "owner", maxLength: 128)
            let experiments = try gatewayCall { try gateway.experiments(status: status, caller: caller) }.filter { owner == nil || $0.owner == owner }
            let lines = experiments.map { "- \($0.id) (\($0.name)): \($0.status), owner \($0.owner ?? "none")" }
            return try CallTool.Result(content: [Self.content(experiments.isEmpty ? "No experiments match." : lines.joined(separator: "\n"))],
                                       structuredContent: ["experiments": experiments])
        case "experiment_results":
            let id = try Self.text(arguments, "experiment_id", maxLength: 128)
            let mode = try Self.mode(arguments)
            let report = try gatewayCall { try gateway.results(id, mode: mode, caller: caller) }
            let json = try Self.json(report)
            return CallTool.Result(content: [Self.content(json)], structuredContent: Self.value(json: Data(json.utf8)))
        case "decision_memo":
            let id = try Self.text(arguments, "experiment_id", maxLength: 128)
            let format = try Self.optionalText(arguments, "format", maxLength: 16) ?? "markdown"
            guard ["markdown", "html"].contains(format) else { throw MCPError.invalidParams("format: markdown or html (got \(format)).") }
            let memo = try gatewayCall { try gateway.memo(id, html: format == "html", mode: .itt, caller: caller) }
            return CallTool.Result(content: [Self.content(memo)])
        case "record_decision":
            let id = try Self.text(arguments, "experiment_id", maxLength: 128)
            let decision = try Self.text(arguments, "decision", maxLength: 8)
            guard ["ship", "kill"].contains(decision) else { throw MCPError.invalidParams("decision: ship or kill (got \(decision)).") }
            let rationale = try Self.text(arguments, "rationale", maxLength: 4_000)
            let record = try gatewayCall { try gateway.decide(id, decision: decision, rationale: rationale, caller: caller) }
            return try CallTool.Result(content: [Self.content("Recorded \(decision) for \(id) by \(caller.principal); it is in the audit log.")],
                                       structuredContent: record)
        default:
            throw MCPError.methodNotFound("No tool named \(name). tools/list gives the tools: \(MCPTools.all.map(\.name).joined(separator: ", ")).")
        }
    }

    /// An answer as a tool result: the readout first, then the rows, the SQL, the verdict and the
    /// audit id; refused, failed or unaudited answers are errors (nothing of them was given out).
    static func result(_ answer: Answer) -> CallTool.Result {
        var text = answer.readout
        if !answer.columns.isEmpty {
            let header = answer.columns.joined(separator: " | ")
            let rows = answer.rows.prefix(50).map { $0.map { $0.string ?? "NULL" }.joined(separator: " | ") }
            text += "\n\n" + ([header] + rows).joined(separator: "\n")
            if answer.rows.count > 50 { text += "\n… \(answer.rows.count - 50) more rows in structuredContent" }
        }
        if let sql = answer.sqlExecuted ?? answer.sql { text += "\n\nSQL: \(sql)" }
        text += "\nDecision: \(answer.outcome.rawValue)"
        if !answer.reasons.isEmpty { text += " (" + answer.reasons.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ") + ")" }
        if let id = answer.auditId { text += "\nAudit entry: \(id)" }
        if !answer.suggestions.isEmpty, answer.outcome == .notPlanned { text += "\nTry: " + answer.suggestions.prefix(4).joined(separator: " / ") }
        let failed: Set<Answer.Outcome> = [.blocked, .error, .auditUnavailable, .busy]
        let structured: Value? = summary(answer)
        return CallTool.Result(content: [Self.content(text)], structuredContent: structured, isError: failed.contains(answer.outcome))
    }

    /// What a program needs beside the text: the verdict (and the reason codes of a refusal), the audit
    /// id, the SQL and how many rows (the rows and columns themselves are in the text). Kept small on
    /// purpose: the SDK re-reads every result as a `Value` and tests each string value against a
    /// data-URL regex it compiles each time, so every string here costs tens of microseconds.
    static func summary(_ answer: Answer) -> Value {
        var fields: [String: Value] = [
            "decision": .string(answer.outcome.rawValue),
            "rowCount": .int(answer.rows.count),
            "truncated": .bool(answer.truncated),
            "auditId": answer.auditId.map { .int(Int($0)) } ?? .null,
        ]
        if !answer.reasons.isEmpty { fields["reasons"] = .array(answer.reasons.map { .string($0.code.rawValue) }) }
        if let sql = answer.sqlExecuted ?? answer.sql { fields["sql"] = .string(sql) }
        return .object(fields)
    }

    // MARK: Resources

    func resources() -> [Resource] {
        var list = [Resource(name: "contract", uri: "readout://contract", title: "The semantic contract as the \(caller.role.rawValue) role sees it",
                             description: "Every asset the role may read with its columns, and the metrics.", mimeType: "application/json")]
        list += gateway.contract.readableAssets(for: caller.role.rawValue).map {
            Resource(name: $0.name, uri: "readout://assets/\($0.name)", description: $0.description, mimeType: "application/json")
        }
        if let experiments = try? gateway.experiments(status: nil, caller: caller) {
            list += experiments.map { Resource(name: $0.id, uri: "readout://experiments/\($0.id)", description: $0.name, mimeType: "application/json") }
        }
        return list
    }

    func read(_ uri: String) throws -> String {
        if uri == "readout://contract" {
            let assets = gateway.contract.readableAssets(for: caller.role.rawValue).map(Self.assetDetail)
            let metrics = gateway.contract.metrics.map { ["id": $0.id, "name": $0.name, "kind": $0.kind] }
            return try Self.json(Contract(role: caller.role.rawValue, assets: assets, metrics: metrics))
        }
        if uri.hasPrefix("readout://assets/") {
            let name = String(uri.dropFirst("readout://assets/".count))
            guard let asset = gateway.contract.readableAssets(for: caller.role.rawValue).first(where: { $0.name == name }) else {
                throw MCPError.invalidParams("No asset \(name) for the \(caller.role.rawValue) role.")
            }
            return try Self.json(Self.assetDetail(asset))
        }
        if uri.hasPrefix("readout://experiments/") {
            let id = String(uri.dropFirst("readout://experiments/".count))
            return try Self.json(try gatewayCall { try gateway.experiment(id, caller: caller) })
        }
        throw MCPError.invalidParams("Unknown resource \(uri); resources/list gives them.")
    }

    // MARK: Helpers

    static func content(_ text: String) -> Tool.Content { .text(text: text, annotations: nil, _meta: nil) }

    struct AssetSummary: Codable { let name, description, grain: String }
    struct ColumnDetail: Codable { let name, type, description: String; let synonyms: [String] }
    struct AssetDetail: Codable { let name, description, grain: String; let primaryKey: [String]; let columns: [ColumnDetail] }
    struct Contract: Codable { let role: String; let assets: [AssetDetail]; let metrics: [[String: String]] }

    static func assetSummary(_ asset: Asset) -> AssetSummary { AssetSummary(name: asset.name, description: asset.description, grain: asset.grain) }

    /// Readable columns only: a personal-data column is never listed.
    static func assetDetail(_ asset: Asset) -> AssetDetail {
        AssetDetail(name: asset.name, description: asset.description, grain: asset.grain, primaryKey: asset.primaryKey,
                    columns: asset.readableColumns.map { ColumnDetail(name: $0.name, type: $0.type, description: $0.description, synonyms: $0.synonyms) })
    }

    /// JSON as an MCP `Value`, read with `JSONSerialization` (the SDK's `Value` decoder tries every
    /// type at every node, which made a large answer's structured content cost milliseconds).
    static func value(json data: Data) -> Value? {
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])).map(value(of:))
    }

    static func value(of object: Any) -> Value {
        switch object {
        case let text as String:
            return .string(text)
        case let number as NSNumber:
            // A JSON true/false is a char-typed NSNumber; integers are kept exact, other numbers are doubles.
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" { return .bool(number.boolValue) }
            if ["q", "l", "i", "s", "Q", "L", "I", "S"].contains(type) { return .int(number.intValue) }
            let double = number.doubleValue
            if let exact = Int(exactly: double), !["d", "f"].contains(type) { return .int(exact) }
            return .double(double)
        case let array as [Any]:
            return .array(array.map(value(of:)))
        case let object as [String: Any]:
            return .object(object.mapValues(value(of:)))
        default:
            return .null
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func text(_ arguments: [String: Value], _ name: String, maxLength: Int) throws -> String {
        guard let value = arguments[name] else { throw MCPError.invalidParams("\(name): required.") }
        guard let text = value.stringValue else { throw MCPError.invalidParams("\(name): must be a string.") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw MCPError.invalidParams("\(name): must not be empty.") }
        guard text.count <= maxLength else { throw MCPError.invalidParams("\(name): at most \(maxLength) characters (got \(text.count)); shorten it.") }
        return text
    }

    static func optionalText(_ arguments: [String: Value], _ name: String, maxLength: Int) throws -> String? {
        guard let value = arguments[name], !value.isNull else { return nil }
        return try text(arguments, name, maxLength: maxLength)
    }

    static func mode(_ arguments: [String: Value]) throws -> WarehouseExperiment.Mode {
        let text = try optionalText(arguments, "mode", maxLength: 16) ?? "itt"
        guard let mode = WarehouseExperiment.Mode(rawValue: text) else { throw MCPError.invalidParams("mode: itt or exposed (got \(text)).") }
        return mode
    }

    static let knownArguments: Set<String> = ["question", "sql", "name", "status", "owner", "experiment_id", "mode", "format", "decision", "rationale"]

    static func unknownArguments(_ arguments: [String: Value]) throws {
        if let extra = arguments.keys.sorted().first(where: { !knownArguments.contains($0) }) {
            throw MCPError.invalidParams("Unknown argument \(extra).")
        }
    }

    static func noArguments(_ arguments: [String: Value]) throws {
        if let extra = arguments.keys.sorted().first { throw MCPError.invalidParams("list_assets takes no arguments (got \(extra)).") }
    }

    /// A gateway refusal (unknown experiment, not visible to the role) as a JSON-RPC error with its message.
    func gatewayCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GatewayError {
            throw MCPError.invalidParams(error.message)
        }
    }
}
