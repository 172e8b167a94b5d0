#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro over a cast Swift cannot import: SQLite copies
/// the bound bytes before the bind call returns.
static inline sqlite3_destructor_type readout_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// Turns off SQLite's global memory statistics, whose mutex is taken on every
/// allocation. Only effective before SQLite initialises (the first open);
/// returns SQLITE_MISUSE afterwards, which callers may ignore.
static inline int readout_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// sqlite3_db_config is variadic, which Swift cannot call: turns off
/// double-quoted string literals in DML and DDL (SQLite >= 3.29).
static inline int readout_sqlite_disable_dqs(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
}
