import BevakaDomain

// Översikt: what is due and overdue, section by section; Enter opens a section in full.

/// A line of the Översikt: a section's heading, a bevakning or a booked visit.
public enum OverviewLine: Equatable, Sendable {
    case header(String, count: Int, hidden: Int, role: Role)
    case item(DueItem)
    /// A booked visit this week, with its time (not selectable: the person's items are).
    case booking(clientID: String, Booking)
}

extension AppState {
    public var weekEnd: Day { today.adding(days: 7 - today.weekday) }
    public var weekStart: Day { today.adding(days: 1 - today.weekday) }

    /// "v. 49, 30 nov–6 dec": the week the filter "denna vecka" shows.
    public var weekLabel: String {
        let start = weekStart, end = weekEnd
        let startText = "\(start.day)" + (start.month == end.month ? "" : " " + SwedishCalendarNames.shortMonths[start.month - 1])
        return "v. \(today.isoWeek), \(startText)–\(end.day) \(SwedishCalendarNames.shortMonths[end.month - 1])"
    }

    public struct OverviewSection: Sendable {
        public var title: String
        public var role: Role
        public var items: [DueItem]
    }

    public var overviewSections: [OverviewSection] {
        cache.value("overview", key: [AnyHashable(version), filter.text, today, height]) { computeOverviewSections() }
    }

    func computeOverviewSections() -> [OverviewSection] {
        // Without a search or a narrowed scope every open item matches: the list itself, not a copy.
        let open = filterActive || scopeOwner != nil ? openItems.filter(itemMatches) : openItems
        let nextMonthStart = today.firstOfMonth.adding(months: 1)
        let nextMonthEnd = nextMonthStart.adding(months: 1).adding(days: -1)
        let nextMonthName = SwedishCalendarNames.months[nextMonthStart.month - 1]
        return [
            OverviewSection(title: "Försenade", role: .overdue, items: open.filter { $0.due < today }),
            OverviewSection(title: "Idag och denna vecka", role: .dueSoon,
                            items: open.filter { $0.due >= today && $0.due <= weekEnd }),
            OverviewSection(title: "Genomförandeplaner som saknas eller är för gamla", role: .header,
                            items: open.filter { ($0.kind == .carePlanMissing || $0.kind == .carePlanStale)
                                && $0.due <= today.adding(days: 30) }),
            // An ended decision never "löper ut": it has its own section.
            OverviewSection(title: "Beslut som har löpt ut", role: .overdue,
                            items: open.filter { item in
                                item.kind == .decisionEnded
                                    || (item.kind == .decisionEnding && (endDate(of: item).map { $0 < today } ?? false))
                            }),
            // The date shown is the follow-up before the end (R3), not the end itself.
            OverviewSection(title: "Beslut som löper ut inom 30 dagar: följ upp före slutet", role: .header,
                            items: open.filter { item in
                                guard item.kind == .decisionEnding, let end = endDate(of: item) else { return false }
                                return end >= today && end <= today.adding(days: 30)
                            }),
            // R11/R12: what IVO must be told of, from a month before the three-month limit.
            OverviewSection(title: "Ej verkställda beslut och avbrott (IVO)", role: .warning,
                            items: open.filter { [.notStarted, .interrupted, .ivoReport].contains($0.kind) && $0.due <= today.adding(days: 30) }),
            OverviewSection(title: "Tidsavvikelser över ±5 %", role: .header,
                            items: open.filter { $0.kind == .timeDeviation }),
            OverviewSection(title: "Uppföljningar i \(nextMonthName) (förbered en månad före)", role: .header,
                            items: nextMonth(open, from: nextMonthStart, to: nextMonthEnd)),
        ]
    }

    /// Next month's follow-ups, and the R6 preparations (possibly overdue) of exactly those
    /// annual follow-ups, in date order.
    func nextMonth(_ open: [DueItem], from start: Day, to end: Day) -> [DueItem] {
        let followUps = open.filter {
            ($0.kind == .annualFollowUp || $0.kind == .decisionEnding) && $0.due >= start && $0.due <= end
        }
        let annual = Set(followUps.filter { $0.kind == .annualFollowUp }.map(\.clientID))
        let preparations = open.filter { $0.kind == .prepareFollowUp && annual.contains($0.clientID) }
        return (followUps + preparations).sorted(by: AppState.ordered)
    }

    func endDate(of item: DueItem) -> Day? {
        guard let decisionID = item.decisionID, let client = client(item.clientID) else { return nil }
        return client.decisions.first { $0.id == decisionID }?.validTo
    }

    /// The Översikt's lines, fitted to the height: every section gets its header and at least one
    /// row; the rest go round-robin, the overdue section taking two per round. The header says how
    /// many are not shown.
    public var overviewLines: [OverviewLine] {
        cache.value("overviewLines", key: [AnyHashable(version), filter.text, today, height]) { computeOverviewLines() }
    }

    /// Booked visits from today to the end of the week, in time order (filtered like the lists).
    public var bookingsThisWeek: [(clientID: String, booking: Booking)] {
        caseload.clients.compactMap { client -> (clientID: String, booking: Booking)? in
            guard let booking = client.booking, !client.archived, booking.date >= today, booking.date <= weekEnd,
                  clientMatches(client) else { return nil }
            return (client.id, booking)
        }.sorted { ($0.booking.date, $0.booking.start) < ($1.booking.date, $1.booking.start) }
    }

