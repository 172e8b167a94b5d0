import Gateway
import Testing

/// "Experiments that are not running": every status but that one, in the SQL and in the words.
@Suite struct StatusNegationTests {
    @Test func notRunningIsEveryOtherStatusAndSaysSo() async throws {
        let answer = try await GatewayTests().gateway().ask("how many experiments aren't running?", caller: GatewayTests.analyst)
        #expect(answer.outcome == .approved)
        #expect(answer.sql?.contains("status <> 'running'") == true, "\(answer.sql ?? "")")
        #expect(answer.rows.first?.first == .integer(3))
        #expect(answer.readout == "3 experiments (status not running).")
    }
}
