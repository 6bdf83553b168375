extension StoreSchema {
    /// Posters (issue 16): a picture by content hash, a title, first and last day on the
    /// venue's calendar, optional ISO weekdays (`"1,3,5"`, empty: every day) and minutes
    /// of the day (`opens`, `closes`; NULL: the whole day).
    static let posters = """
        CREATE TABLE posters (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL,
            first_day TEXT NOT NULL,
            last_day TEXT NOT NULL,
            weekdays TEXT NOT NULL DEFAULT '',
            opens INTEGER,
            closes INTEGER,
            picture TEXT NOT NULL,
            posted INTEGER NOT NULL,
            created_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX posters_by_last_day ON posters (last_day);
        """
}
