import Foundation
import KioskCore

extension ControlCommand {
    /// `kioskctl alert`: raise, show or withdraw the alert that takes over the screen.
    static var alertSubcommand: Subcommand {
        Subcommand(
            name: "alert", summary: "raise, show or withdraw the alert that takes over the screen (API)",
            usage: """
            kioskctl alert raise --level information|closure|evacuation --title TEXT [--text TEXT]
                                 [--title-en TEXT] [--text-en TEXT] [--for DURATION | --until RFC3339] --url URL
            kioskctl alert show --url URL
            kioskctl alert withdraw --url URL

            raise shows the alert on every display of the kiosk within a second, full screen and
            in high contrast, over everything else (badge scans are still recorded), until it is
            withdrawn or --for (30min, 2h...; at most 7 days) or --until has passed; it replaces
            the alert on screen, survives a restart and is audited. An evacuation alert shows
            the assembly point of [venue] assembly-point. Title: at most 80 characters; text:
            280. show exits 1 when no alert is on screen.

            \(remoteCommon)
            """,
            valued: remoteValued.union(["--level", "--title", "--text", "--title-en", "--text-en", "--for", "--until"]), flags: [],
            run: ControlActions.alert)
    }
}

extension ControlActions {
    static let alert: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first, options.positionals.count == 1 else { throw UsageError("say raise, show or withdraw") }
        let fmt = try remoteFormat(options)
        let client = try apiClient(options)
        func show(_ alert: AlertBody) {
            out.out("\(alert.level): \(TerminalText.sanitized(alert.title))")
            if !alert.text.isEmpty { out.out("  \(TerminalText.sanitized(alert.text))") }
            if let title = alert.titleEnglish { out.out("  en: \(TerminalText.sanitized(title))\(alert.textEnglish.map { " — " + TerminalText.sanitized($0) } ?? "")") }
            out.out("  raised by \(TerminalText.sanitized(alert.raisedBy)) at \(ISO8601.format(alert.raised)), \(alert.expires.map { "until \(ISO8601.format($0))" } ?? "until withdrawn")")
        }
        switch action {
        case "raise":
            guard let level = options.value("--level") else { throw UsageError("--level information|closure|evacuation is required") }
            guard ScreenAlert.Level(rawValue: level) != nil else { throw UsageError("--level must be information, closure or evacuation") }
            guard let title = options.value("--title") else { throw UsageError("--title TEXT is required") }
            var expires: Date?
            var minutes: Int?
            switch (options.value("--for"), options.value("--until")) {
            case (let duration?, nil):
                let seconds: TimeInterval
                do { seconds = try ConfigValue.duration(duration) } catch { throw UsageError("--for '\(duration)' is not a duration (30min, 2h)") }
                guard seconds >= 60, seconds <= 7 * 86_400 else { throw UsageError("--for must be from 1min to 7d") }
                // Counted on the kiosk's clock, not this machine's.
                minutes = Int((seconds / 60).rounded())
            case (nil, let instant?):
                guard let date = ISO8601.parse(instant) else { throw UsageError("--until '\(instant)' is not an RFC 3339 instant") }
                expires = date
            case (nil, nil):
                expires = nil
            default:
                throw UsageError("give --for or --until, not both")
            }
            let request = AlertRequest(
                level: level, title: title, text: options.value("--text"), titleEnglish: options.value("--title-en"),
                textEnglish: options.value("--text-en"), expires: expires, minutes: minutes)
            let response = try await client.send("POST", "/api/v1/alert", body: try APIContract.encoder().encode(request), contentType: "application/json")
                .checked("alert raise")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("raised on screen:")
            show(try response.decode(AlertBody.self, "alert raise"))
        case "show":
            let response = try await client.send("GET", "/api/v1/alert")
            if response.status == 404 { out.out("no alert on screen"); return .failure }
            _ = try response.checked("alert show")
            if fmt == "json" { out.out(response.text); return .ok }
            show(try response.decode(AlertBody.self, "alert show"))
        case "withdraw":
            let response = try await client.send("DELETE", "/api/v1/alert")
            if response.status == 404 { out.out("no alert on screen"); return .failure }
            _ = try response.checked("alert withdraw")
            out.out("alert withdrawn: the screen is back to the lobby")
        default:
            throw UsageError("unknown action '\(action)' (raise, show or withdraw)")
        }
        return .ok
    }
}
