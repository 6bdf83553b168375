import CSQLite
import Foundation

/// A prepared SQLite statement; finalized when the last reference goes.
///
/// Owned by the same actor or queue as its ``Database`` (neither is `Sendable`). A
/// statement keeps its database open while it lives. Parameters are 1-based, as in
/// SQLite; named parameters may be written with or without their prefix (`:id` or `id`).
/// Columns are 0-based.
public final class Statement {
    public let database: Database
    /// The SQL text of this one statement.
    public let sql: String
    let handle: OpaquePointer
    /// What is bound now, for error messages (index 0 is parameter 1).
    private var bound: [DatabaseValue]

    init(database: Database, sql: String, handle: OpaquePointer) {
        self.database = database
        self.sql = sql
        self.handle = handle
        self.bound = Array(repeating: .null, count: Int(sqlite3_bind_parameter_count(handle)))
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// How many `?`, `?NNN`, `:name` parameters the statement has.
    public var parameterCount: Int { bound.count }

    // MARK: Binding

    /// Binds `value` to parameter `index` (1-based).
    public func bind(_ value: (any DatabaseValueConvertible)?, at index: Int) throws {
        let value = value?.databaseValue ?? .null
        guard index >= 1, index <= bound.count else {
            throw error(.range, "parameter \(index) out of range: the statement has \(bound.count)")
        }
        let i = Int32(index)
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, i)
        case .integer(let v): code = sqlite3_bind_int64(handle, i, v)
        case .real(let v): code = sqlite3_bind_double(handle, i, v)
        case .text(let s): code = sqlite3_bind_text(handle, i, s, -1, kiosk_sqlite_transient())
        case .blob(let d):
            code = d.withUnsafeBytes { raw in
                // A zero-length blob must still bind as a blob, not NULL: give SQLite a
                // non-null pointer.
                sqlite3_bind_blob(handle, i, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), kiosk_sqlite_transient())
            }
        }
        bound[index - 1] = value
        guard code == SQLITE_OK else { throw database.lastError(code, sql: sql, arguments: bound) }
    }

    /// Binds `value` to the named parameter (`":id"`, `"@id"`, `"$id"`, or `"id"` for `:id`).
    public func bind(_ value: (any DatabaseValueConvertible)?, named name: String) throws {
        let full = name.first.map { ":@$".contains($0) } == true ? name : ":" + name
        let index = Int(sqlite3_bind_parameter_index(handle, full))
        guard index > 0 else { throw error(.range, "no parameter named \(full)") }
        try bind(value, at: index)
    }

    /// Binds every parameter in order; the count must match exactly.
    public func bind(_ arguments: [(any DatabaseValueConvertible)?]) throws {
        guard arguments.count == bound.count else {
            throw error(.range, "\(arguments.count) arguments given, the statement has \(bound.count) parameters")
        }
        for (offset, value) in arguments.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Binds named parameters; every parameter of the statement must be given.
    public func bind(named arguments: [String: (any DatabaseValueConvertible)?]) throws {
        for (name, value) in arguments { try bind(value, named: name) }
        guard arguments.count == bound.count else {
            throw error(.range, "\(arguments.count) named arguments given, the statement has \(bound.count) parameters")
        }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
        bound = Array(repeating: .null, count: bound.count)
    }

    /// The values bound now, in parameter order.
    public var arguments: [DatabaseValue] { bound }

    // MARK: Stepping

    /// Runs one step: true when a row is ready to read, false when the statement is done.
    /// After `false` (or an error) the next `step` starts the statement again.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            // sqlite3_reset returns the same error; the message must be read first.
            let failure = database.lastError(code, sql: sql, arguments: bound)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Binds `arguments` (when given) and runs the statement to completion, ignoring rows.
    public func execute(_ arguments: [(any DatabaseValueConvertible)?]? = nil) throws {
        reset()
        if let arguments { try bind(arguments) }
        while try step() {}
    }

    /// Binds `arguments` and collects every row.
    public func rows(_ arguments: [(any DatabaseValueConvertible)?]? = nil) throws -> [Row] {
        reset()
        if let arguments { try bind(arguments) }
        var rows: [Row] = []
        while try step() { rows.append(row) }
        return rows
    }

    // MARK: Columns of the current row

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(at index: Int) -> String {
        String(cString: sqlite3_column_name(handle, Int32(index)))
    }

    public var columnNames: [String] { (0..<columnCount).map(columnName(at:)) }

    public func isNull(at index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// The value of column `index` (0-based) of the current row, in its storage class.
    public func value(at index: Int) -> DatabaseValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(handle, i)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard count > 0, let bytes = sqlite3_column_blob(handle, i) else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: count))
        default: return .null
        }
    }

    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }
    public func double(at index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }
    /// The column as text (SQLite converts numbers); nil when NULL.
    public func string(at index: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        return String(cString: text)
    }
    /// The column as bytes; nil when NULL.
    public func data(at index: Int) -> Data? {
        if isNull(at: index) { return nil }
        guard let bytes = sqlite3_column_blob(handle, Int32(index)) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, Int32(index))))
    }

    /// The column read as `T`; throws a `mismatch` error naming the column when the stored
    /// value has another type (or is NULL and `T` is not optional).
    public func get<T: DatabaseValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        let value = value(at: index)
        guard let converted = T(databaseValue: value) else {
            throw error(.mismatch, "column \(index) (\(columnName(at: index))) holds \(value.storageClass) \(value), expected \(T.self)")
        }
        return converted
    }

    /// A copy of the current row, independent of the statement.
    public var row: Row {
        Row(columns: columnNames, values: (0..<columnCount).map(value(at:)), sql: sql)
    }

    private func error(_ code: ResultCode, _ message: String) -> DatabaseError {
        DatabaseError(code: code, message: message, sql: sql, arguments: bound, path: database.path)
    }
}

/// Deliberately not `Sendable`: a statement belongs to its database's owner.
@available(*, unavailable)
extension Statement: Sendable {}
