import Foundation
import KioskCore

/// Raising and withdrawing the alert that takes over the screen: on the home page a
/// button per level (one tap), the form filled in for that level, "Afficher l'alerte"
/// (two), then a confirmation showing what the screen will say.
extension StaffPages {
    static let alertRoutes: [Route] = [
        Route(path: ["alert"], methods: [.get, .post], access: .staff) { pages, context in
            context.request.method == .post ? await pages.raiseAlert(context) : pages.alertForm(context)
        },
        Route(path: ["alert", "withdraw"], methods: [.post], access: .staff) { pages, context in await pages.withdrawAlert(context) },
    ]

    func alertForm(_ context: Context) -> HTTPResponse {
        let levelText = context.request.queryFields?["level"] ?? ""
        let level = ScreenAlert.Level(rawValue: levelText) ?? .information
        return Self.page(context.renderer.alertForm(context.signedIn, form: StaffAlertForm(level: level, strings: context.strings)))
    }

    func raiseAlert(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn, renderer = context.renderer
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        var form = StaffAlertForm(fields: fields)
        guard let request = form.validate(now: clock.now(), days: renderer.days, strings: context.strings) else {
            return Self.page(renderer.alertForm(session, form: form), status: .unprocessableContent)
        }
        guard fields["confirm"] == "1" else {
            return Self.page(renderer.alertConfirmation(session, form: form, request: request, assemblyPoint: desk.config.venue.assemblyPoint))
        }
        do {
            let alert = try await desk.raiseAlert(request, as: session.principal)
            sessions.setFlash(.alertRaised(title: alert.title), for: session.id)
            return Self.redirect("/staff/")
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            form.problem = message
            return Self.page(renderer.alertForm(session, form: form), status: status)
        }
    }

    func withdrawAlert(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        do {
            guard fields["confirm"] == "1" else {
                guard let alert = try await desk.alert(as: session.principal) else {
                    sessions.setFlash(.noAlert, for: session.id)
                    return Self.redirect("/staff/")
                }
                return Self.page(context.renderer.confirmation(
                    session: session, title: context.strings.withdrawAlert, question: context.strings.confirmWithdrawAlert,
                    details: [context.strings.level(alert.level) + " · " + alert.title], action: "/staff/alert/withdraw", fields: [],
                    confirmLabel: context.strings.withdrawAlert, back: "/staff/"))
            }
            let withdrawn = try await desk.withdrawAlert(as: session.principal)
            sessions.setFlash(withdrawn == nil ? .noAlert : .alertWithdrawn, for: session.id)
            return Self.redirect("/staff/")
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: session), status: status)
        }
    }
}

/// The alert form: the values as typed (so a refused form comes back filled in) and the
/// errors found in them.
struct StaffAlertForm: Sendable, Hashable {
    enum Field: String, Sendable, CaseIterable {
        case level, title, text, duration
        case titleEnglish = "title_en"
        case textEnglish = "text_en"
    }
    static let durations = ["30", "60", "120", "240", "today", "none"]

    var values: [Field: String] = [:]
    var errors: [Field: String] = [:]
    /// A refusal of the kiosk (shown above the form).
    var problem: String?

    /// A form for `level` with its usual wording and duration.
    init(level: ScreenAlert.Level, strings: StaffPageStrings) {
        let title = strings.defaultAlertTitle(level), text = strings.defaultAlertText(level)
        values = [.level: level.rawValue, .title: title.fr, .text: text.fr, .titleEnglish: title.en, .textEnglish: text.en]
        switch level {
        case .information: values[.duration] = "60"
        case .closure: values[.duration] = "today"
        case .evacuation: values[.duration] = "none"
        }
    }

