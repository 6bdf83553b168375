import Foundation

/// An INI file as maintainers know it from systemd units and git: `[section]` or
/// `[section "name"]` headers, `key = value` lines, `#` and `;` comment lines.
///
/// This is the syntax layer only; `KioskConfig` gives the keys their meaning. Every
/// entry keeps its line number so that errors read `file:line: message`.
public struct ConfigFile: Sendable, Equatable {
    /// One `key = value` line.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    /// One section and the entries under it, in file order.
    public struct Section: Sendable, Equatable {
        public var name: String
        /// The quoted name of `[feed "mixeur"]`, nil for `[venue]`.
        public var argument: String?
        public var line: Int
        public var entries: [Entry]
    }

    public var path: String
    public var sections: [Section]

    /// Parses `text`; `path` is only used in error messages.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        var sections: [Section] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                sections.append(try parseHeader(trimmed, path: path, line: lineNumber))
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: lineNumber, message: "expected 'key = value' or '[section]', found '\(trimmed.prefix(40))'")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            var value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw ConfigError(path: path, line: lineNumber, message: "invalid key '\(key.prefix(40))'")
            }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard !sections.isEmpty else {
                throw ConfigError(path: path, line: lineNumber, message: "'\(key)' appears before any [section]")
            }
            sections[sections.count - 1].entries.append(Entry(key: key.lowercased(), value: value, line: lineNumber))
        }
        return ConfigFile(path: path, sections: sections)
    }

    private static func parseHeader(_ text: String, path: String, line: Int) throws(ConfigError) -> Section {
        guard text.hasSuffix("]") else {
            throw ConfigError(path: path, line: line, message: "section header '\(text.prefix(40))' is missing its closing ']'")
        }
        let inner = text.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        var name = inner
        var argument: String?
        if let space = inner.firstIndex(of: " ") {
            name = String(inner[..<space])
            let rest = inner[space...].trimmingCharacters(in: .whitespaces)
            guard rest.count >= 2, rest.hasPrefix("\""), rest.hasSuffix("\"") else {
                throw ConfigError(path: path, line: line, message: "section name must look like [\(name) \"name\"]")
            }
            argument = String(rest.dropFirst().dropLast())
            if argument!.isEmpty {
                throw ConfigError(path: path, line: line, message: "empty name in [\(name) \"\"]")
            }
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw ConfigError(path: path, line: line, message: "invalid section name '[\(inner.prefix(40))]'")
        }
        return Section(name: name.lowercased(), argument: argument, line: line, entries: [])
    }
}

/// A configuration problem a maintainer can fix: where, and what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form editors and compilers use.
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
