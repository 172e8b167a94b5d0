import SQLParser
import Foundation
import Semantic

/// The SQL shapes the rule planner fills, one per intent. All read governed
/// assets only and go through the guard like any other SQL.
extension RulePlanner {
    static func literal(_ text: String) -> String {
        Quoting.wrapped(text, in: "'")
    }

    static func sql(intent: IntentID, entities: Entities) -> String {
        let experiment = entities.experiments.first
        let id = literal(experiment?.id ?? "")
        let metric = literal(entities.metric?.id ?? experiment?.primaryMetric ?? "conversion_7d")
        let mode = literal(entities.mode)
        switch intent {
        case .results:
            // One row per arm compared with control (a lift is a treatment's); control's figures ride along as columns.
            let variant = entities.variant.flatMap { $0 == "control" ? nil : " AND r.variation_id = \(literal($0))" } ?? ""
            return """
                SELECT r.variation_id, r.metric_id, r.analysis_mode, r.metric_kind, r.n_users, r.n_converted, r.conversion_rate, r.mean_value, \
                c.variation_id AS control_variation_id, c.n_users AS control_n_users, c.conversion_rate AS control_conversion_rate, c.mean_value AS control_mean_value, \
                r.uplift_rel, r.rel_ci_low, r.rel_ci_high, r.rel_p_value, r.adjusted_p_value, r.is_significant, r.chance_to_beat_control, \
                r.cuped_variance_reduction, r.cuped_theta, r.uplift_abs, r.ci_low, r.ci_high, r.p_value_two_sided, r.guardrail_status, x.srm_p_value, x.srm_status, x.alpha, x.decision_test, r.experiment_id, \
                r.rel_ci_high - r.rel_ci_low AS rel_ci_width, r.ci_high - r.ci_low AS ci_width, \
                (r.rel_ci_high - r.rel_ci_low) / 2 AS rel_margin_of_error, (r.ci_high - r.ci_low) / 2 AS margin_of_error, \
                (SELECT v.name FROM experiment_variants AS v WHERE v.experiment_id = r.experiment_id AND v.variation_id = r.variation_id) AS variation_name \
                FROM fct_experiment_results AS r \
                JOIN fct_experiment_results AS c ON c.experiment_id = r.experiment_id AND c.metric_id = r.metric_id \
                 AND c.analysis_mode = r.analysis_mode AND c.is_control = 1 \
                LEFT JOIN fct_experiment_verdicts AS x ON x.experiment_id = r.experiment_id AND x.analysis_mode = r.analysis_mode \
                WHERE r.experiment_id = \(id) AND \(entities.secondaryMetrics ? "r.metric_role = 'secondary'" : entities.allMetrics ? "r.metric_id = r.metric_id" : entities.otherMetrics.isEmpty || entities.metric == nil ? "r.metric_id = \(metric)"
                    : "r.metric_id IN (\(([entities.metric?.id ?? ""] + entities.otherMetrics.map(\.id)).map(literal).joined(separator: ", ")))") \
                AND \(entities.bothModes ? "r.analysis_mode IN ('itt', 'exposed')" : "r.analysis_mode = \(mode)") AND r.is_control = 0\(variant)\(metricSlice(entities)) \
                ORDER BY \(metricOrder(entities) ?? entities.armOrder.map { "\(armOrderColumn(entities)) \($0 ? "DESC" : "ASC"), r.variation_id LIMIT 1" } ?? "r.metric_id, r.analysis_mode, r.variation_id")
                """
        case .power where entities.power != nil:
            // The baseline and traffic the engine sizes the experiment from (it computes the rest).
            return """
                SELECT c.experiment_id, c.metric_id, c.metric_kind, c.n_users AS control_users, c.conversion_rate AS baseline_rate, \
                (SELECT count(*) FROM experiment_variants AS v WHERE v.experiment_id = c.experiment_id) AS arms, \
                (SELECT count(*) FROM fct_experiment_exposure_quality_daily AS d WHERE d.experiment_id = c.experiment_id) AS days_run, \
                (SELECT sum(assigned_units) FROM fct_experiment_exposure_quality_daily AS d WHERE d.experiment_id = c.experiment_id) AS assigned_units, \
                (SELECT min(n_users) FROM fct_experiment_results AS a WHERE a.experiment_id = c.experiment_id AND a.metric_id = c.metric_id \
                 AND a.analysis_mode = c.analysis_mode) AS smallest_arm_users \
                FROM fct_experiment_results AS c JOIN experiments AS e ON e.experiment_id = c.experiment_id AND e.primary_metric_id = c.metric_id \
                WHERE c.experiment_id = \(id) AND c.analysis_mode = 'itt' AND c.is_control = 1
                """
        case .power where experiment == nil:
            // "Power for every running experiment" (a draft with no data is listed without one).
            return """
                SELECT experiment_id, achieved_power, required_users_per_arm, verdict, \
                (SELECT owner FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS owner FROM fct_experiment_verdicts \
                WHERE analysis_mode = \(mode)\(entities.withData ? " AND achieved_power IS NOT NULL" : "")\(experimentScope(entities, column: "experiment_id")) ORDER BY experiment_id
                """
        case .power where zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { ["each", "every", "by"].contains($0.0) && ["arm", "arms", "variant", "variants"].contains($0.1) })
            // "How many more users per arm does it need?", "has it reached the sample size it needs?", "users we have per arm vs users we need".
            // ("How many more users per arm": each arm; "how many more users does it need per arm": the one shortfall.)
            || entities.wordList.indices.dropLast(3).contains { ["more"].contains(entities.wordList[$0]) && ["users", "people", "units"].contains(entities.wordList[$0 + 1])
                && entities.wordList[$0 + 2] == "per" && ["arm", "variant"].contains(entities.wordList[$0 + 3]) }
            || (!entities.words.isDisjoint(with: ["reached", "reach", "reaches"]) && entities.words.contains("sample"))
            // "How far short of its required sample is it, per variant?": each arm's shortfall.
            || (entities.perArm && !entities.words.isDisjoint(with: ["short", "shortfall", "shortfalls"]))
            // "How many users is the control arm short of its required sample size?": that arm's.
            || (entities.variant != nil && !entities.words.isDisjoint(with: ["short", "shortfall", "more"]) && !entities.words.isDisjoint(with: ["required", "need", "needs", "needed", "sample"]))
            || ((entities.perArm || (entities.words.contains("each") && !entities.words.isDisjoint(with: ["arm", "variant"])))
                && !entities.words.isDisjoint(with: ["have", "has"]) && !entities.words.isDisjoint(with: ["need", "needs", "needed", "enough", "required"]))
            // "Users per arm vs the required users per arm": each arm against what it needs.
            || (entities.perArm && !entities.words.isDisjoint(with: ["vs", "versus", "against", "compared"]) && !entities.words.isDisjoint(with: ["required", "needed", "need"])):
            // "How many more users does each arm need?": each arm against the users per arm the configured effect needs.
            return """
                SELECT a.variation_id, a.n_users, v.required_users_per_arm, \(entities.dialect.greatest)(0, v.required_users_per_arm - a.n_users) AS more_users, v.achieved_power, \
                1.0 * a.n_users / v.required_users_per_arm AS share_of_required\(entities.bothModes ? ", a.analysis_mode" : "") \
                FROM agg_experiment_metric_by_variant AS a JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                JOIN fct_experiment_verdicts AS v ON v.experiment_id = a.experiment_id AND v.analysis_mode = a.analysis_mode \
                WHERE a.experiment_id = \(id) AND \(entities.bothModes ? "a.analysis_mode IN ('itt', 'exposed')" : "a.analysis_mode = \(mode)")\(entities.variant.map { " AND a.variation_id = \(literal($0))" } ?? "") \
                ORDER BY \(entities.bothModes ? "a.analysis_mode DESC, " : "")a.variation_id
                """
        case .power:
            // The analysis's power check: achieved power and the users per arm the configured effect needs.
            return """
                SELECT v.experiment_id, v.achieved_power, v.required_users_per_arm, \
                (SELECT min(n_users) FROM agg_experiment_metric_by_variant AS a WHERE a.experiment_id = v.experiment_id \
                 AND a.analysis_mode = v.analysis_mode AND a.metric_id = e.primary_metric_id) AS smallest_arm_users, \
                \(entities.dialect.greatest)(0, v.required_users_per_arm - (SELECT min(n_users) FROM agg_experiment_metric_by_variant AS a WHERE a.experiment_id = v.experiment_id \
                 AND a.analysis_mode = v.analysis_mode AND a.metric_id = e.primary_metric_id)) AS more_users_per_arm, v.verdict, \
                v.required_users_per_arm * (SELECT count(*) FROM experiment_variants AS x WHERE x.experiment_id = v.experiment_id) AS required_users_total \
                \(entities.bothModes ? ", v.analysis_mode " : "")FROM fct_experiment_verdicts AS v JOIN experiments AS e ON e.experiment_id = v.experiment_id \
                WHERE v.experiment_id = \(id) AND \(entities.bothModes ? "v.analysis_mode IN ('itt', 'exposed') ORDER BY v.analysis_mode DESC" : "v.analysis_mode = \(mode)")
                """
        case .verdict where entities.experiments.isEmpty && entities.groupBy == "verdict":
            // "Count of experiments by verdict".
            return """
                SELECT verdict, count(*) AS experiments FROM fct_experiment_verdicts WHERE analysis_mode = \(mode)\(experimentScope(entities, column: "experiment_id")) \
                GROUP BY verdict ORDER BY verdict
                """
        case .verdict where entities.asksMethod:
            // The analysis settings: per experiment when one is named, else each distinct setting and how many verdicts use it.
            if let experiment {
                return "SELECT experiment_id, alpha, correction, decision_test FROM fct_experiment_verdicts WHERE experiment_id = \(literal(experiment.id)) AND analysis_mode = \(mode)"
            }
            return """
                SELECT alpha, correction, decision_test, count(*) AS experiments FROM fct_experiment_verdicts WHERE analysis_mode = \(mode)\(experimentScope(entities, column: "experiment_id")) \
                GROUP BY alpha, correction, decision_test ORDER BY experiments DESC
                """
        case .verdict:
            if entities.experiments.isEmpty {
                // The verdict asked for, on the verdict column named (qualified in the self-join below).
                let verdictFilter = { (column: String) -> String in
                    switch entities.slice {
                    case "launch": return " AND \(column) = 'Launch'"
                    case "rollback": return " AND \(column) = 'Rollback'"
                    // "On hold, counting the underpowered holds too": every hold.
                    case "underpowered" where entities.words.contains("hold") && !entities.words.isDisjoint(with: ["counting", "including", "incl", "too", "also", "plus", "either", "both", "kinds", "or", "any"]):
                        return " AND \(column) LIKE 'Hold%'"
                    case "underpowered": return " AND \(column) = 'Hold (underpowered)'"
                    default: return entities.words.contains("hold") ? " AND \(column) LIKE 'Hold%'" : ""
                    }
                }
                let filter = verdictFilter("verdict")
                // "Which teams have an experiment with a Launch verdict?": the owning teams, each with its experiments.
                if zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { ["which", "what"].contains($0.0) && ["teams", "team", "owners", "owner"].contains($0.1) }) {
                    return """
                        SELECT e.owner, count(*) AS experiments, \(entities.dialect.groupConcat("v.experiment_id")) AS experiment_ids FROM fct_experiment_verdicts AS v \
                        JOIN experiments AS e ON e.experiment_id = v.experiment_id WHERE v.analysis_mode = \(mode)\(filter)\(experimentScope(entities, column: "v.experiment_id")) \
                        GROUP BY e.owner ORDER BY e.owner
                        """
                }
                if entities.bothModes {
                    // "The ITT verdict and the exposed verdict side by side for every experiment": one row each, the two verdicts beside each other.
                    return """
                        SELECT i.experiment_id, i.verdict AS itt_verdict, x.verdict AS exposed_verdict, i.variation_id AS itt_variation_id, \
                        x.variation_id AS exposed_variation_id, i.health_status AS itt_health_status, x.health_status AS exposed_health_status \
                        FROM fct_experiment_verdicts AS i JOIN fct_experiment_verdicts AS x ON x.experiment_id = i.experiment_id AND x.analysis_mode = 'exposed' \
                        WHERE i.analysis_mode = 'itt'\(verdictFilter("i.verdict"))\(healthBadge(entities, column: "i.health_status"))\(experimentScope(entities, column: "i.experiment_id")) \
                        ORDER BY i.experiment_id
                        """
                }
                return """
                    SELECT experiment_id, verdict, variation_id, health_status, guardrails_status, reasons, \
                    \(entities.words.isDisjoint(with: ["underpowered", "power", "powered"]) ? "" : "achieved_power, required_users_per_arm, ")\
                    (SELECT owner FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS owner, \
                    (SELECT status FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS status \
                    \(entities.bothModes ? ", analysis_mode " : "")FROM fct_experiment_verdicts WHERE \(entities.bothModes ? "analysis_mode IN ('itt', 'exposed')" : "analysis_mode = \(mode)")\(filter)\(healthBadge(entities, column: "health_status"))\(experimentScope(entities, column: "experiment_id")) \
                    ORDER BY \(entities.groupBy == "owner" ? "owner, " : "")experiment_id\(entities.bothModes ? ", analysis_mode DESC" : "")
                    """
            }
            if entities.experiments.count > 1 {
                // "Verdicts for checkout and pricing side by side".
                return """
                    SELECT experiment_id, verdict, variation_id, health_status, guardrails_status, reasons FROM fct_experiment_verdicts \
                    WHERE \(named(entities, column: "experiment_id")) AND analysis_mode = \(mode) ORDER BY experiment_id
                    """
            }
            return """
                SELECT experiment_id, verdict, variation_id, health_status, srm_p_value, srm_status, guardrails_status, achieved_power, \
                required_users_per_arm, reasons, analysis_mode, decision_test, alpha, correction, \
                (SELECT owner FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS owner, \
                (SELECT status FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS status FROM fct_experiment_verdicts \
                WHERE experiment_id = \(id) AND \(entities.bothModes ? "analysis_mode IN ('itt', 'exposed') ORDER BY analysis_mode DESC" : "analysis_mode = \(mode)")
                """
        case .conversion where entities.total && entities.metric?.kind == "continuous" && experiment != nil:
            // "Total revenue per arm": the sum of the metric over the arm's users.
            let variant = entities.variant.map { " AND variation_id = \(literal($0))" } ?? ""
            if !entities.perArm, entities.variant == nil {
                // "Total revenue in checkout button": one sum over every arm.
                return """
                    SELECT metric_id, sum(n_users) AS n_users, sum(value_sum) AS value_sum FROM agg_experiment_metric_by_variant \
                    WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode) GROUP BY metric_id
                    """
            }
            return """
                SELECT variation_id, metric_id, n_users, value_sum FROM agg_experiment_metric_by_variant \
                WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode)\(variant) ORDER BY variation_id
                """
        // ("Total revenue across all arms of the running experiments" is a sum, below, not a pooled mean.)
        case .conversion where entities.pooled && experiment == nil && !(entities.total && entities.metric?.kind == "continuous"):
            // "Refund rate pooled over all experiments", "overall CVR of running experiments": every arm of every experiment together.
            let value = entities.metric?.kind == "continuous" ? "1.0 * sum(a.value_sum) / sum(a.n_users) AS pooled_mean_value" : "1.0 * sum(a.n_converted) / sum(a.n_users) AS pooled_conversion_rate"
            let onMetric = entities.metric.map { "a.metric_id = \(literal($0.id))" } ?? "a.metric_id = e.primary_metric_id"
            return """
                SELECT count(DISTINCT a.experiment_id) AS experiments, sum(a.n_users) AS n_users, \(value) FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id WHERE \(onMetric) AND a.analysis_mode = \(mode)\(experimentScope(entities, column: "a.experiment_id"))
                """
        case .conversion where entities.pooled:
            // "Pooled conversion rate across both arms": every arm's users together.
            let value = entities.metric?.kind == "continuous" ? "1.0 * sum(value_sum) / sum(n_users) AS pooled_mean_value" : "1.0 * sum(n_converted) / sum(n_users) AS pooled_conversion_rate"
            return """
                SELECT metric_id, sum(n_users) AS n_users, \(value) FROM agg_experiment_metric_by_variant \
                WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode) GROUP BY metric_id
                """
        case .conversion where entities.armOrder != nil:
            // "Which arm has the highest conversion rate?": the arms ordered, the first kept.
            // "Which arm got more traffic, control or treatment?": by users.
            let words = entities.words
            let bySize = entities.armSizeComparison != nil || entities.metric == nil && !words.isDisjoint(with: ["traffic", "users", "people", "participants", "assigned", "enrolled", "units", "visitors"])
                && words.isDisjoint(with: ["rate", "rates", "conversion", "convert", "converted", "converts", "cvr", "revenue", "mean", "average"])
            let value = bySize ? "n_users" : entities.metric?.kind == "continuous" ? "mean_value" : "conversion_rate"
            return """
                SELECT variation_id, metric_id, metric_kind, n_users, n_converted, \(bySize ? (entities.metric?.kind == "continuous" ? "mean_value" : "conversion_rate") : value) FROM fct_experiment_results \
                WHERE experiment_id = \(id) AND metric_id = \(metric) AND analysis_mode = \(mode) \
                ORDER BY \(value) \((entities.armOrder ?? true) ? "DESC" : "ASC"), variation_id\(entities.armSizeComparison == nil ? " LIMIT 1" : "")
                """
        case .conversion:
            // The metric's value per arm (or for the arm named): the rate of a binary metric, the per-user mean of a continuous one.
            let value = entities.metric?.kind == "continuous" ? "mean_value" : "conversion_rate"
            let variant = entities.variant.map { " AND variation_id = \(literal($0))" } ?? ""
            if experiment == nil, entities.total, entities.metric?.kind == "continuous", let metricID = entities.metric?.id {
                // "Total 7-day revenue across all experiments", "… per team", "… by experiment for the running ones".
                let group = entities.groupBy.map { "e.\($0)" }
                return """
                    SELECT \(group.map { "\($0), " } ?? "")sum(a.value_sum) AS value_sum, sum(a.n_users) AS n_users FROM agg_experiment_metric_by_variant AS a \
                    JOIN experiments AS e ON e.experiment_id = a.experiment_id \
                    WHERE a.metric_id = \(literal(metricID)) AND a.analysis_mode = \(mode)\(experimentScope(entities, column: "a.experiment_id"))\(group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? "")
                    """
            }
            if experiment == nil {
                // "Control conversion rate for every experiment": the arm's value in each experiment.
                var arm = entities.variant == "control" ? " AND is_control = 1" : variant
                let onMetric = entities.metric.map { "metric_id = \(literal($0.id))" } ?? "metric_role = 'primary'"
                // "For the experiments that actually have latency data": those whose check on the metric had data.
                if let metric = entities.metric, entities.words.contains("data"), !entities.words.isDisjoint(with: ["have", "has", "with", "having"]) {
                    arm += " AND experiment_id NOT IN (SELECT experiment_id FROM fct_experiment_results WHERE metric_id = \(literal(metric.id)) AND guardrail_status = 'no_data')"
                }
                // "Avg page load time by arm": each arm's mean, not an average over the arms.
                if !entities.words.isDisjoint(with: ["average", "avg", "mean"]), !entities.perArm {
                    // "Average control conversion rate across all experiments".
                    return """
                        SELECT avg(\(value)) AS avg_\(value), count(*) AS arms FROM fct_experiment_results \
                        WHERE \(onMetric) AND analysis_mode = \(mode)\(arm)\(experimentScope(entities, column: "experiment_id"))
                        """
                }
                return """
                    SELECT experiment_id, variation_id, metric_id, n_users, \(value) FROM fct_experiment_results \
                    WHERE \(onMetric) AND analysis_mode = \(mode)\(arm)\(experimentScope(entities, column: "experiment_id")) ORDER BY experiment_id, variation_id
                    """
            }
            let modes = entities.bothModes ? "analysis_mode IN ('itt', 'exposed')" : "analysis_mode = \(mode)"
            // "Model v2 large vs Model v1": that arm and control.
            var arms = entities.withControl ? entities.variant.map { " AND (variation_id = \(literal($0)) OR is_control = 1)" } ?? "" : variant
            // "treatment vs treatment_b conversion": those two arms.
            if entities.twoTreatments, entities.variant == nil, !entities.words.contains("control"), !entities.withControl { arms = " AND is_control = 0" }
            // "How many ms faster is the small model than the large one?": the difference between the two treatment arms' values.
            if entities.twoTreatments, entities.variant == nil, !entities.bothModes, let experiment,
               zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { $0.0 == "how" && ["many", "much"].contains($0.1) }) {
                let treatments = experiment.variants.filter { !$0.isControl }
                if treatments.count == 2 {
                    return """
                        SELECT a.experiment_id, a.metric_id, a.metric_kind, a.variation_id AS first_arm, a.\(value) AS first_value, b.variation_id AS second_arm, b.\(value) AS second_value, \
                        abs(a.\(value) - b.\(value)) AS difference FROM fct_experiment_results AS a JOIN fct_experiment_results AS b \
                        ON b.experiment_id = a.experiment_id AND b.metric_id = a.metric_id AND b.analysis_mode = a.analysis_mode \
                        WHERE a.experiment_id = \(id) AND a.metric_id = \(metric) AND a.analysis_mode = \(mode) \
                        AND a.variation_id = \(literal(treatments[0].id)) AND b.variation_id = \(literal(treatments[1].id))
                        """
                }
            }
            return """
                SELECT experiment_id, variation_id, analysis_mode, metric_id, metric_kind, n_users, n_converted, \(value), \
                (SELECT v.name FROM experiment_variants AS v WHERE v.experiment_id = fct_experiment_results.experiment_id AND v.variation_id = fct_experiment_results.variation_id) AS variation_name \
                FROM fct_experiment_results \
                WHERE \(named(entities, column: "experiment_id")) AND metric_id = \(metric) AND \(modes)\(arms) ORDER BY experiment_id, variation_id, analysis_mode DESC
                """
        case .sampleSize where entities.assignedAndExposed && experiment == nil:
            // "What share of assigned users actually saw their experiment?": every experiment in scope together (primary metric rows).
            return """
                SELECT count(DISTINCT a.experiment_id) AS experiments, sum(CASE WHEN a.analysis_mode = 'itt' THEN a.n_users END) AS assigned_users, \
                sum(CASE WHEN a.analysis_mode = 'exposed' THEN a.n_users END) AS exposed_users, \
                1.0 * sum(CASE WHEN a.analysis_mode = 'exposed' THEN a.n_users END) / sum(CASE WHEN a.analysis_mode = 'itt' THEN a.n_users END) AS exposed_share \
                FROM agg_experiment_metric_by_variant AS a JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE 1 = 1\(experimentScope(entities, column: "a.experiment_id"))
                """
        case .sampleSize where entities.assignedAndExposed && !entities.perArm && entities.variant == nil:
            // The experiment's total: assigned units beside units with any exposure, from the daily exposure table
            // (the contract's pooled exposure rate; per arm, the exposed analysis counts valid exposures only).
            return """
                SELECT sum(assigned_units) AS assigned_users, sum(exposed_units) AS exposed_users, \
                1.0 * sum(exposed_units) / sum(assigned_units) AS exposed_share, sum(assigned_units) - sum(exposed_units) AS not_exposed_users \
                FROM fct_experiment_exposure_quality_daily WHERE experiment_id = \(id)
                """
        case .sampleSize where entities.assignedAndExposed:
            // Per arm: assigned (every unit) beside exposed (units with a valid exposure).
            // "How many never saw the treatment?": that arm's.
            let byArm = entities.perArm || entities.variant != nil
            let arms = byArm ? "variation_id, " : ""
            let arm = entities.variant.map { " AND variation_id = \(literal($0))" } ?? ""
            return """
                SELECT \(arms)sum(CASE WHEN analysis_mode = 'itt' THEN n_users END) AS assigned_users, \
                sum(CASE WHEN analysis_mode = 'exposed' THEN n_users END) AS exposed_users, \
                1.0 * sum(CASE WHEN analysis_mode = 'exposed' THEN n_users END) / sum(CASE WHEN analysis_mode = 'itt' THEN n_users END) AS exposed_share, \
                sum(CASE WHEN analysis_mode = 'itt' THEN n_users END) - sum(CASE WHEN analysis_mode = 'exposed' THEN n_users END) AS not_exposed_users \
                FROM agg_experiment_metric_by_variant \
                WHERE experiment_id = \(id) AND metric_id = \(literal(experiment?.primaryMetric ?? "conversion_7d"))\(arm)\(byArm ? " GROUP BY variation_id ORDER BY variation_id" : "")
                """
        case .sampleSize where experiment == nil && (entities.counting || entities.total || entities.groupBy != nil):
            // Users across experiments (those with a status, when one is named).
            var scope = experimentScope(entities, column: "a.experiment_id")
            // "Users sitting in control across all experiments".
            if entities.variant == "control" { scope += " AND a.variation_id IN (SELECT variation_id FROM experiment_variants AS v WHERE v.experiment_id = a.experiment_id AND v.is_control = 1)" }
            // "Buyers across all treatment arms": every arm but control.
            if entities.treatmentArmsOnly {
                scope += " AND a.variation_id IN (SELECT variation_id FROM experiment_variants AS v WHERE v.experiment_id = a.experiment_id AND v.is_control = 0)"
            }
            // "Total converters across all experiments": converters of each experiment's primary metric.
            let (column, alias) = entities.countsConversions ? ("n_converted", "converted_users") : ("n_users", "users")
            if let group = entities.groupBy {
                // "Total users per team": one sum per owner (or status).
                return """
                    SELECT e.\(group), sum(a.\(column)) AS \(alias) FROM agg_experiment_metric_by_variant AS a \
                    JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                    WHERE a.analysis_mode = \(mode)\(scope) GROUP BY e.\(group) \
                    \(entities.groupRanking.map { "ORDER BY \(alias) \(entities.groupAscending ? "ASC" : "DESC"), e.\(group) LIMIT \($0)" } ?? "ORDER BY e.\(group)")
                    """
            }
            return """
                SELECT sum(a.\(column)) AS \(alias) FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE a.analysis_mode = \(mode)\(scope)
                """
        case .sampleSize where (entities.counting || entities.countsConversions) && !entities.perArm:
            // "How many users (converted) in control?": one number, for the arm named when one is.
            // The experiment (and arm) counted ride along, one row.
            let variant = entities.variant.map { " AND variation_id = \(literal($0))" } ?? ""
            let keys = entities.variant == nil ? "experiment_id" : "experiment_id, variation_id"
            if entities.countsConversions {
                // The binary metric named ("how many refunded"), else the experiment's primary metric.
                let binary = entities.metric.flatMap { $0.kind == "binary" ? $0.id : nil } ?? experiment?.primaryMetric ?? "conversion_7d"
                return """
                    SELECT \(keys), sum(n_converted) AS converted_users FROM agg_experiment_metric_by_variant \
                    WHERE experiment_id = \(id) AND metric_id = \(literal(binary)) AND analysis_mode = \(mode)\(variant) GROUP BY \(keys)
                    """
            }
            // "How many units were exposed in free shipping in total?": the experiment's exposed units (any exposure),
            // from the daily exposure table, beside the assigned; per arm, the exposed analysis's users (valid exposures).
            if entities.mode == "exposed", entities.variant == nil, entities.words.contains("exposed"),
               !entities.words.isDisjoint(with: ["total", "overall", "altogether", "all"]), entities.words.isDisjoint(with: ["saw", "seen", "valid"]) {
                return """
                    SELECT experiment_id, sum(exposed_units) AS exposed_units, sum(assigned_units) AS assigned_units FROM fct_experiment_exposure_quality_daily \
                    WHERE experiment_id = \(id) GROUP BY experiment_id
                    """
            }
            // One row even before any data ("how many users so far in dark mode?": 0).
            let named = entities.variant.map { "\(id) AS experiment_id, \(literal($0)) AS variation_id" } ?? "\(id) AS experiment_id"
            return """
                SELECT \(named), coalesce(sum(n_users), 0) AS users FROM agg_experiment_metric_by_variant \
                WHERE experiment_id = \(id) AND metric_id = \(literal(experiment?.primaryMetric ?? "conversion_7d")) AND analysis_mode = \(mode)\(variant)
                """
        case .health where experiment == nil:
            // "Which experiments fail the SRM check?": each experiment's check, the failing ones when asked.
            // Health words filter on the health status; SRM words on the sample-ratio check.
            let words = entities.words
            let aboutHealth = !words.isDisjoint(with: ["health", "healthy", "unhealthy"])
            let failing: String
            if !entities.asksForFailures {
                // "Which experiments pass the SRM check?": those whose check is ok.
                let passing = !words.isDisjoint(with: ["pass", "passes", "passing", "passed", "clean"]) && !aboutHealth
                failing = words.contains("healthy") ? " AND health_status = 'Healthy'" : passing ? " AND srm_status = 'ok'" : ""
            }
            else if words.contains("blocked") && !words.contains("srm") { failing = " AND health_status = 'Blocked'" }
            else if !words.isDisjoint(with: ["warning", "warnings"]) && !words.contains("srm") { failing = " AND health_status = 'Warning'" }
            else if aboutHealth && !words.isDisjoint(with: ["warning", "warnings"]) { failing = " AND health_status = 'Warning'" }
            else if aboutHealth { failing = " AND health_status <> 'Healthy'" }
            else { failing = " AND srm_status = 'blocked'" }
            let pValue = words.contains("p-value") || words.contains("pvalue") || (words.contains("p") && words.contains("value"))
            // "SRM status for all experiments": those with a check (a draft with no data has none).
            let aboutSRM = words.contains("srm") || zip(entities.wordList, entities.wordList.dropFirst()).contains { $0 == ("sample", "ratio") || $0 == ("ratio", "mismatch") }
            var checked = (pValue || (aboutSRM && !aboutHealth)) && !entities.asksForFailures ? " AND srm_p_value IS NOT NULL" : ""
            // "Experiments with an SRM p-value under 0.05".
            if pValue, let (op, value) = entities.daily.threshold { checked = " AND srm_p_value \(op) \(value * 100)" }
            return """
                SELECT experiment_id, health_status, srm_p_value, srm_status, reasons, \
                (SELECT owner FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS owner FROM fct_experiment_verdicts \
                WHERE analysis_mode = \(mode)\(failing)\(checked)\(experimentScope(entities, column: "experiment_id")) ORDER BY experiment_id
                """
        case .health where entities.asksForSplit || entities.perArm:
            return sql(intent: .sampleSize, entities: entities)
        case .health:
            return """
                SELECT experiment_id, health_status, srm_p_value, srm_status, analysis_mode, reasons FROM fct_experiment_verdicts \
                WHERE experiment_id = \(id) AND \(entities.bothModes ? "analysis_mode IN ('itt', 'exposed') ORDER BY analysis_mode" : "analysis_mode = \(mode)")
                """
        case .sampleSize where entities.experiments.count > 1 && !entities.perArm:
            // "Sample size of checkout vs pricing page": each experiment's users.
            return """
                SELECT a.experiment_id, sum(a.n_users) AS n_users FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE \(named(entities, column: "a.experiment_id")) AND a.analysis_mode = \(mode) GROUP BY a.experiment_id ORDER BY a.experiment_id
                """
        case .sampleSize where experiment?.startedAt == nil && experiment != nil && entities.experiments.count == 1
            && !entities.words.isDisjoint(with: ["split", "allocation", "allocated", "variants", "arms", "traffic"]):
            // A draft has no users yet: its arms and planned split from the registry.
            return "SELECT experiment_id, variation_id, name, allocation, is_control FROM experiment_variants WHERE experiment_id = \(id) ORDER BY is_control DESC, variation_id"
        case .sampleSize:
            // Each arm's users beside its planned allocation and its observed share of the experiment's users;
            // "what share landed in control?" keeps the arm named.
            let share = !entities.words.isDisjoint(with: ["share", "proportion", "fraction", "percentage", "percent"])
            let arm = share ? entities.variant.map { " AND a.variation_id = \(literal($0))" } ?? "" : ""
            return """
                SELECT a.experiment_id, a.variation_id, v.name AS variation_name, v.allocation, a.n_users, \
                1.0 * a.n_users / t.n_users AS observed_share, v.allocation * t.n_users AS expected_users, x.srm_p_value, x.srm_status \
                FROM agg_experiment_metric_by_variant AS a \
                JOIN (SELECT experiment_id, metric_id, analysis_mode, sum(n_users) AS n_users FROM agg_experiment_metric_by_variant \
                 GROUP BY experiment_id, metric_id, analysis_mode) AS t \
                 ON t.experiment_id = a.experiment_id AND t.metric_id = a.metric_id AND t.analysis_mode = a.analysis_mode \
                JOIN experiment_variants AS v ON v.experiment_id = a.experiment_id AND v.variation_id = a.variation_id \
                LEFT JOIN fct_experiment_verdicts AS x ON x.experiment_id = a.experiment_id AND x.analysis_mode = a.analysis_mode \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE \(named(entities, column: "a.experiment_id")) AND a.analysis_mode = \(mode)\(arm) \
                ORDER BY a.experiment_id, a.variation_id
                """
        case .exposureQuality:
            return dailySQL(entities)
        case .guardrails where entities.guardrailSummary:
            return "SELECT experiment_id, guardrails_status, verdict FROM fct_experiment_verdicts WHERE experiment_id = \(id) AND analysis_mode = \(mode)"
        case .guardrails where experiment == nil && !entities.words.isDisjoint(with: ["arm", "arms"]):
            // "Which guardrail metrics are in a bad state, and on which arm?"; "refund guardrail status per arm across experiments".
            let bad = entities.metric == nil || entities.asksForFailures
                || !entities.words.isDisjoint(with: ["bad", "severe", "worsened", "worse", "breached", "breach", "tripped", "violated", "regressed", "regression"])
            let onMetric = entities.metric.map { " AND metric_id = \(literal($0.id))" } ?? ""
            let status = !bad ? "" : entities.words.contains("severe") && !entities.words.contains("worsened") ? " AND guardrail_status = 'severe'"
                : " AND guardrail_status NOT IN ('ok', 'no_data')"
            return """
                SELECT experiment_id, variation_id, metric_id, uplift_rel, guardrail_status FROM fct_experiment_results \
                WHERE analysis_mode = \(mode) AND is_control = 0 AND metric_role = 'guardrail'\(onMetric)\(status)\(experimentScope(entities, column: "experiment_id")) \
                ORDER BY experiment_id, variation_id, metric_id
                """
        case .guardrails where experiment == nil && entities.words.contains("severe"):
            // "Every severe guardrail regression across experiments".
            return """
                SELECT experiment_id, variation_id, metric_id, uplift_rel, rel_p_value, guardrail_status FROM fct_experiment_results \
                WHERE analysis_mode = \(mode) AND is_control = 0 AND metric_role = 'guardrail' AND guardrail_status = 'severe'\(experimentScope(entities, column: "experiment_id")) \
                ORDER BY experiment_id, variation_id
                """
        case .guardrails where experiment == nil && entities.metric != nil:
            // "Refund guardrail status for every experiment": that guardrail in each experiment's treatment arms ("… has no data": those without).
            let noData = entities.words.contains("no") && entities.words.contains("data") || entities.words.contains("no_data")
            // "Which experiments actually have latency data?": the ones whose check had data.
            let hasData = !noData && entities.words.contains("data") && !entities.words.isDisjoint(with: ["have", "has", "with"])
            return """
                SELECT experiment_id, variation_id, metric_id, uplift_rel, rel_p_value, guardrail_status FROM fct_experiment_results \
                WHERE metric_id = \(metric) AND analysis_mode = \(mode) AND is_control = 0 AND metric_role = 'guardrail'\(noData ? " AND guardrail_status = 'no_data'" : hasData ? " AND guardrail_status <> 'no_data'" : "")\(experimentScope(entities, column: "experiment_id")) \
                ORDER BY experiment_id, variation_id
                """
        case .guardrails where experiment == nil && (entities.words.contains("no") && entities.words.contains("data") || entities.words.contains("couldn") || entities.words.contains("unchecked")
                                                      || entities.words.contains("checked") && !entities.words.isDisjoint(with: ["not", "weren", "wasn", "never", "t"])):
            // "Which experiments couldn't check their guardrails because there was no data?"
            return """
                SELECT experiment_id, guardrails_status, verdict FROM fct_experiment_verdicts \
                WHERE analysis_mode = \(mode) AND guardrails_status = 'not_checked'\(experimentScope(entities, column: "experiment_id")) ORDER BY experiment_id
                """
        case .guardrails where experiment == nil:
            // "Are any experiments failing their guardrails?"
            return """
                SELECT experiment_id, guardrails_status, verdict FROM fct_experiment_verdicts \
                WHERE analysis_mode = \(mode)\(entities.asksForFailures || entities.words.contains("breach") || entities.words.contains("any") ? " AND guardrails_status = 'failing'" : "")\(experimentScope(entities, column: "experiment_id")) ORDER BY experiment_id
                """
        case .guardrails:
            return """
                SELECT r.metric_id, r.variation_id, r.metric_kind, r.conversion_rate, r.mean_value, r.uplift_abs, r.uplift_rel, r.rel_p_value, r.is_significant, r.guardrail_status, \
                x.guardrails_status AS overall_guardrails_status, r.rel_ci_low, r.rel_ci_high, r.ci_low, r.ci_high \
                FROM fct_experiment_results AS r \
                LEFT JOIN fct_experiment_verdicts AS x ON x.experiment_id = r.experiment_id AND x.analysis_mode = r.analysis_mode \
                WHERE r.experiment_id = \(id) AND r.analysis_mode = \(mode) AND r.metric_role = 'guardrail' AND r.is_control = 0\(guardrailFilter(entities))\(entities.variant.flatMap { $0 == "control" ? nil : " AND r.variation_id = \(literal($0))" } ?? "") \
                ORDER BY r.metric_id, r.variation_id
                """
        case .details where entities.asksArms:
            // "What's the treatment called?": that arm's name.
            let arm = entities.variant.map { " AND variation_id = \(literal($0))" } ?? ""
            return "SELECT experiment_id, variation_id, name, allocation, is_control FROM experiment_variants WHERE experiment_id = \(id)\(arm) ORDER BY is_control DESC, variation_id"
        case .details:
            return """
                SELECT experiment_id, name, hypothesis, primary_metric_id, status, owner, created_at, started_at, ended_at\(entities.asksRunLength ? ", \(entities.dialect.daysBetween("started_at", "ended_at")) AS days_run" : "") \
                FROM experiments WHERE experiment_id = \(id)
                """
        case .compare:
            let ids = entities.experiments.prefix(2).map { literal($0.id) }.joined(separator: ", ")
            return """
                SELECT r.experiment_id, r.variation_id, r.metric_id, r.uplift_rel, r.rel_ci_low, r.rel_ci_high, r.rel_p_value, r.adjusted_p_value, r.is_significant \
                FROM fct_experiment_results AS r \
                WHERE r.experiment_id IN (\(ids)) AND r.analysis_mode = \(mode) AND \(entities.metric.map { "r.metric_id = \(literal($0.id))" } ?? "r.metric_role = 'primary'") AND r.is_control = 0 \
                ORDER BY r.experiment_id, r.variation_id
                """
        case .listExperiments:
            var conditions: [String] = []
            if let status = statusCondition(entities) { conditions.append(status) }
            if let owner = entities.owner { conditions.append("owner = \(literal(owner))") }
            // "Which experiments ended in September?": the end date; "created in …" the creation date; else the start.
            let dated = entities.aboutCreation ? "created_at"
                : !entities.words.isDisjoint(with: ["ended", "finished", "concluded", "stopped", "ending", "end"]) && entities.words.isDisjoint(with: ["started", "start", "began", "launched"]) ? "ended_at" : "started_at"
            if let from = entities.dates?.from { conditions.append("\(dated) >= \(literal(from))") }
            if let to = entities.dates?.to { conditions.append("\(dated) < \(literal(DateRange.shift(to, days: 1)))") }
            if entities.ended, dated != "ended_at" || entities.dates == nil { conditions.append("ended_at IS NOT NULL") }
            // "Which experiment hasn't started yet?", "not started": no start date.
            let negated = zip(entities.wordList, entities.wordList.dropFirst()).contains { ["not", "hasn't", "haven't", "hasnt", "havent", "yet", "never"].contains($0.0) && ["started", "launched", "begun", "start"].contains($0.1) }
                || zip(entities.wordList, entities.wordList.dropFirst()).contains { ["started", "launched"].contains($0.0) && $0.1 == "yet" }
            if negated, entities.dates == nil { conditions.append("started_at IS NULL") }
            // "Which experiments have started?": those with a start date.
            else if entities.dates == nil, !entities.words.isDisjoint(with: ["started", "launched", "begun"]),
                    zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { ["have", "has", "already"].contains($0.0) && ["started", "launched", "begun"].contains($0.1) }) {
                conditions.append("started_at IS NOT NULL")
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            // "Which experiments have more than two arms?": experiments by their arms counted.
            if let (op, n) = entities.armCount {
                let listed = """
                    SELECT e.experiment_id, e.name, e.status, count(v.variation_id) AS arms FROM experiments AS e \
                    JOIN experiment_variants AS v ON v.experiment_id = e.experiment_id\(filter.replacingOccurrences(of: " WHERE ", with: " WHERE e.")) \
                    GROUP BY e.experiment_id HAVING count(v.variation_id) \(op) \(n) ORDER BY e.experiment_id
                    """
                return entities.counting ? "SELECT count(*) AS experiments FROM (\(listed))" : listed
            }
            // "How many …" is answered with the count, one row — or one row per group ("per team", "by status").
            if entities.counting, let group = entities.groupBy, let most = entities.groupOrder {
                // The group(s) with the most (fewest) experiments, ties kept.
                return """
                    SELECT \(group), count(*) AS experiments FROM experiments\(filter) GROUP BY \(group) \
                    HAVING count(*) = (SELECT \(most ? "max" : "min")(n) FROM (SELECT count(*) AS n FROM experiments\(filter) GROUP BY \(group))) ORDER BY \(group)
                    """
            }
            if entities.counting, let group = entities.groupBy {
                return "SELECT \(group), count(*) AS experiments FROM experiments\(filter) GROUP BY \(group) ORDER BY \(group)"
            }
            if entities.counting { return "SELECT count(*) AS experiments FROM experiments\(filter)" }
            // "Which teams have experiments running right now?": the owners.
            if zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { ["which", "what"].contains($0.0) && ["teams", "owners"].contains($0.1) }) {
                return "SELECT DISTINCT owner FROM experiments\(filter) ORDER BY owner"
            }
            // "Which experiment started first / most recently?".
            // "What's the newest experiment?": the one created last.
            if entities.words.isDisjoint(with: ["started", "launched", "began", "created"]), !entities.words.isDisjoint(with: ["newest", "oldest"]), !entities.counting {
                let newest = entities.words.contains("newest")
                let created = conditions.isEmpty ? " WHERE created_at IS NOT NULL" : filter + " AND created_at IS NOT NULL"
                return "SELECT experiment_id, name, created_at FROM experiments\(created) ORDER BY created_at \(newest ? "DESC" : "ASC") LIMIT 1"
            }
            if !entities.words.isDisjoint(with: ["started", "launched", "began", "created"]) {
                let earliest = !entities.words.isDisjoint(with: ["first", "earliest", "oldest"])
                let latest = !entities.words.isDisjoint(with: ["last", "latest", "newest", "recently", "recent"])
                if earliest || latest {
                    let column = entities.words.contains("created") ? "created_at" : "started_at"
                    let started = conditions.isEmpty ? " WHERE \(column) IS NOT NULL" : filter + " AND \(column) IS NOT NULL"
                    return "SELECT experiment_id, name, \(column) FROM experiments\(started) ORDER BY \(column) \(earliest ? "ASC" : "DESC") LIMIT 1"
                }
            }
            // "List experiments by start date", "sorted by end date": in that order.
            let pairs = Array(zip(entities.wordList, entities.wordList.dropFirst()))
            // "List experiments by status": grouped in that order.
            let grouped = entities.groupBy.flatMap { ["owner", "status"].contains($0) ? "\($0), experiment_id" : nil }
            let order = grouped ?? (pairs.contains { ["by", "on"].contains($0.0) && ["start", "started", "starting", "launch"].contains($0.1) } ? "started_at IS NULL, started_at, experiment_id"
                : pairs.contains { ["by", "on"].contains($0.0) && ["end", "ended", "ending"].contains($0.1) } ? "ended_at IS NULL, ended_at, experiment_id"
                : pairs.contains { ["by", "on"].contains($0.0) && ["creation", "created"].contains($0.1) } ? "created_at, experiment_id" : "experiment_id")
            return "SELECT experiment_id, name, status, owner, created_at, started_at, ended_at FROM experiments\(filter) ORDER BY \(order)"
        case .significantExperiments where entities.ranking != nil:
            return rankingSQL(entities)
        case .significantExperiments:
            // "Which experiments significantly increased refunds?" is about refunds, not each primary metric.
            let onMetric = entities.metric.map { "r.metric_id = \(literal($0.id))" } ?? (entities.secondaryMetrics ? "r.metric_role = 'secondary'" : "r.metric_role = 'primary'")
            return """
                SELECT r.experiment_id, r.variation_id, r.metric_id, r.uplift_rel, r.rel_ci_low, r.rel_ci_high, r.rel_p_value, r.adjusted_p_value, r.is_significant, \
                x.verdict, x.achieved_power, x.required_users_per_arm, (SELECT owner FROM experiments AS e WHERE e.experiment_id = r.experiment_id) AS owner, \
                (SELECT status FROM experiments AS e WHERE e.experiment_id = r.experiment_id) AS status \
                FROM fct_experiment_results AS r \
                JOIN metrics AS m ON m.metric_id = r.metric_id \
                LEFT JOIN fct_experiment_verdicts AS x ON x.experiment_id = r.experiment_id AND x.analysis_mode = r.analysis_mode \
                WHERE r.analysis_mode = \(mode) AND \(onMetric) AND r.is_control = 0\(significanceFilter(entities.slice))\(experimentScope(entities, column: "r.experiment_id")) \
                ORDER BY r.experiment_id, r.variation_id
                """
        case .metrics:
            // "which metrics are guardrails?" keeps the guardrails.
            var guardrails = entities.mentionsGuardrails ? " WHERE is_guardrail = 1" : ""
            if entities.asksDirection, let metric = entities.metric { guardrails = " WHERE metric_id = \(literal(metric.id))" }
            return "SELECT metric_id, name, kind, higher_is_better, is_guardrail FROM metrics\(guardrails) ORDER BY metric_id"
        case .assets:
            return "SELECT asset_name, description FROM dim_ai_allowed_assets ORDER BY asset_name"
        }
    }
}

