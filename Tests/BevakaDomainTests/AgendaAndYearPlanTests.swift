import BevakaTestSupport
import Testing
@testable import BevakaDomain

@Suite struct AgendaTests {
    @Test func listsOverdueAndUpcomingOldestFirstWithinTheHorizon() {
        let today = d("2025-06-01")
        let overdue = client([decision("d1", from: "2024-05-01")], id: "c1", name: "Berit")  // annual 2025-05-01
        let soon = client([decision("d2", from: "2024-06-10")], id: "c2", name: "Arvid")     // annual 2025-06-10
        let later = client([decision("d3", from: "2024-09-01")], id: "c3", name: "Cecilia")  // annual 2025-09-01
        let caseload = Caseload(clients: [later, soon, overdue])
        let entries = Agenda.entries(caseload: caseload, routines: .standard, today: today, days: 30)
        // Berit: preparation 2025-04-01 and follow-up 2025-05-01, both overdue; Arvid: preparation
        // 2025-05-10 (overdue) and follow-up 2025-06-10 (in 9 days); Cecilia is outside the 30 days.
        #expect(entries.map(\.clientName) == ["Berit", "Berit", "Arvid", "Arvid"])
        #expect(entries.map(\.item.kind) == [.prepareFollowUp, .annualFollowUp, .prepareFollowUp, .annualFollowUp])
        // Shown on working days: 2025-05-01 (första maj) on 30 April, 2025-05-10 (Saturday) on the 9th.
        #expect(entries.map { $0.daysOverdue(on: today) } == [61, 32, 23, 0])
        #expect(Agenda.entries(caseload: caseload, routines: .standard, today: today, days: 100).count == 6)
    }
}

@Suite struct WorkingDaysTests {
    /// The real holidays and eves, 2025–2030 (Easter: 04-20, 04-05, 03-28, 04-16, 04-01, 04-21).
    static let expected: [Int: [String]] = [
        2025: ["01-01", "01-06", "04-18", "04-20", "04-21", "05-01", "05-29", "06-06", "06-08",
               "06-20", "06-21", "11-01", "12-24", "12-25", "12-26", "12-31"],
        2026: ["01-01", "01-06", "04-03", "04-05", "04-06", "05-01", "05-14", "05-24", "06-06",
               "06-19", "06-20", "10-31", "12-24", "12-25", "12-26", "12-31"],
        2027: ["01-01", "01-06", "03-26", "03-28", "03-29", "05-01", "05-06", "05-16", "06-06",
               "06-25", "06-26", "11-06", "12-24", "12-25", "12-26", "12-31"],
        2028: ["01-01", "01-06", "04-14", "04-16", "04-17", "05-01", "05-25", "06-04", "06-06",
               "06-23", "06-24", "11-04", "12-24", "12-25", "12-26", "12-31"],
        2029: ["01-01", "01-06", "03-30", "04-01", "04-02", "05-01", "05-10", "05-20", "06-06",
               "06-22", "06-23", "11-03", "12-24", "12-25", "12-26", "12-31"],
        2030: ["01-01", "01-06", "04-19", "04-21", "04-22", "05-01", "05-30", "06-09", "06-06",
               "06-21", "06-22", "11-02", "12-24", "12-25", "12-26", "12-31"],
    ]

    @Test(arguments: 2025...2030) func holidaysMatchTheRealCalendar(year: Int) {
        let computed = Set(WorkingDays.holidays(year: year).map(\.day))
        let real = Set(Self.expected[year, default: []].map { d("\(year)-\($0)") })
        #expect(computed == real)
    }

    @Test func movesToTheNearestEarlierWorkingDay() {
        #expect(WorkingDays.onOrBefore(d("2026-11-23")) == d("2026-11-23"))  // Monday
        #expect(WorkingDays.onOrBefore(d("2026-11-22")) == d("2026-11-20"))  // Sunday → Friday
        #expect(WorkingDays.onOrBefore(d("2026-12-26")) == d("2026-12-23"))  // Christmas
        #expect(WorkingDays.onOrBefore(d("2027-01-01")) == d("2026-12-30"))  // across the new year
        #expect(WorkingDays.onOrBefore(d("2026-06-20")) == d("2026-06-18"))  // midsummer
        #expect(WorkingDays.onOrBefore(d("2026-04-06")) == d("2026-04-02"))  // Easter
    }

    @Test func countsWorkingDaysPerMonth() {
        #expect(WorkingDays.count(year: 2026, month: 12) == 20)  // 23 weekdays − 24, 25, 31 Dec
        #expect(WorkingDays.count(year: 2026, month: 2) == 20)
    }
}

