public import Semantic
public import SQLParser

extension SchemaCatalog {
    /// Every asset of the contract with its declared columns.
    public static func from(_ contract: SemanticContract) -> SchemaCatalog {
        SchemaCatalog(contract.assets.values.map { Table(name: $0.name, columns: $0.columns.map(\.name)) })
    }
}
