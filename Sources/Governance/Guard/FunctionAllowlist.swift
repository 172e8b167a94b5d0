public import SQLParser

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

    /// PostgreSQL's functions a governed query may call: pure computations over the values
    /// read (numbers, text, dates, aggregates, windows). Nothing that reads files, settings,
    /// sequences, large objects, other databases or the catalogs, runs SQL from a string
    /// (`query_to_xml`), sleeps or locks; every function not listed is refused.
    public static let postgreSQL: Set<String> = [
        // aggregates
        "avg", "count", "max", "min", "sum", "bool_and", "bool_or", "every", "string_agg", "stddev",
        "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "corr", "covar_pop", "covar_samp",
        "regr_slope", "regr_intercept", "regr_r2", "regr_count",
        // conditionals and comparison
        "coalesce", "nullif", "greatest", "least",
        // numbers
        "abs", "cbrt", "ceil", "ceiling", "degrees", "div", "exp", "floor", "ln", "log", "log10", "mod", "pi",
        "power", "radians", "round", "sign", "sqrt", "trunc", "width_bucket", "random",
        "acos", "asin", "atan", "atan2", "cos", "sin", "tan",
        // text
        "ascii", "btrim", "char_length", "character_length", "chr", "concat", "concat_ws", "format", "initcap",
        "left", "length", "lower", "lpad", "ltrim", "md5", "octet_length", "repeat", "replace", "reverse",
        "right", "rpad", "rtrim", "split_part", "starts_with", "strpos", "substr", "translate", "upper",
        // dates and times
        "age", "date_bin", "date_part", "date_trunc", "isfinite", "justify_days", "justify_hours",
        "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp", "now",
        "to_char", "to_date", "to_number", "to_timestamp",
        // windows
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
    ]

    /// The scalar, aggregate and window functions a dialect allows.
    public static func functions(for dialect: SQLDialect) -> Set<String> {
        switch dialect {
        case .sqlite: all
        case .postgresql: postgreSQL
        }
    }

    /// The table-valued functions a dialect allows in FROM (none in PostgreSQL).
    public static func tableFunctions(for dialect: SQLDialect) -> Set<String> {
        switch dialect {
        case .sqlite: tableValued
        case .postgresql: []
        }
    }

    /// Why a function is refused, naming the danger when there is a known one.
    static func refusal(_ name: String, dialect: SQLDialect = .sqlite) -> String {
        if dialect == .postgresql { return postgreSQLRefusal(name) }
        return switch name {
        case "load_extension": "load_extension() loads native code into the database process; it is never allowed."
        case "readfile", "writefile", "edit", "fsdir", "zipfile", "sqlar_compress", "sqlar_uncompress":
            "\(name)() touches files outside the warehouse; it is never allowed."
        case "fts3_tokenizer": "fts3_tokenizer() can call arbitrary native function pointers; it is never allowed."
        case _ where name.hasPrefix("pragma_"): "\(name) is a PRAGMA in disguise; schema and settings are not queryable."
        case _ where name.hasPrefix("sqlite_"): "\(name)() exposes SQLite internals; it is not allowed."
        default: "\(name)() is not in the function allowlist (SQLite's core, date/time, aggregate, window, math and JSON functions)."
        }
    }

    static func postgreSQLRefusal(_ name: String) -> String {
        switch name {
        case _ where name.hasPrefix("pg_read") || name.hasPrefix("pg_ls") || name.hasPrefix("pg_stat_file") || name.hasPrefix("lo_"):
            "\(name)() reads files or large objects on the database server; it is never allowed."
        case _ where name.hasPrefix("dblink") || name.hasPrefix("postgres_fdw"):
            "\(name)() connects to another database; it is never allowed."
        case "set_config", "current_setting":
            "\(name)() reads or changes server settings; it is never allowed."
        case "nextval", "setval", "currval", "lastval":
            "\(name)() touches a sequence (nextval and setval write); it is never allowed."
        case _ where name.hasPrefix("query_to_") || name.hasPrefix("table_to_") || name.hasPrefix("database_to_") || name.hasPrefix("schema_to_"):
            "\(name)() runs SQL given as a string or reads whole tables, around the guard; it is never allowed."
        case _ where name.hasPrefix("pg_"):
            "\(name)() exposes PostgreSQL internals or server state; it is not allowed."
        default:
            "\(name)() is not in the PostgreSQL function allowlist (aggregates, numeric, text, date/time and window functions)."
        }
    }
}
