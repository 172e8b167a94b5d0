#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro over a cast Swift cannot import: SQLite copies
/// the bound bytes before the bind call returns.
static inline sqlite3_destructor_type readout_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
