/// A structured field of a journal entry, beside its message: what a maintainer filters
/// on with `journalctl NAME=value` (journal-fields(7) for systemd's own).
///
/// Only native entries carry fields (see `JournalLogger`); on a terminal or in a
/// prefixed line the message alone is written, so it must still say what it is about.
public struct JournalField: Sendable, Hashable {
    /// Upper-case letters, digits and `_`, as journald requires.
    public let name: String
    public let value: String

    /// `name` must be a valid journal field name (`SystemdJournal.isValidFieldName`):
    /// an invalid one is left out of the entry by the encoder.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `KIOSK_FEED=`: the `[feed "NAME"]` an entry is about.
    public static func feed(_ name: String) -> JournalField { JournalField("KIOSK_FEED", name) }
    /// `KIOSK_DEVICE=`: the device path an entry is about (reader, framebuffer, console).
    public static func device(_ path: String) -> JournalField { JournalField("KIOSK_DEVICE", path) }
    /// `KIOSK_CONFIG=`: the configuration file an entry is about (start-up and reload errors).
    public static func config(_ path: String) -> JournalField { JournalField("KIOSK_CONFIG", path) }
}
