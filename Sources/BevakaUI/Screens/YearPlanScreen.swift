import BevakaDomain

// Årshjul: the year's follow-ups month by month; Enter opens a month.

extension AppState {
    public var yearPlan: YearPlan {
        cache.value("yearPlan", key: [AnyHashable(version), filter.text, yearPlanView.year, today]) {
            let visible = Caseload(clients: caseload.clients.filter(clientMatches), nextSerial: caseload.nextSerial)
            return YearPlan.make(caseload: visible, routines: routines, year: yearPlanView.year, today: today,
                                 itemsByClient: itemsByClient)
        }
    }

    public func monthEntries(_ plan: YearPlan) -> [YearPlanEntry] {
        plan.months[yearPlanView.selectedMonth - 1].entries
    }
}

func drawYearPlan(_ state: AppState, into buffer: inout CellBuffer) {
    let plan = state.yearPlan
    var title = "Årshjul \(plan.year) · \(plan.total) uppföljningar"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    if !plan.overdue.isEmpty { title += " · \(plan.overdue.count) försenade räknas för sig" }
    buffer.put(title, x: 1, y: 1, role: .header)
    if state.yearPlanView.monthOpen {
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
            let selected = month.month == state.yearPlanView.selectedMonth
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
        let selected = month.month == state.yearPlanView.selectedMonth
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
    let month = plan.months[state.yearPlanView.selectedMonth - 1]
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

extension AppState {
    /// Another year, the same month selected (or the open month's first follow-up).
    mutating func showYear(_ shown: Int) {
        yearPlanView.year = shown
        selection[.yearPlan] = yearPlanView.monthOpen ? 0 : yearPlanView.selectedMonth - 1
    }

    /// The årshjul's selected follow-up as a bevakning that can be moved, or nil with the reason said.
    mutating func selectedYearPlanItem() -> DueItem? {
        guard yearPlanView.monthOpen else {
            message = "Välj en månad med Enter och sedan en uppföljning att flytta."
            return nil
        }
        let entries = monthEntries(yearPlan)
        guard entries.indices.contains(selectedIndex) else { return nil }
        let entry = entries[selectedIndex]
        guard !entry.done else {
            message = "Uppföljningen är redan gjord."
            return nil
        }
        guard let item = openItems.first(where: { $0.clientID == entry.clientID && $0.due == entry.due
            && ($0.kind == .annualFollowUp || $0.kind == .decisionEnding) }) else {
            message = "Bara nästa planerade uppföljning kan flyttas; senare år följer av den."
            return nil
        }
        return item
    }

    /// Moves the selected follow-up of the open month to the same day in another month, on a
    /// working day, asking when that is in the past or past the rule's date.
    mutating func moveFollowUp(byMonths months: Int) -> [Effect] {
        guard let item = selectedYearPlanItem() else { return [] }
        return moveAsking(item, to: WorkingDays.onOrBefore(item.due.adding(months: months)))
    }
}

/// The årshjul's own state: the year shown, the month selected, and whether it is open.
public struct YearPlanView: Equatable, Sendable {
    public var year: Int
    public var selectedMonth: Int
    public var monthOpen = false
}

/// Årshjul: the year's follow-ups month by month, or one month's.
enum YearPlanScreen: ScreenUnit {
    static let title = "Årshjul"
    static let context = KeyContext.yearPlan

    static func listCount(_ state: AppState) -> Int { state.yearPlanView.monthOpen ? state.monthEntries(state.yearPlan).count : 12 }

    static func listRows(_ state: AppState) -> Int { state.yearPlanView.monthOpen ? state.contentHeight - 3 : 12 }

    static func enter(_ state: inout AppState) {
        if state.yearPlanView.monthOpen {
            let entries = state.monthEntries(state.yearPlan)
            guard entries.indices.contains(state.selectedIndex) else { return }
            state.openCase(entries[state.selectedIndex].clientID)
        } else {
            state.yearPlanView.selectedMonth = state.selectedIndex + 1
            state.yearPlanView.monthOpen = true
            state.selection[.yearPlan] = 0
        }
    }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawYearPlan(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        let plan = state.yearPlan
        let month = plan.months[state.yearPlanView.selectedMonth - 1]
        let monthName = "\(SwedishCalendarNames.months[month.month - 1]) \(month.year)"
        if state.yearPlanView.monthOpen {
            let entries = state.monthEntries(plan)
            guard entries.indices.contains(state.selectedIndex) else { return monthName }
            let entry = entries[state.selectedIndex]
            return "\(TerminalText.sanitize(entry.clientName)) \(entry.due), " + entry.kinds.map(\.label).joined(separator: ", ")
        }
        return "\(monthName), \(month.planned) planerade av \(month.workingDays) arbetsdagar"
    }
}
