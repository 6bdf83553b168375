import Foundation
import KioskCore
import Synchronization

/// The `[token "NAME"]` entries the server accepts, replaced as a whole on SIGHUP.
///
/// Tokens are checked by hashing what the client presents and comparing with every stored
/// digest in constant time (`TokenDigest.matches`), so neither the match nor its position
/// in the list shows in the time taken.
public final class APITokenTable: Sendable {
    private let tokens: Mutex<[KioskConfig.Token]>

    public init(_ tokens: [KioskConfig.Token]) {
        self.tokens = Mutex(tokens)
    }

    /// Replaces the table (after a configuration reload).
    public func replace(with tokens: [KioskConfig.Token]) {
        self.tokens.withLock { $0 = tokens }
    }

    public var count: Int { tokens.withLock { $0.count } }

    /// The configured token `token` is; nil when none matches.
    public func entry(presenting token: String) -> KioskConfig.Token? {
        let all = tokens.withLock { $0 }
        var found: KioskConfig.Token?
        for entry in all {
            // No early exit: every digest is compared whatever the outcome.
            if entry.digest.matches(token), found == nil { found = entry }
        }
        return found
    }

    /// The principal of a presented token; nil when no configured token matches.
    public func principal(presenting token: String) -> Principal? {
        entry(presenting: token).map { Principal(name: $0.name, role: $0.role) }
    }

    /// Whether a token with this name, digest and role is still configured: a web session
    /// opened with it ends as soon as it is removed or changed (after a reload).
    public func isCurrent(name: String, digest: TokenDigest, role: APIRole) -> Bool {
        tokens.withLock { $0.contains { $0.name == name && $0.digest == digest && $0.role == role } }
    }

    /// The principal of an `Authorization: Bearer TOKEN` header value (RFC 6750 section
    /// 2.1; the scheme is case-insensitive); nil when it is missing, malformed or unknown.
    public func principal(authorization: String?) -> Principal? {
        guard let value = authorization else { return nil }
        let trimmed = value.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, !token.contains(" ") else { return nil }
        return principal(presenting: token)
    }
}
