import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

// kioskctl, and the feed helper kioskd starts (`kioskctl --feed-helper`, see FeedHelper).
// Both are here, with the HTTP client (KioskFetch), so that kioskd's binary links none.
let arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, first == FeedHelper.flag || first == FeedHelper.probeFlag {
    exit(await FeedHelper.main(arguments: arguments))
}
URLSessionClient.install()
exit(await ControlCommand.run(arguments: arguments))
