/// Every keyword SQLite 3.40 recognises (`sqlite3_keyword_name`).
public enum Keyword: String, Sendable, CaseIterable {
    case abort = "ABORT"
    case action = "ACTION"
    case add = "ADD"
    case after = "AFTER"
    case all = "ALL"
    case alter = "ALTER"
    case always = "ALWAYS"
    case analyze = "ANALYZE"
    case and = "AND"
    case `as` = "AS"
    case asc = "ASC"
    case attach = "ATTACH"
    case autoincrement = "AUTOINCREMENT"
    case before = "BEFORE"
    case begin = "BEGIN"
    case between = "BETWEEN"
    case by = "BY"
    case cascade = "CASCADE"
    case `case` = "CASE"
    case cast = "CAST"
    case check = "CHECK"
    case collate = "COLLATE"
    case column = "COLUMN"
    case commit = "COMMIT"
    case conflict = "CONFLICT"
    case constraint = "CONSTRAINT"
    case create = "CREATE"
    case cross = "CROSS"
    case current = "CURRENT"
    case current_date = "CURRENT_DATE"
    case current_time = "CURRENT_TIME"
    case current_timestamp = "CURRENT_TIMESTAMP"
    case database = "DATABASE"
    case `default` = "DEFAULT"
    case deferrable = "DEFERRABLE"
    case deferred = "DEFERRED"
    case delete = "DELETE"
    case desc = "DESC"
    case detach = "DETACH"
    case distinct = "DISTINCT"
    case `do` = "DO"
    case drop = "DROP"
    case each = "EACH"
    case `else` = "ELSE"
    case end = "END"
    case escape = "ESCAPE"
    case except = "EXCEPT"
    case exclude = "EXCLUDE"
    case exclusive = "EXCLUSIVE"
    case exists = "EXISTS"
    case explain = "EXPLAIN"
    case fail = "FAIL"
    case filter = "FILTER"
    case first = "FIRST"
    case following = "FOLLOWING"
    case `for` = "FOR"
    case foreign = "FOREIGN"
    case from = "FROM"
    case full = "FULL"
    case generated = "GENERATED"
    case glob = "GLOB"
    case group = "GROUP"
    case groups = "GROUPS"
    case having = "HAVING"
    case `if` = "IF"
    case ignore = "IGNORE"
    case immediate = "IMMEDIATE"
    case `in` = "IN"
    case index = "INDEX"
    case indexed = "INDEXED"
    case initially = "INITIALLY"
    case inner = "INNER"
    case insert = "INSERT"
    case instead = "INSTEAD"
    case intersect = "INTERSECT"
    case into = "INTO"
    case `is` = "IS"
    case isnull = "ISNULL"
    case join = "JOIN"
    case key = "KEY"
    case last = "LAST"
    case left = "LEFT"
    case like = "LIKE"
    case limit = "LIMIT"
    case match = "MATCH"
    case materialized = "MATERIALIZED"
    case natural = "NATURAL"
    case no = "NO"
    case not = "NOT"
    case nothing = "NOTHING"
    case notnull = "NOTNULL"
    case null = "NULL"
    case nulls = "NULLS"
    case of = "OF"
    case offset = "OFFSET"
    case on = "ON"
    case or = "OR"
    case order = "ORDER"
    case others = "OTHERS"
    case outer = "OUTER"
    case over = "OVER"
    case partition = "PARTITION"
    case plan = "PLAN"
    case pragma = "PRAGMA"
    case preceding = "PRECEDING"
    case primary = "PRIMARY"
    case query = "QUERY"
    case raise = "RAISE"
    case range = "RANGE"
    case recursive = "RECURSIVE"
    case references = "REFERENCES"
    case regexp = "REGEXP"
    case reindex = "REINDEX"
    case release = "RELEASE"
    case rename = "RENAME"
    case replace = "REPLACE"
    case restrict = "RESTRICT"
    case returning = "RETURNING"
    case right = "RIGHT"
    case rollback = "ROLLBACK"
    case row = "ROW"
    case rows = "ROWS"
    case savepoint = "SAVEPOINT"
    case select = "SELECT"
    case set = "SET"
    case table = "TABLE"
    case temp = "TEMP"
    case temporary = "TEMPORARY"
    case then = "THEN"
    case ties = "TIES"
    case to = "TO"
    case transaction = "TRANSACTION"
    case trigger = "TRIGGER"
    case unbounded = "UNBOUNDED"
    case union = "UNION"
    case unique = "UNIQUE"
    case update = "UPDATE"
    case using = "USING"
    case vacuum = "VACUUM"
    case values = "VALUES"
    case view = "VIEW"
    case virtual = "VIRTUAL"
    case when = "WHEN"
    case `where` = "WHERE"
    case window = "WINDOW"
    case with = "WITH"
    case without = "WITHOUT"

