/// The SQL functions a governed query may call: SQLite's built-in core,
/// date/time, aggregate, window, math and JSON functions. Everything else,
/// including every function an extension could add, is refused.
public enum FunctionAllowlist {
    public static let scalar: Set<String> = [
        "abs", "char", "coalesce", "format", "glob", "hex", "ifnull", "iif", "instr", "length", "like",
        "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "printf", "quote", "random",
        "randomblob", "replace", "round", "rtrim", "sign", "substr", "substring", "trim", "typeof",
        "unicode", "unlikely", "upper", "zeroblob", "soundex",
    ]
    public static let dateTime: Set<String> = [
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "current_date", "current_time", "current_timestamp",
    ]
    public static let aggregate: Set<String> = ["avg", "count", "group_concat", "max", "min", "sum", "total"]
    public static let window: Set<String> = [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
    ]
    public static let math: Set<String> = [
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh",
        "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians",
        "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
    ]
    public static let json: Set<String> = [
        "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object",
        "json_patch", "json_remove", "json_replace", "json_set", "json_type", "json_valid", "json_quote",
        "json_group_array", "json_group_object", "->", "->>",
    ]
    /// Table-valued functions allowed in FROM and after IN.
    public static let tableValued: Set<String> = ["json_each", "json_tree"]

    public static let all: Set<String> = scalar.union(dateTime).union(aggregate).union(window).union(math).union(json)

    /// Why a function is refused, naming the danger when there is a known one.
    static func refusal(_ name: String) -> String {
        switch name {
        case "load_extension": "load_extension() loads native code into the database process; it is never allowed."
        case "readfile", "writefile", "edit", "fsdir", "zipfile", "sqlar_compress", "sqlar_uncompress":
            "\(name)() touches files outside the warehouse; it is never allowed."
        case "fts3_tokenizer": "fts3_tokenizer() can call arbitrary native function pointers; it is never allowed."
        case _ where name.hasPrefix("pragma_"): "\(name) is a PRAGMA in disguise; schema and settings are not queryable."
        case _ where name.hasPrefix("sqlite_"): "\(name)() exposes SQLite internals; it is not allowed."
        default: "\(name)() is not in the function allowlist (SQLite's core, date/time, aggregate, window, math and JSON functions)."
        }
    }
}
