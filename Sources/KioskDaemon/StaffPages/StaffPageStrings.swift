import KioskCore

/// Every word of the staff pages, in French (the default) or English, following the
/// venue's `[venue] language`. Kinds and terms of notices reuse `LobbyStrings` so the page
/// names them as the screen does. Sections add theirs in `StaffPageStrings+*.swift`.
struct StaffPageStrings: Sendable {
    let language: Language
    let lobby: LobbyStrings

    init(_ language: Language) {
        self.language = language
        lobby = LobbyStrings(language)
    }

    func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    /// "1 événement", "12 événements".
    func count(_ n: Int, _ frOne: String, _ frMany: String, _ enOne: String, _ enMany: String) -> String {
        "\(n) " + (n == 1 || (language == .fr && n == 0) ? pick(frOne, enOne) : pick(frMany, enMany))
    }

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
    var signOutEverywhere: String { pick("Se déconnecter sur tous les appareils", "Sign out on every device") }
    func signedOutEverywhere(_ n: Int) -> String {
        pick("\(n) session(s) fermée(s) pour ce jeton.", "\(n) session(s) closed for this token.")
    }
    var wrongToken: String { pick("Jeton inconnu : vérifiez qu'il est complet.", "Unknown token: check that it is complete.") }
    func tooManyAttempts(_ seconds: Int) -> String {
        let wait = seconds >= 120 ? pick("\(seconds / 60) minutes", "\(seconds / 60) minutes") : "\(seconds) s"
        return pick(
            "Trop d'essais depuis cet appareil : réessayez dans \(wait).",
            "Too many attempts from this device: try again in \(wait).")
    }
    var emptyToken: String { pick("Saisissez votre jeton.", "Enter your token.") }
    var sessionExpired: String { pick("Votre session a expiré : reconnectez-vous.", "Your session has expired: sign in again.") }
    var sessionRevoked: String {
        pick(
            "Votre session est terminée : le jeton a été retiré ou changé. Demandez un nouveau jeton à l'équipe technique.",
            "Your session has ended: the token was removed or changed. Ask the maintainers for a new one.")
    }
    var signedIn: String { pick("Vous êtes connecté.", "You are signed in.") }
    func signedInAs(_ name: String) -> String { pick("Connecté en tant que \(name)", "Signed in as \(name)") }

    var navHome: String { pick("Accueil", "Home") }
    var navProgramme: String { pick("Programme", "Programme") }
    var navNotices: String { pick("Annonces", "Notices") }
    var navScreen: String { pick("Écran", "Screen") }
    var navPresence: String { pick("Présents", "Present") }
    var navAttendance: String { pick("Fréquentation", "Attendance") }
    var backHome: String { pick("Retour à l'accueil", "Back to the staff area") }
    var cancel: String { pick("Annuler", "Cancel") }
    var confirm: String { pick("Confirmer", "Confirm") }

    var forbiddenForm: String {
        pick(
            "Formulaire refusé (page trop ancienne ou envoyée d'ailleurs). Rechargez la page et recommencez.",
            "Form refused (page too old or sent from elsewhere). Reload the page and try again.")
    }
    var notFound: String { pick("Page introuvable.", "Page not found.") }
    var maintainerOnly: String {
        pick("Cette page est réservée à l'équipe technique (jeton « maintainer »).", "This page needs a maintainer token.")
    }
    var unsupportedForm: String { pick("Type de formulaire non pris en charge.", "Unsupported form type.") }
    var fileNotRead: String { pick("Le formulaire envoyé est illisible.", "The form sent could not be read.") }
    var internalError: String { pick("Erreur interne : l'opération n'a pas abouti. Consultez le journal du kiosque.", "Internal error: the operation did not complete. See the kiosk's journal.") }
    var refusedByServer: String { pick("Refusé par le kiosque", "Refused by the kiosk") }

    /// The French page for an error the server answers before any page code runs.
    func transportError(_ status: Int, maxBody: Int) -> (title: String, advice: String) {
        switch status {
        case 413:
            let size = maxBody >= 1 << 20 ? "\(maxBody >> 20) Mo" : "\(maxBody >> 10) Ko"
            return (
                pick("Fichier trop gros", "File too large"),
                pick(
                    "Le kiosque accepte au plus \(size) par envoi. Réduisez le fichier (moins d'événements, sans images) ou demandez à l'équipe technique d'augmenter max-body.",
                    "The kiosk takes at most \(size) per upload. Make the file smaller or ask the maintainers to raise max-body."))
        case 411:
            return (
                pick("Taille de l'envoi inconnue", "Length required"),
                pick("Le navigateur n'a pas dit la taille de l'envoi. Réessayez depuis la page.", "The browser did not say how long the upload is. Try again from the page."))
        case 408:
            return (
                pick("Envoi trop lent", "Upload too slow"),
                pick(
                    "L'envoi n'est pas arrivé à temps (réseau lent ou coupé). Rapprochez-vous du point Wi-Fi et réessayez.",
                    "The upload did not arrive in time (slow or broken network). Move closer to the Wi-Fi and try again."))
        case 431:
            return (
                pick("Demande trop longue", "Request too long"),
                pick("Le navigateur a envoyé trop d'informations. Fermez les autres onglets du kiosque et réessayez.", "The browser sent too much. Close the kiosk's other tabs and try again."))
        case 503:
            return (
                pick("Kiosque occupé", "Kiosk busy"),
                pick("Le kiosque est très sollicité en ce moment. Réessayez dans quelques secondes.", "The kiosk is very busy. Try again in a few seconds."))
        default:
            return (
                pick("Demande illisible", "Bad request"),
                pick("Le kiosque n'a pas pu lire la demande. Revenez à la page et recommencez.", "The kiosk could not read the request. Go back and try again."))
        }
    }
}
