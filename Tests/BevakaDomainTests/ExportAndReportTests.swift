import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

@Suite struct CalendarExportTests {
    var options: CalendarExport.Options {
        .init(from: d("2026-01-01"), to: d("2027-12-31"), stamp: "20261122T000000Z")
    }

    func demoICS(fullNames: Bool = false, caseload: Caseload? = nil) -> String {
        var options = self.options
        options.fullNames = fullNames
        return CalendarExport.ics(caseload: caseload ?? DemoCaseload.make(today: today), routines: .standard,
                                  today: today, options: options)
    }

    @Test func linesEndInCRLFAndAreFoldedAt75Octets() throws {
        let text = demoICS()
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))  // no bare LF
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
        }
        // Folded lines exist (long descriptions) and unfold to the original text.
        #expect(lines.contains { $0.hasPrefix(" ") })
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DESCRIPTION:Beslut löper ut (regel R3 i Bevaka)."))
        // No routine citations in a shared calendar: they name example people ("Anna, Erik").
        for kind in DueKind.allCases where !kind.source.isEmpty {
            #expect(!unfolded.contains(CalendarExport.escape(kind.source)), "\(kind.source)")
        }
    }

    @Test func foldingNeverSplitsAUTF8Sequence() {
        let line = "SUMMARY:" + String(repeating: "åäö", count: 40)
        let folded = CalendarExport.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            #expect(part.utf8.count <= 75)
            #expect(String(decoding: Array(part.utf8), as: UTF8.self) == part && !part.unicodeScalars.contains("\u{FFFD}"))
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
    }

    @Test func textIsEscaped() {
        #expect(CalendarExport.escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne")
        #expect(CalendarExport.escape("bell\u{07}esc\u{1B}[31m") == "bellesc[31m")
    }

    @Test func allDayEventsWithAnAlarmAndNoPersonalDataByDefault() {
        let text = demoICS().replacingOccurrences(of: "\r\n ", with: "")
        let events = text.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        #expect(!events.isEmpty)
        for event in events where !event.contains("Bokat besök") {
            #expect(event.contains("DTSTART;VALUE=DATE:"))
            #expect(event.contains("DTEND;VALUE=DATE:"))
            // Each has its alarm, except the overdue ones, which share the summary event's.
            #expect(event.contains("SUMMARY:FÖRSENAD") != (event.contains("BEGIN:VALARM") && event.contains("TRIGGER;RELATED=START:PT8H")))
            #expect(event.contains("DTSTAMP:20261122T000000Z"))
        }
        let people = DemoCaseload.make(today: today).clients
        for person in people {
            #expect(!text.contains(person.personnummer.digits.suffix(10)))
            #expect(!text.contains(person.personnummer.formatted))
            #expect(!text.contains(person.name), "\(person.name)")
        }
        // Astrid's annual follow-up is overdue: it stands on today's date, marked, not left out.
        let astrid = events.first { $0.contains("SUMMARY:FÖRSENAD Årlig uppföljning: A.N. (vård- och omsorgsboende)") }
        #expect(astrid?.contains("DTSTART;VALUE=DATE:20261122") == true)
        #expect(astrid?.contains("Försenad sedan 2026-10-16") == true)  // 2026-10-18 is a Sunday: the Friday
        // The manual reminder's free text stays out unless asked for.
        #expect(!text.contains("Ring dottern"))
        let full = demoICS(fullNames: true).replacingOccurrences(of: "\r\n ", with: "")
        #expect(full.contains("Astrid Nilsson"))
        #expect(full.contains("Ring dottern"))
        #expect(!full.contains("19200101-1564"))
    }

    @Test func conditionsAreNoCalendarDates() {
        let text = demoICS()
        #expect(!text.contains("timeDeviation"))
        #expect(!text.contains("consentMissing"))
    }

    @Test func theUIDIsStableAcrossRunsAndWhenADateMoves() throws {
        let first = demoICS()
        #expect(first == demoICS())
        func uids(_ text: String) -> [String] {
            text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
        }
        #expect(Set(uids(first)).count == uids(first).count)  // unique
        // Move Astrid's annual follow-up: the same UID with a new date, not a new event.
        var caseload = DemoCaseload.make(today: today)
        let index = try #require(caseload.clients.firstIndex { $0.name == "Astrid Nilsson" })
        let item = try #require(RuleEngine.items(for: caseload.clients[index], routines: .standard, today: today)
            .first { $0.kind == .annualFollowUp })
        caseload.clients[index].reminders.append(Reminder(id: "r900", kind: .annualFollowUp, due: d("2027-01-15"),
                                                          ruleDue: item.ruleDue))
        let moved = demoICS(caseload: caseload)
        #expect(Set(uids(moved)) == Set(uids(first)))
        let uid = CalendarExport.uid(item)
        let event = moved.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("UID:\(uid)") } ?? ""
        #expect(event.contains("DTSTART;VALUE=DATE:20270115"))
    }

    @Test func aBookedVisitIsATimedEventInStockholmTime() throws {
        let text = demoICS().replacingOccurrences(of: "\r\n ", with: "")
        // One VTIMEZONE for Europe/Stockholm with the EU summer-time rule.
        #expect(text.components(separatedBy: "BEGIN:VTIMEZONE").count == 2)
        #expect(text.contains("TZID:Europe/Stockholm\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"))
        #expect(text.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
        let demo = DemoCaseload.make(today: today)
        let erik = try #require(demo.clients.first { $0.name == "Erik Johansson" })
        let event = try #require(text.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("UID:\(erik.id).booking@bevaka") })
        // Local time with the zone, not UTC: 10:00 in Stockholm is 10:00 on the wall.
        #expect(event.contains("DTSTART;TZID=Europe/Stockholm:20261122T100000\r\n"))
        #expect(event.contains("DURATION:PT60M\r\n") && !event.contains("DTEND"))
        #expect(event.contains("SUMMARY:Bokat besök: E.J. (hemtjänst)"))
        #expect(!event.contains("LOCATION") && !event.contains("Björkgatan") && !event.contains("Erik"))
        // The same UID every run, also when the booking moves.
        var moved = demo
        if let index = moved.clients.firstIndex(where: { $0.id == erik.id }) { moved.clients[index].booking?.start = 13 * 60 }
        let again = demoICS(caseload: moved).replacingOccurrences(of: "\r\n ", with: "")
        let later = try #require(again.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("UID:\(erik.id).booking@bevaka") })
        #expect(later.contains("DTSTART;TZID=Europe/Stockholm:20261122T130000"))
    }

    @Test func theRangeLimitsTheEvents() {
        let narrow = CalendarExport.ics(caseload: DemoCaseload.make(today: today), routines: .standard, today: today,
                                        options: .init(from: today, to: today.adding(days: 7), stamp: "20261122T000000Z"))
        for line in narrow.components(separatedBy: "\r\n") where line.hasPrefix("DTSTART;") {
            let date = String(line.split(separator: ":").last?.prefix(8) ?? "")
            #expect(date >= "20261122" && date <= "20261129")
        }
    }

    @Test func initials() {
        #expect(CalendarExport.initials("Anna Maria Lindqvist") == "A.M.L.")
        #expect(CalendarExport.initials("Per-Olof Åberg") == "P.O.Å.")
    }
}

