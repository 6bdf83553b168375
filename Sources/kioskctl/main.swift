import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

exit(await ControlCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
