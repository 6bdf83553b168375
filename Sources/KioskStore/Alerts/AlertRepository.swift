import Foundation
import KioskCore

/// The alerts raised on the screen (`alerts` table): the one in force, raising one (which
/// withdraws the previous), withdrawing it. Instants are whole seconds.
public struct AlertRepository {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The alert raised last and not withdrawn, whether or not it has expired at a given
    /// instant (`ScreenAlert.isInForce(at:)` says; the lobby redraws when it expires).
    public func latest() throws -> ScreenAlert? {
        try database.queryFirst("SELECT * FROM alerts WHERE withdrawn IS NULL ORDER BY raised DESC, rowid DESC LIMIT 1")
            .map(Self.alert(from:))
    }

    /// The alert shown at `instant`, if any.
    public func inForce(at instant: Date) throws -> ScreenAlert? {
        try latest().flatMap { $0.isInForce(at: instant) ? $0 : nil }
    }

    public func get(id: String) throws -> ScreenAlert? {
        try database.queryFirst("SELECT * FROM alerts WHERE id = ?", [id]).map(Self.alert(from:))
    }

    /// Stores `alert` and withdraws every other one not yet withdrawn (one alert at a time).
    /// Call inside a transaction with its audit row.
    public func raise(_ alert: ScreenAlert) throws {
        try database.execute(
            "UPDATE alerts SET withdrawn = ?, withdrawn_by = ? WHERE withdrawn IS NULL", [alert.raised, alert.raisedBy])
        try database.execute(
            """
            INSERT INTO alerts (id, level, title, text, title_en, text_en, raised, raised_by, expires)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [alert.id, alert.level.rawValue, alert.title, alert.text, alert.titleEnglish, alert.textEnglish, alert.raised,
             alert.raisedBy, alert.expires])
    }

    /// Withdraws the alert not yet withdrawn; returns it, or nil when there was none.
    @discardableResult
    public func withdraw(at instant: Date, by actor: String) throws -> ScreenAlert? {
        guard let current = try latest() else { return nil }
        try database.execute("UPDATE alerts SET withdrawn = ?, withdrawn_by = ? WHERE withdrawn IS NULL", [instant, actor])
        return current
    }

    private static func alert(from row: Row) throws -> ScreenAlert {
        let id: String = try row.get("id")
        let levelText: String = try row.get("level")
        guard let level = ScreenAlert.Level(rawValue: levelText) else {
            throw RecordError(table: "alerts", key: id, problem: "unknown level '\(levelText)'")
        }
        return ScreenAlert(
            id: id, level: level, title: try row.get("title"), text: try row.get("text"), titleEnglish: try row.get("title_en"),
            textEnglish: try row.get("text_en"), raised: try row.get("raised"), raisedBy: try row.get("raised_by"),
            expires: try row.get("expires"))
    }
}
