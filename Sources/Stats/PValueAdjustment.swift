/// Multiple-comparison corrections for a family of p-values.
public enum PValueAdjustment: String, Sendable, CaseIterable, Codable {
    /// No correction.
    case none
    /// Holm–Bonferroni step-down: controls the family-wise error rate.
    case holm
    /// Benjamini–Hochberg step-up: controls the false discovery rate.
    case benjaminiHochberg = "bh"

    /// Adjusted p-values, in the input order (as statsmodels' `multipletests`).
    public func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 1 else { return pValues }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = Array(repeating: 0.0, count: m)
        switch self {
        case .none:
            return pValues
        case .holm:
            var running = 0.0
            for (rank, index) in order.enumerated() {
                running = max(running, min(1, Double(m - rank) * pValues[index]))
                adjusted[index] = running
            }
        case .benjaminiHochberg:
            var running = 1.0
            for (rank, index) in order.enumerated().reversed() {
                running = min(running, Double(m) / Double(rank + 1) * pValues[index])
                adjusted[index] = min(1, running)
            }
        }
        return adjusted
    }
}
