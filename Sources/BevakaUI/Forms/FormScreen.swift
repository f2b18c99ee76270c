import BevakaDomain

// The form screen: its keys, moving between fields, saving, and drawing it.

extension AppState {
    // MARK: Keys in a form

    mutating func handleForm(_ key: Key) -> [Effect] {
        guard var form = self.form else { return [] }
        if form.picker != nil { return handlePicker(key, form: &form) }
        message = nil
        messageIsError = false
        let field = form.fields[form.focus]
        let isChoice: Bool
        if case .choice = field.kind { isChoice = true } else { isChoice = false }
        switch key {
        case .escape:
            if form.changed {
                push(.choice(Choice("Kasta ändringarna i \"\(form.title)\"?",
                                [.init("Nej, fortsätt skriva", .nothing), .init("Ja, kasta ändringarna", .discardForm)])))
            } else {
                closeForm()
            }
            return []
        case .f1:
            push(.help(scroll: 0))
            return []
        case .tab, .down:
            if leaveField(&form) { return [] }
            form.focus = min(form.fields.count - 1, form.focus + 1)
        case .backTab, .up:
            if leaveField(&form) { return [] }
            form.focus = max(0, form.focus - 1)
        case .ctrl("s"):
            self.form = form
            return saveForm()
        case .enter:
            if isChoice && form.fields[form.focus].text.isEmpty {
                form.picker = Picker()
                break
            }
            if leaveField(&form) { return [] }
            if form.focus == form.fields.count - 1 {
                self.form = form
                return saveForm()
            }
            form.focus += 1
        case .character(" ") where isChoice && form.fields[form.focus].text.isEmpty:
            form.picker = Picker()
        case .character(let c) where isChoice:
            // Typing on a choice opens its list, already filtered by the letter.
            var picker = Picker()
            picker.filter.handle(.character(c))
            form.picker = picker
        default:
            form.fields[form.focus].editor.handle(key)
            form.fields[form.focus].error = nil
        }
        self.form = form
        return []
    }

    mutating func handlePicker(_ key: Key, form: inout FormState) -> [Effect] {
        guard var picker = form.picker else { return [] }
        let index = form.focus
        switch key {
        case .escape:
            form.picker = nil
        case .up:
            picker.selected = max(0, picker.selected - 1)
            form.picker = picker
        case .down:
            picker.selected = min(max(0, form.matches(index).count - 1), picker.selected + 1)
            form.picker = picker
        case .enter, .tab:
            let matches = form.matches(index)
            var picked: String?
            if matches.indices.contains(picker.selected) {
                picked = matches[picker.selected]
            } else if case .choice(_, _, true) = form.fields[index].kind, !picker.filter.text.isEmpty {
                picked = TerminalText.sanitize(picker.filter.text)
            }
            guard let picked else {
                message = "Inget val passar \"\(picker.filter.text)\"."
                messageIsError = true
                break
            }
            form.fields[index].editor = LineEditor(picked)
            form.fields[index].error = nil
            form.picker = nil
            if leaveField(&form) { return [] }
            form.focus = min(form.fields.count - 1, form.focus + 1)
        default:
            picker.filter.handle(key)
            picker.selected = 0
            form.picker = picker
        }
        self.form = form
        return []
    }

