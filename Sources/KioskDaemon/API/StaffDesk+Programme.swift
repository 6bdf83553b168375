import Foundation
import KioskCore
import KioskFeeds
import KioskStore

extension StaffDesk {
    /// The source id of a pushed programme.
    public static func pushSourceID(_ name: String) -> String { "push:" + name }

    /// `name` of `push:{name}`: 1-40 of `a-z 0-9 - _`.
    public static func isProgrammeName(_ name: String) -> Bool {
        (1...40).contains(name.utf8.count) && name.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
    }

    /// Media types a programme may be sent as (`nil`: told apart by content).
    public static let programmeMediaTypes = ["text/calendar", "application/json"]

    /// Validates a programme file and, unless `dryRun` or it has errors, makes it the whole
    /// content of source `push:{name}` in one transaction (with its audit row). A file with
    /// any error changes nothing.
    ///
    /// `mediaType` is the request's `Content-Type` without parameters, lowercased:
    /// `text/calendar` (iCalendar), `application/json` (OpenAgenda v2 or native JSON, told
    /// apart by content), or nil. Throws 400 for a bad name, 403 without the staff role,
    /// 415 for another media type.
    public func pushProgramme(
        name: String, body: [UInt8], mediaType: String?, dryRun: Bool, as principal: Principal
    ) async throws -> ProgrammePushReport {
        try require(.staff, principal)
        guard Self.isProgrammeName(name) else {
            throw HTTPError(.badRequest, "programme name '\(name)' must be 1-40 of a-z 0-9 - _")
        }
        if let mediaType, !Self.programmeMediaTypes.contains(mediaType) {
            throw HTTPError(.unsupportedMediaType, "a programme is text/calendar (iCalendar) or application/json (OpenAgenda or native JSON), not \(mediaType)")
        }
        let config = self.config
        let zone = config.venue.timeZone, language = config.venue.language.rawValue
        let actor = principal.name
        let now = clock.now()
        let report = try await onQueue { store -> ProgrammePushReport in
            let sourceID = Self.pushSourceID(name)
            let (read, events) = Self.readProgramme(body, mediaType: mediaType, zone: zone, language: language)
            var report = ProgrammePushReport(
                source: sourceID, format: read.format, applied: false, eventsRead: events.count, errors: read.errors, warnings: read.warnings)
            guard report.errors.isEmpty, !dryRun else { return report }
            do {
                try store.database.transaction {
                    try store.programme.replaceEvents(ofSource: sourceID, kind: .push, with: events, fetchedAt: now)
                    try store.audit.record(
                        actor: actor, action: "programme.push", detail: "\(sourceID): \(events.count) events (\(read.format ?? "?"))", at: now)
                }
            } catch let error as DatabaseError where error.code.primary == .constraint {
                report.errors.append(.init(message: "two events have the same UID and RECURRENCE-ID; nothing was stored"))
                return report
            }
            report.applied = true
            return report
        }
        if report.applied {
            logger.info("staff API: \(principal.name) pushed \(report.source): \(report.eventsRead) events")
            await storeChanged()
        }
        return report
    }

    /// At most this many errors are listed in a report (a wholly wrong file would give thousands).
    static let maxReportedErrors = 100

