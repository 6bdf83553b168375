/// A fixed phrase of the staff pages, in French and in English.
struct StaffPhrase: Sendable {
    let fr: String
    let en: String

    init(_ fr: String, _ en: String) {
        self.fr = fr
        self.en = en
    }
}

/// Every fixed phrase of the staff pages, one line each, French first, by section:
/// `StaffPageStrings` reads them by name (`strings.signIn`) in the venue's language.
/// Phrases that take values (a count, a name, a date) are functions of
/// `StaffPageStrings` in `StaffPageStrings+*.swift`.
struct StaffPhrases: Sendable {
    static let all = StaffPhrases()

    // MARK: Signing in and every page

    let staffArea = StaffPhrase("Espace équipe", "Staff area")
    let signInTitle = StaffPhrase("Connexion", "Sign in")
    let signInHelp = StaffPhrase(
        "Collez le jeton d'accès que l'équipe technique vous a remis (il commence par kiosk_).",
        "Paste the access token the maintainers gave you (it starts with kiosk_).")
    let tokenLabel = StaffPhrase("Jeton d'accès", "Access token")
    let signIn = StaffPhrase("Se connecter", "Sign in")
    let signOut = StaffPhrase("Se déconnecter", "Sign out")
    let signOutEverywhere = StaffPhrase("Se déconnecter sur tous les appareils", "Sign out on every device")
    let wrongToken = StaffPhrase("Jeton inconnu : vérifiez qu'il est complet.", "Unknown token: check that it is complete.")
    let emptyToken = StaffPhrase("Saisissez votre jeton.", "Enter your token.")
    let sessionExpired = StaffPhrase("Votre session a expiré : reconnectez-vous.", "Your session has expired: sign in again.")
    let sessionRevoked = StaffPhrase(
        "Votre session est terminée : le jeton a été retiré ou changé. Demandez un nouveau jeton à l'équipe technique.",
        "Your session has ended: the token was removed or changed. Ask the maintainers for a new one.")
    let signedIn = StaffPhrase("Vous êtes connecté.", "You are signed in.")
    let navHome = StaffPhrase("Accueil", "Home")
    let navProgramme = StaffPhrase("Programme", "Programme")
    let navNotices = StaffPhrase("Annonces", "Notices")
    let navScreen = StaffPhrase("Écran", "Screen")
    let navPresence = StaffPhrase("Présents", "Present")
    let navAttendance = StaffPhrase("Fréquentation", "Attendance")
    let backHome = StaffPhrase("Retour à l'accueil", "Back to the staff area")
    let cancel = StaffPhrase("Annuler", "Cancel")
    let confirm = StaffPhrase("Confirmer", "Confirm")
    let forbiddenForm = StaffPhrase(
        "Formulaire refusé (page trop ancienne ou envoyée d'ailleurs). Rechargez la page et recommencez.",
        "Form refused (page too old or sent from elsewhere). Reload the page and try again.")
    let notFound = StaffPhrase("Page introuvable.", "Page not found.")
    let maintainerOnly = StaffPhrase("Cette page est réservée à l'équipe technique (jeton « maintainer »).", "This page needs a maintainer token.")
    let unsupportedForm = StaffPhrase("Type de formulaire non pris en charge.", "Unsupported form type.")
    let fileNotRead = StaffPhrase("Le formulaire envoyé est illisible.", "The form sent could not be read.")
    let internalError = StaffPhrase(
        "Erreur interne : l'opération n'a pas abouti. Consultez le journal du kiosque.",
        "Internal error: the operation did not complete. See the kiosk's journal.")
    let refusedByServer = StaffPhrase("Refusé par le kiosque", "Refused by the kiosk")

    // MARK: Notices

