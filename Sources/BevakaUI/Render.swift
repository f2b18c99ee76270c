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
        switch state.screen {
        case .overview: drawOverview(state, into: &buffer)
        case .yearPlan: drawYearPlan(state, into: &buffer)
        case .reminders: drawReminders(state, into: &buffer)
        case .caseload: drawCaseload(state, into: &buffer)
        case .caseDetail: drawCase(state, into: &buffer)
        case .welcome: drawWelcome(state, into: &buffer)
        case .checklist: drawChecklist(state, into: &buffer)
        case .document: drawDocument(state, into: &buffer)
        case .form: drawForm(state, into: &buffer)
        case .unit: drawUnit(state, into: &buffer)
        }
    }
    for overlay in state.overlays[(covering.map { $0 + 1 } ?? 0)...] {
        switch overlay {
        case .textEditor(let editing): drawTextEditor(editing, state: state, into: &buffer)
        case .choice(let choice): drawChoice(choice, state: state, into: &buffer)
        case .importing(let progress): drawImportProgress(progress, state: state, into: &buffer)
        case .help, .messageLog, .importPreview, .filter, .prompt: break  // the last two are on the status line
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
            buffer.put("  " + error, x: x + 1, y: y, role: .error)
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
        let own = state.activeFooter.filter { $0.key != "H" && $0.key != "q" && $0.key != "/" && $0.key != "Esc" }
        hints = [("Ctrl-X H", "lämna hembesök")] + own + (state.screen == .document ? [("Esc", "checklistan")] : [])
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

// MARK: Shared row layout

/// "52 d sen", "idag", "om 5 d", "klar".
func when(_ item: DueItem, today: Day) -> String {
    guard !item.isDone else { return "klar" }
    // The column is nine wide: a thousand days and more are said in years.
    let days = today.days(until: item.due)
    if abs(days) >= 1000 { return days < 0 ? "\(-days / 365) år sen" : "om \(days / 365) år" }
    return Reports.relative(item.due, today: today)
}

func role(of item: DueItem, today: Day) -> Role {
    if item.isDone { return .done }
    if item.due < today { return .overdue }
    if item.due <= today.adding(days: 7) { return .dueSoon }
    return .normal
}

func describe(_ item: DueItem, in state: AppState) -> String {
    var text = item.kind.label
    if let decisionID = item.decisionID, let service = state.client(item.clientID)?.decisions
        .first(where: { $0.id == decisionID })?.service {
        text += ": " + service
    }
    if item.kind == .manual && !item.reason.isEmpty { text += ": " + item.reason }
    return text
}

/// One item row: date, when, priority, name, masked personnummer, what.
func drawItemRow(_ item: DueItem, y: Int, selected: Bool, showDate: Bool, state: AppState,
                 into buffer: inout CellBuffer) {
    let rowRole = selected ? Role.selection : .normal
    let nameWidth = state.nameWidth
    var x = 1
    if showDate {
        x = buffer.put(item.due.description, x: x, y: y, role: rowRole) + 1
    }
    buffer.put(when(item, today: state.today), x: x, y: y, role: selected ? .selection : role(of: item, today: state.today))
    x += 10
    buffer.put(item.priority == .high ? "!" : item.priority == .low ? "↓" : " ", x: x - 1, y: y,
               role: selected ? .selection : .warning)
    let client = state.client(item.clientID)
    buffer.put(client.map { state.ownerTag($0.id) + $0.name } ?? "?", x: x, y: y, role: rowRole, maxWidth: nameWidth)
    x += nameWidth + 1
    buffer.put(client.map { state.shownPersonnummer($0.personnummer, protected: $0.protectedIdentity) } ?? "", x: x, y: y, role: selected ? .selection : .muted)
    x += state.personnummerWidth + 1
    var what = describe(item, in: state)
    if item.status == .inProgress || item.status == .waiting { what += " (\(item.status.label))" }
    buffer.put(what, x: x, y: y, role: rowRole, maxWidth: state.width - x - 1)
}

/// Draws the visible window of a scrolling list from row `firstY`: fills the selected row and
/// calls `draw(index, y, selected)` for each. Returns the range shown.
@discardableResult
func drawList(_ state: AppState, count: Int, firstY: Int, rows: Int, into buffer: inout CellBuffer,
              _ draw: (_ index: Int, _ y: Int, _ selected: Bool, _ buffer: inout CellBuffer) -> Void) -> Range<Int> {
    let range = visibleRange(state, count: count, rows: rows)
    for (offset, index) in range.enumerated() {
        let y = firstY + offset
        let selected = index == state.selectedIndex
        if selected { buffer.fill(row: y, role: .selection) }
        draw(index, y, selected, &buffer)
    }
    return range
}

/// The rows of a list the scroll offset shows.
func visibleRange(_ state: AppState, count: Int, rows: Int) -> Range<Int> {
    let top = min(state.scroll[state.screen] ?? 0, max(0, count - rows))
    return top..<min(count, top + rows)
}

func drawScrollHint(_ state: AppState, range: Range<Int>, count: Int, y: Int, into buffer: inout CellBuffer) {
    guard count > range.count else { return }
    let text = "\(range.lowerBound + 1)–\(range.upperBound) av \(count)"
    buffer.put(text, x: state.width - TerminalText.width(text) - 1, y: y, role: .muted)
}

// MARK: Översikt

func drawOverview(_ state: AppState, into buffer: inout CellBuffer) {
    let sections = state.overviewSections
    let weekday = SwedishCalendarNames.weekdays[state.today.weekday - 1].capitalized
    let month = SwedishCalendarNames.months[state.today.month - 1]
    var summary = "\(weekday) \(state.today.day) \(month) \(state.today.year), vecka \(state.today.isoWeek)"
    summary += " · \(sections[0].items.count) försenade · \(sections[1].items.count) denna vecka"
    let booked = state.bookingsThisWeek.count
    if booked > 0 {
        let tail = " · \(booked) " + (booked == 1 ? "bokat besök" : "bokade besök")
        summary += tail
        if TerminalText.width(summary) > state.width - 2 {
            // The title bar has the date already: the short form leaves room for the counts.
            summary = "\(weekday.prefix(3)) \(state.today.day) \(SwedishCalendarNames.shortMonths[state.today.month - 1])"
                + " · \(sections[0].items.count) försenade · \(sections[1].items.count) denna vecka" + tail
        }
    }
    if let section = state.openSection {
        drawOverviewSection(section, state: state, into: &buffer)
        return
    }
    buffer.put(summary, x: 1, y: 1, role: .header)
    // More sections than rows (a small window): the lines scroll with the cursor.
    let lines = state.overviewLines
    let range = visibleRange(state, count: lines.count, rows: state.contentHeight - 2)
    var y = 3
    var lineIndex = range.lowerBound
    for line in lines[range] {
        let selected = lineIndex == state.selectedIndex
        if selected { buffer.fill(row: y, role: .selection) }
        switch line {
        case .header(let title, let count, let hidden, let role):
            // A heading that does not fit with its count drops its explanation in brackets.
            var heading = "\(title) (\(count))"
            let tail = hidden > 0 ? TerminalText.width(" · \(hidden) till") : 0
            if TerminalText.width(heading) + tail + 2 > state.width, let bracket = title.range(of: " (") {
                heading = "\(title[..<bracket.lowerBound]) (\(count))"
            }
            let x = buffer.put(heading, x: 1, y: y, role: selected ? .selection : count == 0 ? .muted : role,
                               maxWidth: state.width - 2)
            if hidden > 0 {
                let long = " · \(hidden) till, Enter visar alla"
                let text = x + TerminalText.width(long) < state.width ? long : " · \(hidden) till"
                buffer.put(text, x: x, y: y, role: selected ? .selection : .muted, maxWidth: state.width - x - 1)
            }
        case .item(let item):
            drawItemRow(item, y: y, selected: selected, showDate: false, state: state, into: &buffer)
        case .booking(let clientID, let booking):
            // Time and who, as the other rows: never the place (it is the person's address).
            // In the columns of the bevakningar: when (day and time), name, masked personnummer, what.
            let day = booking.date == state.today ? "kl" : String(SwedishCalendarNames.weekdays[booking.date.weekday - 1].prefix(3))
            buffer.put("\(day) \(booking.startText)", x: 1, y: y, role: selected ? .selection : .dueSoon)
            let nameWidth = state.nameWidth
            var x = 11
            let client = state.client(clientID)
            buffer.put(client.map { state.ownerTag($0.id) + $0.name } ?? "?", x: x, y: y, role: selected ? .selection : .normal,
                       maxWidth: nameWidth)
            x += nameWidth + 1
            buffer.put(client.map { state.shownPersonnummer($0.personnummer, protected: $0.protectedIdentity) } ?? "", x: x, y: y,
                       role: selected ? .selection : .muted)
            x += state.personnummerWidth + 1
            let what = state.width - x - 1 >= 24 ? "Bokat besök, \(booking.startText)–\(booking.endText)" : "Bokat besök, \(booking.minutes) min"
            buffer.put(what, x: x, y: y, role: selected ? .selection : .normal, maxWidth: max(0, state.width - x - 1))
        }
        y += 1
        lineIndex += 1
    }
    drawScrollHint(state, range: range, count: lines.count, y: 2, into: &buffer)
    if state.caseload.clients.isEmpty {
        buffer.put("Ärendelistan är tom. Läs in din lista med: bevaka import lista.xlsx", x: 1, y: y + 1, role: .muted)
    }
}

// MARK: Bevakningar

func drawReminders(_ state: AppState, into buffer: inout CellBuffer) {
    let list = state.reminderList
    var choice = state.reminderFilter.label
    if state.reminderFilter == .week { choice += " (\(state.weekLabel))" }
    var parts = ["Bevakningar: \(choice)"]
    if let kind = state.kindFilter { parts.append(kind.label) }
    if state.filterActive { parts.append("sök \"\(state.filter.text)\"") }
    parts.append("\(list.count) st")
    drawItemList(list, title: parts.joined(separator: " · "), showDate: true, state: state, into: &buffer)
    if list.isEmpty {
        buffer.put("Inga bevakningar i det här urvalet. f byter urval, t typ.", x: 1, y: 4, role: .muted)
    }
}

/// A scrolling list of due items with column headings (Bevakningar, an Översikt section in full).
func drawItemList(_ list: [DueItem], title: String, showDate wanted: Bool, state: AppState, into buffer: inout CellBuffer) {
    // Narrow: "65 d sen" says when; the room goes to what is due.
    let showDate = wanted && state.width >= 80
    let range = visibleRange(state, count: list.count, rows: state.contentHeight - 2)
    let hint = list.count > range.count ? "\(range.lowerBound + 1)–\(range.upperBound) av \(list.count)" : ""
    buffer.put(title, x: 1, y: 1, role: .header, maxWidth: state.width - 3 - TerminalText.width(hint))
    var x = 1
    if showDate { x = buffer.put("Datum", x: 1, y: 2, role: .muted) + 6 }
    buffer.put("Läge", x: x, y: 2, role: .muted)
    x += 10
    buffer.put("Namn", x: x, y: 2, role: .muted)
    x += state.nameWidth + 1
    buffer.put(state.personnummerWidth < 13 ? "Född" : "Personnr", x: x, y: 2, role: .muted)
    buffer.put("Vad", x: x + state.personnummerWidth + 1, y: 2, role: .muted)
    drawList(state, count: list.count, firstY: 3, rows: state.contentHeight - 2, into: &buffer) {
        index, y, selected, buffer in
        drawItemRow(list[index], y: y, selected: selected, showDate: showDate, state: state, into: &buffer)
    }
    drawScrollHint(state, range: range, count: list.count, y: 1, into: &buffer)
}

func drawOverviewSection(_ section: AppState.OverviewSection, state: AppState, into buffer: inout CellBuffer) {
    var title = "Översikt › \(section.title) (\(section.items.count))"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    drawItemList(section.items, title: title, showDate: true, state: state, into: &buffer)
    if section.items.isEmpty {
        buffer.put("Här finns inget just nu. Esc går tillbaka till översikten.", x: 1, y: 4, role: .muted)
    }
}

extension AppState {
    /// The name column: what says *who*; narrower layouts give the room to what says *what*.
    var nameWidth: Int { width >= 100 ? 24 : width >= 80 ? 17 : 15 }

    /// The masked personnummer from 100 columns; the birth date alone when narrower, so that
    /// what is due is not cut.
    var personnummerWidth: Int { width >= 100 ? 13 : 8 }

    func shownPersonnummer(_ number: Personnummer, protected: Bool = false) -> String {
        if protected { return "Skyddad" }
        return personnummerWidth >= 13 ? number.masked : String(number.masked.prefix(8))
    }
}

// MARK: Ärenden

func drawCaseload(_ state: AppState, into buffer: inout CellBuffer) {
    let rows = state.caseRows
    var title = "Ärenden: \(rows.count) \(rows.count == 1 ? "person" : "personer") · sorterat på \(state.caseSort.label)"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    buffer.put(title, x: 1, y: 1, role: .header, maxWidth: state.width - 14)
    let wide = state.width >= 100
    let nameWidth = state.nameWidth
    let numberWidth = state.personnummerWidth
    let rest = state.width - 2 - nameWidth - 1 - (numberWidth + 1) - 11 - 5
    let servicesWidth = wide ? rest * 30 / 100 : rest * 45 / 100
    let providerWidth = wide ? rest * 25 / 100 : 0
    let whatWidth = rest - servicesWidth - providerWidth - (wide ? 1 : 0)
    let columns = [("Namn", nameWidth), (numberWidth < 13 ? "Född" : "Personnr", numberWidth), ("Insatser", servicesWidth)]
        + (wide ? [("Utförare", providerWidth)] : []) + [("Nästa", 10), ("Vad", whatWidth), ("Flg", 4)]
    var x = 1
    for (title, width) in columns {
        buffer.put(title, x: x, y: 2, role: .muted, maxWidth: width)
        x += width + 1
    }
    let range = drawList(state, count: rows.count, firstY: 3, rows: state.contentHeight - 3, into: &buffer) {
        index, y, selected, buffer in
        let row = rows[index]
        let base: Role = selected ? .selection : .normal
        var cells = [state.ownerTag(row.client.id) + row.client.name, state.shownPersonnummer(row.client.personnummer, protected: row.client.protectedIdentity),
                     row.client.decisions.filter { $0.closedOn == nil }.map(\.service).joined(separator: ", ")]
        if wide {
            cells.append(Array(Set(row.client.decisions.compactMap { $0.provider?.name })).sorted().joined(separator: ", "))
        }
        cells += [row.next?.due.description ?? "–", row.next.map { describe($0, in: state) } ?? "", row.flags]
        var x = 1
        for ((_, width), (column, text)) in zip(columns, cells.enumerated()) {
            var cellRole = base
            if !selected, column == cells.count - 3, let next = row.next { cellRole = role(of: next, today: state.today) }
            if !selected, column == cells.count - 1 { cellRole = .warning }
            if !selected, column == 1 { cellRole = .muted }
            buffer.put(text, x: x, y: y, role: cellRole, maxWidth: width)
            x += width + 1
        }
    }
    if rows.isEmpty {
        buffer.put(state.filterActive ? "Ingen person matchar filtret." : "Inga ärenden än.", x: 1, y: 4, role: .muted)
    }
    drawScrollHint(state, range: range, count: rows.count, y: 1, into: &buffer)
    buffer.put("Flaggor: P plan · S samtycke · T tid · B beslut löper ut", x: 1, y: state.height - 3, role: .muted)
}

// MARK: Årshjul

func drawYearPlan(_ state: AppState, into buffer: inout CellBuffer) {
    let plan = state.yearPlan
    var title = "Årshjul \(plan.year) · \(plan.total) uppföljningar"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    if !plan.overdue.isEmpty { title += " · \(plan.overdue.count) försenade räknas för sig" }
    buffer.put(title, x: 1, y: 1, role: .header)
    if state.monthOpen {
        drawMonth(state, plan: plan, into: &buffer)
        return
    }
    // Twelve months and a heading need 18 rows; a smaller window drops the heading (and the
    // legend) so December is never under the status line.
    let firstMonthY = state.height >= 18 ? 3 : 2
    if state.screenReader {
        // Words instead of bars: "november: 23 planerade av 20 arbetsdagar, 3 gjorda, nu".
        for month in plan.months {
            let y = firstMonthY + month.month - 1
            let selected = month.month == state.selectedMonth
            if selected { buffer.fill(row: y, role: .selection) }
            var text = "\(SwedishCalendarNames.months[month.month - 1]): \(month.planned) "
                + (month.planned == 1 ? "planerad" : "planerade") + " av \(month.workingDays) arbetsdagar"
            if month.done > 0 { text += ", \(month.done) \(month.done == 1 ? "gjord" : "gjorda")" }
            if month.planned > month.workingDays { text += ", fler än arbetsdagarna" }
            if month.ivoReports > 0 { text += ", \(month.ivoReports) att rapportera till IVO" }
            if month.year == state.today.year && month.month == state.today.month {
                text += ", nu" + (plan.overdue.isEmpty ? "" : ", och \(plan.overdue.count) försenade")
            }
            buffer.put(text, x: 1, y: y, role: selected ? .selection : .normal, maxWidth: state.width - 2)
        }
        return
    }
    if firstMonthY == 3 { buffer.put("Månad        Antal / arbetsdagar", x: 1, y: 2, role: .muted) }
    let barX = 35
    let barWidth = max(10, state.width - barX - 14)
    let scale = max(23, plan.months.map(\.planned).max() ?? 0)
    for month in plan.months {
        let y = firstMonthY + month.month - 1
        let selected = month.month == state.selectedMonth
        let isNow = month.year == state.today.year && month.month == state.today.month
        if selected { buffer.fill(row: y, role: .selection) }
        let base: Role = selected ? .selection : .normal
        buffer.put(isNow ? "▶" : " ", x: 0, y: y, role: selected ? .selection : .barToday)
        buffer.put(SwedishCalendarNames.months[month.month - 1], x: 1, y: y, role: base)
        buffer.put(TerminalText.padLeft("\(month.planned)", to: 3) + " / \(month.workingDays)", x: 14, y: y, role: base)
        if month.done > 0 {
            buffer.put("\(month.done) \(month.done == 1 ? "gjord" : "gjorda")", x: 25, y: y, role: selected ? .selection : .done)
        }
        let track = month.workingDays * barWidth / scale
        let filled = month.planned == 0 ? 0 : min(barWidth, max(1, month.planned * barWidth / scale))
        buffer.put(String(repeating: "░", count: track), x: barX, y: y, role: selected ? .selection : .muted)
        buffer.put(String(repeating: "█", count: filled), x: barX, y: y,
                   role: selected ? .selection : (month.planned > month.workingDays ? .overdue : isNow ? .barToday : .bar))
        var noteX = barX + max(track, filled) + 1
        if isNow && !plan.overdue.isEmpty {
            noteX = buffer.put("+\(plan.overdue.count) försenade", x: noteX, y: y, role: selected ? .selection : .overdue) + 1
        }
        if month.ivoReports > 0 {
            // The IVO reporting period starts this month, with this many decisions to report.
            buffer.put("IVO \(month.ivoReports)", x: noteX, y: y, role: selected ? .selection : .warning,
                       maxWidth: max(0, state.width - noteX - 1))
        }
    }
    if firstMonthY + 12 < state.height - 2 {
        buffer.put("█ planerade  ░ arbetsdagar  ▶ denna månad  IVO n: rapportera till IVO", x: 1, y: firstMonthY + 13, role: .muted,
               maxWidth: state.width - 2)
    }
}

func drawMonth(_ state: AppState, plan: YearPlan, into buffer: inout CellBuffer) {
    let entries = state.monthEntries(plan)
    let month = plan.months[state.selectedMonth - 1]
    buffer.put("\(SwedishCalendarNames.months[month.month - 1].capitalized) \(month.year): \(entries.count) uppföljningar, \(month.workingDays) arbetsdagar",
               x: 1, y: 2, role: .highlight)
    let range = drawList(state, count: entries.count, firstY: 4, rows: state.contentHeight - 3, into: &buffer) {
        index, y, selected, buffer in
        let entry = entries[index]
        let base: Role = selected ? .selection : entry.done ? .done : entry.due < state.today ? .overdue : .normal
        var x = buffer.put(entry.due.description, x: 1, y: y, role: base) + 1
        x = buffer.put(entry.done ? "gjord" : Reports.relative(entry.due, today: state.today), x: x, y: y, role: base)
        x = 23
        buffer.put(state.ownerTag(entry.clientID) + entry.clientName, x: x, y: y, role: selected ? .selection : .normal, maxWidth: 18)
        buffer.put(Reports.number(entry.personnummer, full: false, protected: entry.protectedIdentity), x: x + 19, y: y,
                   role: selected ? .selection : .muted)
        let what = entry.kinds.map(\.label).joined(separator: ", ") + ": " + entry.services.joined(separator: ", ")
        buffer.put(what, x: x + 33, y: y, role: selected ? .selection : .normal, maxWidth: state.width - x - 34)
    }
    if entries.isEmpty { buffer.put("Inga uppföljningar den här månaden.", x: 1, y: 4, role: .muted) }
    drawScrollHint(state, range: range, count: entries.count, y: 2, into: &buffer)
}

// MARK: Välkommen

func drawWelcome(_ state: AppState, into buffer: inout CellBuffer) {
    let lines: [(String, Role)] = [
        ("Välkommen till Bevaka", .header),
        ("", .normal),
        ("Här finns ännu ingen ärendelista. Så kommer du igång:", .normal),
        ("", .normal),
        ("1. Läs in din Excel-lista (.xlsx, eller sparad som CSV):", .normal),
        ("     bevaka import lista.xlsx", .highlight),
        ("   Kolumnerna beskrivs i docs/import-format.md.", .muted),
        ("2. Eller prova med påhittade ärenden:", .normal),
        ("     bevaka --demo", .highlight),
        ("", .normal),
        ("Listan sparas i:", .normal),
        ("     \(state.storePath)", .muted),
        ("Bara du kan läsa filen (0600), och säkerhetskopior sparas bredvid.", .muted),
    ]
    for (offset, line) in lines.enumerated() where 2 + offset < state.height - 2 {
        buffer.put(line.0, x: 2, y: 2 + offset, role: line.1)
    }
}
