import Testing
@testable import SQLParser

@Suite struct ColumnSetTests {
    /// Positions on both sides of the first word (64) and past the second (128), against `Set<Int>`.
    @Test func agreesWithASetOfIntegersAcrossWords() {
        let chosen = [0, 1, 5, 63, 64, 65, 100, 127, 128, 129, 200]
        var set = ColumnSet()
        for position in chosen { set.insert(position) }
        set.insert(65)  // twice: still once
        #expect(set.count == chosen.count)
        for position in 0..<260 {
            #expect(set.contains(position) == chosen.contains(position), "position \(position)")
        }
        #expect(set.positions(below: 260) == chosen)
        #expect(set.positions(below: 100) == [0, 1, 5, 63, 64, 65])
    }

    @Test func subsetLooksAtEveryWord() {
        var small = ColumnSet()
        var large = ColumnSet()
        for position in [3, 70, 130] { small.insert(position) }
        for position in [3, 70] { large.insert(position) }
        #expect(!small.isSubset(of: large))  // 130 is in a word `large` does not have
        large.insert(130)
        #expect(small.isSubset(of: large))
        large = ColumnSet()
        for position in [3, 130] { large.insert(position) }
        #expect(!small.isSubset(of: large))  // 70 is missing in the middle word
        #expect(ColumnSet().isSubset(of: ColumnSet()))
    }
}
