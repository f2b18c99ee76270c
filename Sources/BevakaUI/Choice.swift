import BevakaDomain

/// A pick-one question drawn over the screen. ↑/↓ and Enter, or the option's number; Esc cancels.
public struct Choice: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case trigger(clientID: String, reminderID: String?, homeVisit: Bool)
        case form(clientID: String, trigger: FollowUpTrigger, reminderID: String?, homeVisit: Bool)
        case confirmFinish(clientID: String)
        /// Finishing a follow-up before the booked visit: end the booking too?
        case laterBooking(clientID: String, outcome: FollowUpOutcome, participants: String)
        case outcome(clientID: String)
        case confirmDiscard(clientID: String)
        case discardForm
        case pickDecision(clientID: String, action: DecisionAction, decisionIDs: [String])
        case confirmClose(clientID: String, decisionID: String, day: Day)
        case confirmArchive(clientID: String, archive: Bool)
        /// Quitting with changes the store could not take: whose.
        case unsavedOnQuit(clientIDs: [String])
        /// A booking on a weekend or a holiday: keep it?
        case confirmBooking(clientID: String, booking: Booking, fromChecklist: Bool)
        /// A booking at a time that happens twice (the night summer time ends): which of them?
        case bookingOccurrence(clientID: String, booking: Booking, fromChecklist: Bool)
        /// A move to a passed day or past the rule's date: which item, to when.
        case confirmMove(PendingMove)
        /// A colleague changed fields of the open form too: keep the user's values or theirs.
        case formConflict([FormConflict])
        /// A colleague changed the checklist answer being written: the user's text, kept here
        /// until they choose (Esc goes back to it).
        case noteConflict(TextEditing)
        /// The quarter's report to IVO was sent: record it (as `rapport ivo --markera-skickad`).
        case confirmIVOSent(quarter: Quarter)
        /// The unit manager moves a case to one of `roles`.
        case reassign(clientID: String, roles: [String])
        /// At start: people the list no longer needs; removed for good only on "Ja".
        case confirmGallring(ids: [String])
        /// The unit manager opens the case of a person with protected identity: why (the log keeps it).
        case openPurpose(clientID: String)
    }

    public var purpose: Purpose
    public var title: String
    public var options: [String]
    public var selected: Int

    public init(purpose: Purpose, title: String, options: [String], selected: Int = 0) {
        self.purpose = purpose
        self.title = title
        self.options = options
        self.selected = min(max(0, selected), max(0, options.count - 1))
    }

    /// The option a key picks, or nil while the key only moves (or does nothing).
    mutating func handle(_ key: Key) -> Int? {
        switch key {
        case .up, .character("k"): selected = max(0, selected - 1)
        case .down, .character("j"): selected = min(options.count - 1, selected + 1)
        case .enter: return selected
        case .character(let c):
            if let digit = c.wholeNumberValue, (1...options.count).contains(digit) { return digit - 1 }
        default: break
        }
        return nil
    }
}

func drawChoice(_ choice: Choice, state: AppState, into buffer: inout CellBuffer) {
    let labels = choice.options.enumerated().map { "\($0.offset + 1)  \($0.element)" }
    let inner = min(state.width - 6, max(TerminalText.width(choice.title), labels.map(TerminalText.width).max() ?? 0) + 4)
    let titleLines = wrap(choice.title, width: inner - 2)
    let height = titleLines.count + labels.count + 4
    let left = max(0, (state.width - inner - 2) / 2)
    let top = max(1, (state.height - height) / 2)
    for y in top..<(top + height) { buffer.fill(row: y, from: left, to: left + inner + 2, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: inner) + "┐", x: left, y: top, role: .border)
    for y in (top + 1)..<(top + height - 1) {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + inner + 1, y: y, role: .border)
    }
    buffer.put("└" + String(repeating: "─", count: inner) + "┘", x: left, y: top + height - 1, role: .border)
    for (offset, line) in titleLines.enumerated() {
        buffer.put(line, x: left + 2, y: top + 1 + offset, role: .header, maxWidth: inner - 2)
    }
    for (index, label) in labels.enumerated() {
        let y = top + 2 + titleLines.count + index
        let selected = index == choice.selected
        if selected {
            buffer.fill(row: y, from: left + 1, to: left + inner + 1, role: .selection)
            if buffer.plain { buffer.cursor = CursorPosition(x: left + 2, y: y) }
        }
        buffer.put(label, x: left + 2, y: y, role: selected ? .selection : .normal, maxWidth: inner - 2)
    }
}
