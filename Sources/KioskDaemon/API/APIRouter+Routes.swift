import Foundation
import KioskCore

extension APIRouter {
    /// `/healthz`, the feeds, programme, notices, residents, check-in, screen and audit.
    static let coreRoutes: [APIRoute] = [
        APIRoute("healthz", [.get], role: nil) { router, _ in await router.health() },
        APIRoute("feeds/programme.ics", [.get], role: nil) { router, request in try await router.feed(.iCalendar, request.http) },
        APIRoute("feeds/programme.json", [.get], role: nil) { router, request in try await router.feed(.jsonLD, request.http) },

        APIRoute("api/v1/programme", [.get], role: .staff) { router, request in
            APIContract.response(ProgrammeSourceList(sources: try await router.desk.programmeSources(as: try request.caller)))
        },
        APIRoute("api/v1/programme/{}", [.put, .delete], role: .staff) { router, request in
            let name = request.parameters[0], caller = try request.caller
            if request.http.method == .delete {
                guard try await router.desk.removeProgramme(name: name, as: caller) else {
                    throw HTTPError(.notFound, "no pushed programme named '\(name.prefix(60))'")
                }
                return HTTPResponse(status: .noContent)
            }
            let report = try await router.desk.pushProgramme(
                name: name, body: request.http.body, mediaType: try request.mediaType(), dryRun: try request.flag("dry-run"), as: caller)
            return APIContract.response(report, status: report.errors.isEmpty ? .ok : .unprocessableContent)
        },

        APIRoute("api/v1/notices", [.get, .post], role: .staff) { router, request in
            let caller = try request.caller
            if request.http.method == .post {
                let draft = try await router.noticeDraft(request)
                let notice = try await router.desk.createNotice(draft, as: caller)
                var response = APIContract.response(NoticeBody(notice), status: .created)
                response.headers.set("Location", "/api/v1/notices/" + PercentEncoding.encode(notice.id))
                return response
            }
            let notices = try await router.desk.notices(all: try request.flag("all"), as: caller)
            return APIContract.response(NoticeList(notices: notices.map(NoticeBody.init)))
        },
        APIRoute("api/v1/notices/{}", [.get, .put, .delete], role: .staff) { router, request in
            let id = request.parameters[0], caller = try request.caller
            let missing = HTTPError(.notFound, "no notice '\(id.prefix(60))'")
            switch request.http.method {
            case .delete:
                guard try await router.desk.deleteNotice(id: id, as: caller) else { throw missing }
                return HTTPResponse(status: .noContent)
            case .put:
                let draft = try await router.noticeDraft(request)
                guard let notice = try await router.desk.replaceNotice(id: id, with: draft, as: caller) else { throw missing }
                return APIContract.response(NoticeBody(notice))
            default:
                guard let notice = try await router.desk.notice(id: id, as: caller) else { throw missing }
                return APIContract.response(NoticeBody(notice))
            }
        },

        APIRoute("api/v1/residents", [.get, .post], role: .maintainer) { router, request in
            let caller = try request.caller
            if request.http.method == .post {
                let report = try await router.desk.importResidents(
                    request.http.body, mediaType: try request.mediaType(), replace: try request.flag("replace"), as: caller)
                return APIContract.response(report, status: report.applied ? .ok : .unprocessableContent)
            }
            return APIContract.response(ResidentList(residents: try await router.desk.residents(as: caller).map(ResidentBody.init)))
        },
        APIRoute("api/v1/presence", [.get], role: .maintainer) { router, request in
            APIContract.response(PresenceList(present: try await router.desk.presence(as: try request.caller).map(PresenceBody.init)))
        },
        APIRoute("api/v1/attendance", [.get], role: .maintainer) { router, request in
            try await router.attendance(request)
        },
        APIRoute("api/v1/screen", [.get], role: .staff) { router, request in
            let format = try request.query()["format"] ?? "text"
            guard format == "text" || format == "json" else { throw HTTPError(.badRequest, "format must be text or json") }
            let screen = try await router.desk.screen(as: try request.caller)
            return format == "json" ? APIContract.response(ScreenBody(screen.model)) : .text(screen.text)
        },
        APIRoute("api/v1/audit", [.get], role: .maintainer) { router, request in
            let limitText = try request.query()["limit"] ?? "100"
            guard let limit = Int(limitText), (1...1000).contains(limit) else { throw HTTPError(.badRequest, "limit must be a number from 1 to 1000") }
            let entries = try await router.desk.auditEntries(limit: limit, as: try request.caller)
            return APIContract.response(AuditList(entries: entries.map { AuditEntryBody(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.detail) }))
        },
    ]

