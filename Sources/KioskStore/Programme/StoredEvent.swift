import KioskCore

/// A programme event together with the source it was stored for.
public struct StoredEvent: Sendable, Hashable {
    /// The feed's config name, or `push:NAME`.
    public var source: String
    public var event: ProgrammeEvent

    public init(source: String, event: ProgrammeEvent) {
        self.source = source
        self.event = event
    }
}
