public import Foundation
import Warehouse

/// A PostgreSQL warehouse address: `postgresql://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]`
/// (also `postgres://`). The password may instead come from `PGPASSWORD`; a missing
/// user is `PGUSER`, else `postgres`; a missing `sslmode` is `PGSSLMODE`, else `prefer`, and a
/// missing `sslrootcert` is `PGSSLROOTCERT` — as psql reads them.
///
/// ``description`` never shows the password: it is what messages, logs and the audit
/// log print.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode`: whether the connection is encrypted and what is checked.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, else plain TCP; the certificate is not checked (psql's default).
        case allow, prefer
        /// TLS or no connection; the certificate is not checked.
        case require
        /// TLS with a certificate signed by a trusted authority (`sslrootcert`, else the system's).
        case verifyCA = "verify-ca"
        /// As verify-ca, and the certificate names the host.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// A file of trusted certificate authorities (PEM) for verify-ca and verify-full.
    public var sslRootCert: String?

    public init(user: String, password: String? = nil, host: String = "127.0.0.1", port: Int = 5432, database: String,
                sslMode: SSLMode = .prefer, sslRootCert: String? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
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
        var mode = environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 }
        var rootCert = environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": mode = item.value
            case "sslrootcert": rootCert = item.value
            default:
                throw WarehouseError(code: .invalidArgument, message: "The PostgreSQL URL '\(Self.redact(text))' has the parameter \(item.name), which Readout does not read; it reads sslmode and sslrootcert.")
            }
        }
        guard let sslMode = SSLMode(rawValue: mode ?? "prefer") else {
            throw WarehouseError(code: .invalidArgument, message: "sslmode \(mode ?? "") is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")) (in the URL or PGSSLMODE).")
        }
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
        self.sslRootCert = rootCert
    }

    /// The URL without its password (with its sslmode when it is not the default).
    public var description: String {
        "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" + (sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)")
    }

    /// `text` with any password between `://user:` and `@` replaced by `***`.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return text.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}