extension RulePlanner {
    /// Which comparisons "which experiments are winning / losing / significant / underpowered" keeps:
    /// the decision test's significance and the analysis's verdict, as the results tables carry them.
    static func significanceFilter(_ slice: String?) -> String {
        let better = "((m.higher_is_better = 1 AND r.uplift_rel > 0) OR (m.higher_is_better = 0 AND r.uplift_rel < 0))"
        switch slice {
        case "winning": return " AND r.is_significant = 1 AND \(better)"
        case "losing": return " AND r.is_significant = 1 AND NOT \(better)"
        case "underpowered": return " AND x.verdict = 'Hold (underpowered)'"
        case "all": return ""
        case "increased": return " AND r.is_significant = 1 AND r.uplift_rel > 0"
        case "decreased": return " AND r.is_significant = 1 AND r.uplift_rel < 0"
        case "not_significant": return " AND r.is_significant = 0"
        case "negative": return " AND r.uplift_rel < 0"
        case "positive": return " AND r.uplift_rel > 0"
        default: return " AND r.is_significant = 1"
        }
    }
}

extension RulePlanner {
    /// A count over a span of days with no day-by-day word ("pre-assignment exposures in the first
    /// week", "assigned users from Oct 5 to Oct 10") asks for one total over the span. "Daily",
    /// "per day", "each day", "which days", "trend" keep the days.
    static func rangeReading(_ entities: Entities) -> DailyQuery {
        var query = entities.daily
        // "Pre-assignment exposures in signup flow": one experiment's data-quality count, over its whole run.
        if entities.dates == nil, entities.lastDays == nil, entities.experiments.count == 1, query.aggregates.isEmpty, query.descending == nil,
           query.threshold == nil, !query.nonZero, [.preAssignment, .multiVariation, .outsideWindow].contains(query.measure),
           entities.words.isDisjoint(with: ["daily", "days", "day", "trend", "when", "dates", "date"]) {
            query.aggregates = [.total]
            return query
        }
        // One experiment's one day: its row holds the count asked for, beside the day's other figures.
        if entities.dates?.isSingleDay == true, entities.experiments.count == 1, query.aggregates == [.total], !query.measure.isRate {
            query.aggregates = []
            return query
        }
        let span = (entities.dates.map { !$0.isSingleDay } ?? false) || entities.lastDays != nil
        guard span, query.aggregates.isEmpty, query.descending == nil, query.threshold == nil, !query.nonZero, !query.pooled else { return query }
        let words = entities.words
        let dayByDay = !words.isDisjoint(with: ["daily", "days", "trend", "trends", "timeline", "time", "dates", "chart", "plot", "when"])
            || zip(entities.wordList, entities.wordList.dropFirst()).contains { ["per", "by", "each", "every", "which", "what", "a"].contains($0.0) && ["day", "date"].contains($0.1) }
        // "Exposed units on Oct 8 and Oct 9": two days named, each its own row.
        let namesDays = words.contains("and") && words.isDisjoint(with: ["between", "from", "to", "through", "thru", "until", "till", "since", "after", "before", "during", "week", "last", "first"])
        guard !dayByDay, !namesDays, entities.groupBy == nil || entities.groupBy == "experiment_id" else { return query }
        switch query.measure {
        case .exposureRate:
            // A rate over a span keeps its days (the readout states the span's pooled rate too);
            // "overall exposure rate since Oct 10" is one pooled figure (DailyQuery.parse).
            break
        case .assignedUnits, .exposedUnits, .preAssignment, .multiVariation, .outsideWindow: query.aggregates = [.total]
        case .validExposureRate, .mismatchRate: break
        }
        return query
    }
}