    init(fields: HTTPFormFields) {
        for field in Field.allCases {
            if let value = fields[field.rawValue] { values[field] = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    func value(_ field: Field) -> String { values[field] ?? "" }

    var level: ScreenAlert.Level { ScreenAlert.Level(rawValue: value(.level)) ?? .information }

    /// The request when every field is valid, else nil with `errors` filled.
    mutating func validate(now: Date, days: VenueDays, strings: StaffPageStrings) -> AlertRequest? {
        errors = [:]
        if ScreenAlert.Level(rawValue: value(.level)) == nil { errors[.level] = strings.unknownKind }
        if value(.title).isEmpty { errors[.title] = strings.titleRequired }
        for (field, max) in [(Field.title, ScreenAlert.maxTitleLength), (.titleEnglish, ScreenAlert.maxTitleLength), (.text, ScreenAlert.maxTextLength), (.textEnglish, ScreenAlert.maxTextLength)]
        where value(field).count > max {
            errors[field] = strings.textTooLong(max)
        }
        let duration = value(.duration).isEmpty ? "none" : value(.duration)
        if !Self.durations.contains(duration) { errors[.duration] = strings.unknownKind }
        guard errors.isEmpty else { return nil }
        var expires: Date?
        switch duration {
        case "none": expires = nil
        case "today": expires = days.start(of: days.civilDate(of: now).adding(days: 1))
        default: expires = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(Int(duration)! * 60)).rounded(.down))
        }
        func optional(_ field: Field) -> String? { value(field).isEmpty ? nil : value(field) }
        return AlertRequest(
            level: value(.level), title: value(.title), text: optional(.text), titleEnglish: optional(.titleEnglish),
            textEnglish: optional(.textEnglish), expires: expires)
    }

    /// The hidden fields that carry the form to its confirmation.
    var hiddenFields: [(String, String)] { Field.allCases.map { ($0.rawValue, value($0)) } }
}

extension StaffPageRenderer {
    /// The alert on screen with its withdraw button, or the buttons raising one.
    func alertSection(_ session: StaffSessions.Session, alert: ScreenAlert?) -> String {
        if let alert {
            var lines = [alert.text, alert.textEnglish ?? ""].filter { !$0.isEmpty }.map { "<p>\(e($0))</p>" }.joined()
            if alert.level == .evacuation, !venue.assemblyPoint.isEmpty { lines += "<p><strong>\(e(strings.assemblyPoint(venue.assemblyPoint)))</strong></p>" }
            let until = alert.expires.map { strings.alertUntil(when($0)) } ?? strings.alertUntilWithdrawn
            return """
            <section class="alertbox \(alert.level.rawValue)" id="alert-now">
            <p>\(e(strings.alertOnScreen(strings.level(alert.level))))</p>
            <h2>\(e(alert.title))</h2>
            \(lines)<p class="meta-light">\(e(strings.raisedBy(alert.raisedBy, when(alert.raised)))), \(e(until))</p>
            <form method="post" action="/staff/alert/withdraw">\(csrfField(session))<button type="submit" class="secondary" id="withdraw-alert">\(e(strings.withdrawAlert))</button></form>
            </section>

            """
        }
        let buttons = ScreenAlert.Level.allCases.reversed().map { level in
            "<a class=\"button \(level.rawValue)\" href=\"/staff/alert?level=\(level.rawValue)\" id=\"raise-\(level.rawValue)\">\(e(strings.level(level)))</a>"
        }.joined()
        return """
        <section id="alert">
        <h2>\(e(strings.alertTitle))</h2>
        <p class="hint">\(e(strings.alertHelp))</p>
        <div class="levels">\(buttons)</div>
        </section>

        """
    }