    let noticesTitle = StaffPhrase("Annonces", "Notices")
    let postTitle = StaffPhrase("Publier une annonce", "Post a notice")
    let editTitle = StaffPhrase("Modifier l'annonce", "Edit the notice")
    let liveTitle = StaffPhrase("Annonces affichées", "Notices on screen")
    let kindLabel = StaffPhrase("Type", "Kind")
    let titleLabel = StaffPhrase("Titre", "Title")
    let bodyLabel = StaffPhrase("Texte", "Text")
    let authorLabel = StaffPhrase("Auteur (structure, accueil…)", "Author (resident, reception…)")
    let termsLabel = StaffPhrase("Conditions (offres et recherches)", "Terms (offers and requests)")
    let noTerms = StaffPhrase("— aucune —", "— none —")
    let deadlineLabel = StaffPhrase("Date limite (appels à projets)", "Deadline (calls for projects)")
    let eventDateLabel = StaffPhrase("Date de l'événement (rendez-vous pro)", "Event date (professional events)")
    let expiryLabel = StaffPhrase("Affichée pendant (jours, aujourd'hui compris)", "Shown for (days, today included)")
    let urgentLabel = StaffPhrase("Urgent (affichée en premier, en couleur)", "Urgent (shown first, highlighted)")
    let publish = StaffPhrase("Publier", "Post")
    let saveChanges = StaffPhrase("Enregistrer les modifications", "Save the changes")
    let edit = StaffPhrase("Modifier", "Edit")
    let formHasErrors = StaffPhrase(
        "L'annonce n'est pas publiée : corrigez les champs signalés.",
        "The notice was not posted: correct the fields marked.")
    let undoWithdraw = StaffPhrase("Annuler le retrait (1 minute)", "Undo (1 minute)")
    let undoTooLate = StaffPhrase("Trop tard pour annuler : publiez l'annonce à nouveau.", "Too late to undo: post the notice again.")
    let noticeAlreadyGone = StaffPhrase("Cette annonce n'existe plus.", "That notice no longer exists.")
    let withdrawNoticeHelp = StaffPhrase("Vous pourrez annuler pendant une minute.", "You can undo it for a minute.")
    let titleRequired = StaffPhrase("Le titre est obligatoire.", "A title is required.")
    let unknownKind = StaffPhrase("Choisissez un type dans la liste.", "Choose a kind from the list.")
    let unknownTerms = StaffPhrase("Choisissez des conditions dans la liste.", "Choose terms from the list.")
    let termsOnlyForAds = StaffPhrase("Les conditions ne concernent que les offres et les recherches.", "Terms apply to offers and requests only.")
    let deadlineRequired = StaffPhrase("Un appel à projets a besoin d'une date limite.", "A call for projects needs a deadline.")
    let deadlinePast = StaffPhrase("La date limite est déjà passée.", "The deadline has already passed.")
    let eventDateRequired = StaffPhrase("Un rendez-vous pro a besoin d'une date.", "A professional event needs a date.")
    let badDate = StaffPhrase("Date invalide (format AAAA-MM-JJ).", "Invalid date (format YYYY-MM-DD).")
    let badExpiry = StaffPhrase("Nombre de jours entre 1 et 365.", "A number of days between 1 and 365.")
    let withdraw = StaffPhrase("Retirer", "Withdraw")
    let urgentTag = StaffPhrase("Urgent", "Urgent")

    // MARK: Programme

    let programmeTitle = StaffPhrase("Programme", "Programme")
    let uploadTitle = StaffPhrase("Envoyer un programme", "Upload a programme")
    let programmeHelp = StaffPhrase(
        "Un fichier iCalendar (.ics), OpenAgenda (JSON) ou JSON natif. Il remplace le programme envoyé avant sous le même nom, en entier ou pas du tout.",
        "An iCalendar (.ics), OpenAgenda (JSON) or native JSON file. It replaces the programme sent before under the same name, entirely or not at all.")
    let fileLabel = StaffPhrase("Fichier du programme", "Programme file")
    let sourceLabel = StaffPhrase("Nom du programme (facultatif)", "Programme name (optional)")
    let sourceHelp = StaffPhrase(
        "Sinon, le nom du fichier : « Soirée jeux.ics » devient soiree-jeux.",
        "Otherwise the file's name: “Game night.ics” becomes game-night.")
    let checkOnlyLabel = StaffPhrase("Vérifier seulement (ne rien changer)", "Check only (change nothing)")
    let send = StaffPhrase("Envoyer", "Upload")
    let noFile = StaffPhrase("Choisissez un fichier.", "Choose a file.")
    let badSourceName = StaffPhrase("De 1 à 40 caractères parmi a-z, 0-9, - et _.", "1 to 40 characters among a-z, 0-9, - and _.")
    let reportCheckedWithErrors = StaffPhrase(
        "Vérification seule, rien n'a changé. Envoyé, le fichier serait publié sans les événements en erreur.",
        "Check only, nothing changed. Sent, the file would be published without the events in error.")
    let reportCheckedOK = StaffPhrase("Vérification seule : le fichier est bon, rien n'a changé.", "Check only: the file is fine, nothing changed.")
    let reportRejected = StaffPhrase(
        "Rien n'a changé. Corrigez le fichier puis renvoyez-le.",
        "Nothing changed. Correct the file, then send it again.")
    let reportErrors = StaffPhrase("Erreurs à corriger", "Errors to correct")
    let reportWarnings = StaffPhrase("Avertissements", "Warnings")
    let downloadKept = StaffPhrase("Récupérer le fichier envoyé", "Download the file sent")
    let resendKept = StaffPhrase("Renvoyer le même fichier", "Send the same file again")
    let noKeptFile = StaffPhrase("Aucun fichier gardé : choisissez-le à nouveau.", "No file kept: choose it again.")
    let pushedTitle = StaffPhrase("Programmes envoyés", "Programmes sent")
    let feedsTitle = StaffPhrase("Flux du lieu (automatiques)", "The venue's feeds (automatic)")
    let noPushes = StaffPhrase("Aucun programme envoyé pour l'instant.", "No programme sent yet.")
    let feedFailing = StaffPhrase("en échec", "failing")
    let replace = StaffPhrase("Oui, remplacer", "Yes, replace it")
    let withdrawProgramme = StaffPhrase("Retirer ce programme", "Withdraw this programme")
    let programmeGone = StaffPhrase("Ce programme n'existe plus.", "That programme no longer exists.")

