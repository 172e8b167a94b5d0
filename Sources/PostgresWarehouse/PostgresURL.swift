public import Foundation
import Warehouse

/// A PostgreSQL warehouse address: `postgresql://user[:password]@host[:port]/database`
/// (also `postgres://`). The password may instead come from `PGPASSWORD`; a missing
/// user is `PGUSER`, else `postgres`.
///
/// ``description`` never shows the password: it is what messages, logs and the audit
/// log print.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    public init(user: String, password: String? = nil, host: String = "127.0.0.1", port: Int = 5432, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Whether `text` names a PostgreSQL warehouse rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// Parses a URL; the error says what is wrong and shows an example.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let example = "postgresql://readout@127.0.0.1:5432/warehouse"
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw WarehouseError(code: .invalidArgument, message: "'\(Self.redact(text))' is not a PostgreSQL URL. Write it as \(example).")
        }
        guard let host = components.host, !host.isEmpty else {
            throw WarehouseError(code: .invalidArgument, message: "The PostgreSQL URL '\(Self.redact(text))' names no host. Write it as \(example).")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw WarehouseError(code: .invalidArgument, message: "The PostgreSQL URL '\(Self.redact(text))' names no database (the path after the host). Write it as \(example).")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw WarehouseError(code: .invalidArgument, message: "The PostgreSQL URL '\(Self.redact(text))' has port \(port); use 1 to 65535.")
        }
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
    }

    /// The URL without its password.
    public var description: String {
        "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// `text` with any password between `://user:` and `@` replaced by `***`.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return text.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}