@Suite struct UnitReportTests {

    /// A small fixture whose figures are counted by hand.
    func fixture() -> Caseload {
        let overdueAnnual = decision("d1", from: "2025-06-01", plan: "2025-06-10")      // annual 2026-06-01: overdue
        let followedUp = decision("d2", from: "2024-01-01", plan: "2024-02-01")         // followed up 2026-03-10
        let deviating = decision("d3", from: "2026-02-01", granted: 20, performed: 25, plan: "2026-02-10")  // +25 %
        let noPlan = decision("d4", from: "2026-10-01", started: "2026-10-01", plan: nil)                       // R4 due 2026-10-15: overdue
        let ending = decision("d5", from: "2026-05-01", to: "2026-12-31", plan: "2026-05-10")
        return Caseload(clients: [
            client([overdueAnnual], id: "c1"),
            client([followedUp], followUps: ["2026-03-10"], id: "c2"),
            client([deviating], id: "c3"),
            client([noPlan], id: "c4"),
            client([ending], id: "c5"),
            Client(id: "c6", name: "Arkiv", personnummer: Personnummer(unchecked: "192001011564"), archived: true,
                   decisions: [decision("d6", from: "2020-01-01")]),
        ])
    }

    @Test func figuresOnAFixture() {
        let report = UnitReport.make(caseload: fixture(), routines: .standard, year: 2026, today: today)
        #expect(report.people == 5)
        #expect(report.runningDecisions == 5)
        #expect(report.months[2].completed == 1)                     // March: c2's follow-up
        #expect(report.months.reduce(0) { $0 + $1.completed } == 1)
        #expect(report.months[11].decisionsEnding == 1)              // December: d5
        #expect(report.plansMissing == 1)
        #expect(report.timeDeviations == 1)
        // Run at least a year: d1 (no follow-up) and d2 (followed up in March) → 1 of 2.
        #expect(report.decisionsDue == 2)
        #expect(report.decisionsFollowedUp == 1)
        #expect(report.followedUpShare == 0.5)
        let overdue = Dictionary(uniqueKeysWithValues: report.overdueByKind.map { ($0.kind, $0.count) })
        #expect(overdue[.annualFollowUp] == 1)
        #expect(overdue[.carePlanMissing] == 1)
        #expect(overdue[.timeDeviation] == nil)  // a condition due today is not overdue
        let text = report.text()
        #expect(text.contains("Uppföljda inom 12 månader: 50 % (1 av 2 beslut som löpt minst ett år)"))
        #expect(text.contains("december"))
    }

