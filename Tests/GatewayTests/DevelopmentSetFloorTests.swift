import Foundation
import Gateway
import Planner
import Testing
import Warehouse

/// Every development set (`fixtures/eval/dev*.yaml`) is a regression test for the rule planner:
/// on the 20,000-user demo, no set may get fewer questions right, or more answered wrongly, than
/// `fixtures/eval/floors.tsv` records (`bash fixtures/eval/floors.sh` rewrites it after an
/// improvement). A wrong answer counts more than a lost one: precision first.
@Suite("Development sets do not regress")
struct DevelopmentSetFloorTests {
    struct Floor { var correct: Int; var wrong: Int }

    static let folder = GatewayTests.semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/eval")

    static func floors() throws -> [String: Floor] {
        let text = try String(contentsOf: folder.appendingPathComponent("floors.tsv"), encoding: .utf8)
        var floors: [String: Floor] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, let correct = Int(fields[1]), let wrong = Int(fields[2]) else {
                Issue.record("floors.tsv: malformed line \(line)")
                continue
            }
            floors[fields[0]] = Floor(correct: correct, wrong: wrong)
        }
        return floors
    }

    @Test func developmentSetsDoNotRegress() async throws {
        let floors = try Self.floors()
        let sets = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasPrefix("dev") && $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(sets.count >= 45)
        // Every development set has a floor; the sealed sets never do.
        #expect(Set(sets) == Set(floors.keys), "floors.tsv and fixtures/eval/dev*.yaml disagree: run bash fixtures/eval/floors.sh")
        #expect(floors.keys.allSatisfy { !$0.hasPrefix("heldout") && $0 != "test" })
        let gateway = try GatewayTests().gateway()
        for name in sets {
            guard let floor = floors[name] else { continue }
            let items = try SplitEvaluation.load(Self.folder.appendingPathComponent("\(name).yaml"))
            let result = await gateway.evaluate(split: name, items, planner: .rule)
            let correct = result.outcomes.filter(\.correct).count
            let wrong = result.outcomes.filter { $0.outcome == "approved" && !$0.correct }
            #expect(correct >= floor.correct, "\(name): \(correct) right, the floor is \(floor.correct)")
            #expect(wrong.count <= floor.wrong, "\(name): \(wrong.count) answered wrongly, the floor is \(floor.wrong): \(wrong.map(\.id))")
        }
    }
}
