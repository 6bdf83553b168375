import Foundation
import KioskCore

/// A Swift value that can be bound to a statement and read back from a column.
///
/// The store's conventions live here, once: `Bool` is an integer 0/1, `Date` is whole
/// Unix seconds (UTC, the fraction dropped, rounding towards the past), `CivilDate` is
/// `YYYY-MM-DD` text. `init?(databaseValue:)` returns nil when the stored value does not
/// have the expected type (a `Row` then throws a `mismatch` error naming the column).
public protocol DatabaseValueConvertible {
    var databaseValue: DatabaseValue { get }
    init?(databaseValue: DatabaseValue)
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
    public init?(databaseValue: DatabaseValue) { self = databaseValue }
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self) }
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let v) = databaseValue else { return nil }
        self = v
    }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let v) = databaseValue, let i = Int(exactly: v) else { return nil }
        self = i
    }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .real(self) }
    /// Integers are accepted too: SQLite stores `1.0` in a REAL column as an integer
    /// on disk, and a column without affinity keeps whatever was written.
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .real(let v): self = v
        case .integer(let v): self = Double(v)
        default: return nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let v) = databaseValue else { return nil }
        self = v != 0
    }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }
    public init?(databaseValue: DatabaseValue) {
        guard case .text(let s) = databaseValue else { return nil }
        self = s
    }
}

extension Data: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .blob(self) }
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .blob(let d): self = d
        case .text(let s): self = Data(s.utf8)
        default: return nil
        }
    }
}

extension Date: DatabaseValueConvertible {
    /// Whole Unix seconds, floored: 12:00:00.9 is stored as 12:00:00.
    /// Instants beyond ±2.9e11 years (or NaN) are clamped rather than trapping.
    public var databaseValue: DatabaseValue {
        let seconds = timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite else { return .integer(seconds.isNaN ? 0 : (seconds > 0 ? Int64.max : Int64.min)) }
        return .integer(Int64(min(max(seconds, -9.2e18), 9.2e18)))
    }
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let v) = databaseValue else { return nil }
        self = Date(timeIntervalSince1970: TimeInterval(v))
    }
}

extension CivilDate: DatabaseValueConvertible {
    /// `YYYY-MM-DD`, which sorts and compares correctly as text in SQL.
    public var databaseValue: DatabaseValue { .text(description) }
    public init?(databaseValue: DatabaseValue) {
        guard case .text(let s) = databaseValue, let date = CivilDate(iso: s) else { return nil }
        self = date
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .none: return .null
        case .some(let v): return v.databaseValue
        }
    }
    /// NULL reads as `.some(nil)`; a non-NULL value of the wrong type as nil (a mismatch).
    public init?(databaseValue: DatabaseValue) {
        if databaseValue == .null { self = .none; return }
        guard let v = Wrapped(databaseValue: databaseValue) else { return nil }
        self = .some(v)
    }
}

extension DatabaseValueConvertible where Self: RawRepresentable, RawValue == String {
    /// Enums with string raw values are stored as their raw value.
    public var databaseValue: DatabaseValue { .text(rawValue) }
    public init?(databaseValue: DatabaseValue) {
        guard case .text(let s) = databaseValue, let v = Self(rawValue: s) else { return nil }
        self = v
    }
}
