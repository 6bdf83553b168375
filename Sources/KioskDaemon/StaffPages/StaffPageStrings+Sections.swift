import KioskCore

/// The words of the notices, programme, alert, screen, presence and attendance pages.
extension StaffPageStrings {
    // MARK: Notices

    var noticesTitle: String { pick("Annonces", "Notices") }
    var postTitle: String { pick("Publier une annonce", "Post a notice") }
    var editTitle: String { pick("Modifier l'annonce", "Edit the notice") }
    var liveTitle: String { pick("Annonces affichées", "Notices on screen") }
    var kindLabel: String { pick("Type", "Kind") }
    var titleLabel: String { pick("Titre", "Title") }
    var bodyLabel: String { pick("Texte", "Text") }
    var authorLabel: String { pick("Auteur (structure, accueil…)", "Author (resident, reception…)") }
    var termsLabel: String { pick("Conditions (offres et recherches)", "Terms (offers and requests)") }
    var noTerms: String { pick("— aucune —", "— none —") }
    var deadlineLabel: String { pick("Date limite (appels à projets)", "Deadline (calls for projects)") }
    var eventDateLabel: String { pick("Date de l'événement (rendez-vous pro)", "Event date (professional events)") }
    var expiryLabel: String { pick("Affichée pendant (jours, aujourd'hui compris)", "Shown for (days, today included)") }
    var urgentLabel: String { pick("Urgent (affichée en premier, en couleur)", "Urgent (shown first, highlighted)") }
    var publish: String { pick("Publier", "Post") }
    var saveChanges: String { pick("Enregistrer les modifications", "Save the changes") }
    var edit: String { pick("Modifier", "Edit") }
    var formHasErrors: String { pick("L'annonce n'est pas publiée : corrigez les champs signalés.", "The notice was not posted: correct the fields marked.") }
    func noticePosted(_ title: String) -> String { pick("Annonce publiée : « \(title) ».", "Notice posted: “\(title)”.") }
    func noticeUpdated(_ title: String) -> String { pick("Annonce modifiée : « \(title) ».", "Notice updated: “\(title)”.") }
    func noticeWithdrawn(_ title: String) -> String { pick("Annonce retirée : « \(title) ».", "Notice withdrawn: “\(title)”.") }
    func noticeRestored(_ title: String) -> String { pick("Annonce remise à l'écran : « \(title) ».", "Notice back on screen: “\(title)”.") }
    var undoWithdraw: String { pick("Annuler le retrait (1 minute)", "Undo (1 minute)") }
    var undoTooLate: String { pick("Trop tard pour annuler : publiez l'annonce à nouveau.", "Too late to undo: post the notice again.") }
    var noticeAlreadyGone: String { pick("Cette annonce n'existe plus.", "That notice no longer exists.") }
    func confirmWithdrawNotice(_ title: String) -> String { pick("Retirer l'annonce « \(title) » de l'écran\u{00A0}?", "Take “\(title)” off the screen?") }
    var withdrawNoticeHelp: String { pick("Vous pourrez annuler pendant une minute.", "You can undo it for a minute.") }
    var titleRequired: String { pick("Le titre est obligatoire.", "A title is required.") }
    func titleTooLong(_ max: Int) -> String { pick("Le titre dépasse \(max) caractères.", "The title is longer than \(max) characters.") }
    func textTooLong(_ max: Int) -> String { pick("Texte trop long (\(max) caractères au plus).", "Text too long (at most \(max) characters).") }
    var unknownKind: String { pick("Choisissez un type dans la liste.", "Choose a kind from the list.") }
    var unknownTerms: String { pick("Choisissez des conditions dans la liste.", "Choose terms from the list.") }
    var termsOnlyForAds: String { pick("Les conditions ne concernent que les offres et les recherches.", "Terms apply to offers and requests only.") }
    var deadlineRequired: String { pick("Un appel à projets a besoin d'une date limite.", "A call for projects needs a deadline.") }
    var deadlinePast: String { pick("La date limite est déjà passée.", "The deadline has already passed.") }
    var eventDateRequired: String { pick("Un rendez-vous pro a besoin d'une date.", "A professional event needs a date.") }
    var badDate: String { pick("Date invalide (format AAAA-MM-JJ).", "Invalid date (format YYYY-MM-DD).") }
    var badExpiry: String { pick("Nombre de jours entre 1 et 365.", "A number of days between 1 and 365.") }
    var liveEmpty: String { lobby.noNotices }
    var withdraw: String { pick("Retirer", "Withdraw") }
    func until(_ date: String) -> String { pick("jusqu'au \(date)", "until \(date)") }
    var urgentTag: String { pick("Urgent", "Urgent") }

    // MARK: Programme

