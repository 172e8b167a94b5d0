import Semantic
import SQLParser
import Testing
@testable import Governance

/// The policy check reads columns by their position in the catalog's table (a bit each); tables
/// wider than one 64-bit word, and a warehouse whose columns are in another order than the
/// contract's or include undeclared ones, must be judged exactly as by name.
@Suite struct WideTableTests {
    /// `wide` has 130 columns c0…c129: c70 is personal data, c100 is not allowed.
    static let contract: SemanticContract = {
        let columns = (0..<130).map { index in
            Column(name: "c\(index)", type: "integer", description: "Column \(index).", pii: index == 70, allowed: index != 100, synonyms: [])
        }
        let wide = Asset(name: "wide", description: "A wide table.", grain: "c0", primaryKey: ["c0"], owner: "team", columns: columns, synonyms: [], relationships: [], file: "wide.yml")
        return SemanticContract(assets: [wide], roles: [Role(name: "analyst", description: "Analyst.", assets: ["wide"], rowPolicies: [:])])
    }()

    static func check(_ queryGuard: QueryGuard, _ sql: String) -> GuardDecision {
        queryGuard.check(sql, role: "analyst")
    }

    @Test func columnsPastTheFirstWordAreJudgedByTheirOwnRules() {
        let queryGuard = QueryGuard(contract: Self.contract)
        let approved = Self.check(queryGuard, "SELECT c129, c1, c65 FROM wide")
        #expect(approved.isApproved)
        #expect(approved.columns["wide"] == ["c1", "c129", "c65"])
        for (sql, detail) in [("SELECT c70 FROM wide", "wide.c70 is personal data"), ("SELECT c1 FROM wide WHERE c100 > 0", "wide.c100 is not allowed"),
                              ("SELECT * FROM wide", "wide has a denied column (c70)")] {
            let decision = Self.check(queryGuard, sql)
            #expect(!decision.isApproved, "\(sql)")
            #expect(decision.reasons.contains { $0.code == .columnNotAllowed && $0.message.hasPrefix(detail) }, "\(sql): \(decision.reasons)")
        }
    }

    @Test func aWarehouseInAnotherOrderWithUndeclaredColumnsIsJudgedByName() {
        // The warehouse lists the contract's columns backwards, then one the contract does not declare.
        let catalog = SchemaCatalog([SchemaCatalog.Table(name: "wide", columns: (0..<130).reversed().map { "c\($0)" } + ["extra"])])
        let queryGuard = QueryGuard(contract: Self.contract, catalog: catalog)
        #expect(Self.check(queryGuard, "SELECT c0, c129 FROM wide").isApproved)
        #expect(Self.check(queryGuard, "SELECT c70 FROM wide").reasons.contains { $0.message.hasPrefix("wide.c70 is personal data") })
        #expect(Self.check(queryGuard, "SELECT c100 FROM wide").reasons.contains { $0.message.hasPrefix("wide.c100 is not allowed") })
        let extra = Self.check(queryGuard, "SELECT extra FROM wide")
        #expect(!extra.isApproved)
        #expect(extra.reasons.contains { $0.message.hasPrefix("wide.extra is not in the semantic contract") }, "\(extra.reasons)")
    }
}
