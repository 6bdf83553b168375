/// How a top-level transaction takes its locks (SQLite's `BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE`).
public enum TransactionKind: String, Sendable {
    case deferred = "DEFERRED"
    /// Takes the write lock at BEGIN, so a busy database fails (or waits) at the start
    /// rather than half way through; the default for writes.
    case immediate = "IMMEDIATE"
    case exclusive = "EXCLUSIVE"
}

extension Database {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws
    /// (the error is rethrown unchanged).
    ///
    /// Nested calls run in a `SAVEPOINT`: an inner failure rolls back only the inner
    /// work, and the outer transaction decides what happens to the rest. `kind` applies
    /// to the outermost transaction only.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfActive()
            throw error
        }
        do {
            try execute("COMMIT TRANSACTION")
        } catch {
            rollbackIfActive()
            throw error
        }
        return result
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        let name = nextSavepointName()
        try execute("SAVEPOINT \(name)")
        let result: T
        do {
            result = try body()
        } catch {
            // Some errors (SQLITE_FULL, IOERR, NOMEM) roll the whole transaction back;
            // then there is no savepoint left to roll back to.
            if isInTransaction {
                try? execute("ROLLBACK TRANSACTION TO SAVEPOINT \(name)")
                try? execute("RELEASE SAVEPOINT \(name)")
            }
            throw error
        }
        try execute("RELEASE SAVEPOINT \(name)")
        return result
    }

    /// SQLite rolls back by itself after some errors; a second ROLLBACK would fail.
    private func rollbackIfActive() {
        if isInTransaction { try? execute("ROLLBACK TRANSACTION") }
    }
}
