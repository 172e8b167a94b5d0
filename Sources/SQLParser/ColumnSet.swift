/// A set of column positions: the first 64 in one word, the rest (rare) in more.
public struct ColumnSet: Sendable {
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    public init() {}

    /// How many positions are in the set.
    public var count: Int { low.nonzeroBitCount + high.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every position in the set is also in `other`.
    public func isSubset(of other: ColumnSet) -> Bool {
        guard low & ~other.low == 0 else { return false }
        for (index, word) in high.enumerated() where word & ~(index < other.high.count ? other.high[index] : 0) != 0 {
            return false
        }
        return true
    }

    public mutating func insert(_ position: Int) {
        if position < 64 {
            low |= 1 << UInt64(position)
            return
        }
        let word = position / 64 - 1
        if high.count <= word { high.append(contentsOf: repeatElement(0, count: word + 1 - high.count)) }
        high[word] |= 1 << UInt64(position % 64)
    }

    public func contains(_ position: Int) -> Bool {
        if position < 64 { return low & (1 << UInt64(position)) != 0 }
        let word = position / 64 - 1
        return word < high.count && high[word] & (1 << UInt64(position % 64)) != 0
    }

    /// The positions in the set, ascending, below `count`.
    func positions(below count: Int) -> [Int] {
        var positions: [Int] = []
        positions.reserveCapacity(self.count)
        var bits = low
        while bits != 0 {
            let position = bits.trailingZeroBitCount
            guard position < count else { break }
            positions.append(position)
            bits &= bits - 1
        }
        for (index, word) in high.enumerated() {
            var bits = word
            while bits != 0 {
                let position = (index + 1) * 64 + bits.trailingZeroBitCount
                guard position < count else { break }
                positions.append(position)
                bits &= bits - 1
            }
        }
        return positions
    }
}
