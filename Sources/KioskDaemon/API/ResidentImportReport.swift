import Foundation

/// The answer to a residents import (`POST /api/v1/residents`).
public struct ResidentImportReport: Sendable, Hashable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    /// Why the file was refused (nothing changed); empty when applied.
    public var errors: [ProgrammePushReport.Issue] = []

    public var applied: Bool { errors.isEmpty }

    public var json: [String: Any] {
        [
            "added": added, "updated": updated, "removed": removed,
            "errors": errors.map { ["line": APIJSON.orNull($0.line), "message": $0.message] as [String: Any] },
        ]
    }
}
