import Testing
@testable import KioskSystem
@testable import KioskDaemon

/// On a kernel without Landlock (or without its TCP rules or scopes) the helper still
/// fetches, and the maintainer is told once per feed at warning level, not only in the
/// debug log.
@Suite struct WeakSandboxWarningTests {
    @Test func aReportWithMissingRestrictionsCarriesTheMarker() {
        var full = ProcessSandbox.Report(landlockABI: 7)
        full.fileSystem = true; full.tcp = true; full.scopes = true
        #expect(!full.description.contains(ProcessSandbox.Report.missingMarker))
        var old = ProcessSandbox.Report(landlockABI: 3)
        old.fileSystem = true
        old.missing = ["TCP port rules (Landlock ABI 4)"]
        #expect(old.description.contains(ProcessSandbox.Report.missingMarker + "TCP port rules"))
        #expect(!old.description.contains(ProcessSandbox.Report.fileSystemOpen))
        var none = ProcessSandbox.Report(landlockABI: 0)
        none.missing = ["Landlock (the kernel has none, or it is disabled)"]
        #expect(none.description.contains(ProcessSandbox.Report.fileSystemOpen))
        #expect(!full.description.contains(ProcessSandbox.Report.fileSystemOpen))
    }

    @Test func eachFeedIsWarnedAboutOnce() {
        let feed = "weak-sandbox-\(UInt64.random(in: 0...UInt64.max))"
        #expect(FeedPuller.firstWeakSandbox(feed))
        #expect(!FeedPuller.firstWeakSandbox(feed))
        #expect(FeedPuller.firstWeakSandbox(feed + "-other"))
    }
}
