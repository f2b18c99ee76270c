import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

/// Issue 14: R11 (ej verkställt beslut), R12 (avbrott), the IVO report and action dates on working days.
@Suite struct VerkstallighetTests {
    let routines = RoutineSet.standard

    func notCarriedOut(decided: String, from: String, started: String? = nil) -> Decision {
        var value = decision("d1", from: from, started: started, plan: nil)
        value.decidedOn = d(decided)
        return value
    }

    func kinds(_ person: Client, on day: String) -> [DueKind] {
        RuleEngine.ruleItems(for: person, routines: routines, today: d(day)).map(\.kind)
    }

    // MARK: R11

    @Test func aDecisionStartedAfterTwoMonthsIsNeverReported() throws {
        var granted = notCarriedOut(decided: "2026-01-15", from: "2026-01-20")
        let item = try #require(RuleEngine.ruleItems(for: client([granted]), routines: routines, today: d("2026-02-01"))
            .first { $0.kind == .notStarted })
        #expect(item.due == d("2026-04-15"))  // the decision date + 3 months
        #expect(item.reason.contains("beslutat 2026-01-15") && item.reason.contains("IVO"))
        granted.startedOn = d("2026-03-15")
        #expect(!kinds(client([granted]), on: "2026-05-01").contains(.notStarted))
        let report = IVOReport.make(caseload: Caseload(clients: [client([granted])]), routines: routines,
                                    quarter: try #require(Quarter(parsing: "2026-2")))
        #expect(report.entries.isEmpty)
    }

