public import Foundation
public import Semantic

/// Validates and stores tracked exposures and conversions, idempotently: the
/// first (experiment, user key, event type) is stored in `fct_events` (plus an
/// assignment for a new unit), a repeat is acknowledged and stores nothing.
///
/// Durability: the connection runs WAL with `synchronous = FULL`, so a commit is
/// on disk before `track` returns, and the service answers only after the commit.
public final class EventTracker {
    let connection: Connection
    private let writer: EventWriter
    private var experiments: [String: (status: String, variants: Set<String>, conversionEvent: String)] = [:]

    public init(connection: Connection) throws {
        self.connection = connection
        try connection.execute("PRAGMA synchronous = FULL")
        self.writer = try EventWriter(connection: connection)
    }

    /// Tracks one event in its own transaction.
    public func track(_ event: TrackedEvent, now: Date = Date()) -> TrackOutcome {
        do {
            return try connection.transaction { try record(event, now: now) }
        } catch let error as TrackError {
            return .rejected(error)
        } catch {
            return .rejected(TrackError(status: 500, code: "storage_error", message: "The event could not be stored: \((error as? WarehouseError)?.message ?? "\(error)")"))
        }
    }

    /// Tracks many events in one transaction; one bad event does not sink the others.
    public func trackBatch(_ events: [Result<TrackedEvent, TrackError>], now: Date = Date()) throws -> [TrackOutcome] {
        try connection.transaction {
            events.map { item -> TrackOutcome in
                switch item {
                case .failure(let error): return .rejected(error)
                case .success(let event):
                    do {
                        return try connection.transaction { try record(event, now: now) }
                    } catch let error as TrackError {
                        return .rejected(error)
                    } catch {
                        return .rejected(TrackError(status: 500, code: "storage_error", message: "\(error)"))
                    }
                }
            }
        }
    }

    private func record(_ event: TrackedEvent, now: Date) throws -> TrackOutcome {
        let experiment = try lookup(event.experimentID)
        guard experiment.variants.contains(event.variantID) else {
            throw TrackError(status: 400, code: "unknown_variant", message: "Variant \(event.variantID) is not in \(event.experimentID); its variants are \(experiment.variants.sorted().joined(separator: ", ")).")
        }
        guard experiment.status == "running" else {
            throw TrackError(status: 409, code: "experiment_not_running", message: "\(event.experimentID) is \(experiment.status), not running; events are accepted only while it runs.")
        }
        let received = Timestamp.format(Int64(now.timeIntervalSince1970))
        let occurred = event.occurredAt ?? received
        if let existing = try connection.rows(
            "SELECT event_id, occurred_at FROM tracked_events WHERE experiment_id = ? AND unit_id = ? AND event_type = ?",
            [event.experimentID, event.userKey, event.kind.rawValue]
        ).first {
            return .duplicate(eventID: existing[0].int64 ?? 0, occurredAt: existing[1].string ?? "")
        }
        try writer.assignIfNew(experimentID: event.experimentID, unitID: event.userKey, variationID: event.variantID, assignedAt: occurred)
        let id = try writer.append(Event(
            name: event.kind == .exposure ? "exposure" : experiment.conversionEvent,
            unitID: event.userKey,
            experimentID: event.experimentID,
            variationID: event.variantID,
            value: event.value,
            occurredAt: occurred,
            props: event.props
        ))
        try connection.execute(
            "INSERT INTO tracked_events (experiment_id, unit_id, event_type, event_id, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            [event.experimentID, event.userKey, event.kind.rawValue, DatabaseValue.integer(id), occurred, received]
        )
        return .accepted(eventID: id, occurredAt: occurred)
    }

    private func lookup(_ id: String) throws -> (status: String, variants: Set<String>, conversionEvent: String) {
        if let cached = experiments[id], cached.status == "running" { return cached }
        guard let row = try connection.rows(
            "SELECT e.status, coalesce(m.event_name, 'purchase') FROM experiments e LEFT JOIN metrics m ON m.metric_id = e.primary_metric_id WHERE e.experiment_id = ?", [id]
        ).first else {
            throw TrackError(status: 404, code: "unknown_experiment", message: "No experiment \(id).")
        }
        let variants = Set(try connection.rows("SELECT variation_id FROM experiment_variants WHERE experiment_id = ?", [id]).compactMap { $0[0].string })
        let entry = (status: row[0].string ?? "", variants: variants, conversionEvent: row[1].string ?? "purchase")
        experiments[id] = entry
        return entry
    }

}
