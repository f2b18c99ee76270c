import BevakaDomain

/// A multi-line text editor for answers, notes and journal paragraphs. Works on grapheme
/// clusters (å and a letter with a combining mark are one character each), wraps at the width
/// it is drawn at, and knows the readline keys handläggare meet elsewhere: Ctrl-W deletes the
/// word before the cursor, Ctrl-U the line before it, Ctrl-K the rest of the line.
public struct TextEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    /// The column the cursor keeps when ↑/↓ pass shorter lines.
    private var wantedColumn: Int?

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// One line on the screen: the characters `start..<end` of the text (the newline or the space
    /// a line was broken at is not part of it).
    public struct VisualLine: Equatable, Sendable {
        public var start: Int
        public var end: Int
    }

    /// The text broken into screen lines of at most `width` columns: at newlines, and at the
    /// last space that fits (a word longer than the width is cut).
    public func lines(width: Int) -> [VisualLine] {
        let width = max(1, width)
        var result: [VisualLine] = []
        var start = 0
        while true {
            var column = 0
            var index = start
            var lastSpace: Int?
            while index < characters.count, characters[index] != "\n" {
                let w = TerminalText.width(of: characters[index])
                if column + w > width { break }
                if characters[index] == " " { lastSpace = index }
                column += w
                index += 1
            }
            if index < characters.count, characters[index] != "\n" {
                // Too long: break after the last space, else cut the word.
                if let space = lastSpace, space > start {
                    result.append(VisualLine(start: start, end: space))
                    start = space + 1
                } else {
                    let cut = max(index, start + 1)
                    result.append(VisualLine(start: start, end: cut))
                    start = cut
                }
                continue
            }
            result.append(VisualLine(start: start, end: index))
            if index >= characters.count { break }
            start = index + 1  // past the newline
        }
        return result
    }

    /// The cursor's screen line and column at `width`.
    public func position(width: Int) -> (line: Int, column: Int) {
        let all = lines(width: width)
        for (number, line) in all.enumerated().reversed() where cursor >= line.start {
            let column = characters[line.start..<min(cursor, line.end)].reduce(0) { $0 + TerminalText.width(of: $1) }
            // At a wrapped line's end the cursor shows at the start of the next one.
            if cursor > line.end, number + 1 < all.count { continue }
            return (number, column)
        }
        return (0, 0)
    }

    /// Handles an editing key; false for keys it does not handle (save, cancel, …).
    @discardableResult
    public mutating func handle(_ key: Key, width: Int) -> Bool {
        var keepsColumn = false
        switch key {
        case .character(let c):
            characters.insert(c.isNewline ? "\n" : c, at: cursor)
            cursor += 1
        case .enter:
            characters.insert("\n", at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = lineStart
        case .end: cursor = lineEnd
        case .up, .down:
            let all = lines(width: width)
            let here = position(width: width)
            let target = here.line + (key == .up ? -1 : 1)
            let column = wantedColumn ?? here.column
            if target < 0 {
                cursor = 0
            } else if target >= all.count {
                cursor = characters.count
            } else {
                cursor = index(in: all[target], atColumn: column)
            }
            wantedColumn = column
            keepsColumn = true
        case .ctrl("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " ", characters[start - 1] != "\n" { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("u"):
            let start = lineStart
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("k"):
            characters.removeSubrange(cursor..<lineEnd)
        default:
            return false
        }
        if !keepsColumn { wantedColumn = nil }
        return true
    }

    /// The start and end of the text's line (between newlines) the cursor is on.
    private var lineStart: Int {
        var index = cursor
        while index > 0, characters[index - 1] != "\n" { index -= 1 }
        return index
    }

    private var lineEnd: Int {
        var index = cursor
        while index < characters.count, characters[index] != "\n" { index += 1 }
        return index
    }

    private func index(in line: VisualLine, atColumn column: Int) -> Int {
        var used = 0
        var index = line.start
        while index < line.end {
            let w = TerminalText.width(of: characters[index])
            if used + w > column { break }
            used += w
            index += 1
        }
        return index
    }
}

/// The editor open over the screen: what it edits and the question it answers.
public struct TextEditing: Equatable, Sendable {
    public var purpose: PromptPurpose
    public var title: String
    public var editor: TextEditor
    public var original: String
    /// Esc was pressed with a change: the next key says whether to throw it away.
    public var confirmingDiscard = false
    public var error: String?

    public init(purpose: PromptPurpose, title: String, text: String) {
        self.purpose = purpose
        self.title = title
        self.editor = TextEditor(text)
        self.original = text
    }

    public var changed: Bool { editor.text != original }
}

extension AppState {
    /// The editor's width for wrapping: the box's inside.
    var textEditorWidth: Int { max(10, width - 6) }

    mutating func openTextEditor(_ purpose: PromptPurpose, title: String, text: String) {
        put(.textEditor(TextEditing(purpose: purpose, title: title, text: text)))
    }

    /// Keeps the answer being written in the person's draft (`unsaved`), silently: no undo step,
    /// no message. Nothing when no answer is being written or the kept text is already this.
    mutating func keepUnsavedText() -> [Effect] {
        guard let editing = textEditing, case .checklistNote(let clientID, let entryID) = editing.purpose,
              let index = clientIndex[clientID], caseload.clients[index].draft != nil else { return [] }
        let kept = editing.changed ? UnsavedAnswer(entry: entryID, text: editing.editor.text) : nil
        guard caseload.clients[index].draft?.unsaved != kept else { return [] }
        caseload.clients[index].draft?.unsaved = kept
        return requestSave()
    }

    /// Clears a kept answer once the user saved it or threw it away (no undo step).
    mutating func clearUnsavedText(_ clientID: String) -> [Effect] {
        guard let index = clientIndex[clientID], caseload.clients[index].draft?.unsaved != nil else { return [] }
        caseload.clients[index].draft?.unsaved = nil
        return requestSave()
    }

    /// At start: an answer kept when the terminal closed is put back into its editor.
    public mutating func restoreUnsavedText() {
        guard let client = caseload.clients.first(where: { $0.draft?.unsaved != nil }), let draft = client.draft,
              let unsaved = draft.unsaved else { return }
        openClientID = client.id
        screen = .checklist
        let entries = checklistEntries
        guard let entry = entries.first(where: { $0.id == unsaved.entry }) else { return }
        caseload.clients[clientIndex[client.id] ?? 0].draft?.phase = entry.template.phase
        caseload.clients[clientIndex[client.id] ?? 0].draft?.cursor = entry.id
        let label = entry.template.type == .question ? "Svar:" : "Anteckning:"
        openTextEditor(.checklistNote(clientID: client.id, entryID: entry.id), title: "\(label) \(entry.template.text)",
                       text: draft.answer(entry.id).note ?? "")
        if var editing = textEditing {
            editing.editor = TextEditor(unsaved.text)
            // Said on the editor's own status line (where its notices go) until the next key.
            editing.error = "Osparad text från förra gången återställd: Ctrl-S sparar den, Esc kastar den."
            put(.textEditor(editing))
        }
    }

    mutating func handleTextEditor(_ key: Key) -> [Effect] {
        guard var editing = textEditing else { return [] }
        if editing.confirmingDiscard {
            switch key {
            case .character("j"), .character("J"), .character("2"):
                dismiss(.textEditor)
                message = "Ändringen kastades."
                if case .checklistNote(let clientID, _) = editing.purpose { return clearUnsavedText(clientID) }
            default:
                editing.confirmingDiscard = false
                put(.textEditor(editing))
                message = "Fortsätt skriva."
            }
            return []
        }
        switch key {
        case .escape:
            guard editing.changed else {
                dismiss(.textEditor)
                message = "Avbrutet."
                return []
            }
            editing.confirmingDiscard = true
            put(.textEditor(editing))
            return []
        case .ctrl("s"):
            return saveTextEditor(editing.editor.text)
        case .ctrl("e"):
            message = "Öppnar din textredigerare …"
            return [.editExternally(editing.editor.text)]
        case .character(" ") where editing.editor.text.isEmpty, .tab where editing.editor.text.isEmpty:
            // Leading blanks are never an answer: Space pressed again on the question (or a Tab
            // meant to move on) does not start the text with blanks (issue 35, item 14).
            editing.error = "Skriv svaret; Ctrl-S sparar, Esc avbryter."
            put(.textEditor(editing))
            return []
        default:
            editing.editor.handle(key, width: textEditorWidth)
            editing.error = nil
            put(.textEditor(editing))
            return []
        }
    }

    /// Saves the editor's text where it belongs, as the one-line prompt would have. An answer a
    /// colleague changed too while the editor was open is asked about first (`checked` false).
    mutating func saveTextEditor(_ text: String, checked: Bool = false) -> [Effect] {
        guard var editing = textEditing else { return [] }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        dismiss(.textEditor)
        switch editing.purpose {
        case .checklistNote(let clientID, let entryID):
            let standing = (client(clientID)?.draft?.answer(entryID).note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let opened = editing.original.trimmingCharacters(in: .whitespacesAndNewlines)
            if !checked && standing != opened && standing != trimmed && trimmed != opened {
                editing.editor = TextEditor(text)
                let who = changedBy[clientID].map(AppState.firstName) ?? "En kollega"
                let shown = standing.isEmpty ? "tömde svaret" : "ändrade också svaret (till \(TerminalText.sanitize(standing)))"
                // Esc goes back to the text being written: nothing of it is lost.
                push(.choice(Choice("\(who) \(shown) medan du skrev.", [
                    .init("Behåll din (\(trimmed.isEmpty ? "tom" : TerminalText.truncate(TerminalText.sanitize(trimmed), to: 40)))",
                          .saveNoteOverColleague(editing)),
                    .init("Behåll \(AppState.genitive(who))", .say("Kollegans svar är kvar; din text sparades inte.")),
                ], escape: .resumeNote(editing))))
                return []
            }
            let effects = submitChecklistNote(Prompt(purpose: editing.purpose, editor: LineEditor()), clientID: clientID,
                                              entryID: entryID, text: trimmed, moveOn: true)
            if let rejected = prompt {
                // A refusal comes back as a prompt error: keep the editor open with it.
                dismiss(.prompt)
                var again = editing
                again.editor = TextEditor(text)
                again.error = rejected.error
                put(.textEditor(again))
            }
            return effects
        case .documentParagraph(let index, let insert):
            return submitParagraph(trimmed, index: index, insert: insert)
        default:
            return []
        }
    }

    /// The text back from the user's own editor: saved as if typed here.
    mutating func takeExternalEdit(text: String?, error: String?) -> [Effect] {
        guard var editing = textEditing else { return [] }
        if let error {
            message = error + " Texten finns kvar här."
            messageIsError = true
            return []
        }
        guard let text else { return [] }
        editing.editor = TextEditor(text)
        put(.textEditor(editing))
        let effects = saveTextEditor(text)
        if textEditing == nil {
            message = "Texten från din redigerare är sparad."
            messageIsError = false
        }
        return effects
    }
}

func drawTextEditor(_ editing: TextEditing, state: AppState, into buffer: inout CellBuffer) {
    let left = 1, top = 1
    let inner = state.width - 4
    let bottom = state.height - 3
    for y in top...bottom { buffer.fill(row: y, from: left, to: left + inner + 2, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: inner) + "┐", x: left, y: top, role: .border)
    for y in (top + 1)..<bottom {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + inner + 1, y: y, role: .border)
    }
    buffer.put("└" + String(repeating: "─", count: inner) + "┘", x: left, y: bottom, role: .border)
    let titleLines = wrap(TerminalText.sanitize(editing.title), width: inner - 2).prefix(2)
    for (offset, line) in titleLines.enumerated() {
        buffer.put(line, x: left + 2, y: top + 1 + offset, role: .header, maxWidth: inner - 2)
    }
    let firstY = top + 1 + titleLines.count + 1
    let rows = max(1, bottom - firstY)
    let width = state.textEditorWidth
    let lines = editing.editor.lines(width: width)
    let position = editing.editor.position(width: width)
    let scroll = max(0, position.line - rows + 1)
    let characters = editing.editor.characters
    for (offset, line) in lines.dropFirst(scroll).prefix(rows).enumerated() {
        let text = TerminalText.sanitize(String(characters[line.start..<line.end]))
        buffer.put(text, x: left + 2, y: firstY + offset, role: .normal, maxWidth: width)
    }
    // The cursor: the character under it in reverse, or a block at the end of a line.
    let cursorY = firstY + position.line - scroll
    let cursorX = left + 2 + position.column
    let under = editing.editor.cursor < characters.count && characters[editing.editor.cursor] != "\n"
        ? TerminalText.sanitize(String(characters[editing.editor.cursor])) : " "
    buffer.put(under.isEmpty ? " " : under, x: cursorX, y: cursorY, role: .selection)
    if buffer.plain { buffer.cursor = CursorPosition(x: cursorX, y: cursorY) }
    if scroll > 0 { buffer.put("↑ mer", x: left + inner - 5, y: firstY - 1, role: .muted) }
}
