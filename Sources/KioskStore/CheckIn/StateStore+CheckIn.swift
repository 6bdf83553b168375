import Foundation

extension StateStore {
    /// The check-in ledger over this store's database, in the venue's zone (the one the
    /// store was opened with).
    public var checkIns: CheckInLedger {
        CheckInLedger(database: database, timeZone: programme.timeZone)
    }
}
