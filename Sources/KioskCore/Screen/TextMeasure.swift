/// Column width and wrapping used by the layout (terminal cells = glyph cells).
func displayWidth(_ text: String) -> Int { TerminalText.width(of: text) }

func wrap(_ text: String, width: Int) -> [String] { TerminalText.wrapped(text, toWidth: width) }