    var programmeTitle: String { pick("Programme", "Programme") }
    var uploadTitle: String { pick("Envoyer un programme", "Upload a programme") }
    var programmeHelp: String {
        pick(
            "Un fichier iCalendar (.ics), OpenAgenda (JSON) ou JSON natif. Il remplace le programme envoyé avant sous le même nom, en entier ou pas du tout.",
            "An iCalendar (.ics), OpenAgenda (JSON) or native JSON file. It replaces the programme sent before under the same name, entirely or not at all.")
    }
    var fileLabel: String { pick("Fichier du programme", "Programme file") }
    var sourceLabel: String { pick("Nom du programme (facultatif)", "Programme name (optional)") }
    var sourceHelp: String {
        pick("Sinon, le nom du fichier : « Soirée jeux.ics » devient soiree-jeux.", "Otherwise the file's name: “Game night.ics” becomes game-night.")
    }
    var checkOnlyLabel: String { pick("Vérifier seulement (ne rien changer)", "Check only (change nothing)") }
    var send: String { pick("Envoyer", "Upload") }
    var noFile: String { pick("Choisissez un fichier.", "Choose a file.") }
    var badSourceName: String { pick("De 1 à 40 caractères parmi a-z, 0-9, - et _.", "1 to 40 characters among a-z, 0-9, - and _.") }
    func eventsReady(_ n: Int) -> String { count(n, "événement prêt", "événements prêts", "event ready", "events ready") }
    func errorCount(_ n: Int) -> String { n == 0 ? pick("aucune erreur", "no errors") : count(n, "erreur", "erreurs", "error", "errors") }
    func warningCount(_ n: Int) -> String { count(n, "avertissement", "avertissements", "warning", "warnings") }
    func eventCount(_ n: Int) -> String { count(n, "événement", "événements", "event", "events") }
    func reportApplied(_ name: String) -> String { pick("Le programme « \(name) » est à l'écran.", "Programme “\(name)” is on screen.") }
    func reportAppliedWithout(_ name: String) -> String {
        pick("Le programme « \(name) » est à l'écran sans les événements en erreur\u{00A0}: corrigez-les puis renvoyez le fichier.",
             "Programme “\(name)” is on screen without the events in error: correct them, then send the file again.")
    }
    var reportCheckedWithErrors: String {
        pick("Vérification seule, rien n'a changé. Envoyé, le fichier serait publié sans les événements en erreur.",
             "Check only, nothing changed. Sent, the file would be published without the events in error.")
    }
    var reportCheckedOK: String { pick("Vérification seule : le fichier est bon, rien n'a changé.", "Check only: the file is fine, nothing changed.") }
    var reportRejected: String { pick("Rien n'a changé. Corrigez le fichier puis renvoyez-le.", "Nothing changed. Correct the file, then send it again.") }
    func fileSent(_ name: String) -> String { pick("Fichier : \(name)", "File: \(name)") }
    var reportErrors: String { pick("Erreurs à corriger", "Errors to correct") }
    var reportWarnings: String { pick("Avertissements", "Warnings") }
    func keptFile(_ name: String) -> String {
        pick("Le fichier « \(name) » est gardé : corrigez-le, puis choisissez-le à nouveau ci-dessous.", "“\(name)” is kept: correct it, then choose it again below.")
    }
    var downloadKept: String { pick("Récupérer le fichier envoyé", "Download the file sent") }
    var resendKept: String { pick("Renvoyer le même fichier", "Send the same file again") }
    var noKeptFile: String { pick("Aucun fichier gardé : choisissez-le à nouveau.", "No file kept: choose it again.") }
    var pushedTitle: String { pick("Programmes envoyés", "Programmes sent") }
    var feedsTitle: String { pick("Flux du lieu (automatiques)", "The venue's feeds (automatic)") }
    var noPushes: String { pick("Aucun programme envoyé pour l'instant.", "No programme sent yet.") }
    func pushedBy(_ who: String, _ when: String) -> String { pick("envoyé par \(who) \(when)", "sent by \(who) \(when)") }
    func updatedWhen(_ when: String) -> String { pick("mis à jour \(when)", "updated \(when)") }
    var feedFailing: String { pick("en échec", "failing") }
    func confirmReplace(_ name: String, _ who: String) -> String {
        pick("« \(name) » a été envoyé par \(who). Le remplacer par votre fichier\u{00A0}?", "“\(name)” was sent by \(who). Replace it with your file?")
    }
    var replace: String { pick("Oui, remplacer", "Yes, replace it") }
    func confirmWithdrawProgramme(_ name: String) -> String { pick("Retirer le programme « \(name) » de l'écran\u{00A0}?", "Take programme “\(name)” off the screen?") }
    func programmeWithdrawn(_ name: String) -> String { pick("Programme « \(name) » retiré.", "Programme “\(name)” withdrawn.") }
    var withdrawProgramme: String { pick("Retirer ce programme", "Withdraw this programme") }
    var programmeGone: String { pick("Ce programme n'existe plus.", "That programme no longer exists.") }

    // MARK: Alert

