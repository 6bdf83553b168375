import KioskCore

/// Every word of the staff pages, in French (the default) or English, following the
/// venue's `[venue] language`. Kinds and terms of notices reuse `LobbyStrings` so the page
/// names them as the screen does.
struct StaffPageStrings: Sendable {
    let language: Language
    let lobby: LobbyStrings

    init(_ language: Language) {
        self.language = language
        lobby = LobbyStrings(language)
    }

    private func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    var staffArea: String { pick("Espace équipe", "Staff area") }
    var signInTitle: String { pick("Connexion", "Sign in") }
    var signInHelp: String {
        pick(
            "Collez le jeton d'accès que l'équipe technique vous a remis (il commence par kiosk_).",
            "Paste the access token the maintainers gave you (it starts with kiosk_).")
    }
    var tokenLabel: String { pick("Jeton d'accès", "Access token") }
    var signIn: String { pick("Se connecter", "Sign in") }
    var signOut: String { pick("Se déconnecter", "Sign out") }
    var wrongToken: String { pick("Jeton inconnu : vérifiez qu'il est complet.", "Unknown token: check that it is complete.") }
    var emptyToken: String { pick("Saisissez votre jeton.", "Enter your token.") }
    var sessionExpired: String { pick("Votre session a expiré : reconnectez-vous.", "Your session has expired: sign in again.") }
    var signedIn: String { pick("Vous êtes connecté.", "You are signed in.") }
    func signedInAs(_ name: String) -> String { pick("Connecté en tant que \(name)", "Signed in as \(name)") }

    var navPost: String { pick("Publier une annonce", "Post a notice") }
    var navLive: String { pick("Annonces affichées", "Notices on screen") }
    var navProgramme: String { pick("Envoyer un programme", "Upload a programme") }
    var navScreen: String { pick("Voir l'écran", "See the screen") }
    var backToStaff: String { pick("Retour à l'espace équipe", "Back to the staff area") }

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
    var formHasErrors: String { pick("L'annonce n'est pas publiée : corrigez les champs signalés.", "The notice was not posted: correct the fields marked.") }
    func noticePosted(_ title: String) -> String { pick("Annonce publiée : « \(title) ».", "Notice posted: “\(title)”.") }
    func noticeWithdrawn(_ title: String) -> String { pick("Annonce retirée : « \(title) ».", "Notice withdrawn: “\(title)”.") }
    var noticeAlreadyGone: String { pick("Cette annonce n'existe plus.", "That notice no longer exists.") }

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

    var programmeHelp: String {
        pick(
            "Un fichier iCalendar (.ics), OpenAgenda (JSON) ou JSON natif. Il remplace le programme envoyé précédemment sous le même nom, en entier ou pas du tout.",
            "An iCalendar (.ics), OpenAgenda (JSON) or native JSON file. It replaces the programme sent before under the same name, entirely or not at all.")
    }
    var fileLabel: String { pick("Fichier du programme", "Programme file") }
    var sourceLabel: String { pick("Nom de la source (lettres minuscules, chiffres, - et _)", "Source name (lowercase letters, digits, - and _)") }
    var checkOnlyLabel: String { pick("Vérifier seulement (ne rien changer)", "Check only (change nothing)") }
    var send: String { pick("Envoyer", "Upload") }
    var noFile: String { pick("Choisissez un fichier.", "Choose a file.") }
    var badSourceName: String { pick("De 1 à 40 caractères parmi a-z, 0-9, - et _.", "1 to 40 characters among a-z, 0-9, - and _.") }
    var fileNotRead: String { pick("Le formulaire envoyé est illisible.", "The form sent could not be read.") }
    var reportTitle: String { pick("Rapport de vérification", "Validation report") }
    var reportSource: String { pick("Source", "Source") }
    var reportFormat: String { pick("Format", "Format") }
    var reportEvents: String { pick("Événements lus", "Events read") }
    var reportApplied: String { pick("Programme mis à jour.", "Programme updated.") }
    var reportCheckedOK: String { pick("Fichier valide (vérification seule : rien n'a changé).", "Valid file (check only: nothing changed).") }
    var reportRejected: String { pick("Fichier refusé : rien n'a changé.", "File rejected: nothing changed.") }
    var reportErrors: String { pick("Erreurs", "Errors") }
    var reportWarnings: String { pick("Avertissements", "Warnings") }
    var lineHeader: String { pick("Ligne", "Line") }
    var messageHeader: String { pick("Message", "Message") }

    var screenTitle: String { pick("Ce que montre l'écran", "What the screen shows") }
    var screenImageAlt: String { pick("Image de l'écran du hall", "Picture of the lobby screen") }
    var screenHelp: String { pick("L'écran du hall en ce moment (rechargez la page pour le mettre à jour).", "The lobby screen right now (reload the page to update it).") }

    var forbiddenForm: String {
        pick(
            "Formulaire refusé (page trop ancienne ou envoyée d'ailleurs). Rechargez la page et recommencez.",
            "Form refused (page too old or sent from elsewhere). Reload the page and try again.")
    }
    var notFound: String { pick("Page introuvable.", "Page not found.") }
    var unsupportedForm: String { pick("Type de formulaire non pris en charge.", "Unsupported form type.") }
    var internalError: String { pick("Erreur interne : l'opération n'a pas abouti. Consultez le journal du kiosque.", "Internal error: the operation did not complete. See the kiosk's journal.") }
    var refusedByServer: String { pick("Refusé par le kiosque", "Refused by the kiosk") }
}
