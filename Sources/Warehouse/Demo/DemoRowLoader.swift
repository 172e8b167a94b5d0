/// Where the demo generator's rows go. The generator draws every value in a fixed order
/// and hands rows over one by one; how they reach the tables is the engine's business:
/// SQLite binds them into reused prepared statements, PostgreSQL streams them with COPY.
public protocol DemoRowLoader: AnyObject {
    func addUser(id: String, email: String, country: String, createdAt: String) throws
    func assign(experimentID: String, unitID: String, variationID: String, assignedAt: String) throws
    /// Appends one event; event ids follow the order of the calls.
    func append(_ event: Event) throws
    /// Writes whatever is still buffered; called once, after the last row.
    func finish() throws
}

/// SQLite's loader: one prepared statement per table, bound and stepped per row.
final class SQLiteDemoLoader: DemoRowLoader {
    private let writer: EventWriter
    private let insertUser: PreparedStatement

    init(connection: Connection) throws {
        writer = try EventWriter(connection: connection)
        insertUser = try connection.prepare("INSERT INTO users (user_id, email, country, created_at) VALUES (?, ?, ?, ?)")
    }

    func addUser(id: String, email: String, country: String, createdAt: String) throws {
        insertUser.bind(id, at: 1)
        insertUser.bind(email, at: 2)
        insertUser.bind(country, at: 3)
        insertUser.bind(createdAt, at: 4)
        try insertUser.run()
    }

    func assign(experimentID: String, unitID: String, variationID: String, assignedAt: String) throws {
        try writer.assign(experimentID: experimentID, unitID: unitID, variationID: variationID, assignedAt: assignedAt)
    }

    func append(_ event: Event) throws {
        try writer.append(event)
    }

    func finish() throws {}
}
