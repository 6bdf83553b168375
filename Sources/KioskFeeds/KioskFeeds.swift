// KioskFeeds module.
