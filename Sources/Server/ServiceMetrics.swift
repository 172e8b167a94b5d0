import Metrics
public import Prometheus

/// Prometheus metrics for `/metrics`, through swift-metrics: Hummingbird's
/// MetricsMiddleware records request counts and latency by route and status;
/// the service adds guard decisions by code, planner fallbacks and ingested events.
public enum ServiceMetrics {
    /// The process-wide registry; swift-metrics is bootstrapped with it once.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func guardDecision(_ decision: String, codes: [String]) {
        _ = registry
        if codes.isEmpty {
            Counter(label: "readout_guard_decisions_total", dimensions: [("decision", decision), ("code", "none")]).increment()
        }
        for code in codes {
            Counter(label: "readout_guard_decisions_total", dimensions: [("decision", decision), ("code", code)]).increment()
        }
    }

    /// A query turned away because every reader was busy and the line was full (503).
    static func turnedAway() {
        _ = registry
        Counter(label: "readout_queries_turned_away_total").increment()
    }

    static func plannerFallback(from planner: String) {
        _ = registry
        Counter(label: "readout_planner_fallbacks_total", dimensions: [("planner", planner)]).increment()
    }

    static func ingested(_ status: String, count: Int = 1) {
        _ = registry
        Counter(label: "readout_ingested_events_total", dimensions: [("status", status)]).increment(by: count)
    }
}
