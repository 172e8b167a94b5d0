import Foundation
import Testing
import Governance

/// `readout guard --file` writes decisions with a JSON writer of its own; `JSONEncoder` (sorted
/// keys, slashes unescaped) is the reference it must match byte for byte.
@Suite("Guard decisions as JSON lines")
struct GuardJSONTests {
    static func encoderLine(_ decision: GuardDecision) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(decision), as: UTF8.self)
    }

    @Test func corpusDecisionsMatchJSONEncoder() throws {
        let queryGuard = try Fixtures.warehouseGuard()
        var checked = 0
        let approve = try Fixtures.corpus("approve.jsonl", as: Fixtures.Approve.self).map(\.sql)
        let attack = try Fixtures.corpus("attack.jsonl", as: Fixtures.Attack.self).map(\.sql)
        for sql in approve + attack {
            for role in ["analyst", "team_growth", "nobody"] {
                let decision = queryGuard.check(sql, role: role)
                #expect(decision.jsonLine == (try Self.encoderLine(decision)), "\(sql)")
                checked += 1
            }
        }
        #expect(checked > 900)
    }

    @Test func awkwardTextMatchesJSONEncoder() throws {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let texts = [controls, "\u{7F}/\"\\", "é e\u{301} 😀 \u{2028}\u{FEFF}", "", "plain"]
        for text in texts {
            // Keys whose UTF-8 order differs from String's order and from UTF-16's.
            let decision = GuardDecision(
                decision: .blocked, tables: [text, "t"],
                columns: [text: [text, "a"], "e\u{301}x": ["1"], "f": ["2"], "\u{FF61}": [], "\u{1F600}": ["x"], "a10": [], "a9": []],
                functions: [text], reasons: [GuardReason(.syntaxError, text)], sql: text
            )
            #expect(decision.jsonLine == (try Self.encoderLine(decision)), "\(text.unicodeScalars.map(\.value))")
        }
        let approved = GuardDecision(decision: .approved, tables: [], columns: [:], functions: [], reasons: [], sql: nil)
        #expect(approved.jsonLine == (try Self.encoderLine(approved)))
    }
}
