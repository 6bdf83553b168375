import Foundation
import KioskCore

/// A programme report's problems as the staff page says them: in French (the parsers
/// speak English, for the API and the journal), with the line and the event's title.
///
/// Each known message of the iCalendar and JSON readers and of the push checks is matched
/// by its fixed words and reworded with its values; a message not known here keeps its
/// English text after a French lead-in (`ProgrammeIssueWordingTests` checks that every
/// message a broken file gives in the tests is known, so a parser change is noticed).
struct ProgrammeIssueWording: Sendable {
    let language: Language

    /// "Ligne 15 · « Atelier cassé »", "« Concert »", "Ligne 3", or nil.
    func place(_ issue: ProgrammePushReport.Issue) -> String? {
        var parts: [String] = []
        if let line = issue.line { parts.append(language == .fr ? "Ligne \(line)" : "Line \(line)") }
        if let event = issue.event, !event.isEmpty {
            parts.append(language == .fr ? "« \(event) »" : "“\(event)”")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The problem in the page's language; `known` is false when the English text is kept.
    func describe(_ message: String) -> (text: String, known: Bool) {
        guard language == .fr else { return (message, true) }
        if let french = Self.french(message) { return (french, true) }
        return ("erreur dans le fichier : \(message)", false)
    }

    /// Whether a warning is an event dropped as broken ("event a@b: dropped: no DTSTART"):
    /// an error to the coordinator, whose event is not on screen.
    static func isDrop(_ message: String) -> Bool {
        message.hasPrefix("dropped: ") || (message.hasPrefix("event ") && message.contains(": dropped: "))
    }

    /// The French of a known message, else nil. The readers' messages are built from a
    /// problem and what was done about it ("…; ignored", "dropped: …", "…; 0 assumed"):
    /// both halves are reworded.
    static func french(_ m: String) -> String? {
        // "event a@b: …": the event is named apart (`place`); its reference (a uid from the
        // file) may hold ": ", so the message is the first remainder that is known, among
        // the first few (a budget: the uid is outside text).
        if m.hasPrefix("event ") {
            var rest = Substring(m).dropFirst(6)
            for _ in 0..<8 {
                guard let colon = rest.range(of: ": ") else { break }
                if let french = bare(String(rest[colon.upperBound...])) { return french }
                rest = rest[colon.upperBound...]
            }
        }
        return bare(m)
    }

    /// `french` of a message that does not start with its event.
    private static func bare(_ m: String) -> String? {
        if let rest = m.capture("dropped: ", "") { return bare(rest).map { "événement ignoré : \($0)" } }
        if let refusal = brokenEvents(m) { return refusal }
        if let (problem, action) = m.splitLast("; ") {
            if let done = outcome(action), let french = bare(problem) { return "\(french) (\(done))" }
        }
        return problemFrench(m)
    }

    /// "3 of 4 events are broken, the first: event x: dropped: no DTSTART": the file refused.
    private static func brokenEvents(_ m: String) -> String? {
        guard let (counts, first) = m.captures("", " events are broken, the first: ", ""),
              let (dropped, read) = counts.captures("", " of ", ""), let n = Int(dropped), let total = Int(read)
        else { return nil }
        // What follows is one warning: "[line L: ][event R: ]message" (R may hold ": ").
        var rest = Substring(first)
        if rest.hasPrefix("line "), let colon = rest.range(of: ": ") { rest = rest[colon.upperBound...] }
        if rest.hasPrefix("event ") {
            if let drop = rest.range(of: ": dropped: ") {
                rest = rest[drop.upperBound...]
            } else if let colon = rest.range(of: ": ") {
                rest = rest[colon.upperBound...]
            }
        }
        let problem = String(rest)
        let said = bare(problem) ?? problem
        let head = n == 1 ? "1 événement sur \(total) est invalide" : "\(n) événements sur \(total) sont invalides"
        return "\(head) : le fichier est refusé. Le premier : \(said)"
    }

    /// What a reader did about a problem ("ignored", "0 assumed"), in French.
    private static func outcome(_ action: String) -> String? {
        switch action {
        case "ignored": return "ignoré"
        case "line skipped": return "ligne ignorée"
        case "value skipped", "skipped": return "valeur ignorée"
        case "the rest ignored": return "le reste est ignoré"
        case "the event is listed once": return "l'événement n'est affiché qu'une fois"
        case "listed once": return "affiché une seule fois"
        case "the last one is kept": return "le dernier est gardé"
        case "the start alone is kept": return "seul le début est gardé"
        case "VTIMEZONE ignored": return "fuseau horaire (VTIMEZONE) ignoré"
        case "the venue's zone is used": return "le fuseau du lieu est utilisé"
        case "ignored up to its END": return "ignoré jusqu'à son END"
        default: break
        }
        if let value = action.capture("", " assumed") { return "« \(value) » retenu" }
        if let name = action.capture("", " ignored up to its END") { return "\(name) ignoré jusqu'à son END" }
        if let name = action.capture("", " ignored") { return "\(name) ignoré" }
        if let zone = action.capture("read in ", "") { return "lu dans le fuseau \(zone)" }
        return nil
    }

    /// The French of a problem, without what was done about it.
    private static func problemFrench(_ m: String) -> String? {
        // iCalendar reader.
        if let (name, value) = m.captures("", " value '", "' is not a DATE or DATE-TIME") {
            return "\(property(name)) : « \(value) » n'est pas une date valide (AAAAMMJJ ou AAAAMMJJTHHMMSS)"
        }
        if let (name) = m.capture("", " says VALUE=DATE but has a time") {
            return "\(property(name)) : la date est marquée sans heure (VALUE=DATE) mais une heure est donnée"
        }
        if let value = m.capture("DURATION '", "' is not an RFC 5545 duration (PT1H30M, P1D, P2W)") {
            return "durée (DURATION) : « \(value) » n'est pas une durée (exemples : PT1H30M, P1D, P2W)"
        }
        if let name = m.capture("BEGIN:", " is never closed (truncated calendar?)") {
            return "BEGIN:\(name) n'est jamais fermé : le fichier semble coupé"
        }
        if let (name, line) = m.captures("BEGIN:", " of line ", " is never closed") {
            return "le BEGIN:\(name) de la ligne \(line) n'est jamais fermé"
        }
        if let line = m.capture("BEGIN:VEVENT of line ", " starts before its END:VEVENT") {
            return "l'événement de la ligne \(line) n'est pas fermé (END:VEVENT) avant le suivant"
        }
        if let (closing, rest) = m.captures("END:", " of line ", "") {
            let parts = rest.components(separatedBy: " does not close BEGIN:")
            if parts.count == 2 { return "END:\(closing) de la ligne \(parts[0]) ne ferme pas le BEGIN:\(parts[1])" }
        }
        if let name = m.capture("END:", " without a BEGIN") { return "END:\(name) sans BEGIN correspondant" }
        if let name = m.capture("END:", " closes nothing") { return "END:\(name) ne ferme rien" }
        if let name = m.capture("BEGIN:", " after END:VCALENDAR") { return "BEGIN:\(name) après la fin du calendrier (END:VCALENDAR)" }
        if let name = m.capture("", " after END:VCALENDAR") { return "\(name) après la fin du calendrier (END:VCALENDAR)" }
        if m == "no DTSTART" { return "pas de date de début (DTSTART)" }
        if m == "VEVENT has no DTSTART; skipped" { return "événement sans date de début (DTSTART) : il est ignoré" }
        if m == "UID contains control characters" || m == "uid contains control characters" || (m.hasPrefix("UID ") && m.hasSuffix(" contains control characters")) {
            return "l'identifiant (UID) contient des caractères de contrôle"
        }
        if let (count, rest) = m.captures("", " revisions", "") {
            // "2 revisions[ (one instance)] (lines 4, 9); kept SEQUENCE 0 of line 9" (split at "; " above? no: "kept" is not an outcome).
            let parts = rest.components(separatedBy: "(lines ")
            if parts.count == 2, let (lines, kept) = parts[1].captures("", "); kept SEQUENCE ", ""),
               let (sequence, line) = kept.captures("", " of line ", "") {
                return "\(count) versions du même événement (lignes \(lines)) : celle de la ligne \(line) est gardée (SEQUENCE \(sequence))"
            }
        }
        if let (count, lines) = m.captures("the same event appears ", " times (lines ", ")")
            ?? m.captures("the same event (one instance) appears ", " times (lines ", ")") {
            return "le même événement apparaît \(count) fois (lignes \(lines))"
        }
        if m == "appears more than once for the same start" { return "l'événement apparaît plusieurs fois à la même heure" }
        if let (tzid, _) = m.captures("TZID '", "' is neither a known zone nor defined by a VTIMEZONE", "") {
            return "fuseau horaire « \(tzid) » inconnu et non défini dans le fichier (VTIMEZONE)"
        }
        if let value = m.capture("SEQUENCE '", "' is not a number") { return "numéro de version (SEQUENCE) « \(value) » : ce n'est pas un nombre" }
        if let value = m.capture("IMAGE '", "' is not an http(s) URL") { return "image (IMAGE) « \(value) » : ce n'est pas une adresse http(s)" }
        if m == "empty RRULE" { return "règle de répétition (RRULE) vide" }
        if let (name, value) = m.captures("", " '", "' is not a UTC offset like +0100") {
            return "\(name) : « \(value) » n'est pas un décalage horaire comme +0100"
        }
        if m.hasPrefix("content line '"), m.hasSuffix("' has no ':' before its value") { return "ligne sans « : » entre le nom et la valeur" }
        if m == "content line has no property name" { return "ligne sans nom de propriété" }
        if m == "empty file: expected BEGIN:VCALENDAR" { return "fichier vide : il doit commencer par BEGIN:VCALENDAR" }
        if let name = m.capture("expected BEGIN:VCALENDAR, found BEGIN:", "") { return "le fichier doit commencer par BEGIN:VCALENDAR, pas BEGIN:\(name)" }
        if let name = m.capture("expected BEGIN:VCALENDAR, found ", "") { return "le fichier doit commencer par BEGIN:VCALENDAR, pas \(name)" }
        if let reason = m.capture("not a calendar: ", "") { return "ce n'est pas un calendrier : \(bare(reason) ?? reason)" }
        if m.hasPrefix("invalid character in property name '") { return "caractère interdit dans un nom de propriété" }
        if let (parameter, name) = m.captures("parameter '", "' of ", " has no '='") { return "le paramètre « \(parameter) » de \(name) n'a pas de « = »" }
        if let parameter = m.capture("unterminated quoted value of parameter ", "") { return "guillemets non refermés dans le paramètre \(parameter)" }
        if m.hasPrefix("RRULE") || m.hasPrefix("EXRULE") || m.hasPrefix("rrule: ") { return "règle de répétition invalide : \(m)" }
        // The push checks (StaffDesk) and the decoder.
        if m == "the body is empty" || m == "the file is empty" { return "le fichier est vide" }
        if m.hasPrefix("unrecognised programme file") { return "format inconnu : envoyez un fichier iCalendar (.ics), OpenAgenda ou JSON" }
        if m.hasPrefix("sent as text/calendar but") { return "le fichier n'est pas un iCalendar (il ne commence pas par BEGIN:VCALENDAR)" }
        if m.hasPrefix("sent as application/json but the body is iCalendar") { return "le fichier est un iCalendar envoyé comme JSON" }
        if m == "the file holds no event: the source will be empty" { return "le fichier ne contient aucun événement : le programme sera vide" }
        if let count = m.capture("", " more errors not listed") { return "\(count) autres erreurs non listées" }
        if let count = m.capture("", " more warnings not listed") { return "\(count) autres avertissements non listés" }
        // The JSON readers: per event ("title missing", "end is before start") or
        // per field of the document ("events: missing or not an array").
        if let french = jsonProblem(m) { return french }
        if let colon = m.range(of: ": ") {
            let field = String(m[..<colon.lowerBound]), reason = String(m[colon.upperBound...])
            if let french = jsonReason(reason) { return "\(field) : \(french)" }
        }
        return nil
    }

    /// An event's problem in the JSON readers.
    private static func jsonProblem(_ m: String) -> String? {
        switch m {
        case "uid missing": return "identifiant (uid) manquant"
        case "title missing": return "titre (title) manquant"
        case "start missing": return "date de début (start) manquante"
        case "not an object": return "ce n'est pas un objet JSON"
        case "uid already used by an earlier event": return "identifiant (uid) déjà utilisé par un événement précédent"
        case "end is before start": return "la fin (end) est avant le début"
        case "end must be after start (all-day end is exclusive)": return "la fin (end) doit être après le début (la fin d'une journée entière est le lendemain)"
        case "end must be a date when start is a date, a time when start is a time": return "la fin (end) doit être une date si le début est une date, une heure si c'est une heure"
        case "categories must be an array of strings": return "les catégories (categories) doivent être une liste de textes"
        case "exdates must be an array of dates or times": return "les dates exclues (exdates) doivent être une liste de dates"
        case "image is not an http(s) URL": return "l'image (image) n'est pas une adresse http(s)"
        case "no usable timing": return "aucun horaire utilisable"
        case "timeZone is not an IANA zone name like Europe/Paris": return "le fuseau horaire (timeZone) n'est pas un nom comme Europe/Paris"
        default: break
        }
        if let value = m.capture("start '", "' is not ISO-8601 (2024-10-12, 2024-10-12T14:00 or 2024-10-12T14:00:00+02:00)") {
            return "date de début (start) : « \(value) » n'est pas une date ISO 8601 (2024-10-12, 2024-10-12T14:00 ou 2024-10-12T14:00:00+02:00)"
        }
        if let value = m.capture("end '", "' is not ISO-8601") { return "date de fin (end) : « \(value) » n'est pas une date ISO 8601" }
        if let value = m.capture("status '", "' is not one of confirmed, tentative, cancelled, postponed, full, rescheduled, moved-online") {
            return "statut (status) « \(value) » inconnu (confirmed, tentative, cancelled, postponed, full, rescheduled, moved-online)"
        }
        if let value = m.capture("timeZone '", "' is not an IANA zone name") { return "fuseau horaire (timeZone) « \(value) » inconnu" }
        if let key = m.capture("", " must be a string") { return "\(key) doit être un texte" }
        if let index = m.capture("exdates[", "] is not an ISO-8601 date or time") { return "date exclue n° \(index) (exdates) : ce n'est pas une date ISO 8601" }
        return nil
    }

    /// An iCalendar property as a coordinator reads it: "date de début (DTSTART)".
    static func property(_ name: String) -> String {
        let words = [
            "DTSTART": "date de début", "DTEND": "date de fin", "DUE": "échéance", "RECURRENCE-ID": "occurrence remplacée",
            "EXDATE": "dates exclues", "RDATE": "dates ajoutées", "DTSTAMP": "date d'écriture", "LAST-MODIFIED": "date de modification",
            "CREATED": "date de création",
        ]
        return words[name].map { "\($0) (\(name))" } ?? name
    }

    private static func jsonReason(_ r: String) -> String? {
        switch r {
        case "missing": return "manquant"
        case "must be a string": return "doit être un texte"
        case "missing or not an array": return "manquant, ou ce n'est pas une liste"
        case "not an object": return "ce n'est pas un objet JSON"
        case "used by two events": return "utilisé par deux événements"
        case "is before start": return "est avant le début"
        case "must be after start (all-day end is exclusive)": return "doit être après le début (la fin d'une journée entière est le lendemain)"
        case "must be a date when start is a date, a time when start is a time": return "doit être une date si le début est une date, une heure si c'est une heure"
        case "must be an array of strings": return "doit être une liste de textes"
        case "must be an array of dates or times": return "doit être une liste de dates"
        case "not an ISO-8601 date or time": return "ce n'est pas une date ISO 8601"
        case "not an IANA zone name like Europe/Paris": return "ce n'est pas un fuseau horaire comme Europe/Paris"
        case "expected an object with \"events\" or an array of events": return "il faut un objet avec « events » ou une liste d'événements"
        default: break
        }
        if r.hasPrefix("not valid JSON") { return "ce n'est pas du JSON valide" }
        if let value = r.capture("'", "' is not ISO-8601 (2024-10-12, 2024-10-12T14:00 or 2024-10-12T14:00:00+02:00)") {
            return "« \(value) » n'est pas une date ISO 8601 (2024-10-12, 2024-10-12T14:00 ou 2024-10-12T14:00:00+02:00)"
        }
        if let value = r.capture("'", "' is not one of confirmed, tentative, cancelled, postponed, full") {
            return "« \(value) » n'est pas un statut connu (confirmed, tentative, cancelled, postponed, full)"
        }
        if let value = r.capture("'", "' is not an IANA zone name") { return "« \(value) » n'est pas un fuseau horaire connu" }
        return nil
    }
}

extension String {
    /// The text between `prefix` and `suffix` when the string is exactly
    /// prefix + text + suffix (an empty suffix: to the end).
    fileprivate func capture(_ prefix: String, _ suffix: String) -> String? {
        guard hasPrefix(prefix), hasSuffix(suffix), count >= prefix.count + suffix.count else { return nil }
        let text = String(dropFirst(prefix.count).dropLast(suffix.count))
        return text.isEmpty ? nil : text
    }

    /// The two texts of prefix + a + middle + b + suffix (the first `middle` splits).
    /// The texts before and after the last `separator`.
    fileprivate func splitLast(_ separator: String) -> (String, String)? {
        guard let range = range(of: separator, options: .backwards) else { return nil }
        let a = String(self[..<range.lowerBound]), b = String(self[range.upperBound...])
        return a.isEmpty || b.isEmpty ? nil : (a, b)
    }

    fileprivate func captures(_ prefix: String, _ middle: String, _ suffix: String) -> (String, String)? {
        guard hasPrefix(prefix), hasSuffix(suffix), count >= prefix.count + middle.count + suffix.count else { return nil }
        let inner = String(dropFirst(prefix.count).dropLast(suffix.count))
        guard let range = inner.range(of: middle) else { return nil }
        let a = String(inner[..<range.lowerBound])
        guard !a.isEmpty else { return nil }
        return (a, String(inner[range.upperBound...]))
    }
}
