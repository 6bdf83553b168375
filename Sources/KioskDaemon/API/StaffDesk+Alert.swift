import Foundation
import KioskCore
import KioskStore

extension StaffDesk {
    /// The longest an alert may be raised for with an end (a week); without `expires` it
    /// stays until withdrawn.
    public static let maxAlertDuration: TimeInterval = 7 * 86_400

    /// The alert shown now, if any (public: `/healthz` and the open-data feed say it).
    public func alertInForce() async throws -> ScreenAlert? {
        let now = clock.now()
        return try await onQueue { store in try store.alerts.inForce(at: now) }
    }

    /// The alert shown now (staff).
    public func alert(as principal: Principal) async throws -> ScreenAlert? {
        try require(.staff, principal)
        return try await alertInForce()
    }

    /// Checks a raise request: 422 naming the field that is wrong. Text is cleaned of
    /// control characters and escape sequences (it reaches the terminal).
    public func alertDraft(_ request: AlertRequest) throws(HTTPError) -> ScreenAlert {
        func invalid(_ message: String) -> HTTPError { HTTPError(.unprocessableContent, message) }
        guard let level = ScreenAlert.Level(rawValue: request.level) else {
            throw invalid("level: '\(request.level.prefix(40))' is not one of \(ScreenAlert.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func clean(_ text: String?, _ field: String, max: Int) throws(HTTPError) -> String? {
            guard let text else { return nil }
            let cleaned = NoticeDraft.cleanParagraphs(text).replacingOccurrences(of: "\n", with: " ")
            guard cleaned.count <= max else { throw invalid("\(field): at most \(max) characters (\(cleaned.count) sent)") }
            return cleaned.isEmpty ? nil : cleaned
        }
        guard let title = try clean(request.title, "title", max: ScreenAlert.maxTitleLength) else {
            throw invalid("title: an alert needs a title")
        }
        let text = try clean(request.text, "text", max: ScreenAlert.maxTextLength) ?? ""
        let titleEnglish = try clean(request.titleEnglish, "titleEnglish", max: ScreenAlert.maxTitleLength)
        let textEnglish = try clean(request.textEnglish, "textEnglish", max: ScreenAlert.maxTextLength)
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        var expires = request.expires
        if let minutes = request.minutes {
            guard expires == nil else { throw invalid("give minutes or expires, not both") }
            guard (1...Int(Self.maxAlertDuration / 60)).contains(minutes) else {
                throw invalid("minutes: from 1 to \(Int(Self.maxAlertDuration / 60)) (leave it out to keep the alert until it is withdrawn)")
            }
            expires = now.addingTimeInterval(Double(minutes) * 60)
        }
        if let expires {
            guard expires > now else { throw invalid("expires: \(ISO8601.format(expires)) is not in the future") }
            guard expires.timeIntervalSince(now) <= Self.maxAlertDuration else {
                throw invalid("expires: at most 7 days ahead (leave it out to keep the alert until it is withdrawn)")
            }
        }
        return ScreenAlert(
            id: "a-" + String(UInt32.random(in: 0...UInt32.max), radix: 16), level: level, title: title, text: text,
            titleEnglish: titleEnglish, textEnglish: textEnglish, raised: now, raisedBy: "", expires: expires)
    }

    /// Raises `request` on every display (replacing the alert in force), stored and audited
    /// in one transaction; returns once the screen shows it.
    public func raiseAlert(_ request: AlertRequest, as principal: Principal) async throws -> ScreenAlert {
        try require(.staff, principal)
        var alert = try alertDraft(request)
        alert.raisedBy = principal.name
        let stored = alert
        try await onQueue { store in
            try store.database.transaction {
                try store.alerts.raise(stored)
                let until = stored.expires.map { " until \(ISO8601.format($0))" } ?? ""
                try store.audit.record(
                    actor: stored.raisedBy, action: "alert.raise", detail: "\(stored.id) \(stored.level.rawValue)\(until): \(stored.title)",
                    at: stored.raised)
            }
        }
        logger.notice("alert: \(principal.name) raised \(alert.level.rawValue) alert \(alert.id): \(alert.title)")
        await storeChanged()
        return alert
    }

    /// Withdraws the alert in force (or expired but not withdrawn); nil when there was none.
    public func withdrawAlert(as principal: Principal) async throws -> ScreenAlert? {
        try require(.staff, principal)
        let actor = principal.name, now = clock.now()
        let withdrawn = try await onQueue { store -> ScreenAlert? in
            try store.database.transaction {
                guard let alert = try store.alerts.withdraw(at: now, by: actor) else { return nil }
                try store.audit.record(actor: actor, action: "alert.withdraw", detail: alert.id, at: now)
                return alert
            }
        }
        if let withdrawn {
            logger.notice("alert: \(actor) withdrew alert \(withdrawn.id)")
            await storeChanged()
        }
        return withdrawn
    }
}
