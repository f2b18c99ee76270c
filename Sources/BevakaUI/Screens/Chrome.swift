import BevakaDomain

/// The smallest terminal the layouts are made for.
public let minimumWidth = 64
public let minimumHeight = 16

/// Draws the state into a finished cell buffer. Pure: the same state gives the same cells.
public func render(_ state: AppState) -> CellBuffer {
    var buffer = CellBuffer(width: state.width, height: state.height)
    buffer.plain = state.screenReader
    guard state.width >= minimumWidth, state.height >= minimumHeight else {
        let lines = ["Fönstret är för litet (\(state.width)×\(state.height)).",
                     "Bevaka behöver minst \(minimumWidth)×\(minimumHeight).", "Förstora fönstret eller tryck q."]
        for (offset, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 1 + offset)
            let x = max(0, (state.width - TerminalText.width(line)) / 2)
            buffer.put(line, x: x, y: y, role: offset == 0 ? .warning : .normal)
        }
        return buffer
    }
    drawTitle(state, into: &buffer)
    // The last overlay that covers the screen is drawn in its place, then the boxes above it.
    let covering = state.overlays.lastIndex { $0.coversScreen }
    switch covering.map({ state.overlays[$0] }) {
    case .help(let scroll)?: drawHelp(state, scroll: scroll, into: &buffer)
    case .messageLog(let scroll)?: drawMessageLog(state, scroll: scroll, into: &buffer)
    case .importPreview(let preview)?: drawImportPreview(state, preview, into: &buffer)
    default:
        state.screen.unit.draw(state, into: &buffer)
    }
    for overlay in state.overlays[(covering.map { $0 + 1 } ?? 0)...] {
        switch overlay {
        case .textEditor(let editing): drawTextEditor(editing, state: state, into: &buffer)
        case .choice(let choice): drawChoice(choice, state: state, into: &buffer)
        case .importing(let progress): drawImportProgress(progress, state: state, into: &buffer)
        case .help, .messageLog, .importPreview, .filter, .prompt, .leaveHomeVisit: break  // the last three speak on the status line
        }
    }
    drawStatus(state, into: &buffer)
    drawFooter(state, into: &buffer)
    if state.screenReader { placeScreenReaderCursor(&buffer) }
    return buffer
}

// MARK: Chrome

func drawTitle(_ state: AppState, into buffer: inout CellBuffer) {
    buffer.fill(row: 0, role: .title)
    if state.screenReader {
        // The first line names the screen and the selected item; the tabs are in the help.
        buffer.put(" " + state.screenReaderHeading, x: 0, y: 0, role: .title, maxWidth: state.width)
        return
    }
    var x = buffer.put(" Bevaka ", x: 0, y: 0, role: .title)
    if state.homeVisitActive {
        // No tabs, no counters: nothing that leads to anyone else.
        x = buffer.put(" Hembesök ", x: x, y: 0, role: .selection)
    }
    let active = state.screen == .caseDetail ? state.returnScreen : state.screen
    // Five tabs (the manager's) do not fit 64 columns with padding: then one space between them.
    let padded = state.tabs.enumerated().reduce(x) { $0 + TerminalText.width(" \($1.offset + 1) \($1.element.title) ") }
    let compact = padded > state.width
    for (index, screen) in state.tabs.enumerated() where !state.homeVisitActive {
        let label = compact ? "\(index + 1) \(screen.title)" : " \(index + 1) \(screen.title) "
        x = buffer.put(label, x: x, y: 0, role: screen == active && state.screen != .welcome ? .selection : .title)
        if compact { x += 1 }
    }
    let weekday = SwedishCalendarNames.weekdays[state.today.weekday - 1].prefix(3)
    let month = SwedishCalendarNames.shortMonths[state.today.month - 1]
    let date = "\(weekday) \(state.today.day) \(month) \(state.today.year) v.\(state.today.isoWeek) "
    let dateX = state.width - TerminalText.width(date)
    if dateX > x { buffer.put(date, x: dateX, y: 0, role: .title) }
}

