public import Analysis
import Foundation
public import Governance
public import Semantic
import Planner
import Warehouse

/// Everything an experiment's page shows, read at one moment from one connection: the record, the
/// statistics engine's report, the memo built on that same report, and the daily exposure series.
public struct ExperimentOverview: Sendable {
    public struct Day: Sendable, Equatable {
        public var day: String
        public var assigned: Int
        public var exposed: Int
        public var exposureRate: Double?
    }

    /// One point per build for a treatment arm: the decision test's relative lift and interval.
    public struct HistoryPoint: Sendable, Equatable {
        public var run: Int64
        public var at: String
        public var variant: String
        public var lift: Double
        public var low: Double?
        public var high: Double?
    }

    public var record: ExperimentRecord
    public var report: AnalysisReport
    public var mode: WarehouseExperiment.Mode
    /// The decision memo in Markdown, and its prose (conclusion, risks, next actions).
    public var memo: String
    public var commentary: [String]
    public var days: [Day]
    /// Lift over time, oldest first (empty for an uploaded file).
    public var history: [HistoryPoint] = []
    /// `llm` when the prose was rewritten by the configured LLM and passed the grounding check.
    public var commentarySource: Answer.ReadoutSource = .deterministic
    /// Why the LLM's prose was not used, when it was tried.
    public var commentaryNote: String?
}

extension ReadoutGateway {
    /// An experiment the caller may see, as its page shows it.
    public func overview(_ id: String, mode: WarehouseExperiment.Mode, caller: Caller) throws -> ExperimentOverview {
        let workflow = try requireWorkflow()
        let record = try experiment(id, caller: caller)
        let input = try WarehouseExperiment.load(id, mode: mode, from: workflow.reader)
        let report = Analyzer(configuration: workflow.analysis).analyze(input)
        let memo = DecisionMemo(report: report, input: input)
        let days = try workflow.reader.rows(
            "SELECT date_day, assigned_units, exposed_units, exposure_rate FROM fct_experiment_exposure_quality_daily WHERE experiment_id = ? ORDER BY date_day",
            [id]
        ).map { row in
            ExperimentOverview.Day(day: row[0].string ?? "", assigned: Int(row[1].int64 ?? 0), exposed: Int(row[2].int64 ?? 0), exposureRate: row[3].double)
        }
        let history = try workflow.reader.tableExists("results_history") ? workflow.reader.rows(
            """
            SELECT h.run_id, r.finished_at, h.variation_id, h.relative_lift, h.rel_ci_low, h.rel_ci_high
            FROM results_history AS h JOIN readout_runs AS r ON r.run_id = h.run_id
            WHERE h.experiment_id = ? AND h.analysis_mode = ? AND h.relative_lift IS NOT NULL
            ORDER BY h.run_id DESC LIMIT 400
            """, [id, mode.rawValue]
        ).reversed().map { row in
            ExperimentOverview.HistoryPoint(run: row[0].int64 ?? 0, at: row[1].string ?? "", variant: row[2].string ?? "", lift: row[3].double ?? 0,
                                            low: row[4].double, high: row[5].double)
        } : []
        return ExperimentOverview(record: record, report: report, mode: mode, memo: memo.markdown(), commentary: memo.commentary, days: days, history: history)
    }

    /// The page's prose in the configured LLM's words, kept only if every number in it is one of
    /// the deterministic prose's numbers; otherwise (or with no LLM) the deterministic prose stays.
    public func polishedCommentary(_ overview: ExperimentOverview, isolation: isolated (any Actor)? = #isolation) async -> ExperimentOverview {
        guard let polisher, !overview.commentary.isEmpty else { return overview }
        var result = overview
        let text = overview.commentary.joined(separator: "\n")
        let sources = GroundingCheck.numbers(in: text).compactMap { Double($0.value.replacingOccurrences(of: ",", with: "")) }
        switch await polisher.polish(question: "Summarise the results of \(overview.record.name) for its owner.", readout: text, columns: [], rowCount: 0, rows: nil) {
        case .failure(let failure):
            result.commentaryNote = "The LLM could not rewrite the readout (\(failure.message)); the deterministic readout is shown."
        case .success(let polished):
            if let number = GroundingCheck.firstUngrounded(in: polished, sources: sources) {
                result.commentaryNote = "The LLM's rewrite was rejected: \(number) is not in the deterministic readout."
            } else {
                result.commentary = polished.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n").filter { !$0.isEmpty }
                result.commentarySource = .llm
            }
        }
        return result
    }
}
