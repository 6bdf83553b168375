import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

// The installed binary: kioskd or kioskctl by the name it is started under (MultiCallCommand).
exit(await MultiCallCommand.main(arguments: CommandLine.arguments))
