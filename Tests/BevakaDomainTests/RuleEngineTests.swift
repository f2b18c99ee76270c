import BevakaTestSupport
import Testing
@testable import BevakaDomain

@Suite struct RuleEngineTests {
    let routines = RoutineSet.standard

    // MARK: R3, with the seed 002 examples

    @Test func annaThreeWeekDecisionIsFollowedUpOnDay17() throws {
        // Seed 002: "Beslutet gäller i tre veckor … efter omkring två och en halv vecka" a follow-up.
        let anna = decision(from: "2025-03-03", to: "2025-03-24")  // L = 21
        #expect(RuleEngine.endLeadDays(length: 21, profile: .hemtjanst) == 4)
        let due = try #require(RuleEngine.decisionEndingDue(anna, profile: .hemtjanst))
        #expect(d("2025-03-03").days(until: due) == 17)
        // Her one-year annual date falls after the end, so R3 alone follows it up.
        #expect(RuleEngine.annualDue(anna, lastFollowUp: nil, profile: .hemtjanst) == nil)
        let items = RuleEngine.ruleItems(for: client([anna]), routines: routines, today: d("2025-03-05"))
        #expect(kinds(items) == [.decisionEnding])
    }

    @Test func annaFourWeekDecisionIsFollowedUpOnDay23() throws {
        let anna = decision(from: "2025-03-24", to: "2025-04-21")  // L = 28
        let due = try #require(RuleEngine.decisionEndingDue(anna, profile: .hemtjanst))
        #expect(d("2025-03-24").days(until: due) == 23)
    }

    @Test func eriksYearlyDecisionIsFollowedUp30DaysBeforeItsEnd() throws {
        // Seed 002: Erik is contacted "då hans beslut snart löper ut".
        let erik = decision(from: "2025-01-10", to: "2026-01-10")
        #expect(RuleEngine.decisionEndingDue(erik, profile: .hemtjanst) == d("2025-12-11"))
        let items = RuleEngine.ruleItems(for: client([erik]), routines: routines, today: d("2025-06-01"))
        #expect(kinds(items) == [.decisionEnding])
    }

    @Test func endLeadIsClampedBetweenMinimumAndMaximum() {
        #expect(RuleEngine.endLeadDays(length: 5, profile: .hemtjanst) == 3)
        #expect(RuleEngine.endLeadDays(length: 20, profile: .hemtjanst) == 3)
        #expect(RuleEngine.endLeadDays(length: 21, profile: .hemtjanst) == 4)
        #expect(RuleEngine.endLeadDays(length: 200, profile: .hemtjanst) == 30)
        #expect(RuleEngine.endLeadDays(length: 365, profile: .hemtjanst) == 30)
    }

    // MARK: R1, R2, R8, R6

    @Test func decisionWithNoEndIsFollowedUpYearlyFromStartThenFromLastFollowUp() {
        let tillsvidare = decision(from: "2024-05-10", started: "2024-05-20")
        #expect(RuleEngine.annualDue(tillsvidare, lastFollowUp: nil, profile: .hemtjanst) == d("2025-05-20"))
        #expect(RuleEngine.annualDue(tillsvidare, lastFollowUp: d("2025-04-02"), profile: .hemtjanst) == d("2026-04-02"))
        let items = RuleEngine.ruleItems(for: client([tillsvidare], followUps: ["2025-04-02"]),
                                         routines: routines, today: d("2025-06-01"))
        #expect(items.first { $0.kind == .annualFollowUp }?.due == d("2026-04-02"))
        #expect(items.first { $0.kind == .prepareFollowUp }?.due == d("2026-03-02"))
    }

    @Test func leapDayStartClampsToFebruary28() {
        let leap = decision(from: "2024-02-29")
        #expect(RuleEngine.annualDue(leap, lastFollowUp: nil, profile: .sabo) == d("2025-02-28"))
    }