@Suite struct YearPlanTests {
    @Test func countsOneFollowUpPerPersonAndMonthWithRepeatsAndOverdueApart() {
        let today = d("2026-03-10")
        let yearly = client([decision("d1", from: "2025-05-04"), decision("d2", service: "trygghetslarm",
                                                                             from: "2025-05-20")],
                            id: "c1", name: "Alma")
        let overdue = client([decision("d3", from: "2025-02-01")], id: "c2", name: "Bo")
        let ending = client([decision("d4", from: "2026-01-01", to: "2026-06-30")], id: "c3", name: "Cissi")
        let done = client([decision("d5", from: "2024-02-10")], followUps: ["2026-02-12"], id: "c4", name: "Doris")
        let plan = YearPlan.make(caseload: Caseload(clients: [yearly, overdue, ending, done]),
                                 routines: .standard, year: 2026, today: today)
        #expect(plan.months[4].entries.map(\.clientName) == ["Alma"])       // May: once, though two decisions
        #expect(plan.months[5].entries.map(\.clientName) == ["Cissi"])      // R3: 2026-06-30 − 27 days
        #expect(plan.months[5].entries.first?.kinds == [.decisionEnding])
        #expect(plan.months[1].entries.map(\.clientName) == ["Doris"])     // done in February
        #expect(plan.months[1].done == 1)
        #expect(plan.overdue.map(\.clientName) == ["Bo"])
        #expect(plan.total == 3)
        #expect(plan.months[11].workingDays == 20)
    }
}

/// The unit view counts each handläggare's follow-ups per month without building the plan's
/// entries (`YearPlan.plannedPerMonth`); the count must be what `make` gives for each one's people.
@Suite struct PlannedPerMonthTests {
    @Test func theCountsAreTheYearPlansOfEachGroupsPeople() {
        var caseload = DemoCaseload.large(3_000, today: today)
        // Some archived people (left out by both), and the demo's own varied people.
        for index in stride(from: 0, to: caseload.clients.count, by: 97) { caseload.clients[index].archived = true }
        caseload.clients += DemoCaseload.make(today: today).clients.map { person in
            var copy = person
            copy.id = "x" + person.id
            return copy
        }
        func group(_ client: Client) -> String { "h" + String(client.id.last ?? "0") }
        var compared = 0
        for year in [today.year - 1, today.year, today.year + 1, today.year + 2] {
            let counts = YearPlan.plannedPerMonth(caseload: caseload, routines: .standard, year: year, today: today, group: group)
            let groups = Dictionary(grouping: caseload.clients, by: group)
            for (key, people) in groups {
                let plan = YearPlan.make(caseload: Caseload(clients: people), routines: .standard, year: year, today: today)
                let expected = plan.months.map(\.planned)
                #expect((counts[key] ?? Array(repeating: 0, count: 12)) == expected, "\(key) \(year)")
                compared += expected.reduce(0, +)
            }
        }
        #expect(compared > 3_000)
        // Several years at once (the unit view's two) are each year's counts one after another.
        for years in [today.year...(today.year + 1), (today.year - 1)...(today.year + 2), today.year...today.year] {
            let together = YearPlan.plannedPerMonth(caseload: caseload, routines: .standard, years: years, today: today, group: group)
            let apart = years.map { YearPlan.plannedPerMonth(caseload: caseload, routines: .standard, year: $0, today: today, group: group) }
            let keys = Set(together.keys).union(apart.flatMap(\.keys))
            #expect(!keys.isEmpty)
            for key in keys {
                let expected = apart.flatMap { $0[key] ?? Array(repeating: 0, count: 12) }
                #expect(together[key] == expected, "\(key) \(years)")
            }
        }
    }
}

@Suite struct DemoCaseloadTests {
    @Test func isLargeVariedAndUsesOnlyValidTestNumbers() throws {
        let today = d("2026-11-22")
        let demo = DemoCaseload.make(today: today)
        #expect(demo.clients.count >= 30)
        let allowed = Set(try fixtureLines("testpersonnummer.txt"))
        for person in demo.clients {
            #expect(allowed.contains(person.personnummer.digits))
            #expect(person.personnummer.hasValidCheckDigit)
        }
        #expect(demo.clients.contains { $0.name == "Anna Lindqvist" })
        #expect(demo.clients.contains { $0.name == "Erik Johansson" })
        let profiles = Set(demo.clients.flatMap(\.decisions).map { RoutineSet.standard.profile(for: $0).id })
        #expect(profiles == ["sabo", "hemtjanst", "lss"])
        let items = RuleEngine.items(for: demo, routines: .standard, today: today)
        #expect(items.contains { $0.isOverdue(on: today) })
        #expect(items.contains { $0.due >= today && $0.due <= today.adding(days: 7) })
        for kind in DueKind.allCases {
            #expect(items.contains { $0.kind == kind }, "demo lacks \(kind)")
        }
    }
}
