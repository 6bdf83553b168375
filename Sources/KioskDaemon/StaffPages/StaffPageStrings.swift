import KioskCore

/// Every word of the staff pages, in French (the default) or English, following the
/// venue's `[venue] language`. Kinds and terms of notices reuse `LobbyStrings` so the page
/// names them as the screen does. Sections add theirs in `StaffPageStrings+*.swift`.
@dynamicMemberLookup
struct StaffPageStrings: Sendable {
    let language: Language
    let lobby: LobbyStrings

    init(_ language: Language) {
        self.language = language
        lobby = LobbyStrings(language)
    }

    /// A fixed phrase (`StaffPhrases`) in the page's language: `strings.signIn`.
    subscript(dynamicMember phrase: KeyPath<StaffPhrases, StaffPhrase>) -> String {
        let both = StaffPhrases.all[keyPath: phrase]
        return pick(both.fr, both.en)
    }

    func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    /// "1 événement", "12 événements".
    func count(_ n: Int, _ frOne: String, _ frMany: String, _ enOne: String, _ enMany: String) -> String {
        "\(n) " + (n == 1 || (language == .fr && n == 0) ? pick(frOne, enOne) : pick(frMany, enMany))
    }

    func signedOutEverywhere(_ n: Int) -> String {
        pick("\(n) session(s) fermée(s) pour ce jeton.", "\(n) session(s) closed for this token.")
    }
    func tooManyAttempts(_ seconds: Int) -> String {
        let wait = seconds >= 120 ? pick("\(seconds / 60) minutes", "\(seconds / 60) minutes") : "\(seconds) s"
        return pick(
            "Trop d'essais depuis cet appareil : réessayez dans \(wait).",
            "Too many attempts from this device: try again in \(wait).")
    }
    func signedInAs(_ name: String) -> String { pick("Connecté en tant que \(name)", "Signed in as \(name)") }



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
