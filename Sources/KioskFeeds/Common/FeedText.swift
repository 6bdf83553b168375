/// Checks on identifiers from feeds.
enum FeedText {
    /// C0 and C1 control characters (a line break or an escape in a UID would forge lines
    /// in the open-data feeds that re-publish it, and reach terminals).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// `text` with each control character shown as `?`, at most 80 characters, for a message.
    static func shown(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : String($0) }.joined().prefix(80))
    }
}
