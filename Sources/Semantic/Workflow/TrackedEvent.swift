/// What a tracking client sends and what it is told back (`POST /api/track`). Pure values.
/// One event as a tracking client sends it (`POST /api/track`).
public struct TrackedEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case exposure, conversion }
    public var experimentID: String
    public var variantID: String
    public var userKey: String
    public var kind: Kind
    /// A JSON object as text, or nil.
    public var props: String?
    /// `YYYY-MM-DD HH:MM:SS` UTC, or nil for "now".
    public var occurredAt: String?
    /// A numeric `value` from props, for continuous metrics.
    public var value: Double?

    public init(experimentID: String, variantID: String, userKey: String, kind: Kind, props: String? = nil, occurredAt: String? = nil, value: Double? = nil) {
        self.experimentID = experimentID
        self.variantID = variantID
        self.userKey = userKey
        self.kind = kind
        self.props = props
        self.occurredAt = occurredAt
        self.value = value
    }
}

/// What happened to one tracked event.
public enum TrackOutcome: Sendable, Equatable {
    case accepted(eventID: Int64, occurredAt: String)
    case duplicate(eventID: Int64, occurredAt: String)
    case rejected(TrackError)
}

/// Why an event was refused; `status` is the HTTP status the service answers with.
public struct TrackError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
