import Semantic

/// The demo warehouse's fixed cast: metrics, experiments and the effects planted in them.
///
/// Ids here are a public interface (docs, examples and tests rely on them).
/// All times are fixed, so the same seed always produces the same tables.
struct DemoScenario {
    struct Metric {
        var id: String, name: String, kind: String, eventName: String, windowDays: Int, higherIsBetter: Bool, isGuardrail: Bool
    }

    struct Variant {
        var id: String
        var name: String
        /// The split the experiment is configured with.
        var allocation: Double
        /// The split assignment really follows (differs only where SRM is planted).
        var assignmentWeight: Double
        /// Multiplier on the chance to purchase once exposed.
        var purchaseEffect: Double
        /// Mean page latency for exposed units, where the experiment measures it.
        var latencyMean: Double?
    }

    enum Period { case september, october }

    struct Experiment {
        var id: String, name: String, hypothesis: String, primaryMetric: String, status: String, owner: String
        var createdAt: Int64, startedAt: Int64?, endedAt: Int64?
        var variants: [Variant]
        var period: Period
        /// Share of the period's visitors that enter the experiment.
        var eligibility: Double
        var exposureRate = 0.95
        /// Days (their midnight) on which exposure logging drops to `brokenExposureRate`.
        var brokenLoggingDays: [Int64] = []
        var brokenExposureRate = 0.35
        var preAssignmentRate = 0.0
        var mismatchRate = 0.0
        var multiVariationRate = 0.0
        var outsideWindowRate = 0.0
    }

    static func day(_ month: Int, _ day: Int, _ hour: Int = 0) -> Int64 {
        Timestamp.epochSeconds(year: 2026, month: month, day: day, hour: hour)
    }

    static let septemberVisits = (start: day(9, 1), days: Int64(21))
    static let octoberVisits = (start: day(10, 1), days: Int64(21))
    static let septemberShare = 0.15
    static let basePurchaseRate = 0.15
    static let secondPurchaseRate = 0.10
    static let refundRate = 0.05
    /// Spread of users' engagement (log-normal, mean 1), which scales their purchase chance.
    static let engagementSigma = 1.0
    /// Mean number of purchases in the 14 days before the visit, at engagement 1.
    static let prePeriodPurchases = 1.5
    static let maxPurchaseRate = 0.9
    static let repeatExposureRate = 0.2

    static let metrics: [Metric] = [
        Metric(id: "conversion_7d", name: "7-day purchase conversion", kind: "binary", eventName: "purchase", windowDays: 7, higherIsBetter: true, isGuardrail: false),
        Metric(id: "revenue_7d", name: "7-day revenue per user", kind: "continuous", eventName: "purchase", windowDays: 7, higherIsBetter: true, isGuardrail: false),
        Metric(id: "refund_7d", name: "7-day refund rate", kind: "binary", eventName: "refund", windowDays: 7, higherIsBetter: false, isGuardrail: true),
        Metric(id: "latency_ms", name: "Page load latency (ms)", kind: "continuous", eventName: "page_load", windowDays: 7, higherIsBetter: false, isGuardrail: true),
    ]

    static func twoArms(treatmentName: String, effect: Double, controlWeight: Double = 0.5, latency: (Double, Double)? = nil) -> [Variant] {
        [
            Variant(id: "control", name: "Control", allocation: 0.5, assignmentWeight: controlWeight, purchaseEffect: 1, latencyMean: latency?.0),
            Variant(id: "treatment", name: treatmentName, allocation: 0.5, assignmentWeight: 1 - controlWeight, purchaseEffect: effect, latencyMean: latency?.1),
        ]
    }

