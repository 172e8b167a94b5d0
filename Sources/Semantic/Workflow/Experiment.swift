/// The vocabulary of the experiment workflow, shared by the warehouse (which stores it),
/// the gateway (which governs it) and the faces (which show it): records, intake, the
/// lifecycle's allowed moves and what can go wrong. Pure values, no I/O.

/// An experiment with its variants, as the workflow routes show it.
public struct ExperimentRecord: Sendable, Codable, Equatable {
    public struct Variant: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var allocation: Double
        public var isControl: Bool

        public init(id: String, name: String, allocation: Double, isControl: Bool) {
            self.id = id
            self.name = name
            self.allocation = allocation
            self.isControl = isControl
        }
    }
    public struct RecordedDecision: Sendable, Codable, Equatable {
        public var decision: String
        public var rationale: String?
        public var decidedBy: String
        public var decidedAt: String

        public init(decision: String, rationale: String?, decidedBy: String, decidedAt: String) {
            self.decision = decision
            self.rationale = rationale
            self.decidedBy = decidedBy
            self.decidedAt = decidedAt
        }
    }
    public var id: String
    public var name: String
    public var hypothesis: String?
    public var primaryMetric: String?
    public var status: String
    public var owner: String?
    public var createdAt: String
    public var startedAt: String?
    public var endedAt: String?
    public var variants: [Variant]
    public var decisions: [RecordedDecision]

    public init(id: String, name: String, hypothesis: String?, primaryMetric: String?, status: String, owner: String?, createdAt: String,
                startedAt: String?, endedAt: String?, variants: [Variant], decisions: [RecordedDecision]) {
        self.id = id
        self.name = name
        self.hypothesis = hypothesis
        self.primaryMetric = primaryMetric
        self.status = status
        self.owner = owner
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.variants = variants
        self.decisions = decisions
    }
}

/// A new experiment as submitted at intake.
public struct ExperimentIntake: Sendable {
    public var id: String?
    public var name: String
    public var hypothesis: String
    public var primaryMetric: String
    public var owner: String
    /// (id, name, allocation, isControl)
    public var variants: [(id: String, name: String, allocation: Double, isControl: Bool)]

    public init(id: String?, name: String, hypothesis: String, primaryMetric: String, owner: String, variants: [(id: String, name: String, allocation: Double, isControl: Bool)]) {
        self.id = id
        self.name = name
        self.hypothesis = hypothesis
        self.primaryMetric = primaryMetric
        self.owner = owner
        self.variants = variants
    }
}

/// The lifecycle: draft → review → running → readout → shipped | killed.
public enum ExperimentLifecycle {
    /// Each status and the statuses it may move to.
    public static let transitions: [String: [String]] = [
        "draft": ["review"], "review": ["draft", "running"], "running": ["readout"], "readout": ["shipped", "killed"],
        "shipped": [], "killed": [],
    ]
}

/// Why a workflow request was refused.
public struct WorkflowProblem: Error, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The request breaks a rule (a field named in `field`).
        case invalid
        case notFound = "not_found"
        /// Not allowed from the current state; `allowed` lists what is.
        case conflict
    }

    public var kind: Kind
    public var field: String?
    public var message: String
    public var allowed: [String]

    public init(kind: Kind, field: String? = nil, message: String, allowed: [String] = []) {
        self.kind = kind
        self.field = field
        self.message = message
        self.allowed = allowed
    }
}