    /// Reads a programme file into events, collecting every problem instead of stopping at
    /// the first where the format allows it. Pure; runs on the desk's queue.
    static func readProgramme(
        _ body: [UInt8], mediaType: String?, zone: TimeZone, language: String
    ) -> (read: (format: String?, errors: [ProgrammePushReport.Issue], warnings: [ProgrammePushReport.Issue]), events: [ProgrammeEvent]) {
        typealias Issue = ProgrammePushReport.Issue
        guard let detected = ProgrammeFeedFormat.detect(body) else {
            let what = body.allSatisfy({ [0x20, 0x09, 0x0D, 0x0A].contains($0) }) ? "the body is empty" : UnknownProgrammeFormatError().description
            return ((nil, [Issue(line: 1, message: what)], []), [])
        }
        let formatName: String
        switch detected {
        case .iCalendar: formatName = "ics"
        case .openAgenda: formatName = "openagenda"
        case .programmeJSON: formatName = "json"
        }
        if mediaType == "text/calendar" && detected != .iCalendar {
            return ((formatName, [Issue(line: 1, message: "sent as text/calendar but the body does not start with BEGIN:VCALENDAR")], []), [])
        }
        if mediaType == "application/json" && detected == .iCalendar {
            return ((formatName, [Issue(line: 1, message: "sent as application/json but the body is iCalendar; send it as text/calendar")], []), [])
        }
        var warnings: [Issue] = []
        let events: [ProgrammeEvent]
        do {
            switch detected {
            case .iCalendar:
                // Every error of the file at once, so one upload tells staff all there is to fix.
                let validation = ICalendarParser(venueTimeZone: zone).validate(body)
                let document = validation.document
                warnings = document?.warnings.map { Issue(line: $0.line, message: $0.reason) } ?? []
                if !validation.errors.isEmpty {
                    var errors = validation.errors.prefix(Self.maxReportedErrors).map { Issue(line: $0.line, message: $0.reason) }
                    if validation.errors.count > Self.maxReportedErrors {
                        errors.append(Issue(message: "\(validation.errors.count - Self.maxReportedErrors) more errors not listed"))
                    }
                    return ((formatName, errors, warnings), document?.events ?? [])
                }
                events = document?.events ?? []
            case .openAgenda:
                events = try OpenAgendaParser(language: language, venueTimeZone: zone).parse(body).events
            case .programmeJSON:
                events = try ProgrammeJSONParser(venueTimeZone: zone).parse(body)
            }
        } catch {
            return ((formatName, [Issue(message: "\(error)")], warnings), [])
        }
        struct Key: Hashable { var uid: String; var recurrenceID: EventTime? }
        var seen = Set<Key>()
        var errors: [Issue] = []
        // A UID is an identifier, re-published in the open-data feeds: a line break or an
        // escape in it would forge lines there (and reach terminals).
        for event in events where event.uid.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            let shown = event.uid.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : String($0) }.joined()
            errors.append(Issue(message: "UID \(shown.prefix(80)) contains control characters"))
        }
        for event in events where !seen.insert(Key(uid: event.uid, recurrenceID: event.recurrenceID)).inserted {
            errors.append(Issue(message: "UID \(event.uid) appears twice" + (event.recurrenceID == nil ? "" : " for the same RECURRENCE-ID")))
        }
        if events.isEmpty && errors.isEmpty {
            warnings.append(Issue(message: "the file holds no event: the source will be empty"))
        }
        return ((formatName, errors, warnings), errors.isEmpty ? events : [])
    }

    /// Removes source `push:{name}` and its events; false when there is no such pushed
    /// programme.
    public func removeProgramme(name: String, as principal: Principal) async throws -> Bool {
        try require(.staff, principal)
        guard Self.isProgrammeName(name) else { return false }
        let actor = principal.name, now = clock.now()
        let removed = try await onQueue { store -> Bool in
            let id = Self.pushSourceID(name)
            return try store.database.transaction {
                guard try store.programme.sourceStatus(id: id)?.kind == .push else { return false }
                try store.programme.deleteSource(id: id)
                try store.audit.record(actor: actor, action: "programme.delete", detail: id, at: now)
                return true
            }
        }
        if removed {
            logger.info("staff API: \(principal.name) removed push:\(name)")
            await storeChanged()
        }
        return removed
    }

    /// Every programme source (pulled feeds and pushes) with its status.
    public func programmeSources(as principal: Principal) async throws -> [SourceStatus] {
        try require(.staff, principal)
        return try await onQueue { store in try store.programme.sourceStatuses() }
    }

    /// A source as JSON: `{"id", "kind", "events", "lastSuccess", "lastAttempt", "lastError"}`.
    public static func json(_ s: SourceStatus) -> [String: Any] {
        [
            "id": s.id, "kind": s.kind.rawValue, "events": s.eventCount, "lastSuccess": APIJSON.timestamp(s.lastSuccess),
            "lastAttempt": APIJSON.timestamp(s.lastAttempt), "lastError": APIJSON.orNull(s.lastError),
        ]
    }
}