    static let experiments: [Experiment] = [
        Experiment(
            id: "exp_checkout_button", name: "Checkout button redesign",
            hypothesis: "A larger, high-contrast checkout button raises 7-day purchase conversion.",
            primaryMetric: "conversion_7d", status: "running", owner: "team-checkout",
            createdAt: day(9, 24, 10), startedAt: day(10, 1), endedAt: nil,
            variants: twoArms(treatmentName: "High-contrast button", effect: 1.105),
            period: .october, eligibility: 0.8
        ),
        Experiment(
            id: "exp_pricing_page", name: "Annual-first pricing page",
            hypothesis: "Showing annual plans first raises conversion without hurting refunds.",
            primaryMetric: "conversion_7d", status: "running", owner: "team-growth",
            createdAt: day(9, 22, 14), startedAt: day(10, 1), endedAt: nil,
            variants: twoArms(treatmentName: "Annual plans first", effect: 0.87),
            period: .october, eligibility: 0.5
        ),
        Experiment(
            id: "exp_onboarding_email", name: "Onboarding email sequence v2",
            hypothesis: "A shorter three-email onboarding sequence raises first-week purchases.",
            primaryMetric: "conversion_7d", status: "readout", owner: "team-lifecycle",
            createdAt: day(9, 18, 9), startedAt: day(10, 1), endedAt: day(10, 22, 6),
            variants: twoArms(treatmentName: "Three-email sequence", effect: 1.0),
            period: .october, eligibility: 0.4
        ),
        Experiment(
            id: "exp_search_ranking", name: "Semantic search ranking",
            hypothesis: "Boosting semantically similar results raises purchases from search.",
            primaryMetric: "conversion_7d", status: "running", owner: "team-search",
            createdAt: day(9, 25, 11), startedAt: day(10, 1), endedAt: nil,
            variants: twoArms(treatmentName: "Semantic boost", effect: 1.02, controlWeight: 0.53, latency: (180, 188)),
            period: .october, eligibility: 0.4
        ),
        Experiment(
            id: "exp_recs_model_v2", name: "Recommendations model v2",
            hypothesis: "The v2 recommendation models raise conversion; the larger one (treatment_b) may cost latency.",
            primaryMetric: "conversion_7d", status: "running", owner: "team-ml",
            createdAt: day(9, 26, 16), startedAt: day(10, 1), endedAt: nil,
            variants: [
                Variant(id: "control", name: "Model v1", allocation: 1.0 / 3, assignmentWeight: 1.0 / 3, purchaseEffect: 1, latencyMean: 120),
                Variant(id: "treatment", name: "Model v2 small", allocation: 1.0 / 3, assignmentWeight: 1.0 / 3, purchaseEffect: 1.03, latencyMean: 124),
                Variant(id: "treatment_b", name: "Model v2 large", allocation: 1.0 / 3, assignmentWeight: 1.0 / 3, purchaseEffect: 1.14, latencyMean: 162),
            ],
            period: .october, eligibility: 0.5
        ),
        Experiment(
            id: "exp_signup_flow", name: "Single-page signup flow",
            hypothesis: "Collapsing signup into one page raises conversion.",
            primaryMetric: "conversion_7d", status: "running", owner: "team-growth",
            createdAt: day(9, 27, 13), startedAt: day(10, 1), endedAt: nil,
            variants: twoArms(treatmentName: "Single page", effect: 1.04),
            period: .october, eligibility: 0.4,
            brokenLoggingDays: [day(10, 8), day(10, 9)],
            preAssignmentRate: 0.01, mismatchRate: 0.01, multiVariationRate: 0.004
        ),
        Experiment(
            id: "exp_dark_mode", name: "Dark mode by default",
            hypothesis: "Defaulting to dark mode raises evening session length.",
            primaryMetric: "conversion_7d", status: "draft", owner: "team-design",
            createdAt: day(10, 15, 10), startedAt: nil, endedAt: nil,
            variants: twoArms(treatmentName: "Dark by default", effect: 1),
            period: .october, eligibility: 0
        ),
        Experiment(
            id: "exp_free_shipping", name: "Free shipping threshold at $35",
            hypothesis: "Lowering the free-shipping threshold from $50 to $35 raises conversion.",
            primaryMetric: "conversion_7d", status: "shipped", owner: "team-checkout",
            createdAt: day(8, 20, 10), startedAt: day(9, 1), endedAt: day(9, 22),
            variants: twoArms(treatmentName: "Free shipping over $35", effect: 1.09),
            period: .september, eligibility: 1.0,
            outsideWindowRate: 0.003
        ),
    ]

    static let decisions: [(id: String, experiment: String, decision: String, rationale: String, decidedBy: String, decidedAt: Int64)] = [
        ("dec_free_shipping_1", "exp_free_shipping", "ship",
         "Conversion up about 9% relative with p < 0.001; refunds and latency flat. Ship the $35 threshold to all users.",
         "team-checkout", day(9, 29, 15)),
    ]

    static let firstNames = ["olivia", "liam", "emma", "noah", "ava", "mateo", "sofia", "lucas", "mia", "arjun", "yuki", "chen", "amara", "leon", "ines", "omar", "zoe", "ravi", "hana", "diego"]
    static let lastNames = ["smith", "garcia", "chen", "muller", "rossi", "kim", "patel", "silva", "nguyen", "okafor", "dubois", "tanaka", "kowalski", "haddad", "jensen", "ortiz"]
    static let emailDomains = ["example.com", "example.org", "example.net"]
    static let countries: [(code: String, weight: Double)] = [
        ("US", 40), ("GB", 10), ("DE", 9), ("IN", 8), ("FR", 7), ("CA", 7), ("BR", 7), ("JP", 5), ("AU", 4), ("ES", 3),
    ]
    static let platforms = ["web", "ios", "android"]
}
