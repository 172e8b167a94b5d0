public import Semantic
import Foundation
public import Warehouse

/// One API key as stored (never the secret).
public struct APIKey: Sendable, Codable, Equatable {
    public var keyID: String
    public var name: String
    public var role: String
    public var createdAt: String
    public var revokedAt: String?
}

/// API keys for the HTTP service, in the warehouse's `api_keys` table.
///
/// A key reads `rdo_<key_id>_<secret>`: the id finds the row, and only
/// `SHA-256(salt ‖ secret)` is stored, compared in constant time.
public struct APIKeyStore {
    /// Roles a key may carry: the contract's roles plus `tracker` (event ingestion only).
    public static func validRoles(_ contract: SemanticContract) -> [String] {
        (Array(contract.roles.keys) + [RoleName.tracker.rawValue]).sorted()
    }

    let connection: any WritableWarehouseSession

    /// - Parameter connection: the warehouse (SQLite or PostgreSQL), migrated.
    public init(connection: any WritableWarehouseSession) {
        self.connection = connection
    }

    /// Creates a key and returns it with the one-time plaintext.
    public func create(name: String, role: String) throws -> (key: APIKey, token: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw WarehouseError(code: .invalidArgument, message: "A key needs a name of 1 to 100 characters, e.g. --name slack-bot.")
        }
        if try connection.scalar("SELECT count(*) FROM api_keys WHERE name = ?", [trimmed]).int64 ?? 0 > 0 {
            throw WarehouseError(code: .invalidArgument, message: "A key named \(trimmed) already exists; revoke it first or pick another name.")
        }
        let keyID = Self.randomHex(bytes: 6)
        let secret = Self.randomHex(bytes: 24)
        let salt = Self.randomHex(bytes: 16)
        let key = APIKey(keyID: keyID, name: trimmed, role: role, createdAt: Self.now(), revokedAt: nil)
        try connection.execute(
            "INSERT INTO api_keys (key_id, name, role, salt, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [keyID, trimmed, role, salt, Self.hash(salt: salt, secret: secret), key.createdAt]
        )
        return (key, "rdo_\(keyID)_\(secret)")
    }

    public func list() throws -> [APIKey] {
        try connection.rows("SELECT key_id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at, name").map {
            APIKey(keyID: $0[0].string ?? "", name: $0[1].string ?? "", role: $0[2].string ?? "", createdAt: $0[3].string ?? "", revokedAt: $0[4].string)
        }
    }

    /// Revokes by name or key id; false when there is no such active key.
    @discardableResult
    public func revoke(_ nameOrID: String) throws -> Bool {
        try !connection.rows(
            "UPDATE api_keys SET revoked_at = ? WHERE (name = ? OR key_id = ?) AND revoked_at IS NULL RETURNING key_id", [Self.now(), nameOrID, nameOrID]
        ).isEmpty
    }

    /// The active key a bearer token belongs to, or nil.
    public func authenticate(_ token: String) throws -> APIKey? {
        let parts = token.split(separator: "_")
        guard parts.count == 3, parts[0] == "rdo", parts[1].count == 12, parts[2].count == 48 else { return nil }
        guard let row = try connection.rows(
            "SELECT key_id, name, role, created_at, revoked_at, salt, secret_hash FROM api_keys WHERE key_id = ?", [String(parts[1])]
        ).first else { return nil }
        guard row[4].string == nil, let salt = row[5].string, let stored = row[6].string else { return nil }
        let computed = Self.hash(salt: salt, secret: String(parts[2]))
        guard Self.constantTimeEqual(computed, stored) else { return nil }
        return APIKey(keyID: row[0].string ?? "", name: row[1].string ?? "", role: row[2].string ?? "", createdAt: row[3].string ?? "", revokedAt: nil)
    }

    /// The key with this id if it is still active (a web session re-checks its key on every page).
    public func active(keyID: String) throws -> APIKey? {
        try connection.rows("SELECT key_id, name, role, created_at FROM api_keys WHERE key_id = ? AND revoked_at IS NULL", [keyID]).first.map {
            APIKey(keyID: $0[0].string ?? "", name: $0[1].string ?? "", role: $0[2].string ?? "", createdAt: $0[3].string ?? "", revokedAt: nil)
        }
    }

    static func hash(salt: String, secret: String) -> String {
        SHA256Hex.digest(Data((salt + secret).utf8))
    }

    /// Compares two secrets in time independent of where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// `bytes` random bytes from the system's secure generator, as lower-case hex (key ids,
    /// secrets, salts, the web sessions' ids and tokens).
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func now() -> String {
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC") ?? .current
        return Date().formatted(style)
    }
}