    // MARK: Alert

    let alertTitle = StaffPhrase("Alerte sur l'écran", "Screen alert")
    let alertHelp = StaffPhrase(
        "S'affiche en plein écran, par-dessus tout, sur tous les écrans, jusqu'à son retrait ou sa fin.",
        "Shown full screen over everything on every display, until withdrawn or over.")
    let alertUntilWithdrawn = StaffPhrase("jusqu'à son retrait", "until withdrawn")
    let withdrawAlert = StaffPhrase("Retirer l'alerte", "Withdraw the alert")
    let confirmWithdrawAlert = StaffPhrase("Retirer l'alerte de tous les écrans\u{00A0}?", "Take the alert off every screen?")
    let alertTitleLabel = StaffPhrase("Titre (en français)", "Title (in French)")
    let alertTextLabel = StaffPhrase("Texte court (en français)", "Short text (in French)")
    let alertEnglishTitleLabel = StaffPhrase("Titre en anglais (facultatif)", "Title in English (optional)")
    let alertEnglishTextLabel = StaffPhrase("Texte en anglais (facultatif)", "Text in English (optional)")
    let durationLabel = StaffPhrase("Durée", "How long")
    let showAlert = StaffPhrase("Afficher l'alerte", "Show the alert")
    let confirmShowAlert = StaffPhrase("Afficher cette alerte sur tous les écrans maintenant\u{00A0}?", "Show this alert on every screen now?")
    let yesShowAlert = StaffPhrase("Oui, afficher l'alerte", "Yes, show the alert")
    let alertWithdrawn = StaffPhrase("Alerte retirée : l'écran reprend son affichage.", "Alert withdrawn: the screen is back to normal.")
    let noAlertOnScreen = StaffPhrase("Aucune alerte n'est à l'écran.", "No alert is on screen.")
    let alertFormHasErrors = StaffPhrase(
        "L'alerte n'est pas affichée : corrigez les champs signalés.",
        "The alert was not shown: correct the fields marked.")
    let noAssemblyPoint = StaffPhrase(
        "Aucun point de rassemblement n'est configuré ([venue] assembly-point).",
        "No assembly point is configured ([venue] assembly-point).")

    // MARK: Screen

    let screenTitle = StaffPhrase("Ce que montre l'écran", "What the screen shows")
    let screenImageAlt = StaffPhrase("Image de l'écran du hall", "Picture of the lobby screen")
    let screenHelp = StaffPhrase(
        "L'écran du hall en ce moment (rechargez la page pour le mettre à jour).",
        "The lobby screen right now (reload the page to update it).")
    let screenText = StaffPhrase("L'écran en texte", "The screen as text")
    let neverUpdated = StaffPhrase("Aucun programme chargé pour l'instant.", "No programme loaded yet.")
    let noPicture = StaffPhrase("Pas d'image : les polices du kiosque sont introuvables.", "No picture: the kiosk's fonts were not found.")

    // MARK: Presence

    let presenceTitle = StaffPhrase("Présents dans le bâtiment", "In the building")
    let presenceHelp = StaffPhrase(
        "Liste d'évacuation : les badges entrés et pas encore sortis. Pour l'imprimer : menu du navigateur, Imprimer.",
        "Evacuation list: badges in and not out yet. To print it: the browser's menu, Print.")
    let nobodyIn = StaffPhrase("Personne n'est enregistré dans le bâtiment.", "Nobody is checked in.")