extension RulePlanner {
    /// The daily exposure table, shaped like the question: days in a range, above or below a
    /// threshold, the day (or experiment) with the lowest or highest value, or an aggregate over days.
    static func dailySQL(_ entities: Entities) -> String {
        let query = rangeReading(entities)
        let measure = query.measure.rawValue
        let one = entities.experiments.first
        var conditions: [String] = []
        if let one { conditions.append("experiment_id = \(literal(one.id))") }
        if let scope = experimentCondition(entities, column: "experiment_id") { conditions.append(scope) }
        if let from = entities.dates?.from { conditions.append("date_day >= \(literal(from))") }
        if let to = entities.dates?.to { conditions.append("date_day <= \(literal(to))") }
        if let last = entities.lastDays, let one {
            // Its own last days of data, wherever they fall.
            conditions.append("date_day >= \(entities.dialect.daysBefore("(SELECT max(date_day) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = \(literal(one.id)))", last - 1))")
        }
        // "First and last day of exposure data for free shipping": the span its daily rows cover.
        let pairs = Array(zip(entities.wordList, entities.wordList.dropFirst()))
        if let one, entities.dates == nil, entities.lastDays == nil, query.aggregates.isEmpty, query.threshold == nil,
           pairs.contains(where: { ["first", "last"].contains($0.0) && ["day", "days", "date"].contains($0.1) }),
           !entities.words.isDisjoint(with: ["data", "exposure", "exposures", "rows", "figures"]),
           entities.words.isDisjoint(with: ["rate", "rates", "exposed", "assigned", "lowest", "highest", "worst", "best", "week", "weeks"]) {
            return "SELECT experiment_id, min(date_day) AS first_day, max(date_day) AS last_day, count(*) AS days FROM fct_experiment_exposure_quality_daily WHERE experiment_id = \(literal(one.id)) GROUP BY experiment_id"
        }
        let direction = query.descending.map { $0 ? "DESC" : "ASC" }
        // "Which day had the most exposed users across all experiments?": every experiment's day summed.
        let perDay = !entities.words.isDisjoint(with: ["day", "days", "daily", "date"])
        // Counts add up across experiments; a rate's worst day is one experiment's unless the question pools it
        // ("which day had the lowest exposure rate across all experiments?" pools each day; "which experiment had
        // the lowest single-day rate?" does not).
        let together = [.assignedUnits, .exposedUnits].contains(query.measure)
            ? !entities.words.isDisjoint(with: ["across", "overall", "combined", "total"])
            : !entities.words.isDisjoint(with: ["overall", "combined", "pooled"])
                || (entities.words.contains("across") && entities.words.isDisjoint(with: ["experiment", "single-day", "single"]))
        let dayByDay = query.descending != nil || entities.words.contains("daily")
            || zip(entities.wordList, entities.wordList.dropFirst()).contains { ["per", "by", "each", "which"].contains($0.0) && ["day", "date"].contains($0.1) }
        if one == nil, perDay, together, dayByDay, query.aggregates.isEmpty || query.aggregates == [.total], !query.pooled, [.exposureRate, .assignedUnits, .exposedUnits].contains(query.measure) {
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let having = query.threshold.map { " HAVING \(measure) \($0.0) \($0.1)" } ?? ""
            let order = direction.map { " ORDER BY \(measure) \($0), date_day\(query.limit.map { " LIMIT \($0)" } ?? "")" } ?? " ORDER BY date_day"
            return """
                SELECT date_day, sum(assigned_units) AS assigned_units, sum(exposed_units) AS exposed_units, \
                1.0 * sum(exposed_units) / sum(assigned_units) AS exposure_rate, count(*) AS experiments \
                FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY date_day\(having)\(order)
                """
        }
        // "Outside its date window" is about the window, not about days.
        let dayWords = !entities.words.isDisjoint(with: ["day", "days", "daily", "when"])
            || zip(entities.wordList, entities.wordList.dropFirst()).contains { ["date", "dates"].contains($0.0) && !["window", "range"].contains($0.1) }
        if let (op, value) = query.threshold { conditions.append("\(measure) \(op) \(value)") } else if query.nonZero { conditions.append("\(measure) > 0") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        // "Which experiments had an exposure rate under 90% on any day?": the experiments, each with how many such days.
        if one == nil, query.measure.isRate, let (op, _) = query.threshold, query.descending == nil, query.aggregates.isEmpty,
           entities.wordList.indices.dropLast().contains(where: { ["which", "what"].contains(entities.wordList[$0]) && ["experiments", "experiment", "tests", "test"].contains(entities.wordList[$0 + 1]) }),
           // ("Which experiment and day?", "which days": the days themselves.)
           !entities.words.contains("days"), !zip(entities.wordList, entities.wordList.dropFirst()).contains(where: { ["and", "which", "what"].contains($0.0) && $0.1 == "day" }) {
            let extreme = op == "<" ? "min" : "max"
            return """
                SELECT experiment_id, count(*) AS days, \(extreme)(\(measure)) AS \(extreme)_\(measure), min(date_day) AS first_day, max(date_day) AS last_day \
                FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id ORDER BY experiment_id
                """
        }
        // "Which experiments had exposures outside the window?": experiments whose days add up to any.
        if one == nil, !query.measure.isRate, ![.assignedUnits, .exposedUnits].contains(query.measure), query.aggregates.isEmpty,
           query.descending == nil, query.threshold == nil, entities.words.contains("experiments") || entities.words.contains("experiment"),
           !dayWords {
            return "SELECT experiment_id, sum(\(measure)) AS \(measure) FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id HAVING sum(\(measure)) > 0 ORDER BY experiment_id"
        }
        // "Which day had the lowest exposure rate for each experiment?": each experiment's worst (or best) day.
        if one == nil, entities.groupBy == "experiment_id", let direction, query.aggregates.isEmpty, query.threshold == nil {
            return """
                SELECT experiment_id, date_day, \(measure) FROM (SELECT experiment_id, date_day, \(measure), \
                row_number() OVER (PARTITION BY experiment_id ORDER BY \(measure) \(direction), date_day) AS day_rank \
                FROM fct_experiment_exposure_quality_daily\(filter)) WHERE day_rank <= \(query.limit ?? 1) ORDER BY experiment_id, day_rank
                """
        }
        // "Which experiments have mismatched or pre-assignment exposures?", "any flagged exposures at all": each experiment's
        // data-quality counts, those with any of the ones named.
        let flagWords: [(String, [String])] = [("pre_assignment_exposure", ["pre-assignment", "pre"]), ("multi_variation_exposure", ["multi-variation", "multi"]),
                                              ("exposure_outside_window", ["outside", "out-of-window", "window"]), ("mismatched_units", ["mismatch", "mismatched", "mismatches"])]
        let allFlags = !entities.words.isDisjoint(with: ["flagged", "flags", "flag"]) && !entities.words.isDisjoint(with: ["exposure", "exposures"])
        let namedFlags = flagWords.filter { allFlags || !entities.words.isDisjoint(with: $0.1) }.map(\.0)
        if one == nil, namedFlags.count >= 2, query.descending == nil, query.threshold == nil, !dayWords,
           !entities.words.isDisjoint(with: ["experiment", "experiments", "test", "tests", "which"]) {
            let sums = "sum(pre_assignment_exposure) AS pre_assignment_exposure, sum(multi_variation_exposure) AS multi_variation_exposure, "
                + "sum(exposure_outside_window) AS exposure_outside_window, sum(mismatch_rate * exposed_units) AS mismatched_units"
            let having = namedFlags.map { $0 == "mismatched_units" ? "sum(mismatch_rate * exposed_units) > 0" : "sum(\($0)) > 0" }.joined(separator: " OR ")
            return "SELECT experiment_id, \(sums) FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id HAVING \(having) ORDER BY experiment_id"
        }
        // "Which experiment has the most mismatched exposures?": each experiment's mismatched units (the rate times its exposed units), ranked.
        if one == nil, query.measure == .mismatchRate, let direction, !dayWords, query.aggregates.isEmpty, query.threshold == nil,
           !entities.words.isDisjoint(with: ["experiment", "experiments", "test", "tests"]), entities.words.isDisjoint(with: ["rate", "rates", "share"]) {
            return """
                SELECT experiment_id, sum(mismatch_rate * exposed_units) AS mismatched_units, sum(exposed_units) AS exposed_units, count(*) AS days \
                FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id ORDER BY mismatched_units \(direction), experiment_id\(query.limit.map { " LIMIT \($0)" } ?? "")
                """
        }
        // "Which experiment assigned the most users in the first week?": each experiment's days summed, ranked.
        if one == nil, [.assignedUnits, .exposedUnits, .preAssignment, .multiVariation, .outsideWindow].contains(query.measure), let direction, !dayWords, query.aggregates.isEmpty,
           query.threshold == nil, !entities.words.isDisjoint(with: ["experiment", "experiments", "test", "tests"]) {
            return """
                SELECT experiment_id, sum(\(measure)) AS \(measure), count(*) AS days, min(date_day) AS first_day, max(date_day) AS last_day \
                FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id \
                ORDER BY \(measure) \(direction), experiment_id\(query.limit.map { " LIMIT \($0)" } ?? "")
                """
        }
        // "Which experiment had the lowest overall exposure rate?": each experiment's rate over its whole run, ranked.
        if one == nil, query.measure == .exposureRate, let direction, !dayWords, query.aggregates.isEmpty, query.threshold == nil,
           !entities.words.isDisjoint(with: ["experiment", "experiments", "test", "tests"]) {
            return """
                SELECT experiment_id, 1.0 * sum(exposed_units) / sum(assigned_units) AS exposure_rate, sum(assigned_units) AS assigned_units,                 sum(exposed_units) AS exposed_units FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id                 ORDER BY exposure_rate \(direction), experiment_id\(query.limit.map { " LIMIT \($0)" } ?? "")
                """
        }
        // "Our exposure rate across all experiments combined", "… across all experiments on Oct 8": one ratio over them all.
        // "Exposed over assigned" pools too (it reads as a sum), so it does not make the answer per experiment.
        if one == nil, query.measure == .exposureRate || query.pooled, query.aggregates.isEmpty || query.pooled, query.descending == nil, query.threshold == nil, entities.groupBy == nil,
           !entities.words.isDisjoint(with: ["combined", "across", "together", "pooled", "overall"]),
           !entities.words.isDisjoint(with: ["all", "experiments", "tests", "everything"]) || entities.words.contains("pooled"),
           entities.words.isDisjoint(with: ["which", "each", "per", "daily", "days"]) {
            return """
                SELECT 1.0 * sum(exposed_units) / sum(assigned_units) AS exposure_rate, sum(assigned_units) AS assigned_units, sum(exposed_units) AS exposed_units, \
                count(DISTINCT experiment_id) AS experiments, count(DISTINCT date_day) AS days FROM fct_experiment_exposure_quality_daily\(filter)
                """
        }
        if query.pooled || (entities.groupBy == "experiment_id" && query.measure == .exposureRate && query.aggregates.isEmpty && query.descending == nil) {
            // "Overall exposure rate across all days": exposed over assigned, every day together. A threshold
            // ("experiments whose overall exposure rate is above 90%") is on that ratio, not on single days.
            let ratio = "1.0 * sum(exposed_units) / sum(assigned_units) AS exposure_rate"
            var dayConditions = conditions
            var having = ""
            if let (op, value) = query.threshold, query.measure == .exposureRate {
                dayConditions.removeAll { $0 == "\(measure) \(op) \(value)" }
                having = " HAVING 1.0 * sum(exposed_units) / sum(assigned_units) \(op) \(value)"
            }
            let dayFilter = dayConditions.isEmpty ? "" : " WHERE " + dayConditions.joined(separator: " AND ")
            let group = one == nil ? " GROUP BY experiment_id\(having) ORDER BY experiment_id" : " GROUP BY experiment_id\(having)"
            let span = entities.dates != nil || entities.lastDays != nil ? ", min(date_day) AS first_day, max(date_day) AS last_day" : ""
            return "SELECT experiment_id, \(ratio), sum(assigned_units) AS assigned_units, sum(exposed_units) AS exposed_units, count(*) AS days\(span) FROM fct_experiment_exposure_quality_daily\(dayFilter)\(group)"
        }
        if !query.aggregates.isEmpty {
            let columns = query.aggregates.map { "\($0.rawValue)(\(measure)) AS \($0.rawValue)_\(measure)" }.joined(separator: ", ")
            if one != nil {
                // Days asked for are named in the answer: "exposed on Oct 8" shows Oct 8.
                let span = entities.dates != nil || entities.lastDays != nil ? ", min(date_day) AS first_day, max(date_day) AS last_day" : ""
                return "SELECT experiment_id, \(columns), count(*) AS days\(span) FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id"
            }
            if query.acrossExperiments {
                return "SELECT \(columns), count(DISTINCT experiment_id) AS experiments FROM fct_experiment_exposure_quality_daily\(filter)"
            }
            let order = direction.map { " ORDER BY \(query.aggregates[0].rawValue)_\(measure) \($0)\(query.limit.map { " LIMIT \($0)" } ?? "")" } ?? " ORDER BY experiment_id"
            // "Which experiment logged exposures outside its dates, and how many?": those with any.
            let any = !query.measure.isRate && ![.assignedUnits, .exposedUnits].contains(query.measure)
                && (entities.words.contains("which") || entities.words.contains("any"))
                ? " HAVING sum(\(measure)) > 0" : ""
            return "SELECT experiment_id, \(columns), count(*) AS days FROM fct_experiment_exposure_quality_daily\(filter) GROUP BY experiment_id\(any)\(order)"
        }
        let columns = "experiment_id, date_day, assigned_units, exposed_units, exposure_rate, valid_exposure_rate, mismatch_rate, "
            + "pre_assignment_exposure, multi_variation_exposure, exposure_outside_window"
        let order = direction.map { " ORDER BY \(measure) \($0), experiment_id, date_day\(query.limit.map { " LIMIT \($0)" } ?? "")" } ?? " ORDER BY experiment_id, date_day"
        // "Did any day of the pricing page test dip below 94%?": the days that did, or — when none did —
        // the day closest to the bound, so the "no" comes with its evidence (flagged crosses_threshold = 0).
        if one != nil, let (op, value) = query.threshold, direction == nil, query.measure.isRate,
           let first = entities.wordList.first, ["is", "are", "does", "do", "did", "was", "were", "has", "have"].contains(first) {
            let bound = "\(measure) \(op) \(value)"
            let scope = conditions.filter { $0 != bound }
            let scoped = scope.isEmpty ? " WHERE" : " WHERE " + scope.joined(separator: " AND ") + " AND"
            return """
                SELECT \(columns), 1 AS crosses_threshold FROM fct_experiment_exposure_quality_daily\(filter) \
                UNION ALL SELECT * FROM (SELECT \(columns), 0 AS crosses_threshold FROM fct_experiment_exposure_quality_daily\(scoped) \
                NOT EXISTS (SELECT 1 FROM fct_experiment_exposure_quality_daily\(filter)) ORDER BY \(measure) \(op == "<" ? "ASC" : "DESC"), date_day LIMIT 1) \
                ORDER BY experiment_id, date_day
                """
        }
        return "SELECT \(columns) FROM fct_experiment_exposure_quality_daily\(filter)\(order)"
    }
}

extension RulePlanner {
    /// "For free shipping, which metrics came out significant?": only the significant ones.
    static func metricSlice(_ entities: Entities) -> String {
        guard entities.allMetrics, !entities.words.contains("not") else { return "" }
        return !entities.words.isDisjoint(with: ["significant", "significantly", "sig"]) ? " AND r.is_significant = 1" : ""
    }

