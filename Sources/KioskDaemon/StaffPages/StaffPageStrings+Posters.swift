import KioskCore

/// The words of the posters page.
extension StaffPageStrings {
    var navPosters: String { pick("Affiches", "Posters") }
    var postersTitle: String { pick("Affiches à l'écran", "Posters on screen") }
    var posterUploadTitle: String { pick("Mettre une affiche à l'écran", "Put a poster on screen") }
    var posterHelp: String {
        pick(
            "Une image PNG ou JPEG (une photo prise avec le téléphone convient), montrée en plein écran dans la rotation pendant sa période.",
            "A PNG or JPEG picture (a photo taken with the phone will do), shown full screen in the rotation during its period.")
    }
    var pictureLabel: String { pick("Image (PNG ou JPEG)", "Picture (PNG or JPEG)") }
    var firstDayLabel: String { pick("Premier jour", "First day") }
    var lastDayLabel: String { pick("Dernier jour", "Last day") }
    var daysLegend: String { pick("Jours de la semaine (facultatif : tous les jours si aucun n'est coché)", "Days of the week (optional: every day if none is ticked)") }
    var hoursLegend: String { pick("Heures de la journée (facultatif : toute la journée)", "Hours of the day (optional: the whole day)") }
    var opensLabel: String { pick("À partir de", "From") }
    var closesLabel: String { pick("Jusqu'à", "Until") }
    var putOnScreen: String { pick("Mettre à l'écran", "Put on screen") }
    var postersNow: String { pick("À l'écran en ce moment", "On screen now") }
    var postersScheduled: String { pick("Prévues", "Scheduled") }
    var postersEnded: String { pick("Terminées récemment", "Recently ended") }
    var noPosterNow: String { pick("Aucune affiche à l'écran en ce moment.", "No poster on screen right now.") }
    var noPosterScheduled: String { pick("Aucune affiche prévue.", "No poster scheduled.") }
    var posterFormHasErrors: String { pick("L'affiche n'est pas publiée : corrigez les champs signalés.", "The poster was not published: correct the fields marked.") }
    var choosePicture: String { pick("Choisissez une image PNG ou JPEG.", "Choose a PNG or JPEG picture.") }
    func notAPicture(_ fileName: String) -> String {
        pick(
            "« \(fileName) » n'est pas une image PNG ou JPEG : choisissez une photo, ou enregistrez l'affiche en PNG ou JPEG.",
            "“\(fileName)” is not a PNG or JPEG picture: choose a photo, or save the poster as PNG or JPEG.")
    }
    func periodEndsBeforeStart(_ last: String, _ first: String) -> String {
        pick("Le dernier jour (\(last)) est avant le premier (\(first)).", "The last day (\(last)) is before the first (\(first)).")
    }
    func periodTooLong(_ days: Int) -> String { pick("Une affiche reste à l'écran \(days) jours au plus.", "A poster stays on screen at most \(days) days.") }
    var periodOver: String { pick("Ce dernier jour est déjà passé.", "That last day is already over.") }
    var hoursIncomplete: String { pick("Indiquez l'heure de début et l'heure de fin, ou aucune des deux.", "Give both the start and the end time, or neither.") }
    var hoursOrder: String { pick("L'heure de fin doit venir après l'heure de début.", "The end time must come after the start time.") }
    var badTime: String { pick("Heure invalide (format HH:MM).", "Invalid time (format HH:MM).") }
    var badWeekday: String { pick("Choisissez les jours dans la liste.", "Choose the days from the list.") }
    func posterPosted(_ title: String) -> String { pick("Affiche mise à l'écran : « \(title) ».", "Poster put on screen: “\(title)”.") }
    func posterWithdrawn(_ title: String) -> String { pick("Affiche retirée : « \(title) ».", "Poster withdrawn: “\(title)”.") }
    func posterRestored(_ title: String) -> String { pick("Affiche remise à l'écran : « \(title) ».", "Poster back on screen: “\(title)”.") }
    var posterUndoTooLate: String { pick("Trop tard pour annuler : envoyez l'affiche à nouveau.", "Too late to undo: send the poster again.") }
    var posterAlreadyGone: String { pick("Cette affiche n'existe plus.", "That poster no longer exists.") }
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