    var alertTitle: String { pick("Alerte sur l'écran", "Screen alert") }
    var alertHelp: String {
        pick(
            "S'affiche en plein écran, par-dessus tout, sur tous les écrans, jusqu'à son retrait ou sa fin.",
            "Shown full screen over everything on every display, until withdrawn or over.")
    }
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
    var alertUntilWithdrawn: String { pick("jusqu'à son retrait", "until withdrawn") }
    var withdrawAlert: String { pick("Retirer l'alerte", "Withdraw the alert") }
    var confirmWithdrawAlert: String { pick("Retirer l'alerte de tous les écrans\u{00A0}?", "Take the alert off every screen?") }
    var alertTitleLabel: String { pick("Titre (en français)", "Title (in French)") }
    var alertTextLabel: String { pick("Texte court (en français)", "Short text (in French)") }
    var alertEnglishTitleLabel: String { pick("Titre en anglais (facultatif)", "Title in English (optional)") }
    var alertEnglishTextLabel: String { pick("Texte en anglais (facultatif)", "Text in English (optional)") }
    var durationLabel: String { pick("Durée", "How long") }
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
    var showAlert: String { pick("Afficher l'alerte", "Show the alert") }
    var confirmShowAlert: String { pick("Afficher cette alerte sur tous les écrans maintenant\u{00A0}?", "Show this alert on every screen now?") }
    var yesShowAlert: String { pick("Oui, afficher l'alerte", "Yes, show the alert") }
    func alertRaised(_ title: String) -> String { pick("Alerte affichée : « \(title) ».", "Alert shown: “\(title)”.") }
    var alertWithdrawn: String { pick("Alerte retirée : l'écran reprend son affichage.", "Alert withdrawn: the screen is back to normal.") }
    var noAlertOnScreen: String { pick("Aucune alerte n'est à l'écran.", "No alert is on screen.") }
    var alertFormHasErrors: String { pick("L'alerte n'est pas affichée : corrigez les champs signalés.", "The alert was not shown: correct the fields marked.") }
    func assemblyPoint(_ place: String) -> String { pick("Point de rassemblement : \(place)", "Assembly point: \(place)") }
    var noAssemblyPoint: String {
        pick("Aucun point de rassemblement n'est configuré ([venue] assembly-point).", "No assembly point is configured ([venue] assembly-point).")
    }
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

    var screenTitle: String { pick("Ce que montre l'écran", "What the screen shows") }
    var screenImageAlt: String { pick("Image de l'écran du hall", "Picture of the lobby screen") }
    var screenHelp: String { pick("L'écran du hall en ce moment (rechargez la page pour le mettre à jour).", "The lobby screen right now (reload the page to update it).") }
    var screenText: String { pick("L'écran en texte", "The screen as text") }
    func lastUpdate(_ when: String, _ source: String) -> String { pick("Programme mis à jour \(when) (\(source))", "Programme updated \(when) (\(source))") }
    var neverUpdated: String { pick("Aucun programme chargé pour l'instant.", "No programme loaded yet.") }
    var noPicture: String { pick("Pas d'image : les polices du kiosque sont introuvables.", "No picture: the kiosk's fonts were not found.") }

    // MARK: Presence

    var presenceTitle: String { pick("Présents dans le bâtiment", "In the building") }
    func presentCount(_ n: Int, _ time: String) -> String {
        pick("\(n) personne\(n > 1 ? "s" : "") présente\(n > 1 ? "s" : "") à \(time)", "\(n) \(n == 1 ? "person" : "people") in at \(time)")
    }
    var presenceHelp: String {
        pick(
            "Liste d'évacuation : les badges entrés et pas encore sortis. Pour l'imprimer : menu du navigateur, Imprimer.",
            "Evacuation list: badges in and not out yet. To print it: the browser's menu, Print.")
    }
    var nobodyIn: String { pick("Personne n'est enregistré dans le bâtiment.", "Nobody is checked in.") }
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

    var attendanceTitle: String { pick("Fréquentation", "Attendance") }
    var fromLabel: String { pick("Du", "From") }
    var toLabel: String { pick("Au", "To") }
    var stepLabel: String { pick("Par", "Per") }
    var perDay: String { pick("jour", "day") }
    var perWeek: String { pick("semaine", "week") }
    var splitLabel: String { pick("Détail", "Breakdown") }
    var splitTotal: String { pick("total", "total") }
    var splitRole: String { pick("par type de public", "by role") }
    var splitEvent: String { pick("par événement", "per event") }
    var show: String { pick("Afficher", "Show") }
    var downloadCSV: String { pick("Télécharger le tableau (CSV)", "Download the table (CSV)") }
    var downloadSVG: String { pick("Télécharger le graphique (SVG)", "Download the chart (SVG)") }
    var noAttendance: String { pick("Aucune entrée enregistrée sur cette période.", "No entry recorded in this period.") }
    var badPeriod: String { pick("Période invalide : dates AAAA-MM-JJ, la première avant la seconde, un an au plus.", "Invalid period: YYYY-MM-DD dates, the first before the second, at most a year.") }
    var total: String { pick("Total", "Total") }
    var peopleColumn: String { pick("Personnes", "People") }
    func weekOf(_ day: String) -> String { pick("semaine du \(day)", "week of \(day)") }
}
