import Foundation
import KioskCore

/// The steps a withdraw button and its undo share on the notices and posters pages: the
/// form checked (session, CSRF), the item named by `id`, a confirmation first, then the
/// withdrawal and a result on the section's page (post/redirect/get); an item gone
/// meanwhile is said so, not an error.
extension StaffPages {
    /// A section's page with a result first (for refusals and desk errors).
    typealias SectionPage = (Context, StaffPageRenderer.Result, HTTPStatus) async -> HTTPResponse

    /// `POST PAGE/withdraw` (`id`, `confirm`): `find` the item, ask with `confirmation`
    /// unless confirmed, then `withdraw` it (nil: gone meanwhile) and show its flash.
    func withdraw<Item: Sendable>(
        _ context: Context, page: String, gone: StaffFlash, sectionPage: SectionPage,
        find: (String) async throws -> Item?, confirmation: (Item, String) -> HTTPResponse,
        withdraw: (Item, String) async throws -> StaffFlash?
    ) async -> HTTPResponse {
        let session = context.signedIn
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        guard let id = fields["id"], !id.isEmpty else {
            return await sectionPage(context, .init(tone: .error, heading: context.strings.fileNotRead), .badRequest)
        }
        do {
            guard let item = try await find(id) else {
                sessions.setFlash(gone, for: session.id)
                return Self.redirect(page)
            }
            guard fields["confirm"] == "1" else { return confirmation(item, id) }
            sessions.setFlash(try await withdraw(item, id) ?? gone, for: session.id)
            return Self.redirect(page)
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return await sectionPage(context, .init(tone: .error, heading: message), status)
        }
    }

    /// `POST PAGE/undo`: puts back what this session withdrew less than a minute ago
    /// with `restore` (nil: not this page's kind of item; false: it came back already).
    func undo(
        _ context: Context, page: String, tooLate: StaffFlash, sectionPage: SectionPage,
        restore: (StaffSessions.Withdrawn) async throws -> (restored: Bool, flash: StaffFlash)?
    ) async -> HTTPResponse {
        let session = context.signedIn
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success: break
        }
        do {
            guard let withdrawn = sessions.withdrawn(for: session.id, now: clock.now()), let outcome = try await restore(withdrawn) else {
                sessions.setFlash(tooLate, for: session.id)
                return Self.redirect(page)
            }
            sessions.setWithdrawn(nil, for: session.id)
            sessions.setFlash(outcome.restored ? outcome.flash : tooLate, for: session.id)
            return Self.redirect(page)
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return await sectionPage(context, .init(tone: .error, heading: message), status)
        }
    }

    /// The fields of a multipart POST whose CSRF token matches the session's, or the page
    /// refusing it (`back`: the section's page).
    func checkedMultipart(_ context: Context, back: String) -> Result<MultipartFormData, Refusal> {
        let session = context.signedIn, strings = context.strings
        let multipart: MultipartFormData
        do {
            guard let parsed = try MultipartFormData(request: context.request) else {
                return .failure(Refusal(Self.page(context.renderer.message(strings.unsupportedForm, session: session, back: back), status: .unsupportedMediaType)))
            }
            multipart = parsed
        } catch {
            return .failure(Refusal(Self.page(context.renderer.message(strings.fileNotRead, session: session, back: back), status: .badRequest)))
        }
        guard StaffSessions.csrfMatches(multipart.text("csrf"), session) else {
            return .failure(Refusal(Self.page(context.renderer.message(strings.forbiddenForm, session: session), status: .forbidden)))
        }
        return .success(multipart)
    }
}
