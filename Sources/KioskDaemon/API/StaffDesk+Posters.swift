import Foundation
import KioskCore
import KioskStore

extension StaffDesk {
    /// Every poster, or only those in their period now.
    public func posters(showingOnly: Bool, as principal: Principal) async throws -> [Poster] {
        try require(.staff, principal)
        let now = clock.now(), zone = config.venue.timeZone
        return try await onQueue { store in showingOnly ? try store.posters.showing(at: now, timeZone: zone) : try store.posters.all() }
    }

    public func poster(id: String, as principal: Principal) async throws -> Poster? {
        try require(.staff, principal)
        return try await onQueue { store in try store.posters.get(id: id) }
    }

    /// Checks the draft's picture (decoded off the cooperative pool), stores the file by
    /// content hash in `<state>/pictures/`, then the poster and its audit line in one
    /// transaction. Throws 422 (French reason) for a picture the screen could not show.
    public func createPoster(_ draft: PosterDraft, as principal: Principal) async throws -> Poster {
        try require(.staff, principal)
        let checked = try await offPool {
            var checked = draft
            try checked.checkPicture()
            return checked
        }
        let actor = principal.name, now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        let poster = try await onQueue { store -> Poster in
            let files = try Self.pictureFiles(store)
            let hash = try files.store(checked.picture)
            return try store.database.transaction {
                var id = Self.newPosterID()
                while try store.posters.get(id: id) != nil { id = Self.newPosterID() }
                let poster = Poster(id: id, title: checked.title, from: checked.from, to: checked.to, weekdays: checked.weekdays,
                                    hours: checked.hours, picture: hash, posted: now)
                try store.posters.create(poster, createdBy: actor)
                try store.audit.record(actor: actor, action: "poster.create",
                                       detail: "\(id) (\(checked.pictureWidth)x\(checked.pictureHeight), \(checked.picture.count) bytes, \(checked.from)..\(checked.to))", at: now)
                return poster
            }
        }
        logger.info("staff API: \(actor) posted poster \(poster.id)")
        await storeChanged()
        return poster
    }

    /// Withdraws poster `id` and deletes its picture file when no other poster uses it;
    /// false when there is no such poster.
    public func deletePoster(id: String, as principal: Principal) async throws -> Bool {
        try require(.staff, principal)
        let actor = principal.name, now = clock.now()
        let removed = try await onQueue { store -> Bool in
            let removed = try store.database.transaction {
                guard try store.posters.delete(id: id) else { return false }
                try store.audit.record(actor: actor, action: "poster.delete", detail: id, at: now)
                return true
            }
            if removed { try Self.pictureFiles(store).removeAll(except: try store.referencedPictureHashes()) }
            return removed
        }
        if removed {
            logger.info("staff API: \(actor) withdrew poster \(id)")
            await storeChanged()
        }
        return removed
    }

    /// The picture files beside the database (`<state>/pictures`).
    static func pictureFiles(_ store: StateStore) throws -> PictureFileStore {
        guard !store.database.isInMemory else { throw HTTPError(.serviceUnavailable, "posters need a state directory on disk") }
        return PictureFileStore(stateDirectory: (store.database.path as NSString).deletingLastPathComponent)
    }

    static func newPosterID() -> String {
        let digits = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "p-" + String(repeating: "0", count: 8 - digits.count) + digits
    }

}
