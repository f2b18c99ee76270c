/// The unit manager's report: counts only, no names, no personnummer, nothing that points to a
/// person. Per month of the year: follow-ups planned (the årshjul's dates) and done (the
/// history), and decisions ending. As of today: overdue bevakningar by kind, plans missing,
/// time deviations, and the share of decisions followed up within 12 months.
public struct UnitReport: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        public var month: Int
        public var planned: Int
        public var completed: Int
        public var decisionsEnding: Int
    }

    public var year: Int
    public var today: Day
    public var months: [Month]
    /// Overdue open bevakningar per kind, as of today (kinds with none are left out).
    public var overdueByKind: [(kind: DueKind, count: Int)]
    public var plansMissing: Int
    public var timeDeviations: Int
    /// Running decisions that have run at least 12 months …
    public var decisionsDue: Int
    /// … and of those, the ones with a follow-up within the last 12 months.
    public var decisionsFollowedUp: Int
    public var runningDecisions: Int
    public var people: Int

    public var followedUpShare: Double? {
        decisionsDue == 0 ? nil : Double(decisionsFollowedUp) / Double(decisionsDue)
    }

    public static func == (a: UnitReport, b: UnitReport) -> Bool {
        a.year == b.year && a.today == b.today && a.months == b.months
            && a.overdueByKind.map(\.kind) == b.overdueByKind.map(\.kind)
            && a.overdueByKind.map(\.count) == b.overdueByKind.map(\.count)
            && a.plansMissing == b.plansMissing && a.timeDeviations == b.timeDeviations
            && a.decisionsDue == b.decisionsDue && a.decisionsFollowedUp == b.decisionsFollowedUp
            && a.runningDecisions == b.runningDecisions && a.people == b.people
    }

    public static func make(caseload: Caseload, routines: RoutineSet, year: Int, today: Day) -> UnitReport {
        let plan = YearPlan.make(caseload: caseload, routines: routines, year: year, today: today)
        var months = (1...12).map { Month(month: $0, planned: 0, completed: 0, decisionsEnding: 0) }
        for (index, load) in plan.months.enumerated() {
            // Planned: the årshjul's follow-ups of the month, done or still to come.
            months[index].planned = load.planned
        }
        var overdue: [DueKind: Int] = [:]
        var plansMissing = 0, deviations = 0, due = 0, followed = 0, running = 0, people = 0
        let yearAgo = today.adding(months: -12)
        for client in caseload.clients where !client.archived {
            people += 1
            for followUp in client.followUps where followUp.date.year == year {
                months[followUp.date.month - 1].completed += 1
            }
            for decision in client.decisions where decision.closedOn == nil {
                if let end = decision.validTo, end.year == year { months[end.month - 1].decisionsEnding += 1 }
                guard !decision.hasEnded(on: today) else { continue }
                running += 1
                if decision.ruleStart <= yearAgo {
                    due += 1
                    if let last = RuleEngine.lastFollowUp(of: decision, in: client), last >= yearAgo { followed += 1 }
                }
            }
            for item in RuleEngine.items(for: client, routines: routines, today: today) where !item.isDone {
                if item.due < today { overdue[item.kind, default: 0] += 1 }
                if item.kind == .carePlanMissing && item.due < today { plansMissing += 1 }
                if item.kind == .timeDeviation { deviations += 1 }
            }
        }
        let byKind = DueKind.allCases.compactMap { kind in overdue[kind].map { (kind: kind, count: $0) } }
        return UnitReport(year: year, today: today, months: months, overdueByKind: byKind, plansMissing: plansMissing,
                          timeDeviations: deviations, decisionsDue: due, decisionsFollowedUp: followed,
                          runningDecisions: running, people: people)
    }

    // MARK: Output

    public func text() -> String {
        var lines = ["Uppföljningsrapport \(year) (per \(today)), \(people) personer, \(runningDecisions) pågående beslut",
                     "",
                     "Månad       Planerade  Genomförda  Beslut som upphör"]
        for month in months {
            let name = SwedishCalendarNames.months[month.month - 1]
            lines.append(TerminalText.pad(name, to: 10) + TerminalText.padLeft(String(month.planned), to: 11)
                + TerminalText.padLeft(String(month.completed), to: 12) + TerminalText.padLeft(String(month.decisionsEnding), to: 19))
        }
        let total = months.reduce(into: (0, 0, 0)) { $0.0 += $1.planned; $0.1 += $1.completed; $0.2 += $1.decisionsEnding }
        lines.append(TerminalText.pad("Summa", to: 10) + TerminalText.padLeft(String(total.0), to: 11)
            + TerminalText.padLeft(String(total.1), to: 12) + TerminalText.padLeft(String(total.2), to: 19))
        lines.append("")
        lines.append("Försenade bevakningar per \(today):")
        if overdueByKind.isEmpty { lines.append("  inga") }
        for entry in overdueByKind {
            lines.append("  " + TerminalText.pad(entry.kind.label, to: 36) + TerminalText.padLeft(String(entry.count), to: 6))
        }
        lines.append("Genomförandeplaner som saknas efter tidsgränsen: \(plansMissing)")
        lines.append("Tidsavvikelser över gränsen (±5 %): \(timeDeviations)")
        let share = followedUpShare.map { RuleEngine.formatHours($0 * 100) + " %" } ?? "–"
        lines.append("Uppföljda inom 12 månader: \(share) (\(decisionsFollowedUp) av \(decisionsDue) beslut som löpt minst ett år)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per month, then one per measure of today, for a spreadsheet (`;`, decimal comma).
    public func csvRows() -> [[String]] {
        var rows: [[String]] = [["år", "månad", "planerade", "genomförda", "beslut_som_upphör"]]
        for month in months {
            rows.append([String(year), String(month.month), String(month.planned), String(month.completed),
                         String(month.decisionsEnding)])
        }
        rows.append([])
        rows.append(["mått", "värde"])
        for entry in overdueByKind { rows.append(["försenade_\(entry.kind.rawValue)", String(entry.count)]) }
        rows.append(["planer_saknas", String(plansMissing)])
        rows.append(["tidsavvikelser", String(timeDeviations)])
        rows.append(["beslut_löpt_minst_ett_år", String(decisionsDue)])
        rows.append(["uppföljda_inom_12_månader", String(decisionsFollowedUp)])
        rows.append(["andel_uppföljda", followedUpShare.map { RuleEngine.formatHours($0 * 100) } ?? ""])
        return rows
    }

    /// A JSON-ready value (dictionaries, arrays, numbers, strings).
    public func jsonObject() -> [String: Any] {
        [
            "year": year,
            "asOf": today.description,
            "people": people,
            "runningDecisions": runningDecisions,
            "months": months.map { ["month": $0.month, "planned": $0.planned, "completed": $0.completed,
                                    "decisionsEnding": $0.decisionsEnding] },
            "overdueByKind": Dictionary(uniqueKeysWithValues: overdueByKind.map { ($0.kind.rawValue, $0.count) }),
            "plansMissing": plansMissing,
            "timeDeviations": timeDeviations,
            "decisionsRunAYear": decisionsDue,
            "followedUpWithin12Months": decisionsFollowedUp,
            "followedUpShare": followedUpShare.map { ($0 * 1000).rounded() / 1000 } as Any,
        ]
    }
}
