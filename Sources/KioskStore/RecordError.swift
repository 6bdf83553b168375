/// A row the store needed is missing, or a stored value cannot be read back.
///
/// `table` and `key` say where (`events`, `lyon-agenda/abc@example.org`); `problem`
/// says why, in words a maintainer can act on.
public struct RecordError: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var key: String
    public var problem: String

    public init(table: String, key: String, problem: String) {
        self.table = table
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(table) row \(key): \(problem)" }
}
