import SQLParser
/// The semantic contract: every asset the warehouse holds, which of their
/// columns may be read, which assets each role may read (and through which
/// row filters), and what the metrics mean. Loaded from `semantic/contract/`.
///
/// It is an allowlist: an asset, column or role it does not name is denied,
/// and an empty contract denies everything.
public struct SemanticContract: Sendable {
    public var assets: [String: Asset]
    public var roles: [String: Role]
    public var metrics: [MetricDefinition]
    /// How the figures people ask for are computed (`measures:` in `index.yml`).
    public var measures: [MeasureDefinition]

    public init(assets: [Asset] = [], roles: [Role] = [], metrics: [MetricDefinition] = [], measures: [MeasureDefinition] = []) {
        self.assets = Dictionary(assets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.roles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = metrics
        self.measures = measures
    }

    /// True when the contract allows nothing at all.
    public var isEmpty: Bool { assets.isEmpty || roles.values.allSatisfy { $0.assets.isEmpty } }

    /// The asset a (canonical, lowercased) table name refers to.
    public func asset(_ name: String) -> Asset? { assets[name] }

    /// Whether `role` may read `column` of `table`.
    public func allows(role: String, table: String, column: String) -> Bool {
        guard let role = roles[role], role.assets.contains(table), let asset = assets[table] else { return false }
        return asset.column(column)?.isReadable ?? false
    }

    /// The assets `role` may read, in name order.
    public func readableAssets(for role: String) -> [Asset] {
        guard let role = roles[role] else { return [] }
        return role.assets.sorted().compactMap { assets[$0] }
    }
}

public struct Asset: Sendable {
    public var name: String
    public var description: String
    public var grain: String
    public var primaryKey: [String]
    public var owner: String
    public var columns: [Column] {
        didSet { index = Self.index(columns) }
    }
    public var synonyms: [String]
    public var relationships: [Relationship]
    /// The file the asset was read from, for messages.
    public var file: String

    public init(name: String, description: String, grain: String, primaryKey: [String], owner: String, columns: [Column], synonyms: [String], relationships: [Relationship], file: String) {
        self.name = name
        self.description = description
        self.grain = grain
        self.primaryKey = primaryKey
        self.owner = owner
        self.columns = columns
        self.synonyms = synonyms
        self.relationships = relationships
        self.file = file
        self.index = Self.index(columns)
    }

    /// Column positions by ASCII-lowercased name.
    private var index: [String: Int]

    private static func index(_ columns: [Column]) -> [String: Int] {
        Dictionary(columns.enumerated().map { (Name.fold($0.element.name), $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    public func column(_ name: String) -> Column? {
        index[Name.fold(name)].map { columns[$0] }
    }

    /// Columns any role may see when it may read this asset.
    public var readableColumns: [Column] { columns.filter(\.isReadable) }
}

public struct Column: Sendable {
    public var name: String
    /// `text`, `integer`, `real`, `blob` or `numeric`.
    public var type: String
    public var description: String
    public var pii: Bool
    public var allowed: Bool
    public var synonyms: [String]

    public init(name: String, type: String, description: String, pii: Bool, allowed: Bool, synonyms: [String]) {
        self.name = name
        self.type = type
        self.description = description
        self.pii = pii
        self.allowed = allowed
        self.synonyms = synonyms
    }

    /// PII is never readable, whatever `allowed` says.
    public var isReadable: Bool { allowed && !pii }
}

public struct Relationship: Sendable {
    public var asset: String
    /// This asset's column → the other asset's column.
    public var on: [(from: String, to: String)]
}

public struct Role: Sendable {
    public var name: String
    public var description: String
    /// Asset names this role may read.
    public var assets: Set<String>
    /// Asset name → SQL condition every row must satisfy (trusted SQL from the contract).
    public var rowPolicies: [String: String]

    public init(name: String, description: String, assets: Set<String>, rowPolicies: [String: String]) {
        self.name = name
        self.description = description
        self.assets = assets
        self.rowPolicies = rowPolicies
    }
}

public struct MetricDefinition: Sendable, Codable {
    public enum Direction: String, Sendable, Codable { case increase, decrease }
    public var id: String
    public var name: String
    /// `binary` or `continuous`.
    public var kind: String
    public var direction: Direction
    public var synonyms: [String]
}
