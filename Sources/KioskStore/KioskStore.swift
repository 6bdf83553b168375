// KioskStore module.
