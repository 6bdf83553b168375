#include <sqlite3.h>

/// SQLITE_TRANSIENT is a function-like cast macro that Swift cannot import.
static inline sqlite3_destructor_type kiosk_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
