import Stats

/// Computes `fct_experiment_results`: each variation against control.
///
/// Binary metrics use the two-proportion z-test on conversion rates;
/// continuous metrics use Welch's t-test on per-user means from the
/// sufficient statistics. Control rows and rows whose statistic is undefined
/// carry NULL (never NaN or a made-up 0).
public struct ExperimentResultsComputation: ModelComputation {
    public init() {}

    public var name: String { "experiment_results" }

    public var outputColumns: [ColumnDefinition] {
        [
            ColumnDefinition("experiment_id", "TEXT"),
            ColumnDefinition("metric_id", "TEXT"),
            ColumnDefinition("variation_id", "TEXT"),
            ColumnDefinition("analysis_mode", "TEXT"),
            ColumnDefinition("is_control", "INTEGER"),
            ColumnDefinition("metric_kind", "TEXT"),
            ColumnDefinition("n_users", "INTEGER"),
            ColumnDefinition("n_converted", "INTEGER"),
            ColumnDefinition("conversion_rate", "REAL"),
            ColumnDefinition("mean_value", "REAL"),
            ColumnDefinition("uplift_abs", "REAL"),
            ColumnDefinition("uplift_rel", "REAL"),
            ColumnDefinition("p_value_two_sided", "REAL"),
            ColumnDefinition("ci_low", "REAL"),
            ColumnDefinition("ci_high", "REAL"),
        ]
    }

    public func compute(_ row: Row) throws -> [DatabaseValue] {
        let users = Int(row["n_users"].int64 ?? 0)
        let converted = Int(row["n_converted"].int64 ?? 0)
        let valueSum = row["value_sum"].double ?? 0
        let isControl = row["is_control"].int64 == 1
        let kind = row["metric_kind"].string ?? "binary"

        var uplift = (abs: DatabaseValue.null, rel: DatabaseValue.null, p: DatabaseValue.null, low: DatabaseValue.null, high: DatabaseValue.null)
        if !isControl, let controlUsers = row["control_n_users"].int64 {
            if kind == "continuous" {
                let result = WelchTest(
                    control: MeanSample(count: Int(controlUsers), sum: row["control_value_sum"].double ?? 0, sumOfSquares: row["control_value_sum_sq"].double ?? 0),
                    treatment: MeanSample(count: users, sum: valueSum, sumOfSquares: row["value_sum_sq"].double ?? 0)
                ).run()
                uplift = (real(result.absoluteLift), real(result.relativeLift), real(result.pValue), real(result.ciLow), real(result.ciHigh))
            } else {
                let result = TwoProportionTest(
                    control: ProportionSample(users: Int(controlUsers), conversions: Int(row["control_n_converted"].int64 ?? 0)),
                    treatment: ProportionSample(users: users, conversions: converted)
                ).run()
                uplift = (real(result.absoluteLift), real(result.relativeLift), real(result.pValue), real(result.ciLow), real(result.ciHigh))
            }
        }
        return [
            row["experiment_id"], row["metric_id"], row["variation_id"], row["analysis_mode"],
            .integer(isControl ? 1 : 0), .text(kind),
            .integer(Int64(users)), .integer(Int64(converted)),
            users > 0 ? .real(Double(converted) / Double(users)) : .null,
            users > 0 ? .real(valueSum / Double(users)) : .null,
            uplift.abs, uplift.rel, uplift.p, uplift.low, uplift.high,
        ]
    }

    private func real(_ value: Double?) -> DatabaseValue {
        guard let value, value.isFinite else { return .null }
        return .real(value)
    }
}
