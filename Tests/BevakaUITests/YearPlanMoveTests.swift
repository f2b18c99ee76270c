import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// Issue 23: a follow-up is never moved into the past without asking; `m` picks the day in the årshjul.
@Suite struct YearPlanMoveTests {
    @Test func aMonthEarlierIntoThePastAsksAndNoKeepsTheDate() throws {
        var state = demoState()
        press(&state, .character("2"), .down, .enter)  // December
        let entry = try #require(state.monthEntries(state.yearPlan).first)
        #expect(entry.due == d("2026-12-07"))
        press(&state, .character("<"))
        let choice = try #require(state.choice)
        #expect(choice.purpose == .confirmMove && choice.title.contains("2026-11-06 har redan passerat (idag är 2026-11-22)"))
        #expect(render(state).text.contains("har redan passerat"))
        press(&state, .character("1"))
        #expect(state.message == "Inte flyttad: datumet är kvar.")
        #expect(state.monthEntries(state.yearPlan).contains { $0.clientID == entry.clientID && $0.due == entry.due })
        // Yes moves it.
        press(&state, .character("<"), .character("2"))
        #expect(state.caseload.clients.first { $0.id == entry.clientID }?.reminders.contains { $0.due == d("2026-11-06") } == true)
    }

    @Test func mPicksTheDayInTheYearPlan() throws {
        var state = demoState()
        press(&state, .character("2"), .down, .enter)
        let entry = try #require(state.monthEntries(state.yearPlan).first)
        press(&state, .character("m"))
        #expect(state.prompt != nil)
        press(&state, .ctrl("u"))
        type(&state, "2026-12-03")
        press(&state, .enter)
        #expect(state.choice == nil, "\(state.choice?.title ?? "")")
        #expect(state.caseload.clients.first { $0.id == entry.clientID }?.reminders.contains { $0.due == d("2026-12-03") } == true)
        // A passed day typed there asks too.
        press(&state, .character("m"), .ctrl("u"))
        type(&state, "2026-11-02")
        press(&state, .enter)
        #expect(state.choice?.title.contains("har redan passerat") == true)
    }
}

/// Issue 24, item 12: booking times that do not exist or happen twice, and absurd years.
@Suite struct BookingTimeTests {
    @Test func summerTimeDaysAndSaneYears() throws {
        #expect(StockholmTime.check(d("2026-03-29"), minutes: 150) == .missing)
        #expect(StockholmTime.check(d("2026-10-25"), minutes: 150) == .twice)
        #expect(StockholmTime.check(d("2026-03-29"), minutes: 180) == .ok && StockholmTime.check(d("2026-10-25"), minutes: 180) == .ok)
        #expect(StockholmTime.check(d("2026-11-24"), minutes: 150) == .ok)
        #expect(throws: FieldInput.Problem.self) { try FieldInput.date("9999-12-31", today: d("2026-11-22"), required: true) }

        var state = demoState()
        let person = try #require(state.caseload.clients.first)
        state.openBookingForm(person.id, fromChecklist: false)
        type(&state, "2027-03-28")
        press(&state, .tab)
        type(&state, "02:30")
        press(&state, .ctrl("s"))
        #expect(state.form?.fields.first { $0.key == .time }?.error == "02:30 finns inte den dagen (sommartid börjar, klockan går från 02:00 till 03:00).")
        #expect(state.client(person.id)?.booking == nil)
    }
}
