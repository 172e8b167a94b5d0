import Foundation
import Governance
import Semantic
import SQLParser
import Testing
import Warehouse

/// Inputs the fuzzer once found (crashes, leaks), kept in `fixtures/fuzz/` and replayed through
/// the guard with the invariants the fuzzer checks, for every role of the shipped contract.
@Suite("Fuzzer findings stay fixed")
struct FuzzRegressionTests {
    static let directory = Fixtures.semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/fuzz")

    static var findings: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test("there are findings to replay")
    func present() {
        #expect(Self.findings.count >= 2)
    }

    @Test("each finding passes the guard's invariants", arguments: FuzzRegressionTests.findings)
    func replay(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let sql = String(decoding: data, as: UTF8.self)
        let contract = Fixtures.contract
        // Read as SQLite's SQL and as PostgreSQL's, as the fuzzer does.
        for dialect in SQLDialect.allCases {
            let queryGuard = QueryGuard(contract: contract, configuration: GuardConfiguration(dialect: dialect))
            let violation = GuardInvariants.violation(of: sql, guard: queryGuard, contract: contract, roles: contract.roles.keys.sorted())
            #expect(violation == nil, "\(dialect)")
        }
    }
}