    @Test func followUpsBeforeTheDecisionOrForOtherDecisionsDoNotCount() {
        let current = decision("d2", from: "2025-01-01")
        var person = client([current], followUps: ["2024-06-01"])
        #expect(RuleEngine.lastFollowUp(of: current, in: person) == nil)
        person.followUps.append(FollowUp(id: "f9", date: d("2025-03-01"), form: .phone, trigger: .ownPlan,
                                         decisionIDs: ["other"]))
        #expect(RuleEngine.lastFollowUp(of: current, in: person) == nil)
        person.followUps.append(FollowUp(id: "f10", date: d("2025-04-01"), form: .phone, trigger: .ownPlan))
        #expect(RuleEngine.lastFollowUp(of: current, in: person) == d("2025-04-01"))
    }

    @Test func severalDecisionsGiveOneAnnualFollowUpOnTheEarliestDate() {
        let first = decision("d1", service: "hemtjänst", from: "2024-09-01")
        let second = decision("d2", service: "trygghetslarm", from: "2024-03-15")
        let items = RuleEngine.ruleItems(for: client([first, second]), routines: routines, today: d("2025-01-01"))
        let annual = items.filter { $0.kind == .annualFollowUp }
        #expect(annual.count == 1)
        // 2025-03-15 is a Saturday: shown on Friday the 14th, the rule's date kept as the deadline.
        #expect(annual.first?.due == d("2025-03-14"))
        #expect(annual.first?.ruleDue == d("2025-03-15"))
        #expect(annual.first?.decisionID == nil)
        #expect(items.filter { $0.kind == .prepareFollowUp }.map(\.due) == [d("2025-02-14")])
        #expect(items.filter { $0.kind == .prepareFollowUp }.map(\.ruleDue) == [d("2025-02-15")])
    }

    // MARK: R4, R5

    @Test func planNeverReceivedIsDueAfterEachProfilesDeadline() {
        let start = "2025-01-01"
        // Support that has started (verkställd) and has no plan; before the start R11 follows it instead.
        let sabo = decision(service: "vård- och omsorgsboende", from: start, started: start, plan: nil)
        let hemtjanst = decision(service: "hemtjänst", from: start, plan: nil)
        let lss = decision(law: .lss, service: "personlig assistans", from: start, plan: nil)
        #expect(RuleEngine.carePlanMissingDue(sabo, profile: routines.profile(for: sabo)) == d("2025-01-15"))
        #expect(RuleEngine.carePlanMissingDue(hemtjanst, profile: routines.profile(for: hemtjanst)) == d("2025-01-29"))
        #expect(RuleEngine.carePlanMissingDue(lss, profile: routines.profile(for: lss)) == d("2025-01-15"))
        let items = RuleEngine.ruleItems(for: client([sabo]), routines: routines, today: d("2025-01-20"))
        let missing = items.first { $0.kind == .carePlanMissing }
        #expect(missing?.isOverdue(on: d("2025-01-20")) == true)
        #expect(missing?.daysOverdue(on: d("2025-01-20")) == 5)
        // Once a plan date is recorded, the item is gone.
        #expect(RuleEngine.carePlanMissingDue(decision(from: start, plan: "2025-01-10"), profile: .sabo) == nil)
    }

    @Test func stalePlanIsAnLssRuleSixMonthsAfterThePlansDate() {
        let lss = decision(law: .lss, service: "daglig verksamhet", from: "2024-01-01", plan: "2024-08-31")
        #expect(RuleEngine.carePlanStaleDue(lss, profile: routines.profile(for: lss)) == d("2025-02-28"))
        let sabo = decision(service: "vård- och omsorgsboende", from: "2024-01-01", plan: "2024-08-31")
        #expect(RuleEngine.carePlanStaleDue(sabo, profile: routines.profile(for: sabo)) == nil)
    }

    // MARK: R7

