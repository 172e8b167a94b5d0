/// A measure declared in the contract (`measures:` in `index.yml`): how a figure people ask for is
/// computed from an asset's columns, per row (per arm, per day) and pooled over rows. The planner
/// matches its synonyms and compiles it; the LLM prompt lists it. A new measure needs no Swift.
public struct MeasureDefinition: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    /// The asset whose rows it is computed from.
    public var asset: String
    /// The SQL expression over one row ("1.0 * value_sum / n_converted").
    public var expression: String
    /// The SQL expression over many rows pooled ("1.0 * sum(value_sum) / sum(n_converted)"), if it pools.
    public var pooled: String?
    /// The metric kinds it applies to (`binary`, `continuous`); empty for every kind.
    public var metricKinds: [String]
    public var synonyms: [String]

    public init(id: String, name: String, description: String, asset: String, expression: String, pooled: String? = nil,
                metricKinds: [String] = [], synonyms: [String] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.asset = asset
        self.expression = expression
        self.pooled = pooled
        self.metricKinds = metricKinds
        self.synonyms = synonyms
    }
}
