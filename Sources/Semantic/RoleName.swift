/// A role's name: one of the contract's roles (`analyst`, `chat`, `team_growth`, …) or one
/// of the service's own (`admin`, `auditor`, `tracker`). Typed so that a role and any other
/// string cannot be mixed up; written as a string literal where a fixed role is meant.
public struct RoleName: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: RoleName, b: RoleName) -> Bool { a.rawValue < b.rawValue }

    /// Runs the service: keys, the experiment workflow, metrics; reads the governed assets.
    public static let admin: RoleName = "admin"
    /// Reads the audit log only.
    public static let auditor: RoleName = "auditor"
    /// Sends tracking events only.
    public static let tracker: RoleName = "tracker"
    /// The service roles, which need no entry in the contract.
    public static let service: Set<RoleName> = [.admin, .auditor, .tracker]
}
