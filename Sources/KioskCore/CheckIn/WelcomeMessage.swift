import Foundation

/// What the lobby screen says after a badge scan, in French or English.
///
/// - entry: "Bienvenue, Camille — Atelier Diptyc": the first name (last name only when
///   the venue opts in), then the host structure when the caller gives one (the
///   person's resident, or the one a visitor came to see), otherwise the event the entry
///   was counted for;
/// - visitor pass: the same headline, and directions in `detail` (the host's location,
///   else the event's room, else "ask the reception desk");
/// - exit: "Au revoir, Camille" (visitors are asked to hand back their pass);
/// - unknown badge: "Badge inconnu — merci de vous présenter à l'accueil".
///
/// Built only from a committed ``ScanOutcome``: the screen never welcomes a scan that
/// is not on disk.
public struct WelcomeMessage: Sendable, Hashable {
    /// How the screen should colour it.
    public enum Tone: String, Sendable, Hashable {
        case welcome, farewell, attention
    }

    public var tone: Tone
    /// The big line.
    public var headline: String
    /// A second, smaller line (directions, a reminder); nil when there is none.
    public var detail: String?

    public init(tone: Tone, headline: String, detail: String? = nil) {
        self.tone = tone
        self.headline = headline
        self.detail = detail
    }

    public init(decision: CheckInDecision, language: Language, showLastNames: Bool = false, host: Resident? = nil) {
        let strings = LobbyStrings(language)
        func greeting(_ word: String, _ person: Person) -> String {
            let name = person.displayName(showingLastName: showLastNames)
            return name.isEmpty ? word : word + ", " + name
        }
        func entryHeadline(_ person: Person, _ occurrence: Occurrence?) -> String {
            let base = greeting(strings.welcome, person)
            let context = [host?.name, occurrence?.title]
                .compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
                .first { !$0.isEmpty }
            return context.map { base + " — " + $0 } ?? base
        }
        switch decision {
        case .checkIn(let person, let occurrence), .stayIn(let person, let occurrence):
            self.init(tone: .welcome, headline: entryHeadline(person, occurrence))
        case .visitorPass(let person, let occurrence):
            let place: String?
            if let host, !host.location.isEmpty {
                place = host.name + ", " + host.location
            } else if let room = occurrence?.room, !room.isEmpty {
                place = room
            } else {
                place = nil
            }
            let detail = place.map(strings.pleaseGoTo) ?? strings.receptionShowsTheWay
            self.init(tone: .welcome, headline: entryHeadline(person, occurrence), detail: detail)
        case .checkOut(let person):
            let reminder = person.role == .visitor ? strings.handBackVisitorBadge : nil
            self.init(tone: .farewell, headline: greeting(strings.goodbye, person), detail: reminder)
        case .unknownBadge:
            self.init(tone: .attention, headline: strings.unknownBadge)
        }
    }

    /// Headline and detail on separate lines.
    public var text: String { detail.map { headline + "\n" + $0 } ?? headline }
}
