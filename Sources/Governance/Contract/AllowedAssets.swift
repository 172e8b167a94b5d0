public import Semantic
import Foundation
public import Warehouse

/// Materialises the contract into `dim_ai_allowed_assets`: the assets the
/// `chat` role may read, with grain, key, description, owner, allowed columns
/// and every role that may read each. Run after the models are built.
public enum AllowedAssets {
    public static let role = "chat"

    @discardableResult
    public static func materialise(_ contract: SemanticContract, into connection: any WritableWarehouseSession) throws -> Int {
        guard try connection.tableExists("dim_ai_allowed_assets") else { return 0 }
        return try connection.transaction {
            try connection.execute("DELETE FROM dim_ai_allowed_assets")
            let assets = contract.readableAssets(for: role)
            for asset in assets {
                let roles = contract.roles.values.filter { $0.assets.contains(asset.name) }.map(\.name).sorted()
                try connection.execute(
                    "INSERT INTO dim_ai_allowed_assets (asset_name, grain, primary_key, description, owner, column_names, roles) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [asset.name, asset.grain, asset.primaryKey.joined(separator: ", "), asset.description, asset.owner,
                     asset.readableColumns.map(\.name).joined(separator: ", "), roles.joined(separator: ", ")]
                )
            }
            return assets.count
        }
    }
}
