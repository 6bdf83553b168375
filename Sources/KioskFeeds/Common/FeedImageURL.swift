import Foundation

/// An event picture's address as feeds give it, checked before it is stored: an absolute
/// `http` or `https` URL with a host, at most `maxLength` bytes, without spaces or control
/// characters. Issue #16 fetches them; the parsers only read and check.
public enum FeedImageURL {
    public static let maxLength = 2_048

    /// The URL as written (trimmed), or nil when it is not one we would fetch.
    public static func validated(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= maxLength,
              trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        let lower = trimmed.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = trimmed.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = trimmed.dropFirst(7)
        } else {
            return nil
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.hasPrefix("@"), !host.hasPrefix(":") else { return nil }
        return trimmed
    }
}
