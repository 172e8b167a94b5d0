/// The names a catalog declares — its tables' and columns' — each made once, numbered, and found
/// by its bytes.
///
/// The parser hands a name it finds here to the tree instead of building a new `String` (and its
/// folded key) from the query's bytes, and the name carries its number, so the resolver finds a
/// table or a column by position in a list rather than by hashing the name. A name not found here
/// (an alias, a CTE, a misspelling, other capitals) is built and looked up as before: the table
/// only makes the common case cheaper, it never decides anything.
///
/// One immutable reference, however many lists it holds: the parser takes a copy for every query.
public struct NameTable: Sendable {
    private var storage = Storage(keys: [], numbers: [:], names: [], bytes: [], slots: [])

    private final class Storage: Sendable {
        /// Folded keys by number: a name numbered `n` by this table has the key `keys[n]`.
        let keys: [String]
        let numbers: [String: Int32]
        /// Each spelling's name, built once.
        let names: [Name]
        /// Every spelling's bytes, one after another.
        let bytes: [UInt8]
        /// Open-addressed by the spelling's hash (``Keyword/hashStep(_:_:)``), at most half full;
        /// a slot whose `length` is 0 is empty.
        let slots: [Slot]

        init(keys: [String], numbers: [String: Int32], names: [Name], bytes: [UInt8], slots: [Slot]) {
            self.keys = keys
            self.numbers = numbers
            self.names = names
            self.bytes = bytes
            self.slots = slots
        }
    }

    private struct Slot {
        var hash: UInt64 = 0
        var start: Int32 = 0
        var length: Int32 = 0
        var name: Int32 = 0
    }

    public init() {}

    /// How many keys are numbered.
    var count: Int { storage.keys.count }

    /// The number of the key `key`, if it has one.
    func number(ofKey key: String) -> Int32? { storage.numbers[key] }

    /// `name`'s number, when this table numbered it: nil for a name built from the query, or one
    /// numbered by another table (its key is checked), which the caller then looks up by key.
    @inline(__always) func number(of name: Name) -> Int? {
        let number = Int(name.number)
        let keys = storage.keys
        guard number >= 0, number < keys.count, keys[number] == name.key else { return nil }
        return number
    }

    /// Positions (of a table's columns) by name number, open-addressed and at most half full: a
    /// lookup is a multiply and usually one probe, and its size follows the table's own columns,
    /// not the whole catalog's names.
    struct Positions: Sendable {
        /// `(number + 1) << 32 | position`; 0 is an empty slot.
        private var slots: [UInt64] = []

        init() {}

        /// - Parameter pairs: each number once, numbers and positions not negative.
        init(_ pairs: [(number: Int32, position: Int32)]) {
            guard !pairs.isEmpty else { return }
            var size = 8
            while size < pairs.count * 2 { size *= 2 }
            slots = Array(repeating: 0, count: size)
            for pair in pairs {
                var index = Self.start(Int(pair.number), size)
                while slots[index] != 0 { index = (index + 1) & (size - 1) }
                slots[index] = UInt64(UInt32(truncatingIfNeeded: pair.number) &+ 1) << 32 | UInt64(UInt32(truncatingIfNeeded: pair.position))
            }
        }

        var isEmpty: Bool { slots.isEmpty }

        /// The position recorded for `number`, or -1.
        @inline(__always) func position(_ number: Int) -> Int32 {
            guard !slots.isEmpty, number >= 0, number <= Int(Int32.max) else { return -1 }
            let mask = slots.count - 1
            let wanted = UInt64(UInt32(truncatingIfNeeded: number) &+ 1)
            var index = Self.start(number, slots.count)
            while true {
                let slot = slots[index]
                if slot == 0 { return -1 }
                if slot >> 32 == wanted { return Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) }
                index = (index + 1) & mask
            }
        }

        @inline(__always) private static func start(_ number: Int, _ size: Int) -> Int {
            Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: number) &* 0x9E37_79B1) & (size - 1)
        }
    }

    /// Numbers the key of each of `spellings` (names as declared) and records each spelling the
    /// parser may meet: only one that reads back as itself, since the parser looks up plain words only.
    mutating func add(_ spellings: [String]) {
        var keys = storage.keys, numbers = storage.numbers, names = storage.names, bytes = storage.bytes, slots = storage.slots
        for text in spellings {
            let key = Name.fold(text)
            let number: Int32
            if let known = numbers[key] {
                number = known
            } else {
                number = Int32(keys.count)
                keys.append(key)
                numbers[key] = number
            }
            let utf8 = Array(text.utf8)
            let hash = Keyword.hash(of: utf8)
            let known = utf8.withUnsafeBufferPointer { word in
                slots.withUnsafeBufferPointer { slots in bytes.withUnsafeBufferPointer { Self.find(word, hash: hash, slots: slots, bytes: $0) } }
            }
            guard !utf8.isEmpty, utf8.count < Int(Int32.max), utf8.withUnsafeBufferPointer(SQLFormatter.isPlain), known == nil else { continue }
            if (names.count + 1) * 2 > slots.count {
                let old = slots
                slots = Array(repeating: Slot(), count: max(64, old.count * 2))
                for slot in old where slot.length != 0 { Self.insert(slot, into: &slots) }
            }
            Self.insert(Slot(hash: hash, start: Int32(bytes.count), length: Int32(utf8.count), name: Int32(names.count)), into: &slots)
            names.append(Name(text, number: number))
            bytes.append(contentsOf: utf8)
        }
        storage = Storage(keys: keys, numbers: numbers, names: names, bytes: bytes, slots: slots)
    }

    /// The name spelled exactly by `source[start..<end]` (a plain word), if it is one of the table's spellings.
    @inline(__always) func lookup(_ source: [UInt8], _ start: Int, _ end: Int) -> Name? {
        let storage = storage
        guard !storage.slots.isEmpty, start >= 0, start < end, end <= source.count else { return nil }
        let found = source.withUnsafeBufferPointer { written in
            storage.bytes.withUnsafeBufferPointer { spelled in
                storage.slots.withUnsafeBufferPointer { slots in
                    let word = UnsafeBufferPointer(rebasing: written[start..<end])
                    return Self.find(word, hash: Keyword.hash(of: word), slots: slots, bytes: spelled)
                }
            }
        }
        return found.map { storage.names[$0] }
    }

    /// The position in `names` of the spelling `word` (whose ``Keyword/hash(of:)`` is `hash`), if it is one.
    @inline(__always) private static func find(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, slots: UnsafeBufferPointer<Slot>, bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.length == 0 { return nil }
            if slot.hash == hash, Int(slot.length) == word.count {
                var offset = 0
                let base = Int(slot.start)
                while offset < word.count, bytes[base + offset] == word[offset] { offset += 1 }
                if offset == word.count { return Int(slot.name) }
            }
            index = (index + 1) & mask
        }
    }

    private static func insert(_ slot: Slot, into slots: inout [Slot]) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[index].length != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }
}
