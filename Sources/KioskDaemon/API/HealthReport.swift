import Foundation

/// `GET /healthz`: whether the kiosk works, how fresh the programme is, the badge reader.
public struct HealthReport: Sendable, Hashable {
    /// False when the store cannot be read (answered 503).
    public var storeReadable: Bool
    /// The last success of any configured feed (a `304` counts).
    public var lastSuccess: Date?
    /// True when feeds are configured and none succeeded within `[feeds] offline-after`.
    public var stale: Bool
    /// `none` (no reader configured), `connecting`, `connected` or `disconnected`.
    public var reader: String
    /// Why the store could not be read (logged, not sent).
    public var problem: String?

    public var json: [String: Any] {
        [
            "status": storeReadable ? "ok" : "unavailable",
            "programme": ["lastSuccess": APIJSON.timestamp(lastSuccess), "stale": stale] as [String: Any],
            "reader": reader,
        ]
    }
}