    func computeOverviewLines() -> [OverviewLine] {
        let sections = overviewSections
        let bookings = bookingsThisWeek
        var remaining = contentHeight - 2 - sections.count - bookings.count  // the date line, a blank, the headers
        var budget = sections.map { min($0.items.count, 1) }
        remaining -= budget.reduce(0, +)
        var progress = true
        while remaining > 0 && progress {
            progress = false
            for index in sections.indices {
                for _ in 0..<(index == 0 ? 2 : 1) where remaining > 0 && budget[index] < sections[index].items.count {
                    budget[index] += 1
                    remaining -= 1
                    progress = true
                }
            }
        }
        var lines: [OverviewLine] = []
        for (index, section) in sections.enumerated() {
            lines.append(.header(section.title, count: section.items.count, hidden: section.items.count - budget[index],
                                 role: section.role))
            if index == 1 { lines += bookings.map { OverviewLine.booking(clientID: $0.clientID, $0.booking) } }
            lines.append(contentsOf: section.items.prefix(max(0, budget[index])).map(OverviewLine.item))
        }
        return lines
    }

    public var overviewItems: [DueItem] {
        overviewLines.compactMap { if case .item(let item) = $0 { return item } else { return nil } }
    }

    /// The section of the Översikt opened in full (Enter on its heading), if any.
    public var openSection: OverviewSection? {
        guard screen == .overview, let index = overviewView.section else { return nil }
        let sections = overviewSections
        return sections.indices.contains(index) ? sections[index] : nil
    }

    /// The selected line of the Översikt (a heading, an item or a booking).
    public var selectedOverviewLine: OverviewLine? {
        let lines = overviewLines
        return lines.indices.contains(selectedIndex) ? lines[selectedIndex] : nil
    }

    /// The index of the section a line of the Översikt belongs to.
    func sectionIndex(ofLine line: Int) -> Int? {
        var section = -1
        for (index, each) in overviewLines.enumerated() where index <= line {
            if case .header = each { section += 1 }
        }
        return section >= 0 ? section : nil
    }

    /// The line of a section's heading.
    func headerLine(ofSection section: Int) -> Int {
        var seen = -1
        for (index, line) in overviewLines.enumerated() {
            if case .header = line { seen += 1 }
            if seen == section { return index }
        }
        return 0
    }

    /// The first line that is an item (where the cursor starts), else 0.
    var firstOverviewItemLine: Int {
        overviewLines.firstIndex { if case .item = $0 { return true } else { return false } } ?? 0
    }
}

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

func drawOverviewSection(_ section: AppState.OverviewSection, state: AppState, into buffer: inout CellBuffer) {
    var title = "Översikt › \(section.title) (\(section.items.count))"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    drawItemList(section.items, title: title, showDate: true, state: state, into: &buffer)
    if section.items.isEmpty {
        buffer.put("Här finns inget just nu. Esc går tillbaka till översikten.", x: 1, y: 4, role: .muted)
    }
}

/// The Översikt's own state.
public struct OverviewView: Equatable, Sendable {
    /// The section opened in full (its index in `overviewSections`); nil: all sections.
    public var section: Int?
}

/// Översikt: the day's bevakningar under headings, or one heading's whole list.
enum OverviewScreen: ScreenUnit {
    static let title = "Översikt"
    static let context = KeyContext.overview

    static func keyContext(_ state: AppState) -> KeyContext { state.overviewView.section != nil ? .section : .overview }

    static func listCount(_ state: AppState) -> Int { state.openSection?.items.count ?? state.overviewLines.count }

    static func listRows(_ state: AppState) -> Int { state.contentHeight - 2 }

    static func selectedItem(_ state: AppState) -> DueItem? {
        if let section = state.openSection {
            return section.items.indices.contains(state.selectedIndex) ? section.items[state.selectedIndex] : nil
        }
        if case .item(let item)? = state.selectedOverviewLine { return item }
        return nil
    }

    static func enter(_ state: inout AppState) {
        if state.openSection == nil, let line = state.selectedOverviewLine {
            switch line {
            case .header:
                guard let index = state.sectionIndex(ofLine: state.selectedIndex) else { return }
                state.overviewView.section = index
                state.selection[.overview] = 0
                state.scroll[.overview] = 0
            case .item(let item): state.openCase(item.clientID)
            case .booking(let clientID, _): state.openCase(clientID)
            }
        } else if let item = state.selectedItem {
            state.openCase(item.clientID)
        }
    }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawOverview(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        if state.openSection != nil { return state.selectedItem.map(state.spokenItem) }
        switch state.selectedOverviewLine {
        case .header(let title, let count, let hidden, _)?:
            return "rubriken \(title), \(count) st" + (hidden > 0 ? ", Enter visar alla" : "")
        case .item(let due)?: return state.spokenItem(due)
        case .booking(let clientID, let booking)?:
            return "\(state.personName(clientID)), bokat besök \(booking.date) kl. \(booking.startText)"
        case nil: return nil
        }
    }

    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? {
        guard state.overviewView.section == nil else {
            switch requirement {
            case .aLine, .anItem, .aPerson: return state.selectedItem != nil
            default: return nil
            }
        }
        switch (requirement, state.selectedOverviewLine) {
        case (.aLine, let line): return line != nil
        case (.anItem, .item?): return true
        case (.anItem, _): return false
        case (.aPerson, .item?), (.aPerson, .booking?): return true
        case (.aPerson, _): return false
        default: return nil
        }
    }
}
