public import Warehouse

/// Turns rows of the `int_experiment_analysis_input` model into ``ExperimentInput``s.
/// The build's computations and `WarehouseExperiment.load` share it, so the
/// results table and `analyze` analyse the very same numbers.
public enum AnalysisInputRows {
    /// One experiment in one analysis mode.
    public struct Group: Sendable {
        public var experimentID: String
        public var mode: String
        public var input: ExperimentInput
        /// The (metric, variation) cells that have units, in row order.
        public var cells: [Cell]
    }

    public struct Cell: Sendable, Hashable {
        public var metric: String
        public var variation: String
        public var isControl: Bool
        public var kind: ExperimentInput.MetricKind
        public var role: ExperimentInput.MetricRole
        public var users: Int
        public var converted: Int
        public var valueSum: Double
    }

    /// Groups rows by experiment and mode (in first-seen order) and builds each input:
    /// control first, then the other arms by id; metrics primary, secondary, guardrail.
    public static func groups(_ rows: [Row]) -> [Group] {
        var order: [String] = []
        var byKey: [String: [Row]] = [:]
        for row in rows {
            let key = "\(row["experiment_id"].string ?? "")\u{1F}\(row["analysis_mode"].string ?? "")"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(row)
        }
        return order.compactMap { key in byKey[key].flatMap(group) }
    }

    static func group(_ rows: [Row]) -> Group? {
        guard let first = rows.first, let experimentID = first["experiment_id"].string, let mode = first["analysis_mode"].string else { return nil }
        // Arms: control first, then by id.
        var arms: [(id: String, control: Bool, allocation: Double?)] = []
        for row in rows {
            guard let id = row["variation_id"].string, !arms.contains(where: { $0.id == id }) else { continue }
            arms.append((id, row["is_control"].int64 == 1, row["allocation"].double))
        }
        arms.sort { ($0.control ? 0 : 1, $0.id) < ($1.control ? 0 : 1, $1.id) }
        let armIndex = Dictionary(uniqueKeysWithValues: arms.enumerated().map { ($1.id, $0) })

        var metrics: [String: ExperimentInput.Metric] = [:]
        var users = Array(repeating: 0, count: arms.count)
        var cells: [Cell] = []
        for row in rows {
            guard let metricID = row["metric_id"].string, let variation = row["variation_id"].string, let arm = armIndex[variation] else { continue }
            let kind: ExperimentInput.MetricKind = row["metric_kind"].string == "continuous" ? .continuous : .binary
            let role: ExperimentInput.MetricRole = row["is_primary"].int64 == 1 ? .primary : row["is_guardrail"].int64 == 1 ? .guardrail : .secondary
            var metric = metrics[metricID] ?? ExperimentInput.Metric(
                id: metricID, kind: kind, role: role, higherIsBetter: (row["higher_is_better"].int64 ?? 1) != 0,
                values: Array(repeating: ExperimentInput.Value(units: 0, sum: 0, sumOfSquares: kind == .continuous ? 0 : nil), count: arms.count)
            )
            if let n = row["n_users"].int64 {
                let count = Int(n)
                let converted = Int(row["n_converted"].int64 ?? 0)
                let valueSum = row["value_sum"].double ?? 0
                users[arm] = max(users[arm], count)
                let covariate = row["cov_sum"].double.map {
                    ExperimentInput.Covariate(sum: $0, sumOfSquares: row["cov_sum_sq"].double ?? 0, sumOfProducts: row["cov_product_sum"].double ?? 0)
                }
                metric.values[arm] = kind == .binary
                    ? .init(units: count, sum: Double(converted), covariate: covariate)
                    : .init(units: count, sum: valueSum, sumOfSquares: row["value_sum_sq"].double ?? 0, covariate: covariate)
                cells.append(Cell(metric: metricID, variation: variation, isControl: arms[arm].control, kind: kind, role: role,
                                  users: count, converted: converted, valueSum: valueSum))
            }
            metrics[metricID] = metric
        }
        let roleOrder: [ExperimentInput.MetricRole: Int] = [.primary: 0, .secondary: 1, .guardrail: 2]
        let sortedMetrics = metrics.values.sorted { (roleOrder[$0.role] ?? 3, $0.id) < (roleOrder[$1.role] ?? 3, $1.id) }

        var quality: ExperimentInput.ExposureQuality?
        if let exposed = first["exposed_units"].int64, exposed > 0 {
            let n = Double(exposed)
            quality = .init(
                exposedUnits: Int(exposed),
                mismatchRate: Double(first["mismatch_units"].int64 ?? 0) / n,
                preAssignmentRate: Double(first["pre_assignment_units"].int64 ?? 0) / n,
                multiVariationRate: Double(first["multi_variation_units"].int64 ?? 0) / n,
                outsideWindowRate: Double(first["outside_window_units"].int64 ?? 0) / n
            )
        }
        let input = ExperimentInput(
            experimentID: experimentID, analysisMode: mode,
            arms: zip(arms, users).map { ExperimentInput.Arm(variant: $0.id, users: $1, allocation: $0.allocation) },
            metrics: sortedMetrics, exposureQuality: quality
        )
        return Group(experimentID: experimentID, mode: mode, input: input, cells: cells)
    }
}
