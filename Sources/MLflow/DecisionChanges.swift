/// Which experiments' decisions a refresh changed: the verdict (or the arm it names) of an
/// experiment in an analysis mode, before and after. Pure; the server logs each change as an
/// MLflow run.
public struct DecisionSnapshot: Sendable, Equatable {
    public struct Key: Sendable, Hashable, Comparable {
        public var experimentID: String
        public var mode: String
        public init(experimentID: String, mode: String) {
            self.experimentID = experimentID
            self.mode = mode
        }
        public static func < (a: Key, b: Key) -> Bool { (a.experimentID, a.mode) < (b.experimentID, b.mode) }
    }

    /// Verdict and named arm per experiment and mode.
    public var decisions: [Key: String]

    public init(decisions: [Key: String]) {
        self.decisions = decisions
    }

    /// The experiments and modes whose decision is new or different in `after`.
    public func changes(to after: DecisionSnapshot) -> [Key] {
        after.decisions.filter { decisions[$0.key] != $0.value }.map(\.key).sorted()
    }
}