    @Test func timeDeviationIsStrictlyMoreThanFivePercent() {
        let exactlyFive = decision(from: "2025-01-01", granted: 40, performed: 42)
        let exactlyFiveUnder = decision(from: "2025-01-01", granted: 40, performed: 38)
        let fivePointOne = decision(from: "2025-01-01", granted: 100, performed: 105.1)
        let under = decision(from: "2025-01-01", granted: 100, performed: 94.9)
        #expect(RuleEngine.timeDeviationPercent(exactlyFive, profile: .hemtjanst) == nil)
        #expect(RuleEngine.timeDeviationPercent(exactlyFiveUnder, profile: .hemtjanst) == nil)
        #expect(RuleEngine.timeDeviationPercent(fivePointOne, profile: .hemtjanst) != nil)
        #expect((RuleEngine.timeDeviationPercent(under, profile: .hemtjanst) ?? 0) < 0)
        // SÄBO and LSS have no time rule.
        #expect(RuleEngine.timeDeviationPercent(fivePointOne, profile: .sabo) == nil)
        let items = RuleEngine.ruleItems(for: client([fivePointOne]), routines: routines, today: d("2025-06-01"))
        #expect(items.first { $0.kind == .timeDeviation }?.due == d("2025-06-01"))
    }

    // MARK: R9

    @Test func endedDecisionYieldsOnlyDecisionEndedUntilClosedOrFollowedUp() {
        let ended = decision(from: "2024-01-01", to: "2024-12-31", started: "2024-01-01", consent: nil, plan: nil)
        let items = RuleEngine.ruleItems(for: client([ended]), routines: routines, today: d("2025-02-01"))
        #expect(kinds(items) == [.decisionEnded])
        #expect(items.first?.due == d("2024-12-31"))
        let told = client([ended], followUps: ["2025-01-10"])
        #expect(RuleEngine.ruleItems(for: told, routines: routines, today: d("2025-02-01")).isEmpty)
        var closed = ended
        closed.closedOn = d("2025-01-05")
        #expect(RuleEngine.ruleItems(for: client([closed]), routines: routines, today: d("2025-02-01")).isEmpty)
        // On its last day it still runs.
        let lastDay = RuleEngine.ruleItems(for: client([ended]), routines: routines, today: d("2024-12-31"))
        #expect(!kinds(lastDay).contains(.decisionEnded))
    }

    // MARK: R10

    @Test func consentIsNeededForPrivateProvidersOnly() {
        let privateProvider = Provider(name: "Omsorg AB", regi: .private)
        #expect(RuleEngine.consentMissing(decision(from: "2025-01-01", provider: privateProvider), profile: .sabo))
        #expect(RuleEngine.consentMissing(decision(from: "2025-01-01", provider: privateProvider, consent: .refused),
                                          profile: .sabo))
        #expect(!RuleEngine.consentMissing(decision(from: "2025-01-01", provider: privateProvider, consent: .given),
                                           profile: .sabo))
        #expect(!RuleEngine.consentMissing(decision(from: "2025-01-01"), profile: .sabo))
        var ffs = RoutineProfile.hemtjanst
        ffs.consentRule = .always
        #expect(RuleEngine.consentMissing(decision(from: "2025-01-01"), profile: ffs))
    }

    // MARK: Stored reminders

    @Test func aStoredReminderMovesOrClosesOnlyTheOccurrenceItNames() {
        let running = decision(from: "2024-05-20")
        let moved = Reminder(id: "r1", kind: .annualFollowUp, due: d("2025-05-16"), ruleDue: d("2025-05-20"),
                             priority: .high)
        var items = RuleEngine.items(for: client([running], reminders: [moved]), routines: routines, today: d("2025-01-01"))
        let annual = items.first { $0.kind == .annualFollowUp }
        #expect(annual?.due == d("2025-05-16"))
        #expect(annual?.ruleDue == d("2025-05-20"))
        #expect(annual?.priority == .high)

        let done = Reminder(id: "r1", kind: .annualFollowUp, due: d("2025-05-20"), ruleDue: d("2025-05-20"),
                            status: .done, doneOn: d("2025-05-20"))
        items = RuleEngine.items(for: client([running], reminders: [done]), routines: routines, today: d("2025-01-01"))
        #expect(items.filter { $0.kind == .annualFollowUp }.map(\.isDone) == [true])

        // A year on, the rule gives a new date: the old reminder no longer applies, and stays as history.
        items = RuleEngine.items(for: client([running], followUps: ["2025-05-20"], reminders: [done]),
                                 routines: routines, today: d("2025-06-01"))
        let annuals = items.filter { $0.kind == .annualFollowUp }
        #expect(annuals.count == 2)
        #expect(annuals.contains { !$0.isDone && $0.due == d("2026-05-20") })
    }

    @Test func manualRemindersCarryTheirOwnDateAndText() {
        let manual = Reminder(id: "r5", kind: .manual, due: d("2025-02-03"), text: "Ring god man")
        let items = RuleEngine.items(for: client([], reminders: [manual]), routines: routines, today: d("2025-01-01"))
        #expect(items.count == 1)
        #expect(items.first?.reason == "Ring god man")
        #expect(items.first?.ruleDue == nil)
    }

    @Test func archivedClientsYieldNothing() {
        var person = client([decision(from: "2020-01-01", plan: nil)])
        person.archived = true
        #expect(RuleEngine.items(for: person, routines: routines, today: d("2025-01-01")).isEmpty)
    }

    @Test func unknownServicesFallBackByLaw() {
        #expect(routines.profile(for: decision(law: .lss, service: "fritidsstöd", from: "2025-01-01")).id == "lss")
        #expect(routines.profile(for: decision(service: "fritidsstöd", from: "2025-01-01")).id == "hemtjanst")
        #expect(routines.profile(for: decision(service: "Särskilt  boende", from: "2025-01-01")).id == "sabo")
        #expect(routines.profile(for: decision(service: "kontaktperson", from: "2025-01-01")).id == "hemtjanst")
        #expect(routines.profile(for: decision(law: .lss, service: "kontaktperson", from: "2025-01-01")).id == "lss")
    }
}

