import Foundation
import Logging
import NIOCore
import PostgresNIO
public import Warehouse

/// The demo generator's rows into PostgreSQL with `COPY … FROM STDIN` (text format): one buffer per
/// table, streamed whenever it passes a few megabytes, in the order the rows were made (so event ids,
/// assigned by the identity column in arrival order, equal SQLite's).
public final class PostgresDemoLoader: DemoRowLoader {
    private let session: PostgresSession
    private var users = ByteBuffer()
    private var assignments = ByteBuffer()
    private var events = ByteBuffer()
    private let flushBytes = 4 << 20

    public init(session: PostgresSession) {
        self.session = session
    }

    public func addUser(id: String, email: String, country: String, createdAt: String) throws {
        Self.line(&users, [id, email, country, createdAt])
        if users.readableBytes >= flushBytes { try flush(&users, table: "users", columns: ["user_id", "email", "country", "created_at"]) }
    }

    public func assign(experimentID: String, unitID: String, variationID: String, assignedAt: String) throws {
        Self.line(&assignments, [experimentID, unitID, variationID, assignedAt])
        if assignments.readableBytes >= flushBytes {
            try flush(&assignments, table: "fct_experiment_assignments", columns: ["experiment_id", "unit_id", "variation_id", "assigned_at"])
        }
    }

    public func append(_ event: Event) throws {
        Self.line(&events, [event.name, event.unitID, event.experimentID, event.variationID, event.value.map { "\($0)" }, event.occurredAt, event.props])
        if events.readableBytes >= flushBytes {
            try flush(&events, table: "fct_events", columns: ["event_name", "unit_id", "experiment_id", "variation_id", "value", "occurred_at", "props"])
        }
    }

    public func finish() throws {
        try flush(&users, table: "users", columns: ["user_id", "email", "country", "created_at"])
        try flush(&assignments, table: "fct_experiment_assignments", columns: ["experiment_id", "unit_id", "variation_id", "assigned_at"])
        try flush(&events, table: "fct_events", columns: ["event_name", "unit_id", "experiment_id", "variation_id", "value", "occurred_at", "props"])
    }

    private func flush(_ buffer: inout ByteBuffer, table: String, columns: [String]) throws {
        guard buffer.readableBytes > 0 else { return }
        let data = buffer
        buffer = ByteBuffer()
        let connection = session.connection, logger = session.logger
        do {
            try Blocking.run {
                try await connection.copyFrom(table: table, columns: columns, format: .text(.init()), logger: logger) { writer in
                    try await writer.write(data)
                }
            }
        } catch {
            throw PostgresSession.warehouseError(error, sql: "COPY \(table) FROM STDIN", location: session.location)
        }
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
    static func line(_ buffer: inout ByteBuffer, _ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.writeStaticString("\\N")
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}
