import Foundation

/// One result row, copied out of its statement (a value: it outlives the statement).
///
/// Columns are looked up by name, case-insensitively, the leftmost first when a name
/// repeats, as SQLite does.
public struct Row: Sendable, Hashable {
    public let columns: [String]
    public let values: [DatabaseValue]
    /// The query that produced the row, for error messages.
    public let sql: String

    public init(columns: [String], values: [DatabaseValue], sql: String = "") {
        self.columns = columns
        self.values = values
        self.sql = sql
    }

    /// The raw value of `column`, nil when the row has no such column.
    public subscript(column: String) -> DatabaseValue? {
        index(of: column).map { values[$0] }
    }

    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// `column` read as `T`: `let title: String = try row.get("title")`.
    ///
    /// Throws a `DatabaseError` with code `mismatch` when the column is missing or holds
    /// another type (including NULL for a non-optional `T`).
    public func get<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = index(of: column) else {
            throw DatabaseError(code: .mismatch, message: "no column \(column) in the row (columns: \(columns.joined(separator: ", ")))", sql: sql)
        }
        return try get(index)
    }

    /// Column `index` (0-based) read as `T`.
    public func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        let value = values[index]
        guard let converted = T(databaseValue: value) else {
            throw DatabaseError(code: .mismatch, message: "column \(columns[index]) holds \(value.storageClass) \(value), expected \(T.self)", sql: sql)
        }
        return converted
    }

    private func index(of column: String) -> Int? {
        columns.firstIndex(where: { $0.caseInsensitiveCompare(column) == .orderedSame })
    }
}