    /// Checks the field being left and shows its reason beside it; a known personnummer in a new
    /// client's form leads to that client instead (no second case for one person).
    /// Returns true when the form was closed (the person already exists).
    @discardableResult
    mutating func leaveField(_ form: inout FormState) -> Bool {
        let index = form.focus
        // The field is checked once; what the check read is used below.
        var value: FieldValue?
        do {
            value = try form.value(index, today: today)
            form.fields[index].error = nil
        } catch {
            form.fields[index].error = error.message
        }
        // A relative date ("+1m", "idag") is shown as the date it means once the field is left.
        if case .day(let day)? = value { form.fields[index].editor = LineEditor(day.description) }
        // A provider already in the caseload brings its regi and case-system access along.
        if form.fields[index].key == .provider,
           let known = caseload.clients.lazy.flatMap({ $0.decisions }).compactMap(\.provider)
            .first(where: { $0.name == form.fields[index].text }) {
            if let regi = form.fields.firstIndex(where: { $0.key == .regi }), form.fields[regi].text.isEmpty {
                form.fields[regi].editor = LineEditor(RegiChoice(known.regi).rawValue)
            }
            if let access = form.fields.firstIndex(where: { $0.key == .caseSystemAccess }), form.fields[access].text.isEmpty,
               let value = known.caseSystemAccess {
                form.fields[access].editor = LineEditor(YesNo(value).rawValue)
            }
        }
        // "Saknar svenskt personnummer" answered: the personnummer field is checked again (empty is
        // then right, or wrong again).
        if form.fields[index].key == .noSwedishNumber, let number = form.fields.firstIndex(where: { $0.key == .personnummer }) {
            do {
                _ = try form.value(number, today: today)
                form.fields[number].error = nil
            } catch {
                form.fields[number].error = error.message
            }
        }
        // A known insats proposes its law (the catalog's); the user may still change it.
        if form.fields[index].key == .service, let law = form.fields.firstIndex(where: { $0.key == .law }),
           let kind = routines.catalog.kinds.first(where: { $0.name.lowercased() == form.fields[index].text.lowercased() }) {
            form.fields[law].editor = LineEditor(LawChoice(kind.law).rawValue)
            form.fields[law].error = nil
        }
        // The insats list follows the law chosen.
        if form.fields[index].key == .law, let service = form.fields.firstIndex(where: { $0.key == .service }),
           case .choice(_, let required, let other) = form.fields[service].kind {
            let law = LawChoice(rawValue: form.fields[index].text)?.law
            let names = routines.catalog.kinds.filter { law == nil || $0.law == law }.map(\.name)
            form.fields[service].kind = .choice(options: names, required: required, allowOther: other)
        }
        if form.fields[index].error == nil {
            // The rules between fields (an end before the start) are said as the later field is left.
            var checked = form
            for other in checked.fields.indices { checked.fields[other].error = nil }
            crossCheck(&checked, checked.values(today: today))
            form.fields[index].error = checked.fields[index].error
        }
        guard form.fields[index].error == nil, case .personnummer(let number)? = value,
              let existing = caseload.clients.first(where: { $0.personnummer == number && $0.id != form.clientID })
        else { return false }
        guard case .newClient = form.purpose else {
            form.fields[index].error = "Personnumret tillhör redan \(existing.name)."
            return false
        }
        self.form = nil
        openCase(existing.id)
        message = "Personnumret finns redan: \(existing.name)\(existing.archived ? " (arkiverad)" : ""). Ärendet är öppnat i stället för ett nytt."
        return true
    }

    mutating func closeForm() {
        let clientID = form?.clientID
        var backToChecklist = false
        if case .booking(_, true)? = form?.purpose { backToChecklist = true }
        form = nil
        if let clientID, client(clientID) != nil {
            openClientID = clientID
            screen = backToChecklist ? .checklist : .caseDetail
        } else {
            screen = returnScreen == .caseDetail ? .caseload : returnScreen
        }
    }

    /// Every field checked; the first wrong one gets the focus. Then the form's own rules.
    mutating func saveForm(reconciling: Bool = true) -> [Effect] {
        guard var form = self.form else { return [] }
        let values = form.check(today: today)
        crossCheck(&form, values)
        if let first = form.fields.firstIndex(where: { $0.error != nil }) {
            form.focus = first
            self.form = form
            message = "Formuläret har fel: rätta de markerade fälten (\(form.fields.filter { $0.error != nil }.count))."
            messageIsError = true
            return []
        }
        self.form = form
        return reconciling ? saveReconciled(form, values) : commitForm(form, values)
    }
}

