import KioskCore

/// The words of the posters page.
extension StaffPageStrings {
    func notAPicture(_ fileName: String) -> String {
        pick(
            "« \(fileName) » n'est pas une image PNG ou JPEG : choisissez une photo, ou enregistrez l'affiche en PNG ou JPEG.",
            "“\(fileName)” is not a PNG or JPEG picture: choose a photo, or save the poster as PNG or JPEG.")
    }
    func periodEndsBeforeStart(_ last: String, _ first: String) -> String {
        pick("Le dernier jour (\(last)) est avant le premier (\(first)).", "The last day (\(last)) is before the first (\(first)).")
    }
    func periodTooLong(_ days: Int) -> String { pick("Une affiche reste à l'écran \(days) jours au plus.", "A poster stays on screen at most \(days) days.") }
    func posterPosted(_ title: String) -> String { pick("Affiche mise à l'écran : « \(title) ».", "Poster put on screen: “\(title)”.") }
    func posterWithdrawn(_ title: String) -> String { pick("Affiche retirée : « \(title) ».", "Poster withdrawn: “\(title)”.") }
    func posterRestored(_ title: String) -> String { pick("Affiche remise à l'écran : « \(title) ».", "Poster back on screen: “\(title)”.") }
    func confirmWithdrawPoster(_ title: String) -> String { pick("Retirer l'affiche « \(title) » de l'écran\u{00A0}?", "Take poster “\(title)” off the screen?") }
    func posterAlt(_ title: String) -> String { pick("Affiche « \(title) »", "Poster “\(title)”") }
    /// "du 24 nov. au 30 nov." / "24 Nov to 30 Nov"; one day: "le 24 nov." / "24 Nov".
    func period(_ from: CivilDate, _ to: CivilDate) -> String {
        let first = lobby.shortDate(from), last = lobby.shortDate(to)
        if from == to { return pick("le \(first)", first) }
        return pick("du \(first) au \(last)", "\(first) to \(last)")
    }
    /// "lun., mer." / "Mon, Wed" for ISO weekdays.
    func weekdays(_ days: Set<Int>) -> String {
        days.sorted().map { shortWeekday($0) }.joined(separator: ", ")
    }
    /// "lun." / "Mon" for ISO weekday `day` (1 = Monday).
    func shortWeekday(_ day: Int) -> String {
        let fr = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."], en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return (language == .fr ? fr : en)[max(1, min(7, day)) - 1]
    }
    func hours(_ opens: TimeOfDay, _ closes: TimeOfDay) -> String { pick("de \(opens) à \(closes)", "\(opens) to \(closes)") }
    func postedBy(_ when: String) -> String { pick("envoyée \(when)", "sent \(when)") }
}

extension StaffPageStrings {
    func pictureHelp(maxBody: Int, side: Int) -> String {
        let size = maxBody >= 1 << 20 ? "\(maxBody >> 20) Mo" : "\(maxBody >> 10) Ko"
        return pick("Au plus \(size), et \(side) pixels de côté.", "At most \(size), and \(side) pixels a side.")
    }
}
