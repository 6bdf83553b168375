extension StoreSchema {
    /// Alerts that take over the screen (KioskCore.ScreenAlert): one row per alert ever
    /// raised, kept after it is withdrawn or expires (the history goes with the audit log).
    static let alerts = """
        CREATE TABLE alerts (
            id           TEXT PRIMARY KEY NOT NULL,        -- a- and 8 hex digits
            level        TEXT NOT NULL CHECK (level IN ('information', 'closure', 'evacuation')),
            title        TEXT NOT NULL,                    -- French
            text         TEXT NOT NULL DEFAULT '',
            title_en     TEXT,                             -- English, optional
            text_en      TEXT,
            raised       INTEGER NOT NULL,                 -- Unix seconds
            raised_by    TEXT NOT NULL,                    -- token name, kioskctl:USER
            expires      INTEGER,                          -- Unix seconds; NULL = until withdrawn
            withdrawn    INTEGER,                          -- Unix seconds; NULL = not withdrawn
            withdrawn_by TEXT
        );
        CREATE INDEX alerts_raised ON alerts(raised);
        """
}
