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

    /// Reads a programme file and, unless `dryRun` or it is refused, makes it the whole
    /// content of source `push:{name}` in one transaction (with its audit row and the read's
    /// warnings). A refused file changes nothing.
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
        let actor = principal.name
        let now = clock.now()
        let options = FeedDecoder.Options.daemon(config: config, language: config.venue.language, now: now)
        let report = try await onQueue { store -> ProgrammePushReport in
            let sourceID = Self.pushSourceID(name)
            let read = Self.readProgramme(body, mediaType: mediaType, options: options)
            var report = ProgrammePushReport(
                source: sourceID, format: read.format, applied: false, eventsRead: read.events.count, errors: read.errors,
                warnings: read.warnings, eventsDropped: read.decoded?.eventsDropped ?? 0)
            guard report.errors.isEmpty, !dryRun else { return report }
            do {
                try store.database.transaction {
                    try store.programme.replaceEvents(
                        ofSource: sourceID, kind: .push, with: read.events, fetchedAt: now, report: read.decoded?.sourceReport)
                    try store.audit.record(
                        actor: actor, action: "programme.push",
                        detail: "\(sourceID): \(read.events.count) events (\(read.format ?? "?")), \(read.decoded?.warningCount ?? 0) warnings", at: now)
                }
            } catch let error as DatabaseError where error.code.primary == .constraint {
                report.errors.append(.init(message: "two events have the same UID and RECURRENCE-ID; nothing was stored"))
                return report
            }
            report.applied = true
            return report
        }
        if report.applied {
            logger.info("staff API: \(principal.name) pushed \(report.source): \(report.eventsRead) events, \(report.warnings.count) warnings")
            await storeChanged()
        }
        return report
    }

    /// What reading a pushed file gave.
    struct ProgrammeRead {
        var format: String?
        var errors: [ProgrammePushReport.Issue]
        var warnings: [ProgrammePushReport.Issue]
        var events: [ProgrammeEvent]
        var decoded: FeedDecoding?
    }

    /// Reads a programme file into events with `FeedDecoder` (what is malformed is skipped
    /// and listed as warnings; the file is refused, as errors, only when it is not a
    /// programme, is truncated, or has more than half of its events broken). Pure; runs on
    /// the desk's queue.
    static func readProgramme(_ body: [UInt8], mediaType: String?, options: FeedDecoder.Options) -> ProgrammeRead {
        typealias Issue = ProgrammePushReport.Issue
        let detected = FeedFormat.detect(body)
        if mediaType == "text/calendar" && detected != nil && detected != .ics {
            return ProgrammeRead(format: detected?.rawValue, errors: [Issue(line: 1, message: "sent as text/calendar but the body does not start with BEGIN:VCALENDAR")], warnings: [], events: [])
        }
        if mediaType == "application/json" && detected == .ics {
            return ProgrammeRead(format: detected?.rawValue, errors: [Issue(line: 1, message: "sent as application/json but the body is iCalendar; send it as text/calendar")], warnings: [], events: [])
        }
        // Each problem names its event by title where the file gives one (staff know their
        // events by title, not by UID); a JSON document is read once for all its problems
        // (the decoder gives the line each event starts on).
        let blocks = detected == .ics ? ProgrammeFileEvents.iCalendar(body) : nil
        var jsonEvents: ProgrammeFileEvents.JSONEvents?
        func issue(line: Int?, reference: String?, message: String) -> Issue {
            if let blocks {
                let title = line.flatMap(blocks.event(atLine:)) ?? reference.map(TerminalText.sanitized)
                return Issue(line: line, event: title, message: message)
            }
            guard let reference else { return Issue(line: line, message: message) }
            let events = jsonEvents ?? ProgrammeFileEvents.JSONEvents(body)
            jsonEvents = events
            return Issue(line: line, event: events.name(reference), message: message)
        }
        let decoded: FeedDecoding
        do { decoded = try FeedDecoder.decode(body, format: detected, options: options) } catch {
            let line = error.line ?? (detected == nil ? 1 : nil)
            let issue = issue(line: line, reference: ProgrammeFileEvents.refusedEvent(error.reason), message: error.reason)
            return ProgrammeRead(format: detected?.rawValue, errors: [issue], warnings: [], events: [])
        }
        // The message names the event as the reader does (its uid, `#index`), for the API
        // and the journal; `event` is its title for the staff page.
        var warnings = decoded.warnings.map {
            issue(line: $0.line, reference: $0.event, message: ($0.event.map { "event \($0): " } ?? "") + $0.message)
        }
        if decoded.warningCount > warnings.count {
            warnings.append(Issue(message: "\(decoded.warningCount - warnings.count) more warnings not listed"))
        }
        if decoded.events.isEmpty {
            warnings.append(Issue(message: "the file holds no event: the source will be empty"))
        }
        return ProgrammeRead(format: decoded.format.rawValue, errors: [], warnings: warnings, events: decoded.events, decoded: decoded)
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

    /// Every programme source (pulled feeds and pushes) with its status; a push with the
    /// token name that pushed it last (from the audit log).
    public func programmeSources(as principal: Principal) async throws -> [ProgrammeSource] {
        try require(.staff, principal)
        return try await onQueue { store in
            try store.programme.sourceStatuses().map { status in
                guard status.kind == .push else { return ProgrammeSource(status, pushedBy: nil) }
                let prefix = status.id + ":"
                let actor = try store.database.scalar(
                    """
                    SELECT actor FROM audit WHERE action = 'programme.push' AND substr(detail, 1, length(?1)) = ?1
                    ORDER BY at DESC, id DESC LIMIT 1
                    """, [prefix], as: String.self)
                return ProgrammeSource(status, pushedBy: actor)
            }
        }
    }
}
