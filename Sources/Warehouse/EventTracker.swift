public import Foundation
import SQLParser
public import Semantic

/// Validates and stores tracked exposures and conversions, idempotently: the
/// first (experiment, user key, event type) is stored in `fct_events` (plus an
/// assignment for a new unit), a repeat is acknowledged and stores nothing.
///
/// The same SQL runs on SQLite and PostgreSQL: the assignment and the idempotency row are
/// written with `ON CONFLICT … DO NOTHING`, so a key another writer stored first (a second
/// server on the same PostgreSQL database) is reported as a duplicate, never stored twice.
///
/// Durability: a SQLite connection runs WAL with `synchronous = FULL` and PostgreSQL commits
/// are durable (its default `synchronous_commit = on`), so an event is on disk before `track`
/// returns, and the service answers only after the commit.
public final class EventTracker {
    let connection: any WritableWarehouseSession
    private var experiments: [String: (status: String, variants: Set<String>, conversionEvent: String)] = [:]

    public init(connection: any WritableWarehouseSession) throws {
        self.connection = connection
        if connection.dialect == .sqlite { try connection.execute("PRAGMA synchronous = FULL") }
    }

    /// A key another writer stored between this event's duplicate probe and its insert.
    private struct StoredMeanwhile: Error {}

    /// Tracks one event in its own transaction.
    public func track(_ event: TrackedEvent, now: Date = Date()) -> TrackOutcome {
        do {
            return try connection.transaction { try record(event, now: now) }
        } catch let error as TrackError {
            return .rejected(error)
        } catch is StoredMeanwhile {
            if let duplicate = try? existing(event) { return duplicate }
            return .rejected(TrackError(status: 500, code: "storage_error", message: "The event could not be stored."))
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
                    } catch is StoredMeanwhile {
                        return (try? existing(event)).flatMap { $0 } ?? .rejected(TrackError(status: 500, code: "storage_error", message: "The event could not be stored."))
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
        if let duplicate = try existing(event) { return duplicate }
        try connection.execute(
            "INSERT INTO fct_experiment_assignments (experiment_id, unit_id, variation_id, assigned_at) VALUES (?, ?, ?, ?) ON CONFLICT (experiment_id, unit_id) DO NOTHING",
            [event.experimentID, event.userKey, event.variantID, occurred]
        )
        let name = event.kind == .exposure ? "exposure" : experiment.conversionEvent
        guard let id = try connection.scalar(
            "INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING event_id",
            [name, event.userKey, event.experimentID, event.variantID, event.value.map(DatabaseValue.real) ?? .null, occurred, event.props.map(DatabaseValue.text) ?? .null]
        ).int64 else {
            throw TrackError(status: 500, code: "storage_error", message: "The event was not given an id.")
        }
        let claimed = try connection.rows(
            "INSERT INTO tracked_events (experiment_id, unit_id, event_type, event_id, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, unit_id, event_type) DO NOTHING RETURNING event_id",
            [event.experimentID, event.userKey, event.kind.rawValue, DatabaseValue.integer(id), occurred, received]
        )
        // Another writer stored this key after the probe: undo this event's rows (the caller's
        // transaction rolls back) and answer with the stored one.
        guard !claimed.isEmpty else { throw StoredMeanwhile() }
        return .accepted(eventID: id, occurredAt: occurred)
    }

    /// The stored event for this key, as a duplicate, or nil when there is none.
    private func existing(_ event: TrackedEvent) throws -> TrackOutcome? {
        try connection.rows(
            "SELECT event_id, occurred_at FROM tracked_events WHERE experiment_id = ? AND unit_id = ? AND event_type = ?",
            [event.experimentID, event.userKey, event.kind.rawValue]
        ).first.map { .duplicate(eventID: $0[0].int64 ?? 0, occurredAt: $0[1].string ?? "") }
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
