import Foundation

/// Word sets derived from a planner context (every known word, the refusal vocabulary, the words
/// that make a chat sentence substantive), built on first use and kept with the context, so a
/// gateway that reuses its context does not rebuild them for every question.
final class VocabularyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var sets: [String: Set<String>] = [:]

    /// The set for `key`, made on first use. `make` runs outside the lock (it may ask for other
    /// sets of the same cache); two first uses at once may both make it, and one is kept.
    func value(_ key: String, _ make: () -> Set<String>) -> Set<String> {
        lock.lock()
        let cached = sets[key]
        lock.unlock()
        if let cached { return cached }
        let made = make()
        lock.lock()
        defer { lock.unlock() }
        if let stored = sets[key] { return stored }
        sets[key] = made
        return made
    }
}