    /// "Which metric moved the most in search ranking?": the largest relative change first, one row.
    /// "Which treatment arm has the higher chance to beat control?": the arms ordered by what is asked (the lift otherwise).
    static func armOrderColumn(_ entities: Entities) -> String {
        let words = entities.words
        if words.contains("chance") { return "r.chance_to_beat_control" }
        if !words.isDisjoint(with: ["p-value", "pvalue", "p-values"]) { return "-r.rel_p_value" }
        if words.contains("absolute") || words.contains("points") { return "r.uplift_abs" }
        return "r.uplift_rel"
    }

    static func metricOrder(_ entities: Entities) -> String? {
        guard entities.allMetrics, !entities.words.isDisjoint(with: ["most", "biggest", "largest", "least", "smallest", "lowest", "highest"]) else { return nil }
        let least = !entities.words.isDisjoint(with: ["least", "smallest", "lowest"])
        if !entities.words.isDisjoint(with: ["p-value", "pvalue", "p"]) {
            return "r.rel_p_value IS NULL, r.rel_p_value \(least ? "ASC" : "DESC"), r.metric_id LIMIT 1"
        }
        return "abs(r.uplift_rel) \(least ? "ASC" : "DESC"), r.metric_id LIMIT 1"
    }
}

extension RulePlanner {
    /// A guardrail question about one metric ("did latency get worse") keeps that metric.
    static func guardrailFilter(_ entities: Entities) -> String {
        // "Which guardrail is failing in recs?": the failing ones (a yes/no question keeps every row, so "no" can be said).
        // Failing as a state ("which guardrail is failing"), not a topic ("the recs v2 latency issue").
        let failing = (entities.words.contains { ["fail", "fails", "failing", "failed", "breach", "breached", "breaching", "tripped", "violated", "violating",
                                                   "broken", "bad", "worsened", "severe"].contains($0) } || entities.wordList.indices.dropLast().contains {
            entities.wordList[$0] == "not" && ["ok", "okay"].contains(entities.wordList[$0 + 1]) })
            && !entities.words.isDisjoint(with: ["which", "what"]) && !["is", "are", "did", "does", "do", "has", "have", "was", "were", "any"].contains(entities.wordList.first ?? "")
        // "Which guardrails weren't checked?": those without data.
        let unchecked = entities.words.contains("unchecked") || entities.words.contains("checked") && !entities.words.isDisjoint(with: ["not", "weren", "wasn", "never", "t"])
        let status = unchecked ? " AND r.guardrail_status = 'no_data'" : failing ? " AND r.guardrail_status NOT IN ('ok', 'no_data')" : ""
        guard let metric = entities.metric else { return status }
        return " AND r.metric_id = \(literal(metric.id))" + status
    }
}

extension RulePlanner {
    /// "<column> = 'exp'" for the experiment named, or "<column> IN (…)" for several.
    static func named(_ entities: Entities, column: String) -> String {
        if entities.experiments.count > 1 {
            return "\(column) IN (\(entities.experiments.map { literal($0.id) }.joined(separator: ", ")))"
        }
        return "\(column) = \(literal(entities.experiments.first?.id ?? ""))"
    }