    @Test func aDecisionStartedAfterFourMonthsIsReportedThenClosed() throws {
        var granted = notCarriedOut(decided: "2026-01-15", from: "2026-01-20")
        // Overdue from 2026-04-15 until it is carried out.
        let overdue = try #require(RuleEngine.ruleItems(for: client([granted]), routines: routines, today: d("2026-05-01"))
            .first { $0.kind == .notStarted })
        #expect(overdue.isOverdue(on: d("2026-05-01")))
        #expect(!kinds(client([granted]), on: "2026-05-01").contains(.carePlanMissing))  // no plan before the start
        // Q1 ends 2026-03-31, before the limit: nothing. Q2: a new report.
        var caseload = Caseload(clients: [client([granted])])
        #expect(IVOReport.make(caseload: caseload, routines: routines, quarter: try #require(Quarter(parsing: "2026-1"))).entries.isEmpty)
        let q2 = try #require(Quarter(parsing: "2026-Q2"))
        let second = IVOReport.make(caseload: caseload, routines: routines, quarter: q2)
        #expect(second.new.count == 1 && second.continued.isEmpty && second.closing.isEmpty)
        #expect(second.new.first?.daysWaited == d("2026-01-15").days(until: d("2026-06-30")))
        IVOReport.markSent(second, in: &caseload)
        #expect(caseload.clients[0].decisions[0].ivoReported == ["2026-Q2"])
        // Carried out 2026-05-20 (four months after): gone from the rules, and Q3 closes the report.
        granted.startedOn = d("2026-05-20")
        granted.ivoReported = ["2026-Q2"]
        caseload.clients[0].decisions[0] = granted
        #expect(!kinds(caseload.clients[0], on: "2026-07-01").contains(.notStarted))
        let q3 = IVOReport.make(caseload: caseload, routines: routines, quarter: q2.next)
        #expect(q3.closing.count == 1 && q3.closing.first?.endedOn == d("2026-05-20") && q3.closing.first?.endedHow == "verkställt")
        IVOReport.markSent(q3, in: &caseload)
        #expect(IVOReport.make(caseload: caseload, routines: routines, quarter: q2.next.next).entries.isEmpty)
    }

    @Test func aPartlyCarriedOutDecisionKeepsItForTheRest() {
        var partly = notCarriedOut(decided: "2026-01-15", from: "2026-01-20", started: "2026-02-01")
        #expect(!kinds(client([partly]), on: "2026-05-01").contains(.notStarted))
        partly.notCarriedOut = "3 av 5 beviljade timmar i veckan"
        let items = RuleEngine.ruleItems(for: client([partly]), routines: routines, today: d("2026-05-01"))
        let item = items.first { $0.kind == .notStarted }
        #expect(item?.due == d("2026-04-15"))
        #expect(item?.reason.contains("Delvis verkställt; kvar: 3 av 5 beviljade timmar i veckan") == true)
    }

    @Test func aDeclinedOfferDoesNotEndItAndClosingDoes() throws {
        var offered = notCarriedOut(decided: "2026-01-15", from: "2026-01-20")
        offered.offers = [Offer(on: d("2026-02-10"), what: "plats på Solbacken", accepted: false)]
        let item = try #require(RuleEngine.ruleItems(for: client([offered]), routines: routines, today: d("2026-05-01"))
            .first { $0.kind == .notStarted })
        #expect(item.reason.contains("avböjt erbjudande avslutar inte"))
        offered.closedOn = d("2026-05-02")
        #expect(!kinds(client([offered]), on: "2026-05-03").contains(.notStarted))
    }

    @Test func withoutADecisionDateTheValidFromDateIsUsedAndSaid() throws {
        let unknown = decision("d1", from: "2026-01-20", plan: nil)
        let item = try #require(RuleEngine.ruleItems(for: client([unknown]), routines: routines, today: d("2026-02-01"))
            .first { $0.kind == .notStarted })
        #expect(item.due == d("2026-04-20"))
        #expect(item.reason.contains("beslutsdatum saknas"))
        // A recorded plan or follow-up shows the support runs: no R11 for a list without start dates.
        #expect(!kinds(client([decision("d1", from: "2026-01-20")]), on: "2026-06-01").contains(.notStarted))
        // The months are a profile setting; nil turns the rule off.
        var off = RoutineProfile.hemtjanst
        off.notStartedMonths = nil
        #expect(RuleEngine.notStartedDue(unknown, in: client([unknown]), profile: off) == nil)
    }

    // MARK: R12

    @Test func anInterruptionResumedAfterTwoMonthsIsNotReportedButAfterFourItIs() throws {
        var running = decision("d1", from: "2025-06-01", started: "2025-06-01")
        running.interruptions = [Interruption(from: d("2026-01-10"), reason: "sjukhusvistelse")]
        let item = try #require(RuleEngine.ruleItems(for: client([running]), routines: routines, today: d("2026-02-01"))
            .first { $0.kind == .interrupted })
        #expect(item.due == d("2026-04-10"))
        // Resumed after two months: gone, and never in a report.
        var early = running
        early.interruptions[0].resumed = d("2026-03-10")
        #expect(!kinds(client([early]), on: "2026-05-01").contains(.interrupted))
        #expect(IVOReport.make(caseload: Caseload(clients: [client([early])]), routines: routines,
                               quarter: try #require(Quarter(parsing: "2026-2"))).entries.isEmpty)
        // Not resumed by the end of Q2: a new report; resumed after four months: Q3 closes it.
        var caseload = Caseload(clients: [client([running])])
        let q2 = IVOReport.make(caseload: caseload, routines: routines, quarter: try #require(Quarter(parsing: "2026-2")))
        #expect(q2.new.count == 1 && q2.new.first?.kind == .interrupted && q2.new.first?.reason == "sjukhusvistelse")
        IVOReport.markSent(q2, in: &caseload)
        caseload.clients[0].decisions[0].interruptions[0].resumed = d("2026-05-15")
        #expect(!kinds(caseload.clients[0], on: "2026-06-01").contains(.interrupted))
        let q3 = IVOReport.make(caseload: caseload, routines: routines, quarter: try #require(Quarter(parsing: "2026-3")))
        #expect(q3.closing.count == 1 && q3.closing.first?.endedHow == "återupptaget")
    }

    // MARK: The IVO identifier and the report

    @Test func theIdentifierCarriesTheBirthDateAndTheSexDigitsParityAndIsStable() throws {
        let woman = try Personnummer.parse("192001011564", today: d("2026-01-01"))  // sex digit 6
        let man = try Personnummer.parse("192203299231", today: d("2026-01-01"))    // sex digit 3
        let her = try #require(IVOIdentifier.make(for: woman))
        let his = try #require(IVOIdentifier.make(for: man))
        #expect(her.hasPrefix("19200101-") && her.count == 13)
        #expect(his.hasPrefix("19220329-"))
        #expect(IVOIdentifier.parity(of: her) == 0 && IVOIdentifier.parity(of: his) == 1)
        #expect(!her.hasSuffix("1564") && !his.hasSuffix("9231"))  // never the personnummer's own last four
        #expect(IVOIdentifier.make(for: woman) == her)  // the same on every run
        for attempt in 1..<20 { #expect(IVOIdentifier.parity(of: IVOIdentifier.make(for: man, attempt: attempt) ?? "") == 1) }
    }

    /// IVO's e-tjänst picks the person by personnummer: the report gives it in full (and no name).
    @Test func theReportAcrossTwoQuartersGivesThePersonnummerAndNoName() throws {
        var first = client([notCarriedOut(decided: "2026-01-15", from: "2026-01-20")], id: "c1", name: "Astrid Nilsson")
        first.personnummer = try Personnummer.parse("192001011564", today: d("2026-01-01"))
        first.decisions[0].delayReason = "Ingen ledig plats"
        first.decisions[0].offers = [Offer(on: d("2026-03-01"), what: "Solbacken", accepted: false)]
        var second = client([notCarriedOut(decided: "2026-02-01", from: "2026-02-01")], id: "c2", name: "Erik Johansson")
        second.personnummer = try Personnummer.parse("192203299231", today: d("2026-01-01"))
        var caseload = Caseload(clients: [first, second])
        let q2 = try #require(Quarter(parsing: "2026-2"))
        var report = IVOReport.make(caseload: caseload, routines: routines, quarter: q2)
        // Everyone has a personnummer: no T-form identifier is made.
        #expect(!IVOReport.assignIdentifiers(&report, caseload: &caseload))
        #expect(caseload.clients.compactMap(\.ivoID).isEmpty)
        #expect(report.new.map(IVOReport.identity).sorted() == ["19200101-1564", "19220329-9231"])
        #expect(report.new.count == 2)
        #expect(report.entries.first { $0.clientID == "c2" }?.isComplete == false)  // no reason: incomplete
        IVOReport.markSent(report, in: &caseload)
        // Q3: the first is carried out (closing), the second continues with the same identifier.
        caseload.clients[0].decisions[0].startedOn = d("2026-08-01")
        var next = IVOReport.make(caseload: caseload, routines: routines, quarter: q2.next)
        #expect(!IVOReport.assignIdentifiers(&next, caseload: &caseload))  // nothing new made
        #expect(next.continued.map(IVOReport.identity) == [caseload.clients[1].personnummer.formatted])
        #expect(next.closing.map(IVOReport.identity) == [caseload.clients[0].personnummer.formatted])
        let csv = next.csvRows().map { $0.joined(separator: ";") }.joined(separator: "\n")
        for text in [next.text(), csv, "\(next.jsonObject())"] {
            for person in caseload.clients {
                #expect(!text.contains(person.name))
                #expect(text.contains(person.personnummer.formatted))
            }
        }
        // To IVO and the revisorer, with the paragraphs in force; the closing report says when.
        #expect(next.text().contains("Rapport till IVO och revisorerna") && next.text().contains("34 kap. 1–2 §§ SoL (2025:400), 28 f–g §§ LSS"))
        #expect(next.text().contains("verkställt 2026-08-01") && next.text().contains("34 kap. 2 § SoL, 28 g § LSS"))
        // A person with protected identity: IVO's instruction, and no e-mail.
        caseload.clients[1].protectedIdentity = true
        let guarded = IVOReport.make(caseload: caseload, routines: routines, quarter: q2.next).text()
        #expect(guarded.contains("skriv \"Personen har skyddade personuppgifter\" i e-tjänstens informationsruta"))
        #expect(guarded.contains("aldrig med e-post"))
        #expect(report.text().contains("SAKNAS – rapporten är ofullständig"))
        #expect(next.text().contains("Fortsatta rapporter (1)") && next.text().contains("Avslutade"))
    }

    @Test func quartersParseAndHaveTheirDays() throws {
        let q = try #require(Quarter(parsing: "2026-Q4"))
        #expect(q.first == d("2026-10-01") && q.last == d("2026-12-31") && q.next.description == "2027-Q1")
        #expect(Quarter(parsing: "2026-3") == Quarter(parsing: "2026Q3"))
        #expect(Quarter(parsing: "2026-5") == nil && Quarter(parsing: "26-1") == nil && Quarter(parsing: "x") == nil)
    }

    @Test func theReportingPeriodIsABevakningUntilTheQuarterIsMarkedSent() throws {
        let waiting = notCarriedOut(decided: "2026-01-15", from: "2026-01-20")
        var caseload = Caseload(clients: [client([waiting])])
        func reports(_ day: String) -> [DueItem] {
            RuleEngine.ruleItems(for: caseload.clients[0], routines: routines, today: d(day)).filter { $0.kind == .ivoReport }
        }
        // Q1 ends before the limit (2026-04-15): nothing to report for it. In Q2 the coming period after Q2.
        #expect(reports("2026-03-20").isEmpty)
        let q2 = try #require(reports("2026-05-01").first)
        #expect(q2.due == d("2026-07-01") && q2.reason.contains("kvartal 2 2026") && q2.reason.contains("2026-07-01–2026-08-31"))
        // In July: Q2's report is due (and the current quarter's ahead); marked sent, Q2's is gone.
        #expect(reports("2026-07-10").map(\.due) == [d("2026-07-01"), d("2026-10-01")])
        IVOReport.markSent(IVOReport.make(caseload: caseload, routines: routines, quarter: try #require(Quarter(parsing: "2026-2"))),
                           in: &caseload)
        #expect(reports("2026-07-10").map(\.due) == [d("2026-10-01")])
        // Q4's period is in January of the next year; 2027-01-01 (nyårsdagen) is shown on 2026-12-30.
        let q4 = try #require(Quarter(parsing: "2026-4"))
        let period = try #require(ReportingPeriod.ivoDefault[3].days(after: q4))
        #expect(period.first == d("2027-01-01") && period.last == d("2027-01-31"))
        #expect(RuleEngine.actionDay(period.first, profile: .hemtjanst) == d("2026-12-30"))
        #expect(ReportingPeriod(parsing: "04-01–04-30") == ReportingPeriod.ivoDefault[0])
        #expect(ReportingPeriod(parsing: "13-01–04-30") == nil)
    }

    // MARK: Action dates on working days

    @Test func actionDatesLandOnTheLastWorkingDayBefore() throws {
        // A Saturday → the Friday before; midsommarafton (Friday 2026-06-19) → the Thursday;
        // 2026-12-26 (Saturday, annandag jul) → 2026-12-23 (julafton and juldagen are not working days).
        #expect(RuleEngine.actionDay(d("2027-11-13"), profile: .hemtjanst) == d("2027-11-12"))
        #expect(RuleEngine.actionDay(d("2026-06-19"), profile: .hemtjanst) == d("2026-06-18"))
        #expect(RuleEngine.actionDay(d("2026-12-26"), profile: .hemtjanst) == d("2026-12-23"))
        #expect(RuleEngine.actionDay(d("2026-12-22"), profile: .hemtjanst) == d("2026-12-22"))
        var off = RoutineProfile.hemtjanst
        off.actOnWorkingDays = false
        #expect(RuleEngine.actionDay(d("2027-11-13"), profile: off) == d("2027-11-13"))
        // Through the rules: an annual date on a Saturday is shown on Friday, the rule's date kept.
        let person = client([decision("d1", from: "2025-12-26", started: "2025-12-26")])
        let annual = try #require(RuleEngine.ruleItems(for: person, routines: routines, today: d("2026-06-01"))
            .first { $0.kind == .annualFollowUp })
        #expect(annual.due == d("2026-12-23") && annual.ruleDue == d("2026-12-26"))
        #expect(annual.reason.contains("Regelns datum 2026-12-26 är ingen arbetsdag; visas 2026-12-23."))
    }

    @Test func theDemoShowsTheNewPartsAtOnce() {
        let today = d("2026-11-22")
        let demo = DemoCaseload.make(today: today)
        let items = RuleEngine.items(for: demo, routines: routines, today: today)
        let notStarted = items.filter { $0.kind == .notStarted }
        #expect(notStarted.contains { $0.due > today && $0.due <= today.adding(days: 8) })  // a week before the limit
        #expect(notStarted.contains { $0.due < today })                                       // past it …
        let declined = demo.clients.flatMap(\.decisions).contains { $0.offers.contains { !$0.accepted } && $0.startedOn == nil }
        #expect(declined)                                                                      // … with a declined offer
        #expect(items.contains { $0.kind == .interrupted })
    }
}

/// Issue 23: IVO's identifier form, R11 for a decision that ended early, and every action on a
/// working day.
@Suite struct IdentifierAndWorkingDayTests {
    static func decision(_ id: String, _ service: String, from: Day, to: Day? = nil, started: Day? = nil, decided: Day? = nil,
                         law: Law = .sol) -> Decision {
        var decision = Decision(id: id, law: law, service: service, validFrom: from, validTo: to, startedOn: started)
        decision.decidedOn = decided
        return decision
    }

    /// 1,000 personnummer from the test register's birth dates, both sexes, all with valid check digits.
    static func people() throws -> [Personnummer] {
        var result: [Personnummer] = []
        var day = d("1930-01-01")
        while result.count < 1000 {
            for serial in [123, 124] {  // sex digit: 2 (woman) then … the last of the three serial digits
                let date = String(day.description.replacingOccurrences(of: "-", with: "").dropFirst(2))
                let base = date + String(serial)
                let digits = base.compactMap(\.wholeNumberValue)
                var sum = 0
                for (index, digit) in digits.enumerated() {
                    let value = digit * (index % 2 == 0 ? 2 : 1)
                    sum += value > 9 ? value - 9 : value
                }
                let check = (10 - sum % 10) % 10
                result.append(try Personnummer.parse("19" + base + String(check), today: d("2026-01-01")))
            }
            day = day.adding(days: 37)
        }
        return result
    }

    /// IVO's T-form is for a person without a Swedish personnummer: a thousand of them, each with
    /// the birth date and the sex of a test personnummer, and half with a reservnummer.
    @Test func theIdentifierIsInIVOsFormWithTheSexParityForAThousandPeopleWithoutAPersonnummer() throws {
        let people = try Self.people().enumerated().map { index, number in
            Personnummer.withoutSwedishNumber(born: try #require(number.birthDate),
                                              sex: (number.sexDigit ?? 0) % 2 == 1 ? .man : .woman,
                                              reservnummer: index % 2 == 0 ? "R\(index)" : nil, name: "P \(index)")
        }
        #expect(people.count == 1000 && !people.contains { $0.hasSwedishNumber } && people.allSatisfy(\.isWithoutSwedishNumber))
        #expect(Set(people).count == 1000)
        var caseload = Caseload(clients: people.enumerated().map { index, number in
            var person = Client(id: "c\(index)", name: "P \(index)", personnummer: number)
            person.decisions = [Self.decision("d\(index)", "hemtjänst", from: d("2026-01-20"), decided: d("2026-01-15"))]
            return person
        })
        let quarter = try #require(Quarter(parsing: "2026-2"))
        var report = IVOReport.make(caseload: caseload, routines: RoutineSet.standard, quarter: quarter)
        #expect(report.entries.count == 1000)
        #expect(IVOReport.assignIdentifiers(&report, caseload: &caseload))
        let form = try Regex("^[0-9]{8}-T[0-9]{3}$")
        var seen = Set<String>()
        for client in caseload.clients {
            let id = try #require(client.ivoID)
            #expect(id.wholeMatch(of: form) != nil, "\(id)")
            let sex = try #require(client.personnummer.sex)
            // The third position after the dash: even for a woman, odd for a man.
            let third = Array(id.split(separator: "-")[1])[2].wholeNumberValue
            #expect(third.map { $0 % 2 } == (sex == .man ? 1 : 0), "\(id) for a \(sex.word)")
            #expect(IVOReport.identity(try #require(report.entries.first { $0.clientID == client.id })) == id)
            #expect(id.hasPrefix(String(client.personnummer.digits.prefix(8)) + "-"))
            #expect(IVOIdentifier.isValid(id, for: client.personnummer))
            #expect(seen.insert(id).inserted, "\(id) twice")
        }
        #expect(report.replacedIdentifiers.isEmpty)
        // The same identifiers the next quarter: nothing made, nothing replaced.
        var next = IVOReport.make(caseload: caseload, routines: RoutineSet.standard, quarter: quarter.next)
        let before = caseload.clients.map(\.ivoID)
        #expect(!IVOReport.assignIdentifiers(&next, caseload: &caseload))
        #expect(caseload.clients.map(\.ivoID) == before && next.replacedIdentifiers.isEmpty)
    }

    /// A stored T-form identifier of a person who has a personnummer is no longer used: removed
    /// once, the report says so, and the personnummer is given instead.
    @Test func anIdentifierOfAPersonWithAPersonnummerIsRetiredOnceAndTheReportSaysSo() throws {
        let people = try Self.people()
        var first = Client(id: "c1", name: "A", personnummer: people[0])
        first.decisions = [Self.decision("d1", "hemtjänst", from: d("2026-01-20"), decided: d("2026-01-15"))]
        first.ivoID = String(people[0].digits.prefix(8)) + "-XU29"
        var second = first
        second.id = "c2"
        second.personnummer = people[1]
        second.ivoID = people[1].digits  // a full personnummer, stored by mistake
        second.decisions[0].id = "d2"
        var caseload = Caseload(clients: [first, second])
        let quarter = try #require(Quarter(parsing: "2026-2"))
        var report = IVOReport.make(caseload: caseload, routines: RoutineSet.standard, quarter: quarter)
        #expect(IVOReport.assignIdentifiers(&report, caseload: &caseload))
        #expect(report.retiredIdentifiers == 2 && report.replacedIdentifiers.isEmpty)
        #expect(caseload.clients.allSatisfy { $0.ivoID == nil })
        let text = report.text()
        #expect(text.contains("IVO-id i T-form används inte längre för 2 personer med personnummer"))
        #expect(text.contains(people[0].formatted) && text.contains(people[1].formatted) && !text.contains("XU29"))
        // Once: the next report has nothing to say about it.
        var again = IVOReport.make(caseload: caseload, routines: RoutineSet.standard, quarter: quarter)
        #expect(!IVOReport.assignIdentifiers(&again, caseload: &caseload) && again.retiredIdentifiers == 0)
        #expect(!again.text().contains("används inte längre"))
    }

    @Test func aDecisionThatEndedBeforeItsThreeMonthsRaisesNoReport() {
        var person = Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"))
        person.decisions = [Self.decision("d1", "korttidsvistelse", from: d("2026-03-01"), to: d("2026-04-30"), decided: d("2026-02-20"))]
        let items = RuleEngine.items(for: person, routines: .standard, today: d("2026-07-01"))
        #expect(!items.contains { $0.kind == .notStarted || $0.kind == .ivoReport })
        let ended = items.first { $0.kind == .decisionEnded }
        #expect(ended?.due == d("2026-04-30") && ended?.reason.contains("ingen rapport till IVO") == true)
        let report = IVOReport.make(caseload: Caseload(clients: [person]), routines: .standard, quarter: Quarter(parsing: "2026-2")!)
        #expect(report.entries.isEmpty)
        // One that ran past its three months is reported as before.
        person.decisions[0].validTo = d("2026-06-30")
        #expect(RuleEngine.items(for: person, routines: .standard, today: d("2026-07-01")).contains { $0.kind == .notStarted })
    }

    /// A year of days × every kind that asks the handläggare to act: each shown on a working day,
    /// never after the rule's date; R9 on its date; the IVO period's reminder on or after the period.
    @Test func everyActionIsOnAWorkingDay() {
        let actions: Set<DueKind> = [.annualFollowUp, .decisionEnding, .carePlanMissing, .carePlanStale, .prepareFollowUp,
                                     .notStarted, .interrupted]
        var seen: Set<DueKind> = []
        var start = d("2026-01-01")
        while start < d("2027-01-01") {
            var person = Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"))
            // A time-limited decision not carried out, with an interruption and an old plan; a running one without a plan.
            var limited = Self.decision("d1", "daglig verksamhet", from: start, to: start.adding(days: 200),
                                        decided: start.adding(days: -3), law: .lss)
            limited.interruptions = [Interruption(from: start.adding(days: 5))]
            limited.startedOn = start
            limited.plan = CarePlan(established: start.adding(days: -190))
            let running = Decision(id: "d2", law: .sol, service: "hemtjänst", validFrom: start.adding(days: -360),
                                   startedOn: start.adding(days: -360))
            let waiting = Self.decision("d3", "vård- och omsorgsboende", from: start, decided: start)
            person.decisions = [limited, running, waiting]
            let items = RuleEngine.items(for: person, routines: .standard, today: start.adding(days: -400))
            for item in items where actions.contains(item.kind) {
                seen.insert(item.kind)
                #expect(WorkingDays.isWorkingDay(item.due), "\(item.kind) on \(item.due)")
                #expect(item.due <= (item.ruleDue ?? item.due), "\(item.kind) after its rule's date")
                #expect(item.ruleDue != nil, "\(item.kind) without its rule's date")
            }
            start = start.adding(days: 1)
        }
        #expect(seen == actions, "kinds never produced: \(actions.subtracting(seen))")
        // R9 keeps its date, a Sunday too.
        var ended = Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"))
        ended.decisions = [Decision(id: "d1", law: .sol, service: "hemtjänst", validFrom: d("2026-01-01"), validTo: d("2026-12-13"),
                                    startedOn: d("2026-01-01"))]
        #expect(RuleEngine.items(for: ended, routines: .standard, today: d("2026-12-20")).first { $0.kind == .decisionEnded }?.due
                == d("2026-12-13"))
        // The IVO period for Q4 2026 starts 2027-01-01 (a holiday): its reminder on the first working day after.
        var waiting = Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"))
        waiting.decisions = [Self.decision("d1", "hemtjänst", from: d("2026-07-01"), decided: d("2026-07-01"))]
        let report = RuleEngine.items(for: waiting, routines: .standard, today: d("2026-12-20")).first { $0.kind == .ivoReport }
        #expect(report?.due == d("2027-01-04") && report?.ruleDue == d("2027-01-01"))
    }
}


