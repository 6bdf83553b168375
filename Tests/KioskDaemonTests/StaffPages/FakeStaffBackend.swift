import Foundation
import KioskCore
@testable import KioskDaemon

/// A staff backend in memory: one known token, a list of notices, a programme push that
/// reports an error when the file contains the word `BROKEN`.
actor FakeStaffBackend: StaffBackend {
    static let token = "kiosk_" + String(repeating: "ab", count: 32)
    static let paris = TimeZone(identifier: "Europe/Paris")!

    let venueFacts: StaffVenue
    var notices: [Notice] = []
    var pushes: [(name: String, file: [UInt8], checkOnly: Bool, by: String)] = []
    var postedBy: [String] = []
    var failNextPost: HTTPError?
    let clock: any Clock
    private var nextID = 1

    init(language: Language = .fr, clock: any Clock) {
        venueFacts = StaffVenue(name: "Le Mixeur", language: language, timeZone: Self.paris)
        self.clock = clock
    }

    func venue() async -> StaffVenue { venueFacts }

    func principal(forToken token: String) async -> StaffPrincipal? {
        token == Self.token ? StaffPrincipal(name: "accueil", role: .staff) : nil
    }

    func liveNotices(as principal: StaffPrincipal) async throws -> [Notice] {
        notices.filter { $0.isLive(at: clock.now(), timeZone: Self.paris) }
    }

    func postNotice(_ draft: StaffNoticeDraft, as principal: StaffPrincipal) async throws -> Notice {
        if let failure = failNextPost {
            failNextPost = nil
            throw failure
        }
        let notice = Notice(
            id: "n-\(nextID)", kind: draft.kind, title: draft.title, body: draft.body, author: draft.author, terms: draft.terms,
            deadline: draft.deadline, eventDate: draft.eventDate, posted: clock.now(), expires: draft.expires, urgent: draft.urgent)
        nextID += 1
        notices.append(notice)
        postedBy.append(principal.name)
        return notice
    }

    func withdrawNotice(id: String, as principal: StaffPrincipal) async throws -> Bool {
        let before = notices.count
        notices.removeAll { $0.id == id }
        return notices.count < before
    }

    func pushProgramme(name: String, file: [UInt8], checkOnly: Bool, as principal: StaffPrincipal) async throws -> StaffProgrammeReport {
        pushes.append((name, file, checkOnly, principal.name))
        let text = String(decoding: file, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let errors = lines.enumerated().filter { $0.element.contains("BROKEN") }.map {
            StaffProgrammeReport.Problem(line: $0.offset + 1, message: "<b>bad</b> line")
        }
        let events = lines.filter { $0.hasPrefix("BEGIN:VEVENT") }.count
        return StaffProgrammeReport(
            source: "push:\(name)", format: "ics", applied: errors.isEmpty && !checkOnly, eventsRead: events, errors: errors)
    }

    func screenText(as principal: StaffPrincipal) async throws -> String {
        "Le Mixeur   14:05\n" + notices.map(\.title).joined(separator: "\n")
    }

    /// The picture `screenImage` answers; nil: this backend draws none.
    var picture: [UInt8]?

    func drawsScreenImage() async -> Bool { picture != nil }

    func screenImage(as principal: StaffPrincipal) async throws -> [UInt8]? { picture }

    func setPicture(_ bytes: [UInt8]?) { picture = bytes }
    func setNotices(_ list: [Notice]) { notices = list }
    func failNext(_ error: HTTPError) { failNextPost = error }
}