    /// "Whose health badge is Blocked": that badge, when the question names the health badge and one of its values.
    static func healthBadge(_ entities: Entities, column: String) -> String {
        guard !entities.words.isDisjoint(with: ["health", "badge", "healthy"]) else { return "" }
        let badges = [("blocked", "Blocked"), ("warning", "Warning"), ("healthy", "Healthy")].filter { entities.words.contains($0.0) }
        guard badges.count == 1, let badge = badges.first else { return "" }
        return " AND \(column) = \(literal(badge.1))"
    }

    /// The experiments' status filter: one status, several, or every status but one ("not running").
    static func statusCondition(_ entities: Entities) -> String? {
        if entities.statuses.count > 1 {
            return "status IN (\(entities.statuses.map(literal).joined(separator: ", ")))"
        }
        guard let status = entities.status else { return nil }
        return entities.statusNegated ? "status <> \(literal(status))" : "status = \(literal(status))"
    }

    /// "<column> IN (experiments with the status / owner named)", or nil when none is named.
    static func experimentCondition(_ entities: Entities, column: String) -> String? {
        var filters: [String] = []
        if let status = statusCondition(entities) { filters.append(status) }
        if let owner = entities.owner { filters.append("owner = \(literal(owner))") }
        if filters.isEmpty { return nil }
        return "\(column) IN (SELECT experiment_id FROM experiments WHERE \(filters.joined(separator: " AND ")))"
    }

