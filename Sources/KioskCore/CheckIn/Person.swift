import Foundation

/// Someone who may hold a badge: a resident's employee, a member, staff, a volunteer, or
/// a visitor given a pass at the reception desk.
///
/// Personal data (GDPR): kept until erased on request (`CheckInLedger.erase`); visitors
/// are also dropped by the retention purge once none of their check-ins remain. Only the
/// role outlives the person, in anonymous daily counts.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case resident, member, staff, volunteer, visitor
    }

    /// The store's row id (0 for a person not stored yet).
    public var id: Int64
    public var firstName: String
    public var lastName: String
    public var role: Role
    /// The resident structure the person belongs to (or, for a visitor, came to see).
    public var residentID: String?
    /// Free text for staff ("badge perdu le 3 mars"); never shown on the lobby screen.
    public var notes: String
    /// When the person was enrolled (whole seconds); nil before it is stored.
    public var created: Date?

    public init(
        id: Int64, firstName: String, lastName: String = "", role: Role, residentID: String? = nil,
        notes: String = "", created: Date? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.residentID = residentID
        self.notes = notes
        self.created = created
    }

    /// The name the lobby screen shows: the first name alone unless the venue opted in
    /// to last names (a screen in a public lobby should not spell out who is inside).
    public func displayName(showingLastName: Bool) -> String {
        let first = firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        let last = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard showingLastName, !last.isEmpty else { return first }
        return first.isEmpty ? last : first + " " + last
    }
}
