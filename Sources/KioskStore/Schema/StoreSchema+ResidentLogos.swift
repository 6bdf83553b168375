extension StoreSchema {
    /// Residents' logos (issue 16): the directory import's `logo` column. A URL is kept in
    /// `logo_url` and fetched like an event's picture (its file, validators and last error
    /// in `event_pictures`, which holds every picture fetched by URL); a file read at
    /// import is stored by content hash and named by `logo_picture`. At most one is set.
    static let residentLogos = """
        ALTER TABLE residents ADD COLUMN logo_url TEXT;
        ALTER TABLE residents ADD COLUMN logo_picture TEXT;
        """
}