    /// `experimentCondition` as a further " AND …" of a WHERE clause, or "".
    static func experimentScope(_ entities: Entities, column: String) -> String {
        experimentCondition(entities, column: column).map { " AND \($0)" } ?? ""
    }

    /// " ORDER BY <column> DESC|ASC, <keys> LIMIT n" for a ranking; " ORDER BY <keys>" when it only filters.
    static func rankingOrder(_ ranking: RankingQuery, by column: String, then keys: String) -> String {
        guard let descending = ranking.descending else { return " ORDER BY \(keys)" }
        return " ORDER BY \(column) \(descending ? "DESC" : "ASC"), \(keys)" + (ranking.limit.map { " LIMIT \($0)" } ?? "")
    }

    /// Comparisons across experiments, ranked or filtered on one results measure.
    static func rankingSQL(_ entities: Entities) -> String {
        guard let ranking = entities.ranking else { return "" }
        // Figures one per experiment, on its verdict: the achieved power, the sample-ratio check.
        let verdictColumns: [RankingQuery.Measure: String] = [.power: "required_users_per_arm, verdict, (SELECT owner FROM experiments AS e WHERE e.experiment_id = fct_experiment_verdicts.experiment_id) AS owner", .srm: "srm_status, health_status",
                                                              .requiredUsers: "achieved_power, verdict"]
        if let others = verdictColumns[ranking.measure] {
            let column = ranking.measure.rawValue
            var conditions = ["analysis_mode = \(literal(entities.mode))", "\(column) IS NOT NULL"]
            if let scope = experimentCondition(entities, column: "experiment_id") { conditions.append(scope) }
            if let (op, value) = ranking.threshold { conditions.append("\(column) \(op) \(value)") }
            let order = rankingOrder(ranking, by: column, then: "experiment_id")
            return """
                SELECT experiment_id, \(column), \(others) FROM fct_experiment_verdicts \
                WHERE \(conditions.joined(separator: " AND "))\(order)
                """
        }
        if ranking.measure == .users, zip(entities.wordList, entities.wordList.dropFirst()).contains(where: {
            ["which", "what", "single", "one"].contains($0.0) && ["arm", "variant", "variation", "group"].contains($0.1) }) {
            // "Which single arm, in any experiment, has the most users?": arms, not experiments.
            let order = rankingOrder(ranking, by: "a.n_users", then: "a.experiment_id, a.variation_id")
            let threshold = ranking.threshold.map { " AND a.n_users \($0.0) \(Int($0.1))" } ?? ""
            return """
                SELECT a.experiment_id, a.variation_id, a.n_users FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE a.analysis_mode = \(literal(entities.mode))\(threshold)\(experimentScope(entities, column: "a.experiment_id"))\(order)
                """
        }
        if ranking.measure == .users {
            // Units per experiment (its primary metric's rows carry every unit once).
            let order = rankingOrder(ranking, by: "n_users", then: "a.experiment_id")
            let having = ranking.threshold.map { " HAVING sum(a.n_users) \($0.0) \(Int($0.1))" } ?? ""
            return """
                SELECT a.experiment_id, sum(a.n_users) AS n_users FROM agg_experiment_metric_by_variant AS a \
                JOIN experiments AS e ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id \
                WHERE a.analysis_mode = \(literal(entities.mode))\(experimentScope(entities, column: "a.experiment_id")) \
                GROUP BY a.experiment_id\(having)\(order)
                """
        }
        if ranking.measure == .value {
            // Each arm's own value (control arms too): the rate of a binary metric, the per-user mean of a continuous one.
            let column = entities.metric?.kind == "continuous" ? "mean_value" : "conversion_rate"
            var conditions = ["analysis_mode = \(literal(entities.mode))", "\(column) IS NOT NULL"]
            conditions.append(entities.metric.map { "metric_id = \(literal($0.id))" } ?? "metric_role = 'primary'")
            // "Whose control group converts best?": the arms named.
            // "Which experiment's treatment arm converts best?": across experiments, any treatment arm.
            if entities.variant == "control" { conditions.append("is_control = 1") }
            else if entities.variant == "treatment", entities.experiments.isEmpty { conditions.append("is_control = 0") }
            else if let arm = entities.variant { conditions.append("variation_id = \(literal(arm))") }
            if let scope = experimentCondition(entities, column: "experiment_id") { conditions.append(scope) }
            if let (op, value) = ranking.threshold { conditions.append("\(column) \(op) \(value)") }
            let order = rankingOrder(ranking, by: column, then: "experiment_id, variation_id")
            return """
                SELECT experiment_id, variation_id, metric_id, n_users, \(column) FROM fct_experiment_results \
                WHERE \(conditions.joined(separator: " AND "))\(order)
                """
        }
        let measure = ranking.measure.expression
        var conditions = ["r.is_control = 0", "r.analysis_mode = \(literal(entities.mode))", "\(measure) IS NOT NULL"]
        conditions.append(entities.metric.map { "r.metric_id = \(literal($0.id))" } ?? "r.metric_role = 'primary'")
        if let scope = experimentCondition(entities, column: "r.experiment_id") { conditions.append(scope) }
        if let (op, value) = ranking.threshold { conditions.append("\(measure) \(op) \(value)") }
        // "Best conversion lift per team", "for each team, its best experiment by lift": the top of each group.
        if let group = entities.groupBy, ["owner", "status"].contains(group), let descending = ranking.descending, ranking.threshold == nil {
            return """
                SELECT \(group), experiment_id, variation_id, metric_id, \(ranking.measure.rawValue) FROM (SELECT e.\(group), r.experiment_id, r.variation_id, r.metric_id, \
                \(measure) AS \(ranking.measure.rawValue), row_number() OVER (PARTITION BY e.\(group) ORDER BY \(measure) \(descending ? "DESC" : "ASC"), r.experiment_id, r.variation_id) AS group_rank \
                FROM fct_experiment_results AS r JOIN experiments AS e ON e.experiment_id = r.experiment_id WHERE \(conditions.joined(separator: " AND "))) \
                WHERE group_rank <= \(ranking.limit ?? 1) ORDER BY \(group), group_rank
                """
        }
        let order = rankingOrder(ranking, by: measure, then: "r.experiment_id, r.variation_id")
        return """
            SELECT r.experiment_id, r.variation_id, r.metric_id, r.uplift_rel, r.uplift_abs, r.rel_ci_low, r.rel_ci_high, r.rel_p_value, \
            r.adjusted_p_value, r.p_value_two_sided, r.is_significant, r.chance_to_beat_control\(ranking.measure == .cuped ? ", r.cuped_variance_reduction" : "")\(ranking.measure == .intervalWidth ? ", \(measure) AS rel_ci_width" : ""), e.owner, e.status FROM fct_experiment_results AS r \
            JOIN experiments AS e ON e.experiment_id = r.experiment_id \
            WHERE \(conditions.joined(separator: " AND "))\(order)
            """
    }
}
