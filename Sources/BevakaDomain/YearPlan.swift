/// One person's follow-up in one month of the årshjul.
public struct YearPlanEntry: Sendable, Equatable {
    public var clientID: String
    public var clientName: String
    public var personnummer: Personnummer
    /// The earliest date in the month.
    public var due: Day
    /// What makes it a follow-up: `annualFollowUp`, `decisionEnding`, or both.
    public var kinds: [DueKind]
    /// The services followed up (all of the person's running decisions, R8).
    public var services: [String]
    /// A follow-up recorded in the history on `due`.
    public var done: Bool
    /// The handläggare moved it from the rule's date.
    public var moved: Bool = false
    /// Skyddade personuppgifter: lists say "Skyddad" instead of the birth date.
    public var protectedIdentity = false
}

public struct MonthLoad: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var workingDays: Int
    public var entries: [YearPlanEntry]
    /// Decisions to report to IVO in a reporting period that starts this month (R11, R12).
    public var ivoReports: Int = 0

    public var planned: Int { entries.count }
    public var done: Int { entries.filter(\.done).count }
    public var moved: Int { entries.filter(\.moved).count }
}

/// The årshjul: the year's follow-ups month by month, one per person and month, so the
/// handläggare can see and even out the load (seed 003: "planerar månadsvis").
public struct YearPlan: Sendable, Equatable {
    public var year: Int
    public var months: [MonthLoad]
    /// Follow-ups already overdue on `today` (counted apart from the months).
    public var overdue: [YearPlanEntry]

    public var total: Int { months.reduce(0) { $0 + $1.planned } }

    /// Builds the plan. Planned follow-ups are the annual date of each person (R8, as the
    /// handläggare may have moved it) and its yearly repeats, and each R3 date; follow-ups
    /// already done in the year come from the history.
    public static func make(caseload: Caseload, routines: RoutineSet, year: Int, today: Day,
                            itemsByClient: [String: [DueItem]]? = nil) -> YearPlan {
        var perMonth = Array(repeating: [String: YearPlanEntry](), count: 12)
        var reportsPerMonth = Array(repeating: 0, count: 12)
        var overdue: [YearPlanEntry] = []

        for client in caseload.clients where !client.archived {
            // The person's running services, found once and only when an entry needs them.
            var services: [String]?
            func runningServices() -> [String] {
                let running = services ?? client.runningDecisions(on: today).map(\.service)
                services = running
                return running
            }
            let items = itemsByClient?[client.id] ?? RuleEngine.items(for: client, routines: routines, today: today)
            visit(client, items: items, routines: routines, years: year...year, today: today) { visit in
                switch visit {
                case .planned(let day, let kind, let done, let moved):
                    let slot = day.month - 1
                    if var entry = perMonth[slot][client.id] {
                        if day < entry.due { entry.due = day }
                        if !entry.kinds.contains(kind) { entry.kinds.append(kind) }
                        entry.done = entry.done || done
                        entry.moved = entry.moved || moved
                        perMonth[slot][client.id] = entry
                    } else {
                        perMonth[slot][client.id] = YearPlanEntry(
                            clientID: client.id, clientName: client.name, personnummer: client.personnummer,
                            due: day, kinds: [kind], services: runningServices(), done: done, moved: moved,
                            protectedIdentity: client.protectedIdentity)
                    }
                case .report(let due):
                    reportsPerMonth[due.month - 1] += 1
                case .overdue(let due, let kind):
                    overdue.append(YearPlanEntry(
                        clientID: client.id, clientName: client.name, personnummer: client.personnummer,
                        due: due, kinds: [kind], services: runningServices(), done: false,
                        protectedIdentity: client.protectedIdentity))
                }
            }
        }

        let months = (1...12).map { month in
            MonthLoad(year: year, month: month, workingDays: WorkingDays.count(year: year, month: month),
                      entries: perMonth[month - 1].values.sorted { ($0.due, $0.clientName) < ($1.due, $1.clientName) },
                      ivoReports: reportsPerMonth[month - 1])
        }
        overdue.sort { ($0.due, $0.clientName) < ($1.due, $1.clientName) }
        return YearPlan(year: year, months: months, overdue: overdue)
    }

    /// What one person adds to a year's plan, in the order `make` meets it.
    enum Visit {
        /// A follow-up in the year's month of `day` (R8 and its repeats, R3, or one done).
        case planned(day: Day, kind: DueKind, done: Bool, moved: Bool)
        /// A decision to report to IVO in the month of `due` (R11, R12).
        case report(due: Day)
        /// A follow-up already overdue on `today`.
        case overdue(due: Day, kind: DueKind)
    }

