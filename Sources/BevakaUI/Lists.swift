import BevakaDomain

/// The lists each screen shows, computed from the state. Reduce (for selection and actions) and
/// render (for drawing) use the same functions, so a selected row is always the drawn row.
public enum OverviewLine: Equatable, Sendable {
    case header(String, count: Int, hidden: Int, role: Role)
    case item(DueItem)
    /// A booked visit this week, with its time (not selectable: the person's items are).
    case booking(clientID: String, Booking)
}

extension AppState {
    /// Rows the content area has between the title bar and the status and footer lines.
    public var contentHeight: Int { max(1, height - 3) }

    // MARK: Filter

    public var filterActive: Bool { !filter.text.isEmpty }

    /// Case-insensitive match on name, personnummer (digits, with or without dash), services and providers.
    func clientMatches(_ client: Client) -> Bool {
        guard inScope(client.id) else { return false }
        let needle = filter.text.lowercased()
        guard !needle.isEmpty else { return true }
        if client.name.lowercased().contains(needle) { return true }
        let digits = needle.filter(\.isNumber)
        if !digits.isEmpty, digits.count == needle.filter({ $0 != "-" }).count,
           client.personnummer.digits.contains(digits) {
            return true
        }
        return client.decisions.contains { decision in
            decision.service.lowercased().contains(needle)
                || (decision.provider?.name.lowercased().contains(needle) ?? false)
        }
    }

    func itemMatches(_ item: DueItem) -> Bool {
        guard filterActive || scopeOwner != nil else { return true }
        return client(item.clientID).map(clientMatches) ?? false
    }

    // MARK: Översikt

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
        let open = openItems.filter(itemMatches)
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
        guard screen == .overview, let index = overviewSection else { return nil }
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

    // MARK: Bevakningar

    public var reminderList: [DueItem] {
        cache.value("reminders", key: [AnyHashable(version), filter.text, reminderFilter, kindFilter, today]) {
            computeReminderList()
        }
    }

    func computeReminderList() -> [DueItem] {
        items.filter { item in
            guard itemMatches(item) else { return false }
            if let kindFilter, item.kind != kindFilter { return false }
            switch reminderFilter {
            case .overdue: return !item.isDone && item.due < today
            case .week: return !item.isDone && item.due >= weekStart && item.due <= weekEnd
            case .upcoming: return !item.isDone && item.due >= today
            case .done: return item.isDone
            case .all: return true
            }
        }
    }

    // MARK: Ärenden

    public struct CaseRow: Sendable {
        public var client: Client
        public var next: DueItem?
        public var flags: String
    }

    public var caseRows: [CaseRow] {
        cache.value("cases", key: [AnyHashable(version), filter.text, caseSort, today, showArchived]) { computeCaseRows() }
    }

    func computeCaseRows() -> [CaseRow] {
        var nextByClient: [String: DueItem] = [:]
        var flags: [String: Set<Character>] = [:]
        for item in openItems {
            if nextByClient[item.clientID] == nil { nextByClient[item.clientID] = item }
            let flag: Character?
            switch item.kind {
            case .carePlanMissing, .carePlanStale: flag = "P"
            case .consentMissing: flag = "S"
            case .timeDeviation: flag = "T"
            case .decisionEnding, .decisionEnded: flag = endDate(of: item).map { $0 <= today.adding(days: 30) } == true ? "B" : nil
            default: flag = nil
            }
            if let flag { flags[item.clientID, default: []].insert(flag) }
        }
        var rows = caseload.clients.filter { (showArchived || !$0.archived) && clientMatches($0) }.map { client in
            CaseRow(client: client, next: nextByClient[client.id],
                    flags: String("PSTB".filter { flags[client.id]?.contains($0) ?? false }))
        }
        switch caseSort {
        case .name:
            rows.sort { $0.client.name.localizedCompare($1.client.name) == .orderedAscending }
        case .nextDue:
            rows.sort { a, b in
                switch (a.next?.due, b.next?.due) {
                case let (x?, y?) where x != y: return x < y
                case (nil, _?): return false
                case (_?, nil): return true
                default: return a.client.name < b.client.name
                }
            }
        }
        return rows
    }

    // MARK: Årshjul

    public var yearPlan: YearPlan {
        cache.value("yearPlan", key: [AnyHashable(version), filter.text, year, today]) {
            let visible = Caseload(clients: caseload.clients.filter(clientMatches), nextSerial: caseload.nextSerial)
            return YearPlan.make(caseload: visible, routines: routines, year: year, today: today,
                                 itemsByClient: itemsByClient)
        }
    }

    public func monthEntries(_ plan: YearPlan) -> [YearPlanEntry] {
        plan.months[selectedMonth - 1].entries
    }

    // MARK: Selection

    /// How many rows the current screen's list has.
    public var listCount: Int {
        switch screen {
        case .overview: return openSection?.items.count ?? overviewLines.count
        case .reminders: return reminderList.count
        case .caseload: return caseRows.count
        case .yearPlan: return monthOpen ? monthEntries(yearPlan).count : 12
        case .caseDetail: return caseDetailLines.count
        case .welcome: return 0
        case .checklist: return phaseEntries.count
        case .document: return documentParagraphs.count
        case .form: return 0
        case .unit: return unitRows.count
        }
    }

    public var selectedIndex: Int { selection[screen] ?? 0 }

    public var selectedItem: DueItem? {
        let list: [DueItem]
        switch screen {
        case .overview:
            if let section = openSection {
                list = section.items
            } else {
                if case .item(let item)? = selectedOverviewLine { return item }
                return nil
            }
        case .reminders: list = reminderList
        default: return nil
        }
        return list.indices.contains(selectedIndex) ? list[selectedIndex] : nil
    }
}