func drawStatus(_ state: AppState, into buffer: inout CellBuffer) {
    let y = state.height - 2
    buffer.fill(row: y, role: .statusBar)
    if let prompt = state.prompt {
        var x = buffer.put(" " + prompt.question + " ", x: 0, y: y, role: .statusBar)
        x = drawEditor(prompt.editor, x: x, y: y, into: &buffer)
        if let error = prompt.error {
            if x + 3 + TerminalText.width(error) <= state.width {
                buffer.put("  " + error, x: x + 1, y: y, role: .error)
            } else {
                // Too long for the rest of the line (Tab's candidates at 80 columns, issue 35,
                // item 20): wrapped on the rows just above the prompt, none of it cut.
                let lines = Array(wrap(error, width: max(10, state.width - 2)).prefix(max(1, state.height / 3)))
                for (offset, line) in lines.enumerated() {
                    let row = y - lines.count + offset
                    guard row > 0 else { continue }
                    buffer.fill(row: row, role: .statusBar)
                    buffer.put(" " + line, x: 0, y: row, role: .error)
                }
            }
        }
        return
    }
    if let editing = state.textEditing {
        let text = editing.confirmingDiscard ? " Kasta ändringen? j kastar, annan tangent fortsätter skriva."
            : editing.error.map { " " + $0 } ?? " Skriver: Ctrl-S sparar, Esc avbryter."
        buffer.put(text, x: 0, y: y, role: editing.confirmingDiscard || editing.error != nil ? .warning : .statusBar,
                   maxWidth: state.width)
        return
    }
    if state.filterEditing {
        let x = buffer.put(" Sök (Enter behåller, Esc rensar): ", x: 0, y: y, role: .statusBar)
        drawEditor(state.filter, x: x, y: y, into: &buffer)
        return
    }
    let saved: String
    var savedRole = Role.statusBar
    switch state.saveState {
    case .clean: saved = state.demo ? "demo: sparas inte" : ""
    case .pending: saved = "sparar"
    case .saved(let time): saved = "sparat \(time)"
    case .failed(let reason):
        // A message of the moment gets the room; the failure stays visible in short.
        saved = state.message == nil ? "KUNDE INTE SPARA (\(reason)); ändringen finns kvar, försöker igen"
            : "KUNDE INTE SPARA"
        savedRole = .error
    }
    var right = saved.isEmpty ? "" : " \(saved) "
    // Messages may quote a file or a store; a personnummer in one is masked, wherever it came from.
    var left = state.message.map { TerminalText.maskPersonalNumbers($0) } ?? ""
    var failureAlone = false
    if case .failed = state.saveState, state.message == nil {
        // The failure is the message: said whole, wrapping like one.
        left = saved
        right = ""
        failureAlone = true
    }
    let rightX = state.width - TerminalText.width(right)
    // A filter belongs to its list: it is not said over a form, a case or a document.
    let onList = [.overview, .yearPlan, .reminders, .caseload].contains(state.screen)
    if left.isEmpty && state.filterActive && !state.homeVisitActive && onList {
        left = "Filter: \"\(state.filter.text)\" (Esc rensar)"
    }
    if left.isEmpty && !state.filterActive && !state.homeVisitActive, let line = state.unitLine { left = line }
    let role: Role = failureAlone ? .error : state.messageIsError ? .warning : .statusBar
    // Nothing is cut: a message that does not fit wraps onto lines above the status line (over
    // the bottom of the content, until the next key), four at most; a longer one ends with a
    // pointer to the message log, where it is whole. The save state keeps its place when it fits.
    let room = max(8, rightX - 2)
    var lines = wrap(left, width: room)
    if lines.count > 1 {
        lines = wrap(left, width: state.width - 2)
        if !right.isEmpty, TerminalText.width(lines.last ?? "") + 1 > rightX - 1 { lines.append("") }
        let most = max(2, min(4, state.height - 6))
        if lines.count > most {
            lines = Array(wrap(left, width: state.width - 2 - 15).prefix(most))
            lines[most - 1] += " (L visar allt)"
        }
        let top = y - lines.count + 1
        for (offset, line) in lines.enumerated() {
            buffer.fill(row: top + offset, role: .statusBar)
            buffer.put(" " + line, x: 0, y: top + offset, role: role, maxWidth: state.width)
        }
        if !right.isEmpty { buffer.put(right, x: max(0, rightX), y: y, role: savedRole) }
        return
    }
    buffer.put(left.isEmpty ? "" : " " + left, x: 0, y: y, role: role, maxWidth: max(0, rightX - 1))
    if !right.isEmpty { buffer.put(right, x: max(0, rightX), y: y, role: savedRole) }
}