/// Items without reasons (for `bevaka agenda`'s table) are the items with reasons, reasons aside.
@Suite struct ReasonlessItemsTests {
    @Test func leavingReasonsOutChangesNothingElse() {
        var random = SeededRandom(seed: 37)
        let today = Day(year: 2026, month: 3, day: 2) ?? Day(dayNumber: 0)
        var clients = DemoCaseload.make(today: today).clients + DemoCaseload.large(300, today: today).clients
        for round in 0..<400 { clients += Fuzz.caseload(&random, clients: 1 + round % 3).clients }
        var compared = 0, withReasons = 0
        for client in clients {
            for day in [today, today.adding(days: 200), today.adding(days: -400)] {
                let full = RuleEngine.items(for: client, routines: .standard, today: day)
                let bare = RuleEngine.items(for: client, routines: .standard, today: day, reasons: false)
                #expect(full.count == bare.count, "\(client.id) \(day)")
                for (a, b) in zip(full, bare) {
                    var plain = a, other = b
                    plain.reason = ""
                    other.reason = ""
                    #expect(plain == other, "\(client.id) \(day)")
                    // A rule's own reason is gone; a manual bevakning's text and a reminder's note stay.
                    if b.kind != .manual && b.reminderID == nil { #expect(b.reason.isEmpty, "\(b.reason)") }
                    if b.kind == .manual { #expect(a.reason == b.reason) }
                    if !a.reason.isEmpty { withReasons += 1 }
                    compared += 1
                }
            }
        }
        #expect(compared > 5_000 && withReasons > 5_000, "\(compared) \(withReasons)")
        // And the agenda made of them, reasons aside.
        let full = Agenda.unsortedEntries(clients, routines: .standard, today: today, days: 30)
        let bare = Agenda.unsortedEntries(clients, routines: .standard, today: today, days: 30, reasons: false)
        #expect(full.map(\.clientName) == bare.map(\.clientName) && full.map(\.item.due) == bare.map(\.item.due))
        #expect(Reports.agendaText(full, today: today, days: 30, showPersonnummer: false)
                == Reports.agendaText(bare, today: today, days: 30, showPersonnummer: false))
    }
}