    /// Keywords SQLite's grammar lets stand as a name when they cannot be read
    /// as a keyword at that point (`%fallback ID` in parse.y), plus the
    /// contextual WINDOW, OVER and FILTER. (A switch, not a set: no hashing per token.)
    public var canBeName: Bool {
        switch self {
        case .abort, .action, .after, .always, .analyze, .asc, .attach, .before, .begin, .by, .cascade, .cast, .column, .conflict, .current, .current_date, .current_time, .current_timestamp, .database, .deferred, .desc, .detach, .`do`, .each, .end, .exclude, .exclusive, .explain, .fail, .filter, .first, .following, .`for`, .generated, .glob, .groups, .`if`, .ignore, .immediate, .initially, .instead, .key, .last, .like, .match, .materialized, .no, .nulls, .of, .offset, .others, .over, .partition, .plan, .pragma, .preceding, .query, .raise, .range, .recursive, .regexp, .reindex, .release, .rename, .replace, .restrict, .rollback, .row, .rows, .savepoint, .temp, .temporary, .ties, .trigger, .unbounded, .vacuum, .view, .virtual, .window, .with, .without: true
        default: false
        }
    }

    /// The join keywords (`JOIN_KW`), which may also be table and column names.
    public var isJoinKeyword: Bool {
        switch self {
        case .cross, .full, .inner, .left, .natural, .outer, .right: true
        default: false
        }
    }

    /// Looks up an ASCII word whose hash the caller took while reading it (`hashStep` from
    /// `hashSeed` over each of its bytes), ignoring ASCII case; nil when it is not a keyword.
    /// Allocation-free and without `Hasher`: the hash picks a slot in an open-addressed table, and
    /// the candidate's bytes are compared before it is believed.
    @inline(__always) static func lookup<C: Collection<UInt8>>(hash: UInt64, _ bytes: C) -> Keyword? {
        let count = bytes.count
        guard count >= 2, count <= 17 else { return nil }
        let table = Self.slots
        var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
        while let entry = table[slot] {
            if entry.hash == hash, entry.word.count == count {
                for (a, b) in zip(entry.word, bytes) where a != (b >= 0x61 && b <= 0x7A ? b - 32 : b) {
                    return nil
                }
                return entry.keyword
            }
            slot = (slot + 1) & (table.count - 1)
        }
        return nil
    }

    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash ``lookup(hash:_:)`` takes, over all of `bytes` at once (the lexer takes it a byte at
    /// a time while it reads a word).
    @inline(__always) static func hash<Bytes: Sequence<UInt8>>(of bytes: Bytes) -> UInt64 {
        var hash = hashSeed
        for byte in bytes { hash = hashStep(hash, byte) }
        return hash
    }

    /// One byte into the FNV-1a hash, with bit 5 cleared so a letter hashes the same in either case
    /// (over the ASCII bytes a name may hold — letters, digits, `_`, `$` — that folds nothing else
    /// together; a hash match is confirmed by comparing the words anyway).
    @inline(__always) static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte & 0xDF)) &* 0x100_0000_01b3
    }

    private struct Entry {
        var keyword: Keyword
        var hash: UInt64
        var word: [UInt8]
    }

    /// 1,024 slots for ~150 keywords: most lookups look at one slot.
    private static let slots: [Entry?] = {
        var table = [Entry?](repeating: nil, count: 1024)
        var hashes: Set<UInt64> = []
        for keyword in allCases {
            let word = Array(keyword.rawValue.utf8)
            let hash = hash(of: word)
            precondition(hashes.insert(hash).inserted, "keyword hash collision")
            var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
            while table[slot] != nil { slot = (slot + 1) & (table.count - 1) }
            table[slot] = Entry(keyword: keyword, hash: hash, word: word)
        }
        return table
    }()
}