/// The law in force (SoL 2025:400 since 2025-07-01): no reason, source, checklist item, report or
/// extract names a paragraph of the repealed SoL (2001:453) or healthcare's log rule as current.
@Suite struct LawInForceTests {
    /// The old SoL's paragraphs for the same subjects (bistånd 4 kap. 1 §, documentation 11 kap.
    /// 5–6 §§, gallring 12 kap., reporting 16 kap. 6 f–h §§), not preceded by another digit.
    static let repealed = ["2001:453", "(^|[^0-9])16 kap\\.", "HSLF-FS", "(^|[^0-9])4 kap\\. 1 §", "(^|[^0-9])11 kap\\. [56]",
                           "(^|[^0-9])12 kap\\."]

    @Test func noOutputCitesARepealedParagraph() throws {
        let routines = RoutineSet.standard
        var texts: [String] = DueKind.allCases.map(\.source)
        for profile in RoutineProfile.builtIn.map(\.id) {
            texts += ChecklistLibrary.templates(for: profile).flatMap { [$0.text, $0.source] }
        }
        var random = SeededRandom(seed: 33)
        for caseload in [DemoCaseload.make(today: today), Fuzz.caseload(&random, clients: 300)] {
            texts += RuleEngine.items(for: caseload, routines: routines, today: today).map(\.reason)
            for quarter in ["2026-1", "2026-2", "2026-3"] {
                let report = IVOReport.make(caseload: caseload, routines: routines, quarter: try #require(Quarter(parsing: quarter)))
                texts.append(report.text())
            }
            for client in caseload.clients.prefix(20) {
                texts.append(Registerutdrag.text(client, routines: routines, today: today, stored: "", log: nil))
            }
        }
        #expect(texts.count > 500)
        let patterns = try Self.repealed.map { try Regex($0) }
        for text in texts {
            for (old, pattern) in zip(Self.repealed, patterns) {
                #expect(text.firstMatch(of: pattern) == nil, "\(old) in: \(text.prefix(200))")
            }
        }
        // The check itself finds an old citation.
        #expect("enligt 16 kap. 6 f § SoL".firstMatch(of: patterns[1]) != nil && "34 kap. 1 §".firstMatch(of: patterns[3]) == nil)
        // The report cites the paragraphs in force.
        #expect(DueKind.notStarted.source.contains("34 kap. 1 § SoL (2025:400), 28 f § LSS"))
    }
}

/// Fullmäktige's statistics (34 kap. 3 § SoL, 28 h § LSS): counts checked against a caseload
/// counted by hand, and nothing that identifies anyone.
@Suite struct StatisticsReportTests {
    static func person(_ id: String, _ pnr: String, _ decisions: [Decision]) -> Client {
        var person = Client(id: id, name: "Namn MARKÖR \(id)", personnummer: Personnummer(unchecked: pnr), decisions: decisions)
        person.notes = "anteckning MARKÖR"
        person.doorCode = "MARKÖR-4711"
        return person
    }

