public import Analysis
import Foundation
import Semantic

extension ReadoutGateway {
    /// An aggregated CSV export (`readout analyze --csv`'s format) analysed with the service's
    /// settings, shaped as an experiment page shows it. Reads nothing from the warehouse.
    /// - Throws: ``GatewayError`` `invalid` naming the row and column when the file is malformed.
    public func analyzeUpload(_ text: String, file: String) throws(GatewayError) -> ExperimentOverview {
        let input: ExperimentInput
        do {
            input = try ResultsCSV.parse(text, file: file)
        } catch {
            throw GatewayError(.invalid, code: "invalid_csv", error.description, field: "file")
        }
        let report = Analyzer(configuration: workflow?.analysis ?? AnalysisConfiguration()).analyze(input)
        let memo = DecisionMemo(report: report, input: input)
        let variants = input.arms.enumerated().map { index, arm in
            ExperimentRecord.Variant(id: arm.variant, name: arm.variant, allocation: arm.allocation ?? 1 / Double(max(1, input.arms.count)), isControl: index == 0)
        }
        let record = ExperimentRecord(id: input.experimentID ?? "uploaded", name: input.name ?? file, hypothesis: input.hypothesis,
                                      primaryMetric: report.experiment.primaryMetric, status: "uploaded", owner: nil, createdAt: "",
                                      startedAt: nil, endedAt: nil, variants: variants, decisions: [])
        return ExperimentOverview(record: record, report: report, mode: .itt, memo: memo.markdown(), commentary: memo.commentary, days: [])
    }
}