    @Test func theReportHoldsNoPersonalData() throws {
        let caseload = DemoCaseload.make(today: today)
        let report = UnitReport.make(caseload: caseload, routines: .standard, year: 2026, today: today)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: report.jsonObject()), as: UTF8.self)
        let csv = report.csvRows().map { $0.joined(separator: ";") }.joined(separator: "\n")
        for output in [report.text(), json, csv] {
            for person in caseload.clients {
                #expect(!output.contains(person.name))
                #expect(!output.contains(String(person.personnummer.digits.prefix(8))))
            }
        }
    }
}

@Suite struct PluralTests {

    @Test func oneDayAndOneDoneAreSingular() {
        let demo = DemoCaseload.make(today: today)
        let one = Reports.agendaText([], today: today, days: 1, showPersonnummer: false)
        #expect(one.contains("försenade och inom 1 dag\n") && one.contains("inom 1 dag."))
        #expect(Reports.agendaText([], today: today, days: 30, showPersonnummer: false).contains("inom 30 dagar"))
        // A month with exactly one follow-up done says "1 gjord".
        var caseload = demo
        caseload.clients = caseload.clients.filter { $0.name == "Leo Karlsson" }
        let plan = YearPlan.make(caseload: caseload, routines: .standard, year: 2026, today: today)
        let text = Reports.yearPlanText(plan, today: today, showPersonnummer: false)
        #expect(plan.months.contains { $0.done == 1 })
        #expect(text.contains("(1 gjord)") && !text.contains("(1 gjorda)"))
    }
}

/// Issue 23: the calendar tells people apart and rings once for what is overdue; a booking after
/// the follow-up is not in its journal.
@Suite struct CalendarAndJournalWordsTests {
    static func person(_ id: String, _ name: String) -> Client {
        Client(id: id, name: name, personnummer: Personnummer(unchecked: "192001011564"))
    }