    static func granted(_ id: String, _ service: String, law: Law = .sol, decided: String, started: String? = nil,
                        closed: String? = nil) -> Decision {
        var value = Decision(id: id, law: law, service: service, validFrom: d(decided), startedOn: started.map(d))
        value.decidedOn = d(decided)
        value.closedOn = closed.map(d)
        value.delayReason = "skäl MARKÖR"
        return value
    }

    @Test func theCountsAreTheHandCountedOnesAndNothingIdentifies() throws {
        var interrupted = Self.granted("d5", "hemtjänst", decided: "2025-06-01", started: "2025-06-10")
        interrupted.interruptions = [Interruption(from: d("2026-03-01"), reason: "MARKÖR sjukhus")]
        let caseload = Caseload(clients: [
            // A woman, SoL hemtjänst, 6½ months at the quarter's end: 6–9.
            Self.person("c1", "192001011564", [Self.granted("d1", "hemtjänst", decided: "2026-06-15")]),
            // A man, SoL hemtjänst, 14 months: over 12.
            Self.person("c2", "192203299231", [Self.granted("d2", "Hemtjänst", decided: "2025-11-01")]),
            // A woman, LSS ledsagarservice, 4 months: 3–6; and an insats outside the catalog: "annan insats".
            Self.person("c3", "192002209209", [Self.granted("d3", "ledsagarservice", law: .lss, decided: "2026-09-01"),
                                               Self.granted("d4", "Specialinsats MARKÖR", law: .lss, decided: "2026-08-01")]),
            // A man with an interruption since 2026-03-01 (10 months): 9–12.
            Self.person("c4", "192104309253", [interrupted]),
            // Carried out in time, closed, or not yet three months: not counted.
            Self.person("c5", "192106049279", [Self.granted("d6", "hemtjänst", decided: "2026-05-01", started: "2026-12-01"),
                                               Self.granted("d7", "hemtjänst", decided: "2026-04-01", closed: "2026-12-20"),
                                               Self.granted("d8", "hemtjänst", decided: "2026-10-15")]),
        ])
        let quarter = try #require(Quarter(parsing: "2026-4"))
        let report = StatisticsReport.make(caseload: caseload, routines: .standard, quarter: quarter)
        typealias Key = StatisticsReport.Key
        typealias Cell = StatisticsReport.Cell
        let expected: [Key: [Cell: Int]] = [
            Key(law: .sol, service: "hemtjänst", kind: .notStarted): [Cell(span: .sixToNine, sex: .woman): 1,
                                                                      Cell(span: .overTwelve, sex: .man): 1],
            Key(law: .lss, service: "ledsagarservice", kind: .notStarted): [Cell(span: .threeToSix, sex: .woman): 1],
            Key(law: .lss, service: "annan insats", kind: .notStarted): [Cell(span: .threeToSix, sex: .woman): 1],
            Key(law: .sol, service: "hemtjänst", kind: .interrupted): [Cell(span: .nineToTwelve, sex: .man): 1],
        ]
        #expect(report.counts == expected)
        #expect(report.total == 5)
        let csv = report.csvRows().map { $0.joined(separator: ";") }.joined(separator: "\n")
        let json = String(decoding: try JSONSerialization.data(withJSONObject: report.jsonObject()), as: UTF8.self)
        let text = report.text()
        #expect(text.contains("34 kap. 3 § SoL (2025:400), 28 h § LSS"))
        #expect(text.contains("hemtjänst, ej verkställda beslut: 2") && text.contains("6–9 mån: kvinnor 1"))
        for output in [text, csv, json] {
            #expect(!output.contains("MARKÖR"))
            for client in caseload.clients {
                #expect(!output.contains(client.personnummer.digits) && !output.contains(String(client.personnummer.digits.prefix(8))))
                #expect(!output.contains("\"\(client.id)\"") && !output.contains(";\(client.id);"))
            }
        }
    }
}

/// 34 kap. 6 § SoL (2025:400): a start the person postponed within LOV is its own reason, apart
/// from a declined offer; the decision is still reported, and no särskild avgift follows.
@Suite struct PostponedWithinLOVTests {
    @Test func aPostponedStartIsStillReportedWithItsOwnReason() throws {
        var granted = Decision(id: "d1", law: .sol, service: "hemtjänst", validFrom: d("2026-02-01"))
        granted.decidedOn = d("2026-01-20")
        granted.offers = [Offer(on: d("2026-02-10"), what: "Start 2026-02-15", accepted: false)]
        granted.postponedOn = d("2026-02-12")
        let person = Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"), decisions: [granted])
        // Still due under R11, and in the report.
        #expect(RuleEngine.ruleItems(for: person, routines: .standard, today: d("2026-05-01")).contains { $0.kind == .notStarted })
        let report = IVOReport.make(caseload: Caseload(clients: [person]), routines: .standard, quarter: try #require(Quarter(parsing: "2026-2")))
        let entry = try #require(report.new.first)
        #expect(entry.isComplete)  // the postponement is a reason
        let text = report.text()
        #expect(text.contains("Skäl: Uppskjutet på den enskildes begäran inom valfrihetssystem (LOV) från 2026-02-12"))
        #expect(text.contains("ingen särskild avgift (34 kap. 6 § SoL (2025:400))"))
        #expect(text.contains("Erbjudanden: 2026-02-10 Start 2026-02-15 (avböjt)"))  // the declined offer stands apart
        #expect(!text.contains("SAKNAS"))
        #expect(report.csvRows()[1].contains("2026-02-12"))
        // Stored and read back, by the decoder and the store's own reader alike.
        let data = try JSONEncoder().encode(person)
        #expect(try JSONDecoder().decode(Client.self, from: data).decisions[0].postponedOn == d("2026-02-12"))
        // LSS has no LOV exemption: the field says nothing there.
        var lss = person
        lss.decisions[0].law = .lss
        let lssText = IVOReport.make(caseload: Caseload(clients: [lss]), routines: .standard,
                                     quarter: try #require(Quarter(parsing: "2026-2"))).text()
        #expect(!lssText.contains("LOV") && lssText.contains("SAKNAS"))
    }
}

/// The verkställighet ladder before R11 (issue 33, item 10): the order confirmed (2 working days),
/// the start (14 days or the planned start), the escalation (2 months), each on a working day.
@Suite struct VerkstallighetLadderTests {
    func person(decided: Day, from: Day? = nil) -> Client {
        var decision = Decision(id: "d1", law: .sol, service: "trygghetslarm", validFrom: from ?? decided)
        decision.decidedOn = decided
        return Client(id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"), decisions: [decision])
    }

    func ladder(_ client: Client, today: Day, routines: RoutineSet = .standard) -> [DueKind: Day] {
        var steps: [DueKind: Day] = [:]
        for item in RuleEngine.items(for: client, routines: routines, today: today)
        where [.orderConfirmation, .startCheck, .escalation].contains(item.kind) {
            steps[item.kind] = item.due
        }
        return steps
    }

    @Test func theStepsFallOnWorkingDaysForAYearOfDecisionDates() throws {
        var decided = d("2026-01-01")
        var checked = 0
        while decided <= d("2026-12-31") {
            let steps = ladder(person(decided: decided), today: decided)
            let order = try #require(steps[.orderConfirmation], "\(decided)")
            let start = try #require(steps[.startCheck], "\(decided)")
            let escalation = try #require(steps[.escalation], "\(decided)")
            for day in [order, start, escalation] { #expect(WorkingDays.isWorkingDay(day), "\(day) for \(decided)") }
            // Two working days after the decision: exactly two working days lie in (decided, order].
            var count = 0
            var day = decided.adding(days: 1)
            while day <= order { if WorkingDays.isWorkingDay(day) { count += 1 }; day = day.adding(days: 1) }
            #expect(count == 2, "\(decided) → \(order)")
            // The first working day on or after 14 days, and on or after two months.
            #expect(start == WorkingDays.onOrAfter(decided.adding(days: 14)))
            #expect(escalation == WorkingDays.onOrAfter(decided.adding(months: 2)))
            #expect(order < start && start < escalation && escalation < decided.adding(months: 3))
            checked += 1
            decided = decided.adding(days: 1)
        }
        #expect(checked == 365)
        // Midsommar: a decision on Wednesday 2026-06-17 → Thursday 18, (Friday 19 midsommarafton, weekend) → Monday 22.
        #expect(ladder(person(decided: d("2026-06-17")), today: d("2026-06-17"))[.orderConfirmation] == d("2026-06-22"))
        // A planned start later than 14 days: the start is asked after it.
        #expect(ladder(person(decided: d("2026-03-02"), from: d("2026-04-01")), today: d("2026-03-02"))[.startCheck] == d("2026-04-01"))
    }

    @Test func eachStepEndsWhenItIsAnsweredAndTheLadderEndsAtR11() throws {
        var client = person(decided: d("2026-09-01"))
        #expect(Set(ladder(client, today: d("2026-09-10")).keys) == [.orderConfirmation, .startCheck, .escalation])
        client.decisions[0].orderConfirmedOn = d("2026-09-02")
        #expect(Set(ladder(client, today: d("2026-09-10")).keys) == [.startCheck, .escalation])
        client.decisions[0].escalatedOn = d("2026-11-02")
        #expect(Set(ladder(client, today: d("2026-11-10")).keys) == [.startCheck])
        // Past R11's three months the IVO line takes over.
        #expect(ladder(client, today: d("2026-12-01")).isEmpty)
        #expect(RuleEngine.items(for: client, routines: .standard, today: d("2026-12-01")).contains { $0.kind == .notStarted })
        client.decisions[0].startedOn = d("2026-09-20")
        #expect(ladder(client, today: d("2026-09-25")).isEmpty)
        // A profile may change the steps or turn them off.
        var routines = RoutineSet.standard
        for key in routines.profiles.keys { routines.profiles[key]?.verkstallighetssteg = VerkstallighetSteps(orderWorkingDays: 1, startDays: 7, escalationMonths: 1) }
        let quick = ladder(person(decided: d("2026-09-01")), today: d("2026-09-01"), routines: routines)
        #expect(quick[.orderConfirmation] == d("2026-09-02") && quick[.startCheck] == d("2026-09-08") && quick[.escalation] == d("2026-10-01"))
        for key in routines.profiles.keys { routines.profiles[key]?.verkstallighetssteg = nil }
        #expect(ladder(person(decided: d("2026-09-01")), today: d("2026-09-01"), routines: routines).isEmpty)
    }
}
