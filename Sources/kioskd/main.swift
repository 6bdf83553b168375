import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

let status = await DaemonCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status)
