extension StoreSchema {
    /// Event pictures (issue 16): per image URL an event names, the stored file's hash
    /// (NULL while none could be fetched), the validators for a conditional GET, when it was
    /// last checked and the last error.
    static let eventPictures = """
        CREATE TABLE event_pictures (
            url TEXT PRIMARY KEY NOT NULL,
            picture TEXT,
            etag TEXT,
            last_modified TEXT,
            checked INTEGER NOT NULL,
            error TEXT
        );
        """
}
