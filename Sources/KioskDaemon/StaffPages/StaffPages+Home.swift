import Foundation
import KioskCore

extension StaffPages {
    static let homeRoutes: [Route] = [
        Route(path: [""], methods: [.get], access: .staff) { pages, context in await pages.home(context) },
    ]

    /// The home page: the last action's result, the alert (on screen, or the buttons to
    /// raise one), and a tile per section.
    func home(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        var result = takeFlash(context)
        let alert: ScreenAlert?
        do {
            alert = try await desk.alert(as: session.principal)
        } catch {
            alert = nil
            result = result ?? .init(tone: .error, heading: Self.describe(error, context.strings).alert)
        }
        return Self.page(context.renderer.home(session, result: result, alert: alert))
    }

    /// The one-shot message of the last POST, as a result to show first.
    func takeFlash(_ context: Context) -> StaffPageRenderer.Result? {
        guard let flash = sessions.takeFlash(for: context.signedIn.id) else { return nil }
        return context.renderer.result(for: flash, session: context.signedIn, canUndo: sessions.withdrawn(for: context.signedIn.id, now: clock.now()) != nil)
    }
}

extension StaffPageRenderer {
    func home(_ session: StaffSessions.Session, result: Result?, alert: ScreenAlert?) -> String {
        document(title: strings.staffArea, session: session, result: result, nav: false) {
            var html = alertSection(session, alert: alert)
            var tiles = [("/staff/programme", strings.navProgramme), ("/staff/notices", strings.navNotices), ("/staff/posters", strings.navPosters),
                         ("/staff/screen", strings.navScreen)]
            if session.principal.may(.maintainer) {
                tiles += [("/staff/presence", strings.pick("Présents (évacuation)", "Present (evacuation)")), ("/staff/attendance", strings.navAttendance)]
            }
            html += "<div class=\"tiles\">" + tiles.map { "<a href=\"\(e($0.0))\">\(e($0.1))</a>" }.joined() + "</div>\n"
            return html
        }
    }

    /// What the result of a flash says.
    func result(for flash: StaffFlash, session: StaffSessions.Session, canUndo: Bool) -> Result {
        switch flash {
        case .signedIn:
            return Result(tone: .ok, heading: strings.signedIn)
        case .signedOutEverywhere(let count):
            return Result(tone: .ok, heading: strings.signedOutEverywhere(count))
        case .noticePosted(let title):
            return Result(tone: .ok, heading: strings.noticePosted(title))
        case .noticeUpdated(let title):
            return Result(tone: .ok, heading: strings.noticeUpdated(title))
        case .noticeWithdrawn(let title):
            return withdrawnResult(strings.noticeWithdrawn(title), undo: canUndo ? "/staff/notices/undo" : nil, session: session)
        case .noticeRestored(let title):
            return Result(tone: .ok, heading: strings.noticeRestored(title))
        case .noticeAlreadyGone:
            return Result(tone: .error, heading: strings.noticeAlreadyGone)
        case .undoTooLate:
            return Result(tone: .error, heading: strings.undoTooLate)
        case .programme(let report, let fileName):
            return programmeResult(report, fileName: fileName, session: session)
        case .programmeWithdrawn(let name):
            return Result(tone: .ok, heading: strings.programmeWithdrawn(name))
        case .alertRaised(let title):
            return Result(tone: .ok, heading: strings.alertRaised(title))
        case .alertWithdrawn:
            return Result(tone: .ok, heading: strings.alertWithdrawn)
        case .noAlert:
            return Result(tone: .error, heading: strings.noAlertOnScreen)
        case .posterPosted(let title):
            return Result(tone: .ok, heading: strings.posterPosted(title))
        case .posterWithdrawn(let title):
            return withdrawnResult(strings.posterWithdrawn(title), undo: canUndo ? "/staff/posters/undo" : nil, session: session)
        case .posterRestored(let title):
            return Result(tone: .ok, heading: strings.posterRestored(title))
        case .posterAlreadyGone:
            return Result(tone: .error, heading: strings.posterAlreadyGone)
        case .posterUndoTooLate:
            return Result(tone: .error, heading: strings.posterUndoTooLate)
        }
    }

    /// "... retirée", with the button that puts it back (posting to `undo`) while it can.
    private func withdrawnResult(_ heading: String, undo: String?, session: StaffSessions.Session) -> Result {
        var result = Result(tone: .ok, heading: heading)
        if let undo {
            result.extra = """
            <form method="post" action="\(e(undo))">\(csrfField(session))<button type="submit" class="secondary" id="undo">\(e(strings.undoWithdraw))</button></form>

            """
        }
        return result
    }
}
