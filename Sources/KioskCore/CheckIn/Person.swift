import Foundation

/// Someone who may hold a badge. Filled by the check-in capability.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case resident, member, staff, volunteer, visitor
    }

    public var id: Int64
    public var firstName: String
    public var lastName: String
    public var role: Role
    /// The resident structure the person belongs to, if any.
    public var residentID: String?

    public init(id: Int64, firstName: String, lastName: String = "", role: Role, residentID: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.residentID = residentID
    }
}
