/// An actor that owns one ``Connection`` and serialises all work on it.
///
/// The way concurrent code (tests, the server) reaches the warehouse: the
/// connection never leaves the actor, and closures receive it only for the
/// duration of one call. Results must be `Sendable` so no statement or row
/// cursor escapes.
public actor Database {
    private let connection: Connection
    public nonisolated let path: String

    public init(path: String, mode: Connection.OpenMode = .readWrite) throws {
        self.connection = try Connection(path: path, mode: mode)
        self.path = path
    }

    /// Runs `body` with the connection, outside any explicit transaction.
    public func read<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        try body(connection)
    }

    /// Runs `body` with the connection inside one transaction (rolled back if it throws).
    public func write<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        try connection.transaction { try body(connection) }
    }
}
