import KioskCore

/// The words of the notices, programme, alert, screen, presence and attendance pages.
extension StaffPageStrings {
    // MARK: Notices

    func noticePosted(_ title: String) -> String { pick("Annonce publiée : « \(title) ».", "Notice posted: “\(title)”.") }
    func noticeUpdated(_ title: String) -> String { pick("Annonce modifiée : « \(title) ».", "Notice updated: “\(title)”.") }
    func noticeWithdrawn(_ title: String) -> String { pick("Annonce retirée : « \(title) ».", "Notice withdrawn: “\(title)”.") }
    func noticeRestored(_ title: String) -> String { pick("Annonce remise à l'écran : « \(title) ».", "Notice back on screen: “\(title)”.") }
    func confirmWithdrawNotice(_ title: String) -> String { pick("Retirer l'annonce « \(title) » de l'écran\u{00A0}?", "Take “\(title)” off the screen?") }
    func titleTooLong(_ max: Int) -> String { pick("Le titre dépasse \(max) caractères.", "The title is longer than \(max) characters.") }
    func textTooLong(_ max: Int) -> String { pick("Texte trop long (\(max) caractères au plus).", "Text too long (at most \(max) characters).") }
    var liveEmpty: String { lobby.noNotices }
    func until(_ date: String) -> String { pick("jusqu'au \(date)", "until \(date)") }

    // MARK: Programme

    func eventsReady(_ n: Int) -> String { count(n, "événement prêt", "événements prêts", "event ready", "events ready") }
    func errorCount(_ n: Int) -> String { n == 0 ? pick("aucune erreur", "no errors") : count(n, "erreur", "erreurs", "error", "errors") }
    func warningCount(_ n: Int) -> String { count(n, "avertissement", "avertissements", "warning", "warnings") }
    func eventCount(_ n: Int) -> String { count(n, "événement", "événements", "event", "events") }
    func reportApplied(_ name: String) -> String { pick("Le programme « \(name) » est à l'écran.", "Programme “\(name)” is on screen.") }
    func reportAppliedWithout(_ name: String) -> String {
        pick("Le programme « \(name) » est à l'écran sans les événements en erreur\u{00A0}: corrigez-les puis renvoyez le fichier.",
             "Programme “\(name)” is on screen without the events in error: correct them, then send the file again.")
    }
    func fileSent(_ name: String) -> String { pick("Fichier : \(name)", "File: \(name)") }
    func keptFile(_ name: String) -> String {
        pick("Le fichier « \(name) » est gardé : corrigez-le, puis choisissez-le à nouveau ci-dessous.", "“\(name)” is kept: correct it, then choose it again below.")
    }
    func pushedBy(_ who: String, _ when: String) -> String { pick("envoyé par \(who) \(when)", "sent by \(who) \(when)") }
    func updatedWhen(_ when: String) -> String { pick("mis à jour \(when)", "updated \(when)") }
    func confirmReplace(_ name: String, _ who: String) -> String {
        pick("« \(name) » a été envoyé par \(who). Le remplacer par votre fichier\u{00A0}?", "“\(name)” was sent by \(who). Replace it with your file?")
    }
    func confirmWithdrawProgramme(_ name: String) -> String { pick("Retirer le programme « \(name) » de l'écran\u{00A0}?", "Take programme “\(name)” off the screen?") }
    func programmeWithdrawn(_ name: String) -> String { pick("Programme « \(name) » retiré.", "Programme “\(name)” withdrawn.") }

    // MARK: Alert

    func level(_ level: ScreenAlert.Level) -> String {
        switch level {
        case .information: pick("Information", "Information")
        case .closure: pick("Fermeture", "Closure")
        case .evacuation: pick("Évacuation", "Evacuation")
        }
    }
    func alertOnScreen(_ level: String) -> String { pick("Alerte à l'écran · \(level)", "Alert on screen · \(level)") }
    func raisedBy(_ who: String, _ when: String) -> String { pick("affichée par \(who) \(when)", "raised by \(who) \(when)") }
    func alertUntil(_ time: String) -> String { pick("jusqu'à \(time)", "until \(time)") }
    func durationChoice(_ value: String) -> String {
        switch value {
        case "30": pick("30 minutes", "30 minutes")
        case "60": pick("1 heure", "1 hour")
        case "120": pick("2 heures", "2 hours")
        case "240": pick("4 heures", "4 hours")
        case "today": pick("Jusqu'à ce soir minuit", "Until midnight tonight")
        default: pick("Jusqu'à son retrait", "Until withdrawn")
        }
    }
    func alertRaised(_ title: String) -> String { pick("Alerte affichée : « \(title) ».", "Alert shown: “\(title)”.") }
    func assemblyPoint(_ place: String) -> String { pick("Point de rassemblement : \(place)", "Assembly point: \(place)") }
    func defaultAlertTitle(_ level: ScreenAlert.Level) -> (fr: String, en: String) {
        switch level {
        case .information: ("", "")
        case .closure: ("Fermeture exceptionnelle", "Exceptional closure")
        case .evacuation: ("Évacuation du bâtiment", "Evacuate the building")
        }
    }
    func defaultAlertText(_ level: ScreenAlert.Level) -> (fr: String, en: String) {
        switch level {
        case .information: ("", "")
        case .closure: ("Le lieu ferme exceptionnellement. Merci de votre compréhension.", "The venue is exceptionally closed. Thank you for your understanding.")
        case .evacuation: ("Sortez calmement par la sortie la plus proche. N'utilisez pas l'ascenseur.", "Leave calmly by the nearest exit. Do not use the lift.")
        }
    }

    // MARK: Screen

    func lastUpdate(_ when: String, _ source: String) -> String { pick("Programme mis à jour \(when) (\(source))", "Programme updated \(when) (\(source))") }

    // MARK: Presence

    func presentCount(_ n: Int, _ time: String) -> String {
        pick("\(n) personne\(n > 1 ? "s" : "") présente\(n > 1 ? "s" : "") à \(time)", "\(n) \(n == 1 ? "person" : "people") in at \(time)")
    }
    func since(_ time: String) -> String { pick("depuis \(time)", "since \(time)") }
    func role(_ role: String) -> String {
        switch role {
        case "resident": pick("résident", "resident")
        case "member": pick("membre", "member")
        case "staff": pick("équipe", "staff")
        case "volunteer": pick("bénévole", "volunteer")
        case "visitor": pick("visiteur", "visitor")
        default: role
        }
    }

    // MARK: Attendance

    func weekOf(_ day: String) -> String { pick("semaine du \(day)", "week of \(day)") }
}
