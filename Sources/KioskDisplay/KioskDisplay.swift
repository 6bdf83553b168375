// KioskDisplay module.
