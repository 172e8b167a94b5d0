import Foundation
import Testing
@testable import Analysis

@Suite("CSV input")
struct ResultsCSVTests {
    @Test("the seed's example with guardrails and a continuous metric")
    func parses() throws {
        let input = try ResultsCSV.parse("""
            variant,users,conversions,guardrail_cancel,guardrail_error,revenue_sum,revenue_sum_sq
            control,10000,1200,120,35,52000.5,1.1e6
            treatment,10050,1320,118,33,54000,1.2e6
            """)
        #expect(input.arms.map(\.variant) == ["control", "treatment"])
        #expect(input.metrics.map(\.id) == ["conversion", "revenue", "cancel", "error"])
        #expect(input.metrics.first { $0.id == "cancel" }?.role == .guardrail)
        #expect(input.metrics.first { $0.id == "cancel" }?.higherIsBetter == false)
        #expect(input.metrics.first { $0.id == "revenue" }?.kind == .continuous)
    }

    @Test("quoted fields keep commas and doubled quotes")
    func quoting() {
        #expect(ResultsCSV.split(#""a, b",c,"say ""hi""", d "#) == ["a, b", "c", #"say "hi""#, "d"])
        #expect(ResultsCSV.split("x,,y") == ["x", "", "y"])
    }

    @Test("errors name the row, the column and the rule", arguments: [
        ("variant,users\ncontrol,10\ntreatment,10", "column 'conversions'"),
        ("variant,users,conversions\ncontrol,100,120\ntreatment,100,10", "row 2, column 'conversions': 120 exceeds users (100)"),
        ("variant,users,conversions\ncontrol,100,10\ntreatment,abc,10", "row 3, column 'users': must be a whole number"),
        ("variant,users,conversions\ntreatment,100,10\ncontrol,100,10", "row 2, column 'variant': the first arm must be 'control'"),
        ("variant,users,conversions\ncontrol,100,10\ncontrol,100,10", "duplicate variant label"),
        ("variant,users,conversions\ncontrol,100,-1\ntreatment,100,10", "cannot be negative"),
        ("variant,users,conversions,revenue_sum\ncontrol,100,1,5\ntreatment,100,1,5", "no matching 'revenue_sum_sq'"),
        ("variant,users,conversions\ncontrol,100,10", "need at least two arms"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try ResultsCSV.parse(text, file: "results.csv")
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.hasPrefix("results.csv"))
        }
    }
}

@Suite("The JSON contract")
struct JSONContractTests {
    func json(_ report: AnalysisReport) throws -> [String: Any] {
        let data = try JSONEncoder().encode(report)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("every documented key is present; undefined values are null, never 0 or NaN")
    func keys() throws {
        // Control converts at 0: relative lift and its CI are undefined.
        let report = Analyzer().analyze(twoArm(control: (500, 0), treatment: (500, 7)))
        let object = try json(report)
        for key in ["health", "srm", "arms", "comparisons", "guardrails", "power", "decision", "experiment", "settings"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let comparison = try #require((object["comparisons"] as? [[String: Any]])?.first)
        for key in ["variant", "metric", "absoluteLift", "relativeLift", "pValue", "adjustedPValue", "ciLow", "ciHigh", "relCiLow", "relCiHigh",
                    "significant", "chanceToBeatControl", "expectedLoss"] {
            #expect(comparison.keys.contains(key), "missing comparisons.\(key)")
        }
        #expect(comparison["relativeLift"] is NSNull)
        #expect(comparison["relCiLow"] is NSNull)
        #expect((comparison["notes"] as? [String])?.contains { $0.contains("control") } == true)
        let text = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!text.contains("NaN") && !text.contains("inf"))
        let health = try #require(object["health"] as? [String: Any])
        #expect(health["status"] as? String != nil)
        let decision = try #require(object["decision"] as? [String: Any])
        #expect(["Launch", "Hold", "Hold (underpowered)", "Rollback"].contains(decision["verdict"] as? String ?? ""))
    }
}

@Suite("Decision memo")
struct MemoTests {
    let input = twoArm(control: (20000, 2000), treatment: (20000, 2300),
                       guardrails: [binaryGuardrail("refund", control: (20000, 200), treatment: (20000, 205))])

    @Test("Markdown has conclusion, evidence, risks and next actions")
    func markdown() {
        let memo = DecisionMemo(report: Analyzer().analyze(input), input: input).markdown()
        for section in ["**Conclusion: Launch treatment**", "## Evidence", "## Risks", "## Next actions", "| conversion ★ | treatment |"] {
            #expect(memo.contains(section), "missing \(section)")
        }
    }

    @Test("HTML is one self-contained page with an inline SVG chart")
    func html() {
        var hostile = input
        hostile.name = "<script>alert(1)</script>"
        let page = DecisionMemo(report: Analyzer().analyze(hostile), input: hostile).html()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg"))
        #expect(page.contains("<circle"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;"))
        // No external assets: the only URL is the SVG namespace.
        #expect(!page.contains("src=") && !page.contains("<link"))
    }
}
