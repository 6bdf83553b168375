import Foundation

/// Which way a check-in row goes through the door.
public enum CheckInDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case `in`, out
}

/// One personal check-in row as stored: who scanned which badge, when, which way.
///
/// Personal data: purged after the retention period and erased with the person.
public struct CheckInRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// The badge tag as the reader reported it (``BadgeRead/tagID``).
    public var tag: String
    /// Nil once the person row is gone by other means than an erase (`ON DELETE SET NULL`).
    public var personID: Int64?
    /// Whole seconds.
    public var at: Date
    public var direction: CheckInDirection
    /// The public event the check-in was counted for, if any.
    public var eventUID: String?
    /// Written by the closing-time check-out rather than by a scan.
    public var isAutomatic: Bool

    public init(id: Int64, tag: String, personID: Int64?, at: Date, direction: CheckInDirection, eventUID: String? = nil, isAutomatic: Bool = false) {
        self.id = id
        self.tag = tag
        self.personID = personID
        self.at = at
        self.direction = direction
        self.eventUID = eventUID
        self.isAutomatic = isAutomatic
    }
}

/// A badge enrolled for a person.
public struct BadgeRecord: Sendable, Hashable, Codable {
    public var tag: String
    public var personID: Int64
    /// What is printed on it or how staff call it ("Pass visiteur 3", "0001217496").
    public var label: String
    public var created: Date
    /// When it was revoked (lost, returned); a revoked badge reads as unknown.
    public var revoked: Date?

    public init(tag: String, personID: Int64, label: String = "", created: Date, revoked: Date? = nil) {
        self.tag = tag
        self.personID = personID
        self.label = label
        self.created = created
        self.revoked = revoked
    }
}

/// A scan of a badge nobody holds (or a revoked one), kept for staff to enrol.
public struct UnknownScan: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var tag: String
    public var at: Date
    /// Which reader saw it (the protocol or device name the daemon passed); may be empty.
    public var reader: String

    public init(id: Int64, tag: String, at: Date, reader: String = "") {
        self.id = id
        self.tag = tag
        self.at = at
        self.reader = reader
    }
}

/// Someone in the building now: the evacuation list.
public struct PresenceEntry: Sendable, Hashable, Codable {
    public var person: Person
    /// The badge they came in with.
    public var tag: String
    /// Their last entry (whole seconds).
    public var since: Date
    /// The event that entry was counted for, if any.
    public var eventUID: String?

    public init(person: Person, tag: String, since: Date, eventUID: String? = nil) {
        self.person = person
        self.tag = tag
        self.since = since
        self.eventUID = eventUID
    }
}

/// Everything the kiosk holds about one person, for a GDPR access request (art. 15).
///
/// Anonymous daily counts are not in it: they hold nothing that identifies anyone.
public struct PersonExport: Sendable, Hashable, Codable {
    public var person: Person
    public var badges: [BadgeRecord]
    /// Oldest first.
    public var checkIns: [CheckInRecord]
    public var exportedAt: Date

    public init(person: Person, badges: [BadgeRecord], checkIns: [CheckInRecord], exportedAt: Date) {
        self.person = person
        self.badges = badges
        self.checkIns = checkIns
        self.exportedAt = exportedAt
    }

    /// Pretty JSON with sorted keys and ISO 8601 UTC instants, for `kioskctl`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
