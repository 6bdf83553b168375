import Foundation
import KioskCore

/// Who is calling the staff API: the name of the token they presented (recorded as the
/// actor of every write in the audit log) and its role.
public struct Principal: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var role: APIRole

    public init(name: String, role: APIRole) {
        self.name = name
        self.role = role
    }

    /// Whether this principal may do what `role` may (a maintainer may do what staff may).
    public func may(_ role: APIRole) -> Bool { self.role >= role }

    public var description: String { "\(name) (\(role.rawValue))" }
}