@discardableResult
func drawEditor(_ editor: LineEditor, x: Int, y: Int, maxWidth: Int? = nil, into buffer: inout CellBuffer) -> Int {
    // A long note scrolls sideways so the cursor stays in view; "…" marks the hidden part.
    let room = max(4, min(buffer.width - x - 1, maxWidth ?? Int.max))
    let characters = editor.characters
    var start = 0
    var used = 1  // the cursor cell
    var index = editor.cursor
    while index > 0 {
        let w = TerminalText.width(of: characters[index - 1])
        if used + w > room - 1 { break }
        used += w
        index -= 1
    }
    start = index
    var column = x
    if start > 0 { column = buffer.put("…", x: column, y: y, role: .muted) }
    column = buffer.put(String(characters[start..<editor.cursor]), x: column, y: y, role: .normal)
    let cursorChar = editor.cursor < characters.count ? String(characters[editor.cursor]) : " "
    if buffer.plain { buffer.cursor = CursorPosition(x: column, y: y) }
    column = buffer.put(cursorChar, x: column, y: y, role: .selection)
    if editor.cursor + 1 < characters.count {
        column = buffer.put(String(characters[(editor.cursor + 1)...]), x: column, y: y, role: .normal,
                            maxWidth: max(1, x + room - column))
    }
    return column
}

func drawFooter(_ state: AppState, into buffer: inout CellBuffer) {
    let y = state.height - 1
    var x = 1
    let hints: [(key: String, text: String)]
    if let editing = state.textEditing {
        hints = editing.confirmingDiscard ? [("j", "kasta ändringen"), ("annan tangent", "fortsätt skriva")]
            : [("Ctrl-S", "spara"), ("Esc", "avbryt"), ("Enter", "ny rad"), ("Ctrl-E", "egen editor"),
               ("Ctrl-W", "radera ord"), ("Ctrl-U", "radera rad")]
    } else if let prompt = state.prompt {
        let enter: String
        switch prompt.purpose {
        case .importFile: enter = "läs in och visa"
        case .markDoneOn: enter = "markera klar"
        case .moveTo: enter = "flytta"
        case .newReminderDate: enter = "nästa"
        case .participants: enter = "slutför"
        default: enter = "spara"
        }
        hints = [("Enter", enter), ("Esc", "avbryt")] + (prompt.purpose == .importFile ? [("Tab", "fyll i sökvägen")] : [])
            + [("Ctrl-W", "radera ord"), ("←/→", "flytta markör")]
    } else if state.filterEditing {
        hints = [("Enter", "behåll filtret"), ("Esc", "rensa"), ("Backsteg", "radera")]
    } else if state.screen == .form && state.form?.picker != nil && !state.helpVisible {
        hints = [("bokstäver", "söker (även j, k)"), ("↑/↓", "flyttar"), ("Enter", "ok"), ("Esc", "stäng listan")]
    } else if state.screen == .form && state.choice == nil && !state.helpVisible {
        hints = [("Tab/↓", "nästa fält"), ("Enter", "nästa/spara"), ("Ctrl-S", "spara"), ("Esc", "avbryt"), ("F1", "hjälp")]
    } else if state.choice != nil {
        hints = [("↑/↓", "välj"), ("Enter", "ok"), ("1–\(state.choice?.options.count ?? 0)", "direkt"), ("Esc", "avbryt")]
    } else if state.helpVisible {
        hints = [("↑/↓ PgUp/PgDn", "bläddra"), ("? Esc q", "stäng hjälpen")]
    } else if state.messageLogVisible {
        hints = [("↑/↓ PgUp/PgDn", "bläddra"), ("L Esc", "stäng loggen")]
    } else if let preview = state.importPreview {
        hints = [("Enter", "importera"), ("Esc", "avbryt, inget skrivs")]
            + (preview.startAssumption == nil ? [] : [("v", preview.startAssumption == .fromStart ? "ej verkställda" : "verkställda")])
            + (preview.nameMismatches == 0 ? [] : [("n", preview.namesAnyway ? "hoppa över namnfel" : "läs in namnfel")])
            + [("↑/↓", "bläddra")]
    } else if state.homeVisitActive {
        // The key table leaves out what hembesöksläge does not allow.
        hints = [("Ctrl-X H", "lämna hembesök")] + state.activeFooter
    } else if state.screen == .welcome {
        hints = [("q", "avsluta"), ("?", "hjälp")]
    } else {
        hints = state.activeFooter
    }
    for hint in hints {
        let width = TerminalText.width(hint.key) + TerminalText.width(hint.text) + 3
        if x + width > state.width { break }
        x = buffer.put(hint.key, x: x, y: y, role: .helpKey)
        x = buffer.put(" " + hint.text + "  ", x: x, y: y, role: .muted)
    }
}
