import Foundation

/// One SQLite value, as bound to a statement or read from a row (the five storage classes).
public enum DatabaseValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    public var isNull: Bool { self == .null }

    /// SQL-literal-like text for error messages: strings quoted and cut after 64
    /// characters, blobs shown by size, so a journal line stays readable.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let s):
            let cut = s.count > 64 ? String(s.prefix(64)) + "…" : s
            return "'" + cut.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let d): return "<\(d.count) bytes>"
        }
    }

    /// The storage class name, as `typeof()` in SQL says it.
    public var storageClass: String {
        switch self {
        case .null: return "null"
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
