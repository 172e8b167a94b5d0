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
/// The warehouse only stores: computations are supplied by the layer above
/// (the statistics engine's live in `Decision`) when a build is run.
public protocol ModelComputation: Sendable {
    /// The name a model's `-- compute:` header refers to.
    var name: String { get }
    /// The output table's columns, in order.
    var outputColumns: [ColumnDefinition] { get }
    /// The output rows (values in `outputColumns` order) for the SELECT's rows: all of
    /// them in a full build, the affected partitions' in an incremental refresh.
    func compute(_ rows: [Row]) throws -> [[DatabaseValue]]
}
