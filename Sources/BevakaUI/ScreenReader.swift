import BevakaDomain

/// Screen-reader mode (`--skarmlasare`, `BEVAKA_SKARMLASARE=1`, `"skarmlasare": true`): every
/// screen starts with a line that names it and the selected item, glyphs become words (see
/// `CellBuffer.words`), and the terminal's cursor is put on the selected row or the focused field
/// after every frame, since screen readers and braille displays follow the cursor.
extension AppState {
    /// "Översikt. Vald: Astrid Nilsson, Förbered uppföljning, 65 d sen."
    public var screenReaderHeading: String {
        var name = screen == .overview && overviewView.section != nil ? "Översikt, \(openSection?.title ?? "")" : screen.title
        if helpVisible { name = "Hjälp" } else if messageLogVisible { name = "Meddelanden" } else if importPreview != nil {
            name = "Förhandsvisning av importen"
        } else if homeVisitActive {
            name = "Hembesök, " + name
        }
        guard let selected = screenReaderSelection else { return name + "." }
        return "\(name). Vald: \(selected)."
    }

    /// A bevakning in words: whose, what, when.
    func spokenItem(_ item: DueItem) -> String {
        let who = client(item.clientID).map { ownerTag($0.id) + TerminalText.sanitize($0.name) } ?? "?"
        return "\(who), \(describe(item, in: self)), \(when(item, today: today))"
    }

    var screenReaderSelection: String? {
        if let choice {
            return choice.options.indices.contains(choice.selected) ? choice.options[choice.selected].label : nil
        }
        if helpVisible || messageLogVisible || importPreview != nil { return nil }
        return screen.unit.spoken(self)
    }
}

/// The cursor for screen-reader mode when no editor or question placed it: the first row that is
/// selected across the whole width (a list's selection), else the heading line.
func placeScreenReaderCursor(_ buffer: inout CellBuffer) {
    guard buffer.cursor == nil else { return }
    for y in 1..<max(1, buffer.height - 2) where buffer[0, y].role == .selection {
        buffer.cursor = CursorPosition(x: 1, y: y)
        return
    }
    buffer.cursor = CursorPosition(x: 0, y: 0)
}
