/// A column of a computed model's output table.
public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    /// The declared SQLite type (`TEXT`, `INTEGER`, `REAL`).
    public var type: String

    public init(_ name: String, _ type: String) {
        self.name = name
        self.type = type
    }
}

/// Swift logic that turns the rows of a model's SELECT into the rows of its table.
///
/// For the few models whose columns cannot be written in SQL (statistics); a
/// model names its computation in a `-- compute:` header. The SELECT stays
/// in the model file, so what a computation reads is still visible as SQL.
public protocol ModelComputation: Sendable {
    /// The name a model's `-- compute:` header refers to.
    var name: String { get }
    /// The output table's columns, in order.
    var outputColumns: [ColumnDefinition] { get }
    /// One output row (values in `outputColumns` order) for one input row.
    func compute(_ row: Row) throws -> [DatabaseValue]
}

extension Array where Element == any ModelComputation {
    /// The computations the shipped models use.
    public static var standard: [any ModelComputation] { [ExperimentResultsComputation()] }
}
