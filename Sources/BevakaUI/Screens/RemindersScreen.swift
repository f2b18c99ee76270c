import BevakaDomain

// Bevakningar: every bevakning, filtered by when and by kind.

extension AppState {
    public var reminderList: [DueItem] {
        cache.value("reminders", key: [AnyHashable(version), filter.text, remindersView.filter, remindersView.kind, today]) {
            computeReminderList()
        }
    }

    func computeReminderList() -> [DueItem] {
        items.filter { item in
            guard itemMatches(item) else { return false }
            if let kind = remindersView.kind, item.kind != kind { return false }
            switch remindersView.filter {
            case .overdue: return !item.isDone && item.due < today
            case .week: return !item.isDone && item.due >= weekStart && item.due <= weekEnd
            case .upcoming: return !item.isDone && item.due >= today
            case .done: return item.isDone
            case .all: return true
            }
        }
    }
}

func drawReminders(_ state: AppState, into buffer: inout CellBuffer) {
    let list = state.reminderList
    var choice = state.remindersView.filter.label
    if state.remindersView.filter == .week { choice += " (\(state.weekLabel))" }
    var parts = ["Bevakningar: \(choice)"]
    if let kind = state.remindersView.kind { parts.append(kind.label) }
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

extension AppState {
    /// `f`: försenade → denna vecka → kommande → klara → alla.
    mutating func cycleReminderFilter() {
        remindersView.filter = ReminderFilter(rawValue: (remindersView.filter.rawValue + 1) % ReminderFilter.allCases.count) ?? .all
        selection[.reminders] = 0
    }

    /// `t`: one kind of bevakning after the other, then all kinds.
    mutating func cycleKindFilter() {
        let kinds = DueKind.allCases
        if let current = remindersView.kind, let index = kinds.firstIndex(of: current) {
            remindersView.kind = index + 1 < kinds.count ? kinds[index + 1] : nil
        } else {
            remindersView.kind = kinds.first
        }
        selection[.reminders] = 0
    }
}

/// Bevakningar's own state: which bevakningar show.
public struct RemindersView: Equatable, Sendable {
    public var filter: ReminderFilter = .overdue
    /// One kind only (`t`); nil: every kind.
    public var kind: DueKind?
}

/// Bevakningar: every bevakning, filtered (försenade, denna vecka, kommande, klara, alla; a kind).
enum RemindersScreen: ScreenUnit {
    static let title = "Bevakningar"
    static let context = KeyContext.reminders

    static func listCount(_ state: AppState) -> Int { state.reminderList.count }

    static func listRows(_ state: AppState) -> Int { state.contentHeight - 2 }

    static func selectedItem(_ state: AppState) -> DueItem? {
        let list = state.reminderList
        return list.indices.contains(state.selectedIndex) ? list[state.selectedIndex] : nil
    }

    static func enter(_ state: inout AppState) {
        if let item = state.selectedItem { state.openCase(item.clientID) }
    }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawReminders(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? { state.selectedItem.map(state.spokenItem) }

    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? {
        switch requirement {
        case .aLine, .anItem, .aPerson: state.selectedItem != nil
        default: nil
        }
    }
}
