import BevakaDomain

// The row layout the lists of bevakningar share (Översikt, Bevakningar, the unit), and the
// name and personnummer columns every list of people uses.

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
