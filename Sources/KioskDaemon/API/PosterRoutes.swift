import Foundation
import KioskCore

extension APIRouter {
    /// `/api/v1/posters` and `/api/v1/posters/ID` (docs/api.md):
    ///
    /// - `GET /api/v1/posters[?showing]`: every poster (or those in their period now);
    /// - `POST /api/v1/posters?title=...&from=YYYY-MM-DD&to=YYYY-MM-DD[&days=1,2][&hours=09:00-18:00]`
    ///   with the PNG or JPEG file as the body (`image/png`, `image/jpeg` or
    ///   `application/octet-stream`): 201 with the poster, 422 with the reason (in French for
    ///   the picture);
    /// - `GET /api/v1/posters/ID`, `DELETE /api/v1/posters/ID` (withdraw: 204).
    static let posterRoutes: [APIRoute] = [
        APIRoute("api/v1/posters", [.get, .post], role: .staff) { router, request in
            let caller = try request.caller
            if request.http.method == .post {
                if let mediaType = try request.mediaType(), !acceptedPosterTypes.contains(mediaType) {
                    throw HTTPError(.unsupportedMediaType, "a poster is the picture file itself (image/png or image/jpeg), not \(mediaType)")
                }
                let draft = try PosterDraft(fields: try request.query(), picture: request.http.body)
                let poster = try await router.desk.createPoster(draft, as: caller)
                var response = APIContract.response(PosterBody(poster), status: .created)
                response.headers.set("Location", "/api/v1/posters/" + PercentEncoding.encode(poster.id))
                return response
            }
            let showing = try request.query()["showing"].map { ["", "1", "true", "yes"].contains($0.lowercased()) } ?? false
            let posters = try await router.desk.posters(showingOnly: showing, as: caller)
            return APIContract.response(PosterList(posters: posters.map(PosterBody.init)))
        },
        APIRoute("api/v1/posters/{}", [.get, .delete], role: .staff) { router, request in
            let id = request.parameters[0], caller = try request.caller
            let missing = HTTPError(.notFound, "no poster '\(id.prefix(60))'")
            if request.http.method == .delete {
                guard try await router.desk.deletePoster(id: id, as: caller) else { throw missing }
                return HTTPResponse(status: .noContent)
            }
            guard let poster = try await router.desk.poster(id: id, as: caller) else { throw missing }
            return APIContract.response(PosterBody(poster))
        },
    ]

    static let acceptedPosterTypes: Set<String> = ["image/png", "image/jpeg", "image/jpg", "application/octet-stream"]
}