    /// `/api/v1/alert`: the alert that takes over the screen.
    static let alertRoutes: [APIRoute] = [
        APIRoute("api/v1/alert", [.get, .post, .delete], role: .staff) { router, request in
            let caller = try request.caller
            switch request.http.method {
            case .post:
                let alertRequest = try await request.body(AlertRequest.self, desk: router.desk)
                let alert = try await router.desk.raiseAlert(alertRequest, as: caller)
                return APIContract.response(AlertBody(alert), status: .created)
            case .delete:
                guard try await router.desk.withdrawAlert(as: caller) != nil else { throw HTTPError(.notFound, "no alert is on screen") }
                return HTTPResponse(status: .noContent)
            default:
                guard let alert = try await router.desk.alert(as: caller) else { throw HTTPError(.notFound, "no alert is on screen") }
                return APIContract.response(AlertBody(alert))
            }
        }
    ]

    // MARK: Endpoints

    func health() async -> HTTPResponse {
        let (body, problem) = await desk.health()
        if let problem { logger.error("healthz: the store cannot be read: \(problem)") }
        var response = APIContract.response(body, status: problem == nil ? .ok : .serviceUnavailable)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func feed(_ format: ProgrammeExportFormat, _ request: HTTPRequest) async throws -> HTTPResponse {
        let export = try await desk.exportProgramme(format)
        // Open data: a partner's web page on any origin may read the feeds (no credentials
        // are involved: they are public).
        let headers: HTTPHeaders = ["ETag": export.etag, "Cache-Control": Self.feedCacheControl, "Access-Control-Allow-Origin": "*"]
        if Self.noneMatch(request.headers.listValues("If-None-Match"), etag: export.etag) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        var response = HTTPResponse(status: .ok, headers: headers, body: export.body)
        response.headers.set("Content-Type", export.contentType)
        return response
    }

    func attendance(_ request: APIRequest) async throws -> HTTPResponse {
        let query = try request.query()
        func day(_ name: String) throws(HTTPError) -> CivilDate? {
            guard let text = query[name] else { return nil }
            guard let date = CivilDate(iso: text), date.isValid else { throw HTTPError(.badRequest, "\(name) must be a day YYYY-MM-DD") }
            return date
        }
        let from = try day("from") ?? desk.today
        let to = try day("to") ?? from
        guard from <= to else { throw HTTPError(.badRequest, "from must not be after to") }
        guard to.dayNumber - from.dayNumber <= 3660 else { throw HTTPError(.badRequest, "at most ten years at a time") }
        let by = query["by"] ?? "day"
        guard let grouping = AttendanceQuery.Grouping(rawValue: by) else {
            throw HTTPError(.badRequest, "by must be one of \(AttendanceQuery.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let body = try await desk.attendance(AttendanceQuery(from: from, to: to, grouping: grouping), as: try request.caller)
        return APIContract.response(body)
    }

    /// A notice from a JSON body (`application/json`, or no Content-Type), decoded off the
    /// cooperative pool (a body may be as large as `[http] max-body`).
    func noticeDraft(_ request: APIRequest) async throws -> NoticeDraft {
        let notice = try await request.body(NoticeRequest.self, desk: desk)
        return try NoticeDraft.parse(notice, timeZone: desk.config.venue.timeZone)
    }
}
