public import Foundation
import SQLParser
public import Semantic

/// Validates and stores tracked exposures and conversions, idempotently: the
/// first (experiment, user key, event type) is stored in `fct_events` (plus an
/// assignment for a new unit), a repeat is acknowledged and stores nothing.
///
/// A batch is validated whole before anything is written (one lookup per experiment, one
/// duplicate probe per few hundred keys), then its new events are inserted in one transaction:
/// one commit, so one fsync, per batch. Single events go the same way as batches of one; the
/// service's ``TrackingQueue`` gathers events that arrive together into one batch.
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
    private var experiments: [String: Experiment] = [:]

    struct Experiment {
        var status: String
        var variants: Set<String>
        var conversionEvent: String
    }

    /// An event's idempotency key.
    struct Key: Hashable {
        var experimentID: String
        var unitID: String
        var kind: String
    }

    /// Keys per duplicate probe (PostgreSQL takes at most 65,535 parameters, SQLite 32,766).
    static let probeChunk = 500
    /// Events per multi-row INSERT (7 values each).
    static let insertChunk = 200

    /// `(?, ?, …), (?, ?, …), …`: `rows` tuples of `columns` placeholders.
    static func tuples(_ rows: Int, _ columns: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: tuple, count: rows).joined(separator: ", ")
    }

    public init(connection: any WritableWarehouseSession) throws {
        self.connection = connection
        if connection.dialect == .sqlite {
            try connection.execute("PRAGMA synchronous = FULL")
            // Statement journals (kept for each INSERT … RETURNING / ON CONFLICT inside the batch's
            // transaction) in memory, not in a temporary file: on disk a 10,000-event batch made
            // ~43,000 small writes to it.
            try connection.execute("PRAGMA temp_store = MEMORY")
        }
    }

    /// Tracks one event in its own transaction.
    public func track(_ event: TrackedEvent, now: Date = Date()) -> TrackOutcome {
        do {
            return try trackBatch([.success(event)], now: now)[0]
        } catch {
            return .rejected(Self.storageError(error))
        }
    }

    /// An event that passed validation, on its way to storage.
    private struct Pending {
        var index: Int
        var event: TrackedEvent
        var key: Key
        /// The stored event name: `exposure`, or the experiment's conversion event.
        var name: String
        var occurred: String
    }

    /// Tracks many events in one transaction. Events that fail validation (unknown experiment or
    /// variant, not running) are rejected one by one and never sink the others; a failure to store
    /// (disk full, a lost connection) stores none of them and throws.
    public func trackBatch(_ events: [Result<TrackedEvent, TrackError>], now: Date = Date()) throws -> [TrackOutcome] {
        var outcomes = [TrackOutcome?](repeating: nil, count: events.count)
        let received = Timestamp.format(Int64(now.timeIntervalSince1970))
        // 1. Validate every event before writing anything: one lookup per experiment.
        var valid: [Pending] = []
        valid.reserveCapacity(events.count)
        var looked: [String: Result<Experiment, TrackError>] = [:]
        for index in events.indices {
            let event: TrackedEvent
            switch events[index] {
            case .failure(let error):
                outcomes[index] = .rejected(error)
                continue
            case .success(let value): event = value
            }
            let experiment: Experiment
            if let known = looked[event.experimentID] {
                switch known {
                case .success(let value): experiment = value
                case .failure(let error):
                    outcomes[index] = .rejected(error)
                    continue
                }
            } else {
                do {
                    experiment = try lookup(event.experimentID)
                    looked[event.experimentID] = .success(experiment)
                } catch let error as TrackError {
                    looked[event.experimentID] = .failure(error)
                    outcomes[index] = .rejected(error)
                    continue
                }
            }
            guard experiment.variants.contains(event.variantID) else {
                outcomes[index] = .rejected(TrackError(status: 400, code: "unknown_variant", message: "Variant \(event.variantID) is not in \(event.experimentID); its variants are \(experiment.variants.sorted().joined(separator: ", "))."))
                continue
            }
            guard experiment.status == "running" else {
                outcomes[index] = .rejected(TrackError(status: 409, code: "experiment_not_running", message: "\(event.experimentID) is \(experiment.status), not running; events are accepted only while it runs."))
                continue
            }
            valid.append(Pending(
                index: index, event: event, key: Key(experimentID: event.experimentID, unitID: event.userKey, kind: event.kind.rawValue),
                name: event.kind == .exposure ? "exposure" : experiment.conversionEvent, occurred: event.occurredAt ?? received
            ))
        }
        guard !valid.isEmpty else { return outcomes.map { $0 ?? .rejected(Self.storageError(nil)) } }
        // 2. One transaction: probe the keys already stored, then insert the new events in order
        //    (a key repeated within the batch is a duplicate of its first event).
        try connection.transaction {
            let stored = try storedEvents(valid.map(\.key))
            // New events in order; a key already stored, or repeated within the batch, is a duplicate.
            var fresh: [Pending] = []
            fresh.reserveCapacity(valid.count)
            var seen: Set<Key> = []
            seen.reserveCapacity(valid.count)
            var repeats: [(index: Int, key: Key)] = []
            for item in valid {
                if let existing = stored[item.key] {
                    outcomes[item.index] = .duplicate(eventID: existing.eventID, occurredAt: existing.occurredAt)
                } else if !seen.insert(item.key).inserted {
                    repeats.append((item.index, item.key))
                } else {
                    fresh.append(item)
                }
            }
            var written: [Key: (eventID: Int64, occurredAt: String)] = [:]
            written.reserveCapacity(fresh.count)
            var start = 0
            while start < fresh.count {
                let chunk = fresh[start..<min(start + Self.insertChunk, fresh.count)]
                start += chunk.count
                // Several rows per statement (fewer round trips, one plan): assignments first (a unit's
                // first event in the batch assigns it), then the events, then the idempotency rows.
                var assignments: [any DatabaseValueConvertible] = []
                var events: [any DatabaseValueConvertible] = []
                assignments.reserveCapacity(chunk.count * 4)
                events.reserveCapacity(chunk.count * 7)
                for item in chunk {
                    assignments.append(item.event.experimentID)
                    assignments.append(item.event.userKey)
                    assignments.append(item.event.variantID)
                    assignments.append(item.occurred)
                    events.append(item.name)
                    events.append(item.event.userKey)
                    events.append(item.event.experimentID)
                    events.append(item.event.variantID)
                    events.append(item.event.value.map(DatabaseValue.real) ?? DatabaseValue.null)
                    events.append(item.occurred)
                    events.append(item.event.props.map(DatabaseValue.text) ?? DatabaseValue.null)
                }
                try connection.execute(Self.insertSQL(.assignments, rows: chunk.count), assignments)
                // Ids come back with each row's identity (RETURNING's order is not promised).
                var ids: [StoredName: Int64] = [:]
                ids.reserveCapacity(chunk.count)
                for row in try connection.rows(Self.insertSQL(.events, rows: chunk.count), events) {
                    guard let id = row[0].int64, let experiment = row[1].string, let unit = row[2].string, let name = row[3].string else { continue }
                    ids[StoredName(experimentID: experiment, unitID: unit, name: name)] = id
                }
                var claims: [any DatabaseValueConvertible] = []
                claims.reserveCapacity(chunk.count * 6)
                for item in chunk {
                    guard let id = ids[StoredName(experimentID: item.event.experimentID, unitID: item.event.userKey, name: item.name)] else {
                        throw WarehouseError(code: .invalidArgument, message: "An event was stored without an id it could be found by.")
                    }
                    claims.append(item.event.experimentID)
                    claims.append(item.event.userKey)
                    claims.append(item.key.kind)
                    claims.append(DatabaseValue.integer(id))
                    claims.append(item.occurred)
                    claims.append(received)
                    written[item.key] = (id, item.occurred)
                }
                var claimed = Set<Int64>()
                claimed.reserveCapacity(chunk.count)
                for row in try connection.rows(Self.insertSQL(.claims, rows: chunk.count), claims) {
                    if let id = row[0].int64 { claimed.insert(id) }
                }
                for item in chunk {
                    guard let mine = written[item.key] else { continue }
                    if claimed.contains(mine.eventID) {
                        outcomes[item.index] = .accepted(eventID: mine.eventID, occurredAt: mine.occurredAt)
                        continue
                    }
                    // Another writer stored this key after the probe: take this event back and
                    // answer with the stored one.
                    try connection.execute("DELETE FROM fct_events WHERE event_id = ?", [DatabaseValue.integer(mine.eventID)])
                    let existing = try storedEvents([item.key])[item.key]
                    written[item.key] = existing
                    outcomes[item.index] = existing.map { .duplicate(eventID: $0.eventID, occurredAt: $0.occurredAt) } ?? .rejected(Self.storageError(nil))
                }
            }
            for repeated in repeats {
                outcomes[repeated.index] = written[repeated.key].map { .duplicate(eventID: $0.eventID, occurredAt: $0.occurredAt) } ?? .rejected(Self.storageError(nil))
            }
        }
        return outcomes.map { $0 ?? .rejected(Self.storageError(nil)) }
    }

    /// A stored event's identity as `RETURNING` gives it back.
    private struct StoredName: Hashable {
        var experimentID: String
        var unitID: String
        var name: String
    }

    private enum InsertTable { case assignments, events, claims }

    /// The multi-row INSERT for `rows` events into one of the three tables; the full chunk's SQL
    /// is built once (and SQLite's statement cache finds it by this text).
    private static func insertSQL(_ table: InsertTable, rows: Int) -> String {
        if rows == insertChunk {
            switch table {
            case .assignments: return fullChunkSQL.assignments
            case .events: return fullChunkSQL.events
            case .claims: return fullChunkSQL.claims
            }
        }
        return buildInsertSQL(table, rows: rows)
    }

    private static let fullChunkSQL = (
        assignments: buildInsertSQL(.assignments, rows: insertChunk),
        events: buildInsertSQL(.events, rows: insertChunk),
        claims: buildInsertSQL(.claims, rows: insertChunk)
    )

    private static func buildInsertSQL(_ table: InsertTable, rows: Int) -> String {
        switch table {
        case .assignments:
            "INSERT INTO fct_experiment_assignments (experiment_id, unit_id, variation_id, assigned_at) VALUES \(tuples(rows, 4)) ON CONFLICT (experiment_id, unit_id) DO NOTHING"
        case .events:
            "INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props) VALUES \(tuples(rows, 7)) RETURNING event_id, experiment_id, unit_id, event_name"
        case .claims:
            "INSERT INTO tracked_events (experiment_id, unit_id, event_type, event_id, occurred_at, received_at) VALUES \(tuples(rows, 6)) ON CONFLICT (experiment_id, unit_id, event_type) DO NOTHING RETURNING event_id"
        }
    }

    /// The stored event of each key that has one: one query per experiment, event type and chunk of units.
    private func storedEvents(_ keys: [Key]) throws -> [Key: (eventID: Int64, occurredAt: String)] {
        var found: [Key: (eventID: Int64, occurredAt: String)] = [:]
        let groups = Dictionary(grouping: keys) { ProbeGroup(experimentID: $0.experimentID, kind: $0.kind) }
        for (_, group) in groups.sorted(by: { ($0.key.experimentID, $0.key.kind) < ($1.key.experimentID, $1.key.kind) }) {
            guard let first = group.first else { continue }
            let units = Set(group.map(\.unitID)).sorted()
            var start = 0
            while start < units.count {
                let chunk = units[start..<min(start + Self.probeChunk, units.count)]
                var arguments: [any DatabaseValueConvertible] = [first.experimentID, first.kind]
                arguments.append(contentsOf: chunk.map { $0 as any DatabaseValueConvertible })
                let rows = try connection.rows(
                    "SELECT unit_id, event_id, occurred_at FROM tracked_events WHERE experiment_id = ? AND event_type = ? AND unit_id IN \(Self.tuples(1, chunk.count))",
                    arguments
                )
                for row in rows {
                    guard let unit = row[0].string else { continue }
                    found[Key(experimentID: first.experimentID, unitID: unit, kind: first.kind)] = (row[1].int64 ?? 0, row[2].string ?? "")
                }
                start += chunk.count
            }
        }
        return found
    }

    private struct ProbeGroup: Hashable {
        var experimentID: String
        var kind: String
    }

    private func lookup(_ id: String) throws -> Experiment {
        if let cached = experiments[id], cached.status == "running" { return cached }
        let row: Row?
        let variants: Set<String>
        do {
            row = try connection.rows(
                "SELECT e.status, coalesce(m.event_name, 'purchase') FROM experiments e LEFT JOIN metrics m ON m.metric_id = e.primary_metric_id WHERE e.experiment_id = ?", [id]
            ).first
            variants = Set(try connection.rows("SELECT variation_id FROM experiment_variants WHERE experiment_id = ?", [id]).compactMap { $0[0].string })
        } catch {
            throw Self.storageError(error)
        }
        guard let row else {
            throw TrackError(status: 404, code: "unknown_experiment", message: "No experiment \(id).")
        }
        let entry = Experiment(status: row[0].string ?? "", variants: variants, conversionEvent: row[1].string ?? "purchase")
        experiments[id] = entry
        return entry
    }

    /// 500 `storage_error`: the event could not be stored, with the database's reason when there is one.
    public static func storageError(_ error: (any Error)?) -> TrackError {
        let detail = error.map { ": \(($0 as? WarehouseError)?.message ?? "\($0)")" } ?? "."
        return TrackError(status: 500, code: "storage_error", message: "The event could not be stored\(detail)")
    }
}
