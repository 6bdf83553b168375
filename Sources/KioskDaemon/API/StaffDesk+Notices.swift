import Foundation
import KioskCore
import KioskStore

extension StaffDesk {
    /// The notices shown now (or every stored one with `all`), urgent first, newest first.
    public func notices(all: Bool, as principal: Principal) async throws -> [Notice] {
        try require(.staff, principal)
        let now = clock.now(), zone = config.venue.timeZone
        return try await onQueue { store in all ? try store.notices.all() : try store.notices.live(at: now, timeZone: zone) }
    }

    public func notice(id: String, as principal: Principal) async throws -> Notice? {
        try require(.staff, principal)
        return try await onQueue { store in try store.notices.get(id: id) }
    }

    /// Posts a new notice now, with a generated id (`n-` and 8 hex digits).
    public func createNotice(_ draft: NoticeDraft, as principal: Principal) async throws -> Notice {
        try require(.staff, principal)
        let actor = principal.name, now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        let notice = try await onQueue { store -> Notice in
            try store.database.transaction {
                var id = Self.newNoticeID()
                while try store.notices.get(id: id) != nil { id = Self.newNoticeID() }
                let notice = try draft.notice(id: id, posted: now)
                try store.notices.create(notice, createdBy: actor)
                try store.audit.record(actor: actor, action: "notice.create", detail: "\(id) (\(notice.kind.rawValue))", at: now)
                return notice
            }
        }
        logger.info("staff API: \(actor) posted notice \(notice.id)")
        await storeChanged()
        return notice
    }

    /// Replaces notice `id` (keeping its posting time); nil when there is none.
    public func replaceNotice(id: String, with draft: NoticeDraft, as principal: Principal) async throws -> Notice? {
        try require(.staff, principal)
        let actor = principal.name, now = clock.now()
        let notice = try await onQueue { store -> Notice? in
            try store.database.transaction {
                guard let existing = try store.notices.get(id: id) else { return nil }
                let notice = try draft.notice(id: id, posted: existing.posted)
                try store.notices.update(notice)
                try store.audit.record(actor: actor, action: "notice.update", detail: id, at: now)
                return notice
            }
        }
        if notice != nil {
            logger.info("staff API: \(actor) updated notice \(id)")
            await storeChanged()
        }
        return notice
    }

    /// Withdraws notice `id`; false when there is none.
    public func deleteNotice(id: String, as principal: Principal) async throws -> Bool {
        try require(.staff, principal)
        let actor = principal.name, now = clock.now()
        let removed = try await onQueue { store -> Bool in
            try store.database.transaction {
                guard try store.notices.delete(id: id) else { return false }
                try store.audit.record(actor: actor, action: "notice.delete", detail: id, at: now)
                return true
            }
        }
        if removed {
            logger.info("staff API: \(actor) withdrew notice \(id)")
            await storeChanged()
        }
        return removed
    }

    /// Puts back a notice withdrawn a moment ago (the staff page's undo), with its id,
    /// posting time and author; false when a notice with that id exists again.
    public func restoreNotice(_ notice: Notice, createdBy: String, as principal: Principal) async throws -> Bool {
        try await restore("notice", id: notice.id, as: principal) { store in
            guard try store.notices.get(id: notice.id) == nil else { return false }
            try store.notices.create(notice, createdBy: createdBy)
            return true
        }
    }

    /// Puts back a `kind` (notice, poster) withdrawn a moment ago with `insert`, which
    /// runs in a transaction with the audit line `KIND.restore` and returns false when
    /// the record exists again (nothing is written then); the screen follows.
    func restore(_ kind: String, id: String, as principal: Principal, before: (@Sendable (StateStore) throws -> Void)? = nil,
                 insert: @escaping @Sendable (StateStore) throws -> Bool) async throws -> Bool {
        try require(.staff, principal)
        let actor = principal.name, now = clock.now()
        let restored = try await onQueue { store -> Bool in
            try before?(store)
            return try store.database.transaction {
                guard try insert(store) else { return false }
                try store.audit.record(actor: actor, action: kind + ".restore", detail: id, at: now)
                return true
            }
        }
        if restored {
            logger.info("staff API: \(actor) put back \(kind) \(id)")
            await storeChanged()
        }
        return restored
    }

    /// Who created notice `id`; nil when there is none.
    public func noticeCreator(id: String, as principal: Principal) async throws -> String? {
        try require(.staff, principal)
        return try await onQueue { store in try store.notices.createdBy(id: id) }
    }

    static func newNoticeID() -> String {
        "n-" + String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPaddedWithZeros(to: 8)
    }
}

extension String {
    fileprivate func leftPaddedWithZeros(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
