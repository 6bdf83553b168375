import Foundation
import KioskCore
import Synchronization

/// The signed-in browsers of the staff page, in memory: a random session id (the only
/// thing the cookie holds) mapped to the principal, the digest of the token it signed in
/// with, a per-session CSRF token and an expiry.
///
/// The token itself is never kept: only its digest (already in the configuration), so
/// that every request re-checks that the token is still configured with the same role
/// (`APITokenTable.isCurrent`): removing or changing it and reloading ends its sessions at
/// once. Sessions also die with the daemon, when they expire, on sign-out, and all at once
/// for one token ("sign out everywhere"). The table is bounded: when full, the session
/// closest to expiry is dropped; files kept for a corrected retry share a byte budget.
public final class StaffSessions: Sendable {
    /// One signed-in browser.
    public struct Session: Sendable, Hashable {
        /// 256 random bits as 64 hex digits: the cookie value.
        public let id: String
        public let principal: Principal
        /// The digest of the token it signed in with.
        public let tokenDigest: TokenDigest
        /// 256 random bits as 64 hex digits, sent back in every form.
        public let csrfToken: String
        public let expires: Date
    }

    /// A programme file kept after an upload that did not go through (errors, or a
    /// colleague's programme to confirm replacing), so it can be sent again.
    struct KeptUpload: Sendable, Hashable {
        var fileName: String
        var content: [UInt8]
        /// The source name it was sent under.
        var name: String
        var checkOnly: Bool
        var kept: Date
    }

    /// A notice or a poster just withdrawn, which the undo button can put back.
    struct Withdrawn: Sendable, Hashable {
        enum Item: Sendable, Hashable {
            case notice(Notice)
            /// With its picture's bytes (its file may go with the poster: see `StaffDesk.deletePoster`).
            case poster(Poster, picture: [UInt8])
        }
        var item: Item
        var createdBy: String
        var at: Date

        /// Bytes held for the undo (counted in `keptBytesBudget`).
        var bytes: Int {
            if case .poster(_, let picture) = item { return picture.count }
            return 0
        }
    }

    /// How long a session lasts after sign-in (not extended by use: a lost phone stops
    /// working at the end of the day).
    public let lifetime: TimeInterval
    public let maximumSessions: Int
    /// Bytes of kept files and withdrawn posters' pictures over all sessions; the oldest
    /// are forgotten beyond it.
    public let keptBytesBudget: Int
    /// How long a withdrawn notice or poster can be put back.
    public static let undoWindow: TimeInterval = 60

    private struct Entry {
        var session: Session
        /// A one-shot message for the next page (post/redirect/get).
        var flash: StaffFlash?
        var kept: KeptUpload?
        var withdrawn: Withdrawn?
    }
    private let table = Mutex<[String: Entry]>([:])

    public init(lifetime: TimeInterval = 12 * 3600, maximumSessions: Int = 256, keptBytesBudget: Int = 16 << 20) {
        self.lifetime = lifetime
        self.maximumSessions = maximumSessions
        self.keptBytesBudget = keptBytesBudget
    }

    /// Opens a session for the configured `token`.
    public func open(for token: KioskConfig.Token, now: Date) -> Session {
        let session = Session(
            id: Self.randomHex(), principal: Principal(name: token.name, role: token.role), tokenDigest: token.digest,
            csrfToken: Self.randomHex(), expires: now + lifetime)
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

    /// Closes every session opened with the token of this digest ("sign out everywhere");
    /// returns how many.
    @discardableResult
    public func closeAll(tokenDigest: TokenDigest) -> Int {
        table.withLock { table in
            let before = table.count
            table = table.filter { $0.value.session.tokenDigest != tokenDigest }
            return before - table.count
        }
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

    /// Keeps `upload` for the session (replacing its previous one), within the byte budget.
    func keep(_ upload: KeptUpload, for id: String) {
        table.withLock { table in
            guard table[id] != nil, upload.content.count <= keptBytesBudget else { return }
            table[id]?.kept = upload
            Self.trim(&table, to: keptBytesBudget, sparing: id)
        }
    }

    /// Forgets the oldest kept files and withdrawn pictures of sessions other than
    /// `spared` until all of them together take at most `budget` bytes.
    private static func trim(_ table: inout [String: Entry], to budget: Int, sparing spared: String) {
        var total = table.values.reduce(0) { $0 + ($1.kept?.content.count ?? 0) + ($1.withdrawn?.bytes ?? 0) }
        while total > budget {
            var oldest: (key: String, at: Date, isKept: Bool)?
            for (key, entry) in table where key != spared {
                if let kept = entry.kept, oldest == nil || kept.kept < oldest!.at { oldest = (key, kept.kept, true) }
                if let withdrawn = entry.withdrawn, withdrawn.bytes > 0, oldest == nil || withdrawn.at < oldest!.at {
                    oldest = (key, withdrawn.at, false)
                }
            }
            guard let oldest else { return }
            if oldest.isKept {
                total -= table[oldest.key]?.kept?.content.count ?? 0
                table[oldest.key]?.kept = nil
            } else {
                total -= table[oldest.key]?.withdrawn?.bytes ?? 0
                table[oldest.key]?.withdrawn = nil
            }
        }
    }

    func kept(for id: String) -> KeptUpload? { table.withLock { $0[id]?.kept } }

    func forgetKept(for id: String) { table.withLock { $0[id]?.kept = nil } }

    /// Remembers what the session withdrew, for the undo; a poster whose picture is over
    /// the byte budget is not remembered (no undo is offered then).
    func setWithdrawn(_ withdrawn: Withdrawn?, for id: String) {
        table.withLock { table in
            guard let withdrawn, withdrawn.bytes > 0 else {
                table[id]?.withdrawn = withdrawn
                return
            }
            table[id]?.withdrawn = withdrawn.bytes <= keptBytesBudget ? withdrawn : nil
            Self.trim(&table, to: keptBytesBudget, sparing: id)
        }
    }

    /// The notice or poster withdrawn by this session within the undo window, if any.
    func withdrawn(for id: String, now: Date) -> Withdrawn? {
        table.withLock { table in
            guard let withdrawn = table[id]?.withdrawn else { return nil }
            guard now.timeIntervalSince(withdrawn.at) < Self.undoWindow else {
                table[id]?.withdrawn = nil
                return nil
            }
            return withdrawn
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
    case signedOutEverywhere(count: Int)
    case noticePosted(title: String)
    case noticeUpdated(title: String)
    /// With the undo button while the window lasts.
    case noticeWithdrawn(title: String)
    case noticeRestored(title: String)
    /// A withdrawal or an edit found the notice already gone.
    case noticeAlreadyGone
    case undoTooLate
    case posterPosted(title: String)
    /// With the undo button while the window lasts.
    case posterWithdrawn(title: String)
    case posterRestored(title: String)
    case posterAlreadyGone
    case posterUndoTooLate
    case programme(ProgrammePushReport, fileName: String)
    case programmeWithdrawn(name: String)
    case alertRaised(title: String)
    case alertWithdrawn
    case noAlert
}
