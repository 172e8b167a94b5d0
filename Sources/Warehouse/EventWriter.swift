/// One tracked event, ready to store in `fct_events`.
public struct Event: Sendable, Hashable {
    public var name: String
    public var unitID: String
    public var experimentID: String?
    public var variationID: String?
    public var value: Double?
    /// `YYYY-MM-DD HH:MM:SS`, UTC (see ``Timestamp``).
    public var occurredAt: String
    /// A JSON object, or nil.
    public var props: String?

    public init(name: String, unitID: String, experimentID: String? = nil, variationID: String? = nil, value: Double? = nil, occurredAt: String, props: String? = nil) {
        self.name = name
        self.unitID = unitID
        self.experimentID = experimentID
        self.variationID = variationID
        self.value = value
        self.occurredAt = occurredAt
        self.props = props
    }
}

/// Appends events and assignments through prepared statements.
///
/// SQLite's bulk ingestion path: the demo generator uses it (tracking over HTTP
/// runs the same SQL on either engine, in ``EventTracker``). It binds typed
/// values straight into reused statements, so call it inside one transaction
/// for bulk loads (a transaction per row is ~1000× slower on disk). Like ``Connection`` it is not `Sendable`.
public final class EventWriter {
    private let insertEvent: PreparedStatement
    private let insertAssignment: PreparedStatement
    private let connection: Connection

    public init(connection: Connection) throws {
        self.connection = connection
        insertEvent = try connection.prepare(
            "INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        insertAssignment = try connection.prepare(
            "INSERT INTO fct_experiment_assignments (experiment_id, unit_id, variation_id, assigned_at) VALUES (?, ?, ?, ?)"
        )
    }

    /// Stores one event and returns its `event_id`.
    @discardableResult
    public func append(_ event: Event) throws -> Int64 {
        insertEvent.bind(event.name, at: 1)
        insertEvent.bind(event.unitID, at: 2)
        bindOptional(event.experimentID, at: 3)
        bindOptional(event.variationID, at: 4)
        if let value = event.value { insertEvent.bind(value, at: 5) } else { insertEvent.bindNull(at: 5) }
        insertEvent.bind(event.occurredAt, at: 6)
        bindOptional(event.props, at: 7)
        try insertEvent.run()
        return connection.lastInsertRowID
    }

    /// Records that `unitID` was assigned to `variationID` of `experimentID`.
    public func assign(experimentID: String, unitID: String, variationID: String, assignedAt: String) throws {
        insertAssignment.bind(experimentID, at: 1)
        insertAssignment.bind(unitID, at: 2)
        insertAssignment.bind(variationID, at: 3)
        insertAssignment.bind(assignedAt, at: 4)
        try insertAssignment.run()
    }

    private func bindOptional(_ text: String?, at index: Int32) {
        if let text { insertEvent.bind(text, at: index) } else { insertEvent.bindNull(at: index) }
    }
}
