// KioskDaemon module.
