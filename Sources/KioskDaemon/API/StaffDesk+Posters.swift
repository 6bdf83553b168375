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
    /// transaction. Throws 422 (reason in `language`, French by default) for a picture the
    /// screen could not show.
    public func createPoster(_ draft: PosterDraft, language: Language = .fr, as principal: Principal) async throws -> Poster {
        try require(.staff, principal)
        let checked = try await offPool {
            var checked = draft
            try checked.checkPicture(language: language)
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

    /// Withdraws poster `id`, then collects the picture files nothing names (its own goes
    /// there, or at the nightly collection when younger than
    /// `PictureFileStore.minimumUnusedAge`); false when there is no such poster.
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

    /// Who created poster `id`; nil when there is none.
    public func posterCreator(id: String, as principal: Principal) async throws -> String? {
        try require(.staff, principal)
        return try await onQueue { store in try store.posters.createdBy(id: id) }
    }

    /// The picture file of poster `id` as stored (at most `PictureFileReader`'s limit);
    /// nil when there is no such poster or file. Read off the store's queue.
    public func posterPicture(id: String, as principal: Principal) async throws -> (hash: String, bytes: [UInt8])? {
        try require(.staff, principal)
        let found = try await onQueue { store -> (PictureFileStore, String)? in
            guard let poster = try store.posters.get(id: id) else { return nil }
            return (try Self.pictureFiles(store), poster.picture)
        }
        guard let (files, hash) = found else { return nil }
        return try await offPool {
            try files.contents(of: hash, maximumBytes: PictureFileReader.defaultMaximumBytes).map { (hash, $0) }
        }
    }

    /// Puts back a poster withdrawn a moment ago (the staff page's undo), with its picture
    /// stored again; false when a poster with its id exists already. Audited as
    /// `poster.restore`.
    public func restorePoster(_ poster: Poster, picture: [UInt8], createdBy: String, as principal: Principal) async throws -> Bool {
        // The file first (outside the transaction: a file no record names is collected).
        try await restore("poster", id: poster.id, as: principal, before: { store in
            guard try store.posters.get(id: poster.id) == nil else { return }
            guard try Self.pictureFiles(store).store(picture) == poster.picture else {
                throw HTTPError(.conflict, "the picture kept for poster \(poster.id) is not its own")
            }
        }) { store in
            guard try store.posters.get(id: poster.id) == nil else { return false }
            try store.posters.create(poster, createdBy: createdBy)
            return true
        }
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
