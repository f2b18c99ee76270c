import BevakaDomain

/// One drawn row of the checklist: an item, or the note/answer line under it.
struct ChecklistRow {
    var entry: Int
    var isNote: Bool
}

extension AppState {
    /// Rows for the list (the header, phase line and the source lines below take the rest).
    var checklistRows: Int { max(3, contentHeight - 3 - checklistDetail.count) }

    /// Under the list: the selected item whole (wrapped, up to three lines), what kind it is, and its source.
    var checklistDetail: [String] {
        guard let entry = selectedEntry else { return [] }
        var kind: String
        switch entry.template.type {
        case .tick: kind = "bock med anteckning"
        case .question: kind = "fråga, svaret skrivs med Enter"
        case .date: kind = "datum, skrivs med Enter"
        }
        kind += entry.template.required ? ", obligatorisk" : ", frivillig"
        var text = entry.template.text
        if let service = entry.service { text += " · \(service)" }
        let lines = Array(wrap("Vald: \(text) (\(kind))", width: max(10, width - 2)).prefix(3))
        return lines + Array(wrap("Källa: \(RoutineSources.named(entry.template.source, profiles: entry.profiles))", width: max(10, width - 2)).prefix(1))
    }

    func checklistLayout(_ entries: [ChecklistEntry], draft: FollowUpDraft) -> [ChecklistRow] {
        var rows: [ChecklistRow] = []
        for (index, entry) in entries.enumerated() {
            rows.append(ChecklistRow(entry: index, isNote: false))
            let answer = draft.answer(entry.id)
            if !(answer.note ?? "").isEmpty || answer.date != nil { rows.append(ChecklistRow(entry: index, isNote: true)) }
        }
        return rows
    }

    /// Progress of a phase: items done or not applicable, of all.
    func progress(_ phase: ChecklistPhase, entries: [ChecklistEntry], draft: FollowUpDraft) -> (done: Int, total: Int) {
        let inPhase = entries.filter { $0.template.phase == phase }
        return (inPhase.filter { draft.answer($0.id).mark != .open }.count, inPhase.count)
    }
}

func drawChecklist(_ state: AppState, into buffer: inout CellBuffer) {
    guard let client = state.openClient, let draft = client.draft else {
        let name = state.openClient?.name ?? ""
        buffer.put("\(name): ingen pågående uppföljning.", x: 1, y: 1, role: .header, maxWidth: state.width - 2)
        buffer.put("F startar en uppföljning, J visar den senaste journalanteckningen.", x: 1, y: 3, role: .muted,
                   maxWidth: state.width - 2)
        return
    }
    let all = state.checklistEntries
    let entries = state.phaseEntries
    // Header: who, how, why, since when. This person only, so the name is shown.
    let head = "\(client.name) · \(draft.form.label) · \(draft.trigger.label) · \(draft.date)"
    let hint = state.homeVisitActive ? "" : "H hembesöksläge"
    let headEnd = buffer.put(head, x: 1, y: 1, role: .header, maxWidth: state.width - 3 - TerminalText.width(hint))
    if !hint.isEmpty && headEnd < state.width - TerminalText.width(hint) - 1 {
        buffer.put(hint, x: state.width - TerminalText.width(hint) - 1, y: 1, role: .helpKey)
    }

    // Phases with progress, and the required items still open.
    var x = 1
    for phase in ChecklistPhase.allCases {
        let counts = state.progress(phase, entries: all, draft: draft)
        let label = " \(phase.label) \(counts.done)/\(counts.total) "
        x = buffer.put(label, x: x, y: 2, role: phase == draft.phase ? .selection : counts.done == counts.total ? .done : .normal)
        x += 1
    }
    // The way to the door, for the visit (this person only; never in a list).
    let door = client.doorSummary
    let rowCount = state.checklistLayout(entries, draft: draft).count
    let hintWidth = rowCount > state.checklistRows ? TerminalText.width("\(rowCount)–\(rowCount) av \(rowCount)") + 2 : 0
    if !door.isEmpty {
        buffer.put(TerminalText.sanitize(door), x: 2, y: 3, role: .muted, maxWidth: state.width - 3 - hintWidth)
    }
    let open = draft.unanswered(all).count
    let status = open == 0 ? "alla obligatoriska klara" : "* \(open) obligatoriska kvar"
    let statusX = state.width - TerminalText.width(status) - 1
    if statusX > x { buffer.put(status, x: statusX, y: 2, role: open == 0 ? .done : .warning) }

    let rows = state.checklistLayout(entries, draft: draft)
    let visible = state.checklistRows
    let cursor = state.checklistCursor
    let firstRow = rows.firstIndex { $0.entry == cursor } ?? 0
    let lastRow = rows.lastIndex { $0.entry == cursor } ?? 0
    var top = min(state.scroll[.checklist] ?? 0, firstRow)
    if lastRow >= top + visible { top = lastRow - visible + 1 }
    top = max(0, min(top, max(0, rows.count - visible)))
    let textWidth = state.width - 8
    for (offset, row) in rows.dropFirst(top).prefix(visible).enumerated() {
        let y = 4 + offset
        let entry = entries[row.entry]
        let answer = draft.answer(entry.id)
        let selected = row.entry == cursor
        if row.isNote {
            let text = answer.date.map { "↳ \($0)" + ((answer.note ?? "").isEmpty ? "" : " · ") } ?? "↳ "
            buffer.put(text + (answer.note ?? ""), x: 7, y: y, role: selected ? .highlight : .muted, maxWidth: textWidth - 1)
            continue
        }
        if selected { buffer.fill(row: y, role: .selection) }
        if entry.template.required && answer.mark == .open {
            buffer.put("*", x: 1, y: y, role: selected ? .selection : .warning)
        }
        let box: String
        switch answer.mark {
        case .open: box = "[ ]"
        case .done: box = "[x]"
        case .notApplicable: box = "[–]"
        }
        buffer.put(box, x: 3, y: y, role: selected ? .selection : answer.mark == .open ? .normal : .done)
        var text = entry.template.text
        if let service = entry.service { text += " · \(service)" }
        if answer.mark == .notApplicable { text += " (ej aktuellt)" }
        let role: Role = selected ? .selection : answer.mark == .open ? .normal : .done
        buffer.put(text, x: 7, y: y, role: role, maxWidth: textWidth)
    }
    if rows.count > visible {
        let text = "\(top + 1)–\(min(rows.count, top + visible)) av \(rows.count)"
        buffer.put(text, x: state.width - TerminalText.width(text) - 1, y: 3, role: .muted)
    }

    // Under the list: the selected item whole, what it is and where it comes from.
    let detail = state.checklistDetail
    for (offset, line) in detail.enumerated() {
        buffer.put(line, x: 1, y: state.height - 2 - detail.count + offset,
                   role: offset == detail.count - 1 ? .muted : .normal, maxWidth: state.width - 2)
    }
}

/// Uppföljning: the open case's follow-up, its checklist phase by phase — a full record.
enum ChecklistScreen: ScreenUnit {
    static let title = "Uppföljning"
    static let context = KeyContext.checklist

    static func listCount(_ state: AppState) -> Int { state.phaseEntries.count }

    static func currentClientID(_ state: AppState) -> String? { state.openClientID }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawChecklist(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? { state.selectedEntry.map { $0.template.text } }

    static func viewed(_ state: AppState) -> String? { "uppföljning" }

    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? {
        switch requirement {
        case .aDraft: state.openClient?.draft != nil
        // Hembesöksläge keeps to the checklist: Esc has nowhere to go.
        case .away: !state.homeVisitActive
        default: nil
        }
    }
}
