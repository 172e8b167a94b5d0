import MCP
import Semantic

/// The tools Readout offers a chat assistant: names and arguments are the contract; the
/// descriptions are written for a model to read. All but `record_decision` only read; a role is
/// offered the tools its REST routes allow (``tools(for:contract:)``).
enum MCPTools {
    static func schema(_ properties: [String: Value], required: [String] = []) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }), "additionalProperties": false])
    }

    static func string(_ description: String, values: [String]? = nil) -> Value {
        var property: [String: Value] = ["type": "string", "description": .string(description)]
        if let values { property["enum"] = .array(values.map { .string($0) }) }
        return .object(property)
    }

    /// The contract's roles that ask questions and query (every one but admin, auditor and
    /// tracker) get every read tool; admin gets the experiment tools and `record_decision`;
    /// auditor and tracker get none (their MCP requests are refused with 403).
    static func tools(for role: RoleName, contract: SemanticContract) -> [Tool] {
        if role == .admin { return all.filter { experimentTools.contains($0.name) } + [recordDecision] }
        if RoleName.service.contains(role) || contract.roles[role.rawValue] == nil { return [] }
        return all
    }

    /// Whether a tool of that name exists for any role.
    static func exists(_ name: String) -> Bool { name == recordDecision.name || all.contains { $0.name == name } }

    static func allowed(_ name: String, for role: RoleName, contract: SemanticContract) -> Bool {
        tools(for: role, contract: contract).contains { $0.name == name }
    }

    static let experimentTools: Set<String> = ["list_experiments", "experiment_results", "decision_memo"]

    /// Changes state: offered to admin only, and annotated so an assistant asks before calling it.
    static let recordDecision = Tool(
        name: "record_decision", title: "Record a ship or kill decision",
        description: """
            Record the team's decision on a running experiment (or one in readout): ship or kill, with the rationale. \
            This changes the experiment's record and is audited with your key's name; confirm with the user before calling it. \
            Check experiment_results first.
            """,
        inputSchema: schema([
            "experiment_id": string("The experiment's id, e.g. exp_checkout_button."),
            "decision": string("ship or kill.", values: ["ship", "kill"]),
            "rationale": string("Why, in a sentence or two (at most 4,000 characters)."),
        ], required: ["experiment_id", "decision", "rationale"]),
        annotations: Tool.Annotations(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false))

    static let readOnly = Tool.Annotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)

    static let all: [Tool] = [
        Tool(name: "ask", title: "Ask about experiments",
             description: """
                 Answer a question about the experimentation data in plain English ("what is the lift on checkout button?", \
                 "which experiments are underpowered?"). Returns a readout sentence first, then the rows, the SQL that ran, the \
                 guard's verdict and the audit id. Readout never invents a number: every figure comes from the governed warehouse. \
                 When the question is not understood it says what it understood and suggests questions it can answer; requests \
                 for personal data, raw events or changes are refused.
                 """,
             inputSchema: schema(["question": string("The question, in plain English (at most 2,000 characters).")], required: ["question"]),
             annotations: readOnly),
        Tool(name: "run_query", title: "Run a governed SQL query",
             description: """
                 Run one read-only SQLite SELECT through Readout's guard: only the assets and columns your role may read \
                 (list_assets, describe_asset), row limits and a time limit apply, and the query is audited. A refused query is \
                 returned as an error with the guard's reasons; it never runs.
                 """,
             inputSchema: schema(["sql": string("One SELECT statement (SQLite dialect).")], required: ["sql"]),
             annotations: readOnly),
        Tool(name: "dry_run", title: "Check SQL without running it",
             description: "Ask the guard whether a SELECT would be allowed, and see the normalised SQL it would run (with its LIMIT), the tables and the reasons. Nothing is executed or audited.",
             inputSchema: schema(["sql": string("One SELECT statement (SQLite dialect).")], required: ["sql"]),
             annotations: readOnly),
        Tool(name: "list_assets", title: "List readable assets",
             description: "The tables your role may query, with what one row is and a description. Start here before writing SQL.",
             inputSchema: schema([:]), annotations: readOnly),
        Tool(name: "describe_asset", title: "Describe an asset",
             description: "One asset's columns (name, type, description, synonyms) as your role may read them; personal-data columns are never listed.",
             inputSchema: schema(["name": string("The asset's name, as list_assets gives it.")], required: ["name"]),
             annotations: readOnly),
        Tool(name: "list_experiments", title: "List experiments",
             description: "The experiments your role may see, with status, owner, dates and variants. Optionally filtered by status or owner.",
             inputSchema: schema([
                 "status": string("Only experiments in this status.", values: ["draft", "review", "running", "readout", "shipped", "killed"]),
                 "owner": string("Only experiments owned by this team handle, e.g. team-growth."),
             ]),
             annotations: readOnly),
        Tool(name: "experiment_results", title: "Experiment results",
             description: "The statistics engine's analysis of one experiment as JSON: health and sample-ratio check, every arm and metric, lifts with intervals and p-values, guardrails, power and the Launch/Hold/Rollback decision with its reasons.",
             inputSchema: schema([
                 "experiment_id": string("The experiment's id, e.g. exp_checkout_button."),
                 "mode": string("itt (every assigned unit, the default) or exposed (units with a valid exposure).", values: ["itt", "exposed"]),
             ], required: ["experiment_id"]),
             annotations: readOnly),
        Tool(name: "decision_memo", title: "Decision memo",
             description: "The one-page decision memo for an experiment: conclusion, evidence, risks and next actions.",
             inputSchema: schema([
                 "experiment_id": string("The experiment's id, e.g. exp_checkout_button."),
                 "format": string("markdown (default) or html.", values: ["markdown", "html"]),
             ], required: ["experiment_id"]),
             annotations: readOnly),
    ]
}