func drawForm(_ state: AppState, into buffer: inout CellBuffer) {
    guard let form = state.form else { return }
    buffer.put(form.title, x: 1, y: 1, role: .header, maxWidth: state.width - 2)
    // Labels up to 24 columns stand beside their value; a longer one (a whole question) gets a
    // line of its own above the value, never cut.
    let labelWidth = min(24, max(12, (form.fields.map { TerminalText.width($0.label) }.filter { $0 <= 23 }.max() ?? 12) + 1))
    // The focused field's error (or hint), whole, under the list: one or two lines.
    // Every field's error is readable whole there: the focused field's first, then the others'.
    let focusedField = form.fields[form.focus]
    var notes = focusedField.error.map { ["✗ " + $0] } ?? []
    notes += form.fields.indices.filter { $0 != form.focus }.compactMap { index in
        form.fields[index].error.map { "✗ \(form.fields[index].label): \($0)" }
    }
    if notes.isEmpty { notes = [focusedField.hint] }
    let below = notes.flatMap { wrap($0, width: state.width - 2) }
    let belowLines = Array(below.prefix(3))
    let hasError = form.fields.contains { $0.error != nil }
    let rows = state.contentHeight - 3 - belowLines.count
    // The screen rows of each field (one, or two for a long label), and the first field shown so
    // the focused one is in view.
    let heights = form.fields.map { TerminalText.width($0.label) > labelWidth - 1 ? 2 : 1 }
    var top = 0
    while top < form.focus && heights[top...form.focus].reduce(0, +) > rows { top += 1 }
    var y = 3
    var focusY = 3
    for index in top..<form.fields.count {
        let field = form.fields[index]
        guard y + heights[index] - 1 < 3 + rows else { break }
        let focused = index == form.focus
        if focused { focusY = y + heights[index] - 1 }
        if heights[index] == 2 {
            buffer.put(field.label, x: 2, y: y, role: focused ? .highlight : .muted, maxWidth: state.width - 3)
            y += 1
        } else {
            buffer.put(TerminalText.padLeft(field.label, to: labelWidth - 1), x: 1, y: y, role: focused ? .highlight : .muted)
        }
        defer { y += 1 }
        var x = labelWidth + 2
        let valueWidth = max(10, min(36, state.width - x - 20))
        if focused && form.picker == nil {
            drawEditor(field.editor, x: x, y: y, maxWidth: valueWidth + 1, into: &buffer)
            x += valueWidth + 2
        } else {
            let shown = field.text.isEmpty ? "–" : field.text
            x = buffer.put(shown, x: x, y: y, role: field.text.isEmpty ? .muted : .normal, maxWidth: valueWidth) + 2
        }
        if case .choice = field.kind, focused, form.picker == nil {
            // After the value, so the label reads on its own ("Samtycke  ja ▾").
            buffer.put("▾", x: labelWidth + 2 + min(valueWidth, TerminalText.width(field.text)) + 2, y: y, role: .helpKey)
        }
        if let error = field.error {
            // Beside the field when it fits; otherwise a pointer, and the whole text below when focused.
            let full = "✗ " + error
            let text = TerminalText.width(full) <= state.width - x - 1 ? full : "✗ fel, se nedan"
            buffer.put(text, x: x, y: y, role: .error, maxWidth: state.width - x - 1)
        }
    }
    for (offset, line) in belowLines.enumerated() {
        buffer.put(line, x: 1, y: state.height - 2 - belowLines.count + offset,
                   role: hasError ? .error : .muted, maxWidth: state.width - 2)
    }
    if form.picker != nil { drawPicker(state, form: form, into: &buffer, labelWidth: labelWidth, focusY: focusY) }
}

func drawPicker(_ state: AppState, form: FormState, into buffer: inout CellBuffer, labelWidth: Int, focusY: Int) {
    guard let picker = form.picker else { return }
    let matches = form.matches(form.focus)
    let width = min(state.width - labelWidth - 3, max(30, (matches.map(TerminalText.width).max() ?? 20) + 4))
    let left = labelWidth + 1
    let shown = Array(matches.prefix(max(1, state.height - 10)))
    let y0 = max(2, min(focusY, state.height - 5 - max(1, shown.count)))
    let height = max(1, shown.count) + 3
    for y in y0..<(y0 + height) { buffer.fill(row: y, from: left, to: left + width, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: left, y: y0, role: .border)
    buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", x: left, y: y0 + height - 1, role: .border)
    for y in (y0 + 1)..<(y0 + height - 1) {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + width - 1, y: y, role: .border)
    }
    var x = buffer.put(" Sök: ", x: left + 1, y: y0 + 1, role: .muted)
    x = drawEditor(picker.filter, x: x, y: y0 + 1, into: &buffer)
    if shown.isEmpty {
        var text = "inga träffar"
        if case .choice(_, _, true) = form.fields[form.focus].kind, !picker.filter.text.isEmpty {
            text = "Enter: använd \"\(picker.filter.text)\""
        }
        buffer.put(text, x: left + 2, y: y0 + 2, role: .muted, maxWidth: width - 4)
        return
    }
    for (offset, option) in shown.enumerated() {
        let y = y0 + 2 + offset
        let selected = offset == picker.selected
        if selected {
            buffer.fill(row: y, from: left + 1, to: left + width - 1, role: .selection)
            if buffer.plain { buffer.cursor = CursorPosition(x: left + 2, y: y) }
        }
        buffer.put(option, x: left + 2, y: y, role: selected ? .selection : .normal, maxWidth: width - 4)
    }
}

/// A form: a person, a decision, a plan, a booking … — a full record of the person.
enum FormScreen: ScreenUnit {
    static let title = "Formulär"
    static let context = KeyContext.form

    static func listCount(_ state: AppState) -> Int { 0 }

    static func currentClientID(_ state: AppState) -> String? { state.openClientID }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawForm(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        guard let form = state.form else { return nil }
        let field = form.fields[form.focus]
        return "\(field.label): \(field.text.isEmpty ? "tomt" : field.text)"
    }

    static func viewed(_ state: AppState) -> String? { "formulär" }
}