    // MARK: Attendance

    let attendanceTitle = StaffPhrase("Fréquentation", "Attendance")
    let fromLabel = StaffPhrase("Du", "From")
    let toLabel = StaffPhrase("Au", "To")
    let stepLabel = StaffPhrase("Par", "Per")
    let perDay = StaffPhrase("jour", "day")
    let perWeek = StaffPhrase("semaine", "week")
    let splitLabel = StaffPhrase("Détail", "Breakdown")
    let splitTotal = StaffPhrase("total", "total")
    let splitRole = StaffPhrase("par type de public", "by role")
    let splitEvent = StaffPhrase("par événement", "per event")
    let show = StaffPhrase("Afficher", "Show")
    let downloadCSV = StaffPhrase("Télécharger le tableau (CSV)", "Download the table (CSV)")
    let downloadSVG = StaffPhrase("Télécharger le graphique (SVG)", "Download the chart (SVG)")
    let noAttendance = StaffPhrase("Aucune entrée enregistrée sur cette période.", "No entry recorded in this period.")
    let badPeriod = StaffPhrase(
        "Période invalide : dates AAAA-MM-JJ, la première avant la seconde, un an au plus.",
        "Invalid period: YYYY-MM-DD dates, the first before the second, at most a year.")
    let total = StaffPhrase("Total", "Total")
    let peopleColumn = StaffPhrase("Personnes", "People")

    // MARK: Posters

    let navPosters = StaffPhrase("Affiches", "Posters")
    let postersTitle = StaffPhrase("Affiches à l'écran", "Posters on screen")
    let posterUploadTitle = StaffPhrase("Mettre une affiche à l'écran", "Put a poster on screen")
    let posterHelp = StaffPhrase(
        "Une image PNG ou JPEG (une photo prise avec le téléphone convient), montrée en plein écran dans la rotation pendant sa période.",
        "A PNG or JPEG picture (a photo taken with the phone will do), shown full screen in the rotation during its period.")
    let pictureLabel = StaffPhrase("Image (PNG ou JPEG)", "Picture (PNG or JPEG)")
    let firstDayLabel = StaffPhrase("Premier jour", "First day")
    let lastDayLabel = StaffPhrase("Dernier jour", "Last day")
    let daysLegend = StaffPhrase(
        "Jours de la semaine (facultatif : tous les jours si aucun n'est coché)",
        "Days of the week (optional: every day if none is ticked)")
    let hoursLegend = StaffPhrase("Heures de la journée (facultatif : toute la journée)", "Hours of the day (optional: the whole day)")
    let opensLabel = StaffPhrase("À partir de", "From")
    let closesLabel = StaffPhrase("Jusqu'à", "Until")
    let putOnScreen = StaffPhrase("Mettre à l'écran", "Put on screen")
    let postersNow = StaffPhrase("À l'écran en ce moment", "On screen now")
    let postersScheduled = StaffPhrase("Prévues", "Scheduled")
    let postersEnded = StaffPhrase("Terminées récemment", "Recently ended")
    let noPosterNow = StaffPhrase("Aucune affiche à l'écran en ce moment.", "No poster on screen right now.")
    let noPosterScheduled = StaffPhrase("Aucune affiche prévue.", "No poster scheduled.")
    let posterFormHasErrors = StaffPhrase(
        "L'affiche n'est pas publiée : corrigez les champs signalés.",
        "The poster was not published: correct the fields marked.")
    let choosePicture = StaffPhrase("Choisissez une image PNG ou JPEG.", "Choose a PNG or JPEG picture.")
    let periodOver = StaffPhrase("Ce dernier jour est déjà passé.", "That last day is already over.")
    let hoursIncomplete = StaffPhrase(
        "Indiquez l'heure de début et l'heure de fin, ou aucune des deux.",
        "Give both the start and the end time, or neither.")
    let hoursOrder = StaffPhrase("L'heure de fin doit venir après l'heure de début.", "The end time must come after the start time.")
    let badTime = StaffPhrase("Heure invalide (format HH:MM).", "Invalid time (format HH:MM).")
    let badWeekday = StaffPhrase("Choisissez les jours dans la liste.", "Choose the days from the list.")
    let posterUndoTooLate = StaffPhrase("Trop tard pour annuler : envoyez l'affiche à nouveau.", "Too late to undo: send the poster again.")
    let posterAlreadyGone = StaffPhrase("Cette affiche n'existe plus.", "That poster no longer exists.")
}