    /// Issue 35, item 10: one letter of each name, and a number where two people share them —
    /// never more letters, which spelled out a short surname ("Å.Ek.").
    @Test func initialsAreUniqueWithinTheExportAndNeverSpellAName() {
        let labels = CalendarExport.uniqueInitials([Self.person("c1", "Arne Hedlund"), Self.person("c2", "Amira Hassan"),
                                                    Self.person("c3", "Sven Öberg"), Self.person("c4", "Åke Ek"),
                                                    Self.person("c5", "Åsa Ek"), Self.person("c6", "Åke Ek")])
        #expect(labels["c1"] == "A.H." && labels["c2"] == "A.H. 2" && labels["c3"] == "S.Ö.")
        #expect(labels["c4"] == "Å.E." && labels["c5"] == "Å.E. 2" && labels["c6"] == "Å.E. 3")
        #expect(Set(labels.values).count == 6)
        // No label holds two letters of one name part.
        for label in labels.values { #expect(label.split(separator: " ")[0].split(separator: ".").allSatisfy { $0.count == 1 }, "\(label)") }
    }

    /// Issue 35, item 11: with --full-names a protected person is still only initials, no place.
    @Test func aProtectedPersonIsNeverNamedInTheCalendar() {
        var caseload = DemoCaseload.make(today: d("2026-11-22"))
        for index in caseload.clients.indices { caseload.clients[index].protectedIdentity = index % 2 == 0 }
        let ics = CalendarExport.ics(caseload: caseload, routines: .standard, today: d("2026-11-22"),
                                     options: .init(from: d("2026-11-22"), to: d("2027-11-22"), fullNames: true, stamp: "20261122T080000Z"))
        for (index, client) in caseload.clients.enumerated() {
            if index % 2 == 0 {
                #expect(!ics.contains(client.name), "\(client.name)")
                if let street = client.address?.street { #expect(!ics.contains(street)) }
            }
        }
        #expect(caseload.clients.enumerated().contains { $0.offset % 2 == 1 && ics.contains($0.element.name) })
    }

    @Test func oneAlarmForEverythingOverdue() {
        let caseload = DemoCaseload.make(today: d("2026-11-22"))
        let ics = CalendarExport.ics(caseload: caseload, routines: .standard, today: d("2026-11-22"),
                                     options: .init(from: d("2026-11-22"), to: d("2027-11-22"), stamp: "20261122T080000Z"))
        let events = ics.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        let overdue = events.filter { $0.contains("SUMMARY:FÖRSENAD") }
        #expect(overdue.count > 5 && overdue.allSatisfy { !$0.contains("BEGIN:VALARM") })
        let summary = events.filter { $0.contains("SUMMARY:Bevaka: \(overdue.count) försenade bevakningar") }
        #expect(summary.count == 1 && summary.first?.contains("BEGIN:VALARM") == true)
        #expect(events.filter { !$0.contains("FÖRSENAD") && !$0.contains("SUMMARY:Bevaka:") }.allSatisfy { $0.contains("BEGIN:VALARM") })
    }

    @Test func aBookingAfterTheFollowUpIsNotInItsJournal() throws {
        var client = try #require(DemoCaseload.make(today: d("2026-11-23")).clients.first { person in
            person.booking == nil && person.decisions.contains { $0.service == "vård- och omsorgsboende" } })
        var draft = FollowUpDraft.start(for: client, date: d("2026-11-23"), form: .homeVisit, trigger: .ownPlan)
        let later = Booking(date: d("2026-12-01"), start: 600)
        client.booking = later
        draft.recordBooking(later)
        client.draft = draft
        let entries = ChecklistLibrary.entries(for: client, draft: draft, routines: .standard)
        let today = JournalDraft.text(client: client, draft: draft, entries: entries, today: d("2026-11-23"))
        #expect(!today.contains("Bokat 2026-12-01"))
        // The same booking on the day of the visit is part of it.
        let onTheDay = JournalDraft.text(client: client, draft: draft, entries: entries, today: d("2026-12-01"))
        #expect(onTheDay.contains("Bokat 2026-12-01"))
    }
}
