import BevakaDomain

/// Screen-reader mode (`--skarmlasare`, `BEVAKA_SKARMLASARE=1`, `"skarmlasare": true`): every
/// screen starts with a line that names it and the selected item, glyphs become words (see
/// `CellBuffer.words`), and the terminal's cursor is put on the selected row or the focused field
/// after every frame, since screen readers and braille displays follow the cursor.
extension AppState {
    /// "Översikt. Vald: Astrid Nilsson, Förbered uppföljning, 65 d sen."
    public var screenReaderHeading: String {
        var name = screen == .overview && overviewSection != nil ? "Översikt, \(openSection?.title ?? "")" : screen.title
        if helpVisible { name = "Hjälp" } else if messageLogVisible { name = "Meddelanden" } else if importPreview != nil {
            name = "Förhandsvisning av importen"
        } else if homeVisitActive {
            name = "Hembesök, " + name
        }
        guard let selected = screenReaderSelection else { return name + "." }
        return "\(name). Vald: \(selected)."
    }

    var screenReaderSelection: String? {
        if let choice {
            return choice.options.indices.contains(choice.selected) ? choice.options[choice.selected].label : nil
        }
        if helpVisible || messageLogVisible || importPreview != nil { return nil }
        func item(_ item: DueItem) -> String {
            let who = client(item.clientID).map { ownerTag($0.id) + TerminalText.sanitize($0.name) } ?? "?"
            return "\(who), \(describe(item, in: self)), \(when(item, today: today))"
        }
        switch screen {
        case .overview:
            if openSection != nil { return selectedItem.map(item) }
            switch selectedOverviewLine {
            case .header(let title, let count, let hidden, _)?:
                return "rubriken \(title), \(count) st" + (hidden > 0 ? ", Enter visar alla" : "")
            case .item(let due)?: return item(due)
            case .booking(let clientID, let booking)?:
                return "\(personName(clientID)), bokat besök \(booking.date) kl. \(booking.startText)"
            case nil: return nil
            }
        case .reminders: return selectedItem.map(item)
        case .caseload:
            let rows = caseRows
            guard rows.indices.contains(selectedIndex) else { return nil }
            let row = rows[selectedIndex]
            return TerminalText.sanitize(row.client.name) + (row.next.map { ", nästa: \(describe($0, in: self)) \($0.due)" } ?? "")
        case .yearPlan:
            let plan = yearPlan
            let month = plan.months[selectedMonth - 1]
            let monthName = "\(SwedishCalendarNames.months[month.month - 1]) \(month.year)"
            if monthOpen {
                let entries = monthEntries(plan)
                guard entries.indices.contains(selectedIndex) else { return monthName }
                let entry = entries[selectedIndex]
                return "\(TerminalText.sanitize(entry.clientName)) \(entry.due), " + entry.kinds.map(\.label).joined(separator: ", ")
            }
            return "\(monthName), \(month.planned) planerade av \(month.workingDays) arbetsdagar"
        case .caseDetail: return openClient.map { TerminalText.sanitize($0.name) }
        case .checklist: return selectedEntry.map { $0.template.text }
        case .document:
            let count = documentParagraphs.count
            return count == 0 ? nil : "stycke \(min(selectedIndex, count - 1) + 1) av \(count)"
        case .form:
            guard let form else { return nil }
            let field = form.fields[form.focus]
            return "\(field.label): \(field.text.isEmpty ? "tomt" : field.text)"
        case .unit:
            let rows = unitRows
            return rows.indices.contains(selectedIndex) ? rows[selectedIndex].name : nil
        case .welcome: return nil
        }
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
