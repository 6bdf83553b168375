import Foundation
import KioskCore
import Synchronization

/// The signed-in browsers of the staff page, in memory: a random session id (the only
/// thing the cookie holds) mapped to the principal, a per-session CSRF token and an
/// expiry.
///
/// The token a person signed in with is never kept: only the principal it resolved to.
/// Sessions die with the daemon (a restart signs everyone out), when they expire, and on
/// sign-out. The table is bounded: when full, the session closest to expiry is dropped.
public final class StaffSessions: Sendable {
    /// One signed-in browser.
    public struct Session: Sendable, Hashable {
        /// 256 random bits as 64 hex digits: the cookie value.
        public let id: String
        public let principal: StaffPrincipal
        /// 256 random bits as 64 hex digits, sent back in every form.
        public let csrfToken: String
        public let expires: Date
    }

    /// How long a session lasts after sign-in (not extended by use: a lost phone stops
    /// working at the end of the day).
    public let lifetime: TimeInterval
    public let maximumSessions: Int

    private struct Entry {
        var session: Session
        /// A one-shot message for the next page (post/redirect/get).
        var flash: StaffFlash?
    }
    private let table = Mutex<[String: Entry]>([:])

    public init(lifetime: TimeInterval = 12 * 3600, maximumSessions: Int = 256) {
        self.lifetime = lifetime
        self.maximumSessions = maximumSessions
    }

    /// Opens a session for `principal`.
    public func open(for principal: StaffPrincipal, now: Date) -> Session {
        let session = Session(id: Self.randomHex(), principal: principal, csrfToken: Self.randomHex(), expires: now + lifetime)
        table.withLock { table in
            table = table.filter { $0.value.session.expires > now }
            if table.count >= maximumSessions, let oldest = table.min(by: { $0.value.session.expires < $1.value.session.expires }) {
                table[oldest.key] = nil
            }
            table[session.id] = Entry(session: session)
        }
        return session
    }

    /// The live session with this id; nil (and forgotten) when unknown or expired.
    public func session(id: String, now: Date) -> Session? {
        table.withLock { table in
            guard let entry = table[id] else { return nil }
            guard entry.session.expires > now else {
                table[id] = nil
                return nil
            }
            return entry.session
        }
    }

    public func close(id: String) {
        _ = table.withLock { $0.removeValue(forKey: id) }
    }

    /// How many sessions are open (expired ones included until next touched).
    public var count: Int { table.withLock { $0.count } }

    func setFlash(_ flash: StaffFlash, for id: String) {
        table.withLock { $0[id]?.flash = flash }
    }

    func takeFlash(for id: String) -> StaffFlash? {
        table.withLock { table in
            let flash = table[id]?.flash
            table[id]?.flash = nil
            return flash
        }
    }

    /// True when `presented` is this session's CSRF token, compared in constant time.
    static func csrfMatches(_ presented: String?, _ session: Session) -> Bool {
        guard let presented else { return false }
        let a = Array(presented.utf8), b = Array(session.csrfToken.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        for _ in 0..<4 {
            let hex = String(generator.next() as UInt64, radix: 16)
            out += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return out
    }
}

/// A message carried from a successful POST to the page the browser is redirected to.
enum StaffFlash: Sendable, Hashable {
    case signedIn
    case noticePosted(title: String)
    case noticeWithdrawn(title: String)
    /// A withdrawal found the notice already gone.
    case noticeAlreadyGone
    case programme(StaffProgrammeReport)
}
