import Foundation
import KioskCore

/// `/api/v1/posters` and `/api/v1/posters/ID` (docs/api.md), after `APIRouter` checked the
/// method and the token:
///
/// - `GET /api/v1/posters[?showing]`: every poster (or those in their period now);
/// - `POST /api/v1/posters?title=...&from=YYYY-MM-DD&to=YYYY-MM-DD[&days=1,2][&hours=09:00-18:00]`
///   with the PNG or JPEG file as the body (`image/png`, `image/jpeg` or
///   `application/octet-stream`): 201 with the poster, 422 with the reason (in French for
///   the picture);
/// - `GET /api/v1/posters/ID`, `DELETE /api/v1/posters/ID` (withdraw: 204).
struct PosterRoutes {
    let desk: StaffDesk

    static let acceptedMediaTypes: Set<String> = ["image/png", "image/jpeg", "image/jpg", "application/octet-stream"]

    func respond(_ request: HTTPRequest, item: String?, principal: Principal, query: HTTPFormFields, mediaType: String?) async throws -> HTTPResponse {
        guard let id = item else {
            if request.method == .post {
                if let mediaType, !Self.acceptedMediaTypes.contains(mediaType) {
                    throw HTTPError(.unsupportedMediaType, "a poster is the picture file itself (image/png or image/jpeg), not \(mediaType)")
                }
                let draft = try PosterDraft(fields: query, picture: request.body)
                let poster = try await desk.createPoster(draft, as: principal)
                var response = APIJSON.response(StaffDesk.json(poster), status: .created)
                response.headers.set("Location", "/api/v1/posters/" + PercentEncoding.encode(poster.id))
                return response
            }
            let showing = query["showing"].map { ["", "1", "true", "yes"].contains($0.lowercased()) } ?? false
            let posters = try await desk.posters(showingOnly: showing, as: principal)
            return APIJSON.response(["posters": posters.map(StaffDesk.json)])
        }
        let missing = HTTPError(.notFound, "no poster '\(id.prefix(60))'")
        if request.method == .delete {
            guard try await desk.deletePoster(id: id, as: principal) else { throw missing }
            return HTTPResponse(status: .noContent)
        }
        guard let poster = try await desk.poster(id: id, as: principal) else { throw missing }
        return APIJSON.response(StaffDesk.json(poster))
    }
}