    /// The one place that says what a person adds to the plan: `make` builds the months' entries
    /// from it, `plannedPerMonth` only counts.
    static func visit(_ client: Client, items: [DueItem], routines: RoutineSet, years: ClosedRange<Int>, today: Day,
                      _ add: (Visit) -> Void) {
        for followUp in client.followUps where years.contains(followUp.date.year) {
            add(.planned(day: followUp.date, kind: .annualFollowUp, done: true, moved: false))
        }
        // By index: only the items that count are copied (a copy retains each of an item's texts).
        for index in items.indices where items[index].kind == .ivoReport && !items[index].isDone && years.contains(items[index].due.year) {
            add(.report(due: items[index].due))
        }
        for index in items.indices where items[index].kind == .annualFollowUp || items[index].kind == .decisionEnding {
            let item = items[index]
            guard !item.isDone else { continue }
            if item.due < today {
                add(.overdue(due: item.due, kind: item.kind))
                continue
            }
            // Moved by the handläggare: a stored date other than the rule's (or its working day).
            let moved = item.reminderID != nil
                && (item.ruleDue.map { $0 != item.due && WorkingDays.onOrBefore($0) != item.due } ?? false)
            if years.contains(item.due.year) { add(.planned(day: item.due, kind: item.kind, done: false, moved: moved)) }
            guard item.kind == .annualFollowUp else { continue }
            // Later years repeat from the rule's date, each shown on a working day like the first.
            var date = moved ? item.due : (item.ruleDue ?? item.due)
            // Each decision's profile once; the running decisions' last end (none while one runs
            // without an end), as `Client.runningDecisions` would give them, without copying them.
            var onWorkingDays = false
            var shortest: Int?
            var openEnded = false
            var lastEnd: Day?
            let decisions = client.decisions
            for decision in decisions.indices {
                let profile = routines.profile(for: decisions[decision])
                onWorkingDays = onWorkingDays || profile.actOnWorkingDays
                shortest = min(shortest ?? profile.annualMonths, profile.annualMonths)
                guard decisions[decision].isRunning(on: today) else { continue }
                if let end = decisions[decision].validTo {
                    lastEnd = max(lastEnd ?? end, end)
                } else {
                    openEnded = true
                }
            }
            // The follow-up after this one is a year later (R2), as long as a decision runs.
            let months = shortest ?? 12
            let runsUntil: Day? = openEnded ? nil : lastEnd
            while date.year <= years.upperBound {
                date = date.adding(months: months)
                if let runsUntil, date >= runsUntil { break }
                let day = onWorkingDays ? WorkingDays.onOrBefore(date) : date
                if years.contains(day.year) { add(.planned(day: day, kind: .annualFollowUp, done: false, moved: false)) }
            }
        }
    }

    /// The months of `years` (at most five) in which one person has a follow-up, as bits: bit
    /// `(year - years.lowerBound) * 12 + month - 1`. What `plannedPerMonth` counts, for a caller
    /// that counts people its own way (the unit view's rows, in the same pass as its other counts).
    public static func plannedMonths(_ client: Client, items: [DueItem], routines: RoutineSet, years: ClosedRange<Int>,
                                     today: Day) -> UInt64 {
        let years = years.lowerBound...min(years.upperBound, years.lowerBound + 4)
        var months: UInt64 = 0
        visit(client, items: items, routines: routines, years: years, today: today) { visit in
            if case .planned(let day, _, _, _) = visit {
                months |= 1 << UInt64((day.year - years.lowerBound) * 12 + day.month - 1)
            }
        }
        return months
    }

    /// How many people have a follow-up in each month of `year`, per group (`group` of a person:
    /// the unit view's handläggare) — what `make(…).months.map(\.planned)` gives for each group's
    /// people, without building the entries.
    public static func plannedPerMonth(caseload: Caseload, routines: RoutineSet, year: Int, today: Day,
                                       itemsByClient: [String: [DueItem]]? = nil,
                                       group: (Client) -> String) -> [String: [Int]] {
        plannedPerMonth(caseload: caseload, routines: routines, years: year...year, today: today,
                        itemsByClient: itemsByClient, group: group)
    }

    /// The same for consecutive years at once (at most five), each person visited once: per
    /// group, twelve counts for each year in order (the unit view's next twelve months span two).
    /// The people are counted on all cores, each core's counts added up after.
    public static func plannedPerMonth(caseload: Caseload, routines: RoutineSet, years: ClosedRange<Int>, today: Day,
                                       itemsByClient: [String: [DueItem]]? = nil,
                                       group: (Client) -> String) -> [String: [Int]] {
        let years = years.lowerBound...min(years.upperBound, years.lowerBound + 4)
        let slots = years.count * 12
        let clients = caseload.clients
        let parts = Parallel.chunks(clients.count, minimum: 2_000) { range in
            var counts: [String: [Int]] = [:]
            for index in range where !clients[index].archived {
                let client = clients[index]
                let items = itemsByClient?[client.id] ?? RuleEngine.items(for: client, routines: routines, today: today)
                let months = plannedMonths(client, items: items, routines: routines, years: years, today: today)
                guard months != 0 else { continue }
                let key = group(client)
                counts[key, default: Array(repeating: 0, count: slots)].withUnsafeMutableBufferPointer { row in
                    var rest = months
                    while rest != 0 {
                        row[rest.trailingZeroBitCount] += 1
                        rest &= rest - 1
                    }
                }
            }
            return counts
        }
        guard var total = parts.first else { return [:] }
        for part in parts.dropFirst() {
            total.merge(part) { a, b in zip(a, b).map { $0 + $1 } }
        }
        return total
    }
}