    func alertForm(_ session: StaffSessions.Session, form: StaffAlertForm) -> String {
        var result: Result?
        if let problem = form.problem {
            result = Result(tone: .error, heading: problem)
        } else if !form.errors.isEmpty {
            result = Result(tone: .error, heading: strings.alertFormHasErrors)
        }
        return document(title: strings.alertTitle, session: session, result: result) {
            func error(_ field: StaffAlertForm.Field) -> String { fieldError(form.errors[field], field: field.rawValue).paragraph }
            func invalid(_ field: StaffAlertForm.Field) -> String { fieldError(form.errors[field], field: field.rawValue).attributes }
            let levels = ScreenAlert.Level.allCases.map { level in
                "<option value=\"\(level.rawValue)\"\(form.level == level ? " selected" : "")>\(e(strings.level(level)))</option>"
            }.joined()
            let durations = StaffAlertForm.durations.map { value in
                "<option value=\"\(value)\"\(form.value(.duration) == value ? " selected" : "")>\(e(strings.durationChoice(value)))</option>"
            }.joined()
            var assembly = ""
            if form.level == .evacuation {
                assembly = "<p class=\"hint\">\(e(venue.assemblyPoint.isEmpty ? strings.noAssemblyPoint : strings.assemblyPoint(venue.assemblyPoint)))</p>\n"
            }
            return """
            <h1>\(e(strings.alertTitle)) · \(e(strings.level(form.level)))</h1>
            <p class="hint">\(e(strings.alertHelp))</p>
            \(assembly)<form method="post" action="/staff/alert">
            \(csrfField(session))
            <label for="level">\(e(strings.kindLabel))</label>\(error(.level))<select id="level" name="level">\(levels)</select>
            <label for="title">\(e(strings.alertTitleLabel))</label>\(error(.title))<input id="title" name="title" value="\(e(form.value(.title)))" maxlength="\(ScreenAlert.maxTitleLength)" required\(invalid(.title))>
            <label for="text">\(e(strings.alertTextLabel))</label>\(error(.text))<textarea id="text" name="text" rows="3" maxlength="\(ScreenAlert.maxTextLength)"\(invalid(.text))>\(e(form.value(.text)))</textarea>
            <label for="duration">\(e(strings.durationLabel))</label>\(error(.duration))<select id="duration" name="duration">\(durations)</select>
            <details\(form.errors[.titleEnglish] != nil || form.errors[.textEnglish] != nil ? " open" : "")><summary>English</summary>
            <label for="title_en">\(e(strings.alertEnglishTitleLabel))</label>\(error(.titleEnglish))<input id="title_en" name="title_en" lang="en" value="\(e(form.value(.titleEnglish)))" maxlength="\(ScreenAlert.maxTitleLength)"\(invalid(.titleEnglish))>
            <label for="text_en">\(e(strings.alertEnglishTextLabel))</label>\(error(.textEnglish))<textarea id="text_en" name="text_en" lang="en" rows="3" maxlength="\(ScreenAlert.maxTextLength)"\(invalid(.textEnglish))>\(e(form.value(.textEnglish)))</textarea>
            </details>
            <button type="submit" id="show-alert" class="\(form.level == .evacuation ? "danger" : "")">\(e(strings.showAlert))</button>
            </form>
            <p><a class="button secondary" href="/staff/">\(e(strings.cancel))</a></p>
            """
        }
    }

    /// What the screen will say, and the button that shows it.
    func alertConfirmation(_ session: StaffSessions.Session, form: StaffAlertForm, request: AlertRequest, assemblyPoint: String) -> String {
        var details = [strings.level(form.level) + " · " + request.title]
        if let text = request.text { details.append(text) }
        if let title = request.titleEnglish { details.append(title + (request.textEnglish.map { " — " + $0 } ?? "")) }
        if form.level == .evacuation, !assemblyPoint.isEmpty { details.append(strings.assemblyPoint(assemblyPoint)) }
        details.append(request.expires.map { strings.alertUntil(when($0)) } ?? strings.alertUntilWithdrawn)
        return confirmation(
            session: session, title: strings.alertTitle, question: strings.confirmShowAlert, details: details, action: "/staff/alert",
            fields: form.hiddenFields, confirmLabel: strings.yesShowAlert, danger: form.level == .evacuation, back: "/staff/")
    }
}
