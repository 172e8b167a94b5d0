import Foundation

/// One result row: column names and typed values, in select order.
public struct Row: Sendable, Hashable {
    public var columns: [String]
    public var values: [DatabaseValue]

    public init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of the first column with this name, `.null` if there is none.
    public subscript(column: String) -> DatabaseValue {
        columns.firstIndex(of: column).map { values[$0] } ?? .null
    }
}
